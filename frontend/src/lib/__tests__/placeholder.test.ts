import { afterEach, describe, expect, it, vi } from "vitest";
import { sampleThumbHash } from "../../test/fixtures";

const decodes = vi.hoisted(() => ({ count: 0 }));
vi.mock("thumbhash", async (importOriginal) => {
  const real = await importOriginal<typeof import("thumbhash")>();
  return {
    ...real,
    thumbHashToDataURL: (hash: ArrayLike<number>) => {
      decodes.count++;
      return real.thumbHashToDataURL(hash);
    },
  };
});

const { clearPlaceholderCache, placeholderStyle, thumbHashDataUrl } = await import("../placeholder");

afterEach(() => {
  clearPlaceholderCache();
  decodes.count = 0;
});

describe("ThumbHash placeholders", () => {
  it("decodes a base64 ThumbHash to a PNG data URL", () => {
    expect(thumbHashDataUrl(sampleThumbHash())).toMatch(/^data:image\/png;base64,/);
  });

  it("decodes each hash once (memoised)", () => {
    const hash = sampleThumbHash();
    const first = thumbHashDataUrl(hash);
    expect(thumbHashDataUrl(hash)).toBe(first);
    expect(placeholderStyle({ placeholder: { thumbhash: hash, color: "#112233" } }).backgroundImage).toBe(`url("${first ?? ""}")`);
    expect(decodes.count).toBe(1);
  });

  it("paints the colour alone when the hash is missing or broken", () => {
    expect(thumbHashDataUrl("")).toBeNull();
    expect(thumbHashDataUrl("!!not base64!!")).toBeNull();
    expect(placeholderStyle({ placeholder: { thumbhash: "", color: "#112233" } })).toEqual({ backgroundColor: "#112233" });
  });

  it("ignores a colour that is not #rrggbb", () => {
    expect(placeholderStyle({ placeholder: { thumbhash: "", color: "red; background: url(x)" } })).toEqual({});
  });
});
