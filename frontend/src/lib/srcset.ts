// Responsive pictures: `srcset` with width descriptors over a few variants, and the pick a
// browser makes from it (the smallest candidate at least as wide as the slot × DPR).
import type { Variant } from "../api/types";

export interface Candidate {
  url: string;
  width: number;
}

/**
 * The candidates of a srcset, narrowest first. Variants never upscale, so a small original gives
 * several variants of one width: only the first (the smallest size asked for) of each width is
 * kept, since a srcset may not name a width twice.
 */
export function candidates(variants: readonly (Variant | null | undefined)[]): Candidate[] {
  const byWidth = new Map<number, Candidate>();
  for (const variant of variants) {
    if (!variant || variant.width <= 0 || byWidth.has(variant.width)) continue;
    byWidth.set(variant.width, { url: variant.url, width: variant.width });
  }
  return [...byWidth.values()].sort((a, b) => a.width - b.width);
}

/** `"…/thumb 300w, …/small 640w"`: the value of `srcset`. */
export function buildSrcSet(variants: readonly (Variant | null | undefined)[]): string {
  return candidates(variants)
    .map((c) => `${c.url} ${c.width}w`)
    .join(", ");
}

/** `sizes` for a slot of this CSS width (rounded up, so the pick never falls short). */
export function slotSizes(cssWidth: number): string {
  return `${Math.max(1, Math.ceil(cssWidth))}px`;
}

/**
 * What a browser picks for a slot `cssWidth` wide at `dpr`: the narrowest candidate whose width
 * covers cssWidth × dpr, else the widest there is.
 */
export function pickCandidate(list: readonly Candidate[], cssWidth: number, dpr: number): Candidate | null {
  const needed = cssWidth * dpr;
  return list.find((c) => c.width >= needed) ?? list[list.length - 1] ?? null;
}

/** The photo grid's row height (CSS `--row` in grids.css), on phones and wider screens. */
const ROW_PHONE = 120;
const ROW = 230;

/**
 * `sizes` for a grid tile: its measured width once laid out; before that, its flex basis (the
 * ratio × the row height), the least it will be.
 */
export function tileSizes(ratio: number, measured: number | null): string {
  if (measured) return slotSizes(measured);
  return `(max-width: 720px) ${slotSizes(ratio * ROW_PHONE)}, ${slotSizes(ratio * ROW)}`;
}
