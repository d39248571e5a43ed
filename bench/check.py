#!/usr/bin/env python3
"""Check Albumen's benchmark outputs with the peers' own rules, plus two of ours.

The peers' rules come from shared/bench/peers.py itself (`verify`): long side exact, short side
within 1 px, JPEG, 8-bit RGB, no EXIF orientation left, content within a mean absolute
difference of 8 of the oriented sRGB source, and the Adobe RGB photo within 2.5 of its sRGB
twin. Ours on top: the quantisation tables are exactly those of quality 85, and no EXIF
segment survives at all.

usage: check.py CORPUS OUT_DIR [--files a.jpg,b.png] [--peers DIR] [--json RESULT.json]
"""
import argparse, io, json, os, sys

STRATEGY = "albumen"
VARIANTS = ["large", "medium", "small", "thumb"]


def q85_tables(Image):
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (128, 64, 32)).save(buf, "JPEG", quality=85)
    with Image.open(io.BytesIO(buf.getvalue())) as im:
        return {k: list(v) for k, v in im.quantization.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus"); ap.add_argument("out")
    ap.add_argument("--files")
    ap.add_argument("--peers", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                    "kit"))
    ap.add_argument("--json")
    a = ap.parse_args()
    sys.path.insert(0, os.path.abspath(a.peers))
    import peers  # the peers' module: its checks, unchanged
    from PIL import Image

    names = [l.split("\t")[0] for l in open(os.path.join(a.corpus, "manifest.tsv")).read().splitlines()[1:]]
    if a.files:
        wanted = set(a.files.split(","))
        names = [n for n in names if n in wanted]
    images = [os.path.join(a.corpus, n) for n in names]
    truths = {p: peers._truth(p) for p in images}
    result = peers.verify(STRATEGY, images, a.out, truths)

    expected_q = q85_tables(Image)
    for src in images:
        stem = os.path.splitext(os.path.basename(src))[0]
        for variant in VARIANTS:
            path = os.path.join(a.out, STRATEGY, variant, stem + ".jpg")
            data = open(path, "rb").read()
            if b"Exif\0\0" in data:
                result["problems"].append(f"{stem}/{variant}: carries EXIF")
            with Image.open(path) as o:
                tables = {k: list(v) for k, v in o.quantization.items()}
                if o.mode != "RGB" or o.info.get("progression"):
                    pass  # mode is peers' check; progressive output is allowed
                if tables != expected_q:
                    result["problems"].append(f"{stem}/{variant}: quantisation is not quality 85")
    result["ok"] = not result["problems"]
    for p in result["problems"][:20]:
        print("  ", p)
    print(f"check: {len(images)} images x {len(VARIANTS)} variants: "
          f"{'ok' if result['ok'] else 'FAIL'} (worst mean abs diff {result['worst_mean_abs_diff']})")
    if a.json:
        json.dump(result, open(a.json, "w"), indent=1)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
