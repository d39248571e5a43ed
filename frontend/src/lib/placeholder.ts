// Placeholders painted before a picture arrives: the dominant colour at once and the ThumbHash
// (a ~25-byte blurred preview) decoded to a tiny PNG data URL. Decodes are memoised: a grid
// re-renders often and every tile would decode again otherwise.
import type { CSSProperties } from "react";
import { thumbHashToDataURL } from "thumbhash";
import type { Image } from "../api/types";

const MAX_CACHED = 2000;
const cache = new Map<string, string | null>();

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The ThumbHash as a PNG data URL, or null when it is missing or broken. */
export function thumbHashDataUrl(thumbhash: string | null | undefined): string | null {
  if (!thumbhash) return null;
  const known = cache.get(thumbhash);
  if (known !== undefined) return known;
  let url: string | null;
  try {
    url = thumbHashToDataURL(base64ToBytes(thumbhash));
  } catch {
    url = null;
  }
  if (cache.size >= MAX_CACHED) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(thumbhash, url);
  return url;
}

const COLOR = /^#[0-9a-f]{6}$/i;

/** Inline style for a tile: its colour, and the blurred preview over it. */
export function placeholderStyle(image: Pick<Image, "placeholder">): CSSProperties {
  const placeholder = image.placeholder as Image["placeholder"] | null | undefined;
  if (!placeholder) return {};
  const style: CSSProperties = {};
  if (COLOR.test(placeholder.color)) style.backgroundColor = placeholder.color;
  const url = thumbHashDataUrl(placeholder.thumbhash);
  if (url) style.backgroundImage = `url("${url}")`;
  return style;
}

/** For tests: forget every decode. */
export function clearPlaceholderCache(): void {
  cache.clear();
}
