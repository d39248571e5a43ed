"""Writes a HEIC file as an iPhone does, with pillow-heif (libheif): the EXIF
Orientation becomes `irot`/`imir` and stays in the EXIF too, other EXIF tags and an ICC
profile are carried over.

    make_heif.py IN.png OUT.heic [--exif EXIF.bin] [--quality 80]
"""
import argparse

import pillow_heif
from PIL import Image

parser = argparse.ArgumentParser()
parser.add_argument("source")
parser.add_argument("target")
parser.add_argument("--exif", help="a file with the EXIF block (TIFF, optionally after Exif\\0\\0)")
parser.add_argument("--quality", type=int, default=80)
args = parser.parse_args()

pillow_heif.register_heif_opener()
image = Image.open(args.source)
options = {"quality": args.quality}
if args.exif:
    with open(args.exif, "rb") as f:
        options["exif"] = f.read()
if "icc_profile" in image.info:
    options["icc_profile"] = image.info["icc_profile"]
image.save(args.target, format="HEIF", **options)
