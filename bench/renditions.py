"""Scores the renditions benchmark's outputs (backend/benches/renditions.rs) and sets them beside
libvips's own WebP and AVIF encoders at the same settings, all in this run.

    renditions.py OUT [--webp-q 90 --webp-effort 4 --avif-q 84 --avif-speed 7]

For every file and size: bytes and SSIMULACRA2 (against the lossless reference: the oriented
sRGB pixels every encoder got) of the JPEG q85 variant, Albumen's WebP and AVIF, and libvips's
`webpsave` / `heifsave(compression=av1)` of the same reference; encode throughput in MP/s.
Prints a table per size and writes OUT/renditions.json.
"""
import argparse
import json
import os
import statistics
import time

import pyvips
from ssimulacra2 import compute_ssimulacra2

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--webp-q", type=int, default=90)
parser.add_argument("--webp-effort", type=int, default=4)
parser.add_argument("--avif-q", type=int, default=84)
parser.add_argument("--avif-speed", type=int, default=7)
args = parser.parse_args()

rows = json.load(open(os.path.join(args.out, "albumen.json")))
SIZES = ["large", "medium", "small", "thumb"]


def vips_encode(ref, kind):
    image = pyvips.Image.new_from_file(ref, access="sequential")
    start = time.perf_counter()
    if kind == "webp":
        data = image.webpsave_buffer(Q=args.webp_q, effort=args.webp_effort, strip=True)
    else:
        # libvips's effort is libaom's 9 - speed.
        data = image.heifsave_buffer(
            Q=args.avif_q, compression="av1", effort=9 - args.avif_speed, strip=True
        )
    return data, time.perf_counter() - start


results = []
for row in rows:
    if row["alpha"]:
        continue  # opaque photos only: the bar is set against the JPEG variant
    base = os.path.join(args.out, row["file"], row["size"])
    ref = base + ".ref.png"
    result = {"file": row["file"], "size": row["size"], "mp": row["width"] * row["height"] / 1e6}
    for name, path, meta in [
        ("jpeg", base + ".jpg", row["jpg"]),
        ("webp", base + ".webp", row["webp"]),
        ("avif", base + ".avif", row["avif"]),
    ]:
        result[name] = {"bytes": meta["bytes"], "secs": meta["secs"], "score": compute_ssimulacra2(ref, path)}
    for kind in ["webp", "avif"]:
        data, secs = vips_encode(ref, kind)
        path = f"{base}.vips.{kind}"
        open(path, "wb").write(data)
        result["vips_" + kind] = {"bytes": len(data), "secs": secs, "score": compute_ssimulacra2(ref, path)}
    results.append(result)

json.dump(results, open(os.path.join(args.out, "renditions.json"), "w"), indent=1)

print(f"{'size':7} {'n':>3} | {'JPEG q85':>15} | {'WebP':>22} | {'AVIF':>22} | {'vips WebP':>15} | {'vips AVIF':>15}")
print(f"{'':7} {'':>3} | {'score':>7} {'KB':>7} | {'score':>7} {'bytes':>6} {'MP/s':>7} | {'score':>7} {'bytes':>6} {'MP/s':>7} | {'score':>7} {'MP/s':>7} | {'score':>7} {'MP/s':>7}")
for size in SIZES:
    chosen = [r for r in results if r["size"] == size]
    if not chosen:
        continue
    mean = lambda key, field: statistics.mean(r[key][field] for r in chosen)
    total = lambda key, field: sum(r[key][field] for r in chosen)
    mps = lambda key: sum(r["mp"] for r in chosen) / total(key, "secs")
    ratio = lambda key: total(key, "bytes") / total("jpeg", "bytes")
    print(
        f"{size:7} {len(chosen):>3} | {mean('jpeg','score'):7.2f} {total('jpeg','bytes')/1024:7.0f} | "
        f"{mean('webp','score'):7.2f} {ratio('webp'):5.2f}× {mps('webp'):7.1f} | "
        f"{mean('avif','score'):7.2f} {ratio('avif'):5.2f}× {mps('avif'):7.1f} | "
        f"{mean('vips_webp','score'):7.2f} {mps('vips_webp'):7.1f} | {mean('vips_avif','score'):7.2f} {mps('vips_avif'):7.1f}"
    )
print("bytes: total of the size's files as a ratio of the JPEG variants'; score: mean SSIMULACRA2")
