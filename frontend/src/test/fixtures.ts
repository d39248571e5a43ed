// Images for component tests, with every field the API sends (sizes that fit the spec's
// variant boxes: thumb 300, small 640, medium 1280, large 2048).
import { rgbaToThumbHash } from "thumbhash";
import type { Image, Variant } from "../api/types";

export function variantOf(size: string, width: number, height: number, id = "x"): Variant {
  return {
    url: `http://albumen.test/c/${id}/${size}`,
    width,
    height,
    bytes: width * height,
    content_type: "image/jpeg",
    formats: ["jpeg", "webp", "avif"],
  };
}

/** A real ThumbHash (base64) of a small two-colour picture. */
export function sampleThumbHash(): string {
  const w = 16;
  const h = 12;
  const rgba = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    const left = i % w < w / 2;
    rgba.set(left ? [240, 120, 60, 255] : [40, 80, 200, 255], i * 4);
  }
  return btoa(String.fromCharCode(...rgbaToThumbHash(w, h, rgba)));
}

/** A landscape 4000 × 3000 photo with its variants; `extra` overrides any field. */
export function photoOf(id: string, extra: Partial<Image> = {}): Image {
  const fit = (box: number) => [box, Math.round((box * 3) / 4)] as const;
  const v = (size: string, box: number) => variantOf(size, ...fit(box), id);
  return {
    id,
    album_id: "album",
    filename: `${id}.jpg`,
    content_type: "image/jpeg",
    width: 4000,
    height: 3000,
    bytes: 4_000_000,
    sha256: "0".repeat(64),
    created_at: "2026-05-01T10:00:00Z",
    taken_at: null,
    camera: null,
    exposure: null,
    location: null,
    placeholder: { thumbhash: sampleThumbHash(), color: "#aa5533" },
    variants: {
      thumb: v("thumb", 300),
      small: v("small", 640),
      medium: v("medium", 1280),
      large: v("large", 2048),
      original: { ...variantOf("original", 4000, 3000, id), formats: [] },
    },
    ...extra,
  };
}
