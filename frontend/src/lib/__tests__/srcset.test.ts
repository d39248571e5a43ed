import { describe, expect, it } from "vitest";
import { photoOf, variantOf } from "../../test/fixtures";
import { buildSrcSet, candidates, pickCandidate, slotSizes, tileSizes } from "../srcset";

describe("srcset building", () => {
  it("lists thumb, small and medium with their widths, narrowest first", () => {
    const { thumb, small, medium } = photoOf("a").variants;
    expect(buildSrcSet([medium, thumb, small])).toBe(
      "http://albumen.test/c/a/thumb 300w, http://albumen.test/c/a/small 640w, http://albumen.test/c/a/medium 1280w",
    );
  });

  it("names each width once: a small original gives variants of one width (never upscaled)", () => {
    const list = candidates([variantOf("thumb", 200, 150), variantOf("small", 200, 150), variantOf("medium", 200, 150)]);
    expect(list).toEqual([{ url: "http://albumen.test/c/x/thumb", width: 200 }]);
  });

  it("skips missing variants and zero widths", () => {
    expect(buildSrcSet([null, undefined, variantOf("thumb", 0, 0), variantOf("small", 640, 480)])).toBe(
      "http://albumen.test/c/x/small 640w",
    );
  });

  it("picks the narrowest candidate covering the slot × DPR, else the widest", () => {
    const list = candidates([variantOf("thumb", 300, 225), variantOf("small", 640, 480), variantOf("medium", 1280, 960)]);
    expect(pickCandidate(list, 280, 1)?.width).toBe(300);
    expect(pickCandidate(list, 300, 1)?.width).toBe(300);
    expect(pickCandidate(list, 301, 1)?.width).toBe(640);
    expect(pickCandidate(list, 280, 2)?.width).toBe(640);
    expect(pickCandidate(list, 400, 2)?.width).toBe(1280);
    expect(pickCandidate(list, 900, 2)?.width).toBe(1280);
    expect(pickCandidate([], 100, 1)).toBeNull();
  });
});

describe("sizes", () => {
  it("is the slot width rounded up", () => {
    expect(slotSizes(306.4)).toBe("307px");
    expect(slotSizes(0)).toBe("1px");
  });

  it("is a tile's measured width once laid out, its flex basis per breakpoint before", () => {
    expect(tileSizes(4 / 3, 412.2)).toBe("413px");
    expect(tileSizes(4 / 3, null)).toBe("(max-width: 720px) 160px, 307px");
    expect(tileSizes(0.5, null)).toBe("(max-width: 720px) 60px, 115px");
  });
});
