#!/usr/bin/env python3
"""Albumen's benchmark against the peers measured in the same run: wall-time ratios and
variant-byte ratios, as a Markdown table.

usage: compare.py PEERS.json ALBUMEN.json
"""
import json, sys

VARIANTS = ["thumb", "small", "medium", "large"]


def main():
    peers, ours = (json.load(open(p)) for p in sys.argv[1:3])
    runs = {(r["strategy"], r["workers"]): r for r in peers["runs"] if r.get("ok", True)}
    mine = {r["workers"]: r for r in ours["runs"]}
    strategies = sorted({s for s, _ in runs})
    print("| workers | albumen wall_s | MP/s | " + " | ".join(f"{s} wall_s | albumen ÷ {s}" for s in strategies) + " |")
    print("|---:|---:|---:|" + "---:|---:|" * len(strategies))
    for workers, r in sorted(mine.items()):
        cells = []
        for s in strategies:
            p = runs.get((s, workers))
            cells += ["–", "–"] if p is None else [f"{p['wall_s_median']:.2f}", f"**{r['wall_s_median'] / p['wall_s_median']:.2f}×**"]
        print(f"| {workers} | {r['wall_s_median']:.2f} | {r['mp_per_s']:.1f} | " + " | ".join(cells) + " |")
    vips = next((p for (s, w), p in sorted(runs.items()) if s.startswith("vips")), None)
    if vips:
        print()
        print("| variant | albumen KB | " + f"{vips['strategy']} KB | ratio |")
        print("|---|---:|---:|---:|")
        ours_bytes = next(iter(mine.values()))["output_bytes"]
        for v in VARIANTS:
            a, b = ours_bytes[v], vips["output_bytes"][v]
            print(f"| {v} | {a / 1024:.0f} | {b / 1024:.0f} | {a / b:.3f} |")
    if ours.get("memory"):
        worst = max(ours["memory"], key=lambda m: m["peak_kib"])
        big = [m for m in ours["memory"] if m["megapixels"] >= 15]
        print()
        print(f"Peak memory per image (one image per process): at most {worst['peak_kib'] / 1024:.0f} MiB "
              f"({worst['image']}, {worst['megapixels']:.1f} MP); the 15-20 MP photos: "
              + ", ".join(f"{m['image']} {m['peak_kib'] / 1024:.0f} MiB" for m in big) + ".")


if __name__ == "__main__":
    main()
