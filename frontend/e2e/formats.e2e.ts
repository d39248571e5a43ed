// Formats, metadata and placeholders in the SPA: at device scale factors 1 and 2 a grid tile's
// picture is the smallest variant that covers the tile's CSS width × DPR (srcset + sizes); the
// tile is painted with the placeholder first; the sort toggle and the file-name search filter
// the grid, stay in the URL across a reload, and axe stays clean.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ApiScene, type Owner } from "./api";
import { DESKTOP, PHONE, allCspViolations, launch, newContext, screenshot, uniqueName } from "./browser";
import { expectAccessible } from "./checks";
import { imageLoaded, logInAt } from "./flows";
import { scenePng } from "./png";

const baseUrl = inject("baseUrl");
const scene = new ApiScene(baseUrl);
let browser: Browser;
let owner: Owner;
let album: string;

beforeAll(async () => {
  browser = await launch();
  owner = await scene.register(uniqueName("fmt"));
  album = await scene.createAlbum(owner, "Formats");
  // 5:4, large enough for every variant to be its full box (thumb 300, small 640, medium 1280
  // wide). Alone on a 230 px row of the laptop grid, its tile is about 288 px wide: thumb at
  // 1×, small at 2× (both well clear of the geometric-mean zone some browsers use).
  await scene.upload(owner, album, [{ name: "big-scene.png", type: "image/png", bytes: scenePng(2500, 2000, 0.3) }]);
});

afterAll(async () => {
  await browser.close();
  expect(allCspViolations(), "Content-Security-Policy violations").toEqual([]);
});

interface TilePick {
  tileWidth: number;
  sizes: string;
  currentSrc: string;
  candidates: { url: string; width: number }[];
  background: string;
}

async function tilePick(page: Page): Promise<TilePick> {
  return page.$eval(".photo-tile", (tile) => {
    const img = tile.querySelector("img");
    if (!img) throw new Error("no picture in the tile");
    const candidates = img.srcset.split(",").map((part) => {
      const [url = "", descriptor = "0w"] = part.trim().split(/\s+/);
      return { url, width: Number.parseInt(descriptor, 10) };
    });
    return {
      tileWidth: tile.getBoundingClientRect().width,
      sizes: img.sizes,
      currentSrc: img.currentSrc,
      candidates,
      background: (tile as HTMLElement).style.backgroundColor,
    };
  });
}

describe("formats, metadata and placeholders (SPA)", () => {
  for (const dpr of [1, 2]) {
    it(`a grid tile loads the smallest variant covering its width at ${dpr}×`, async () => {
      const context = await newContext(browser, baseUrl, DESKTOP, { deviceScaleFactor: dpr });
      const page = await context.newPage();
      await logInAt(page, owner.username);
      await page.goto(`/albums/${album}`);
      await page.getByRole("heading", { name: "Formats", level: 1 }).waitFor();
      await imageLoaded(page, ".photo-tile__img");
      expect(await page.evaluate(() => window.devicePixelRatio)).toBe(dpr);

      const pick = await tilePick(page);
      expect(pick.candidates.map((c) => c.width)).toEqual([300, 640, 1280]);
      expect(pick.sizes).toBe(`${Math.ceil(pick.tileWidth)}px`);
      const needed = pick.tileWidth * dpr;
      const expected = pick.candidates.find((c) => c.width >= needed) ?? pick.candidates[pick.candidates.length - 1];
      expect(pick.currentSrc, `tile ${pick.tileWidth} px at ${dpr}×`).toBe(expected?.url);
      expect(expected?.width).toBe(dpr === 1 ? 300 : 640);

      // The viewer: medium or large from its own srcset, whichever covers the fitted picture.
      await page.getByRole("button", { name: "Open big-scene.png" }).click();
      const viewer = page.getByRole("dialog", { name: /big-scene\.png/ });
      await viewer.waitFor();
      await imageLoaded(page, ".viewer__img");
      const shown = await page.$eval(".viewer__img", (el) => {
        const img = el as HTMLImageElement;
        const frame = img.parentElement?.getBoundingClientRect();
        const fitted = frame ? Math.min(frame.width, (frame.height * img.naturalWidth) / img.naturalHeight) : 0;
        return { currentSrc: img.currentSrc, srcset: img.srcset, fitted };
      });
      const viewerCandidates = shown.srcset.split(",").map((part) => {
        const [url = "", descriptor = "0w"] = part.trim().split(/\s+/);
        return { url, width: Number.parseInt(descriptor, 10) };
      });
      expect(viewerCandidates.map((c) => c.width)).toEqual([1280, 2048]);
      const viewerPick =
        viewerCandidates.find((c) => c.width >= shown.fitted * dpr) ?? viewerCandidates[viewerCandidates.length - 1];
      expect(shown.currentSrc, `viewer picture ${shown.fitted} px at ${dpr}×`).toBe(viewerPick?.url);
      await context.close();
    });
  }

  it("paints the placeholder colour before the picture arrives", async () => {
    const context = await newContext(browser, baseUrl, DESKTOP);
    const page = await context.newPage();
    await logInAt(page, owner.username);
    // Hold the pictures back, so the tile shows what it paints first.
    await page.route(/\/content\/(thumb|small|medium)/, () => undefined);
    await page.goto(`/albums/${album}`);
    await page.locator(".photo-tile").waitFor();
    const pick = await tilePick(page);
    expect(pick.background).toMatch(/^rgb\(/);
    expect(await page.$eval(".photo-tile", (el) => (el as HTMLElement).style.backgroundImage)).toMatch(
      /^url\("data:image\/png;base64,/,
    );
    await screenshot(page, "40-grid-placeholder");
    await context.close();
  });

  it("sorts by date taken and searches file names, kept in the URL", async () => {
    const user = await scene.register(uniqueName("srt"));
    const trip = await scene.createAlbum(user, "Trip");
    await scene.upload(
      user,
      trip,
      ["beach-1.png", "city.png", "Beach-2.png"].map((name, i) => ({
        name,
        type: "image/png",
        bytes: scenePng(400, 300, i * 1.1),
      })),
    );
    const context = await newContext(browser, baseUrl, DESKTOP);
    const page = await context.newPage();
    await logInAt(page, user.username);
    const names = () =>
      page.locator(".photo-tile__button").evaluateAll((buttons) => buttons.map((b) => b.getAttribute("title") ?? ""));
    await imageLoaded(page, ".photo-tile__img");
    expect(await names()).toEqual(["Beach-2.png", "city.png", "beach-1.png"]);
    await expectAccessible(page, "Photos with the sort toggle and the search box");

    // Taken: the server's order for sort=taken_at (these PNGs have no date: by id).
    const sort = page.getByRole("group", { name: "Sort photos by" });
    await sort.getByRole("button", { name: "Taken" }).click();
    await page.waitForURL(/[?&]sort=taken_at/);
    const byTaken = await scene.imageNames(user, "sort=taken_at");
    await expect.poll(names).toEqual(byTaken);
    expect(await sort.getByRole("button", { name: "Taken" }).getAttribute("aria-pressed")).toBe("true");

    // Search (any case): only the beaches.
    const search = page.getByRole("searchbox", { name: "Search by file name" });
    await search.fill("BEACH");
    await page.waitForURL(/[?&]q=BEACH/);
    await expect.poll(async () => (await names()).sort()).toEqual(["Beach-2.png", "beach-1.png"]);

    // A reload keeps both.
    await page.reload();
    await page.getByRole("heading", { name: "Photos", level: 1 }).waitFor();
    await expect.poll(async () => (await names()).sort()).toEqual(["Beach-2.png", "beach-1.png"]);
    expect(await search.inputValue()).toBe("BEACH");
    expect(await sort.getByRole("button", { name: "Taken" }).getAttribute("aria-pressed")).toBe("true");

    // Nothing matches: says so, not the empty-library state.
    await search.fill("nothing-like-this");
    await page.getByRole("heading", { name: "No photos match “nothing-like-this”" }).waitFor();
    expect(await page.getByText("Your photos will live here").count()).toBe(0);
    await expectAccessible(page, "Photos with a search that matches nothing");
    await screenshot(page, "41-photos-no-match");

    // Escape clears it.
    await search.press("Escape");
    expect(await search.inputValue()).toBe("");
    await expect.poll(async () => (await names()).length).toBe(3);
    expect(new URL(page.url()).searchParams.has("q")).toBe(false);

    // The album page has the same, and Uploaded goes back to upload order.
    await page.goto(`/albums/${trip}?q=city`);
    await page.getByRole("heading", { name: "Trip", level: 1 }).waitFor();
    await expect.poll(names).toEqual(["city.png"]);
    await page.getByRole("button", { name: "Clear search" }).click();
    await expect.poll(names).toEqual(["Beach-2.png", "city.png", "beach-1.png"]);
    await expectAccessible(page, "album page with the sort toggle and the search box");
    await context.close();
  });

  it("fits the sort toggle and the search box on a 390 px phone, sharp at 3×", async () => {
    const context = await newContext(browser, baseUrl, PHONE, { deviceScaleFactor: 3 });
    const page = await context.newPage();
    await logInAt(page, owner.username);
    await page.goto(`/albums/${album}`);
    await imageLoaded(page, ".photo-tile__img");
    const sort = await page.getByRole("group", { name: "Sort photos by" }).boundingBox();
    const search = await page.getByRole("searchbox", { name: "Search by file name" }).boundingBox();
    expect(sort && sort.x >= 0 && sort.x + sort.width <= PHONE.width).toBe(true);
    expect(search && search.x >= 0 && search.x + search.width <= PHONE.width).toBe(true);
    expect(search?.width ?? 0).toBeGreaterThanOrEqual(140);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    const pick = await tilePick(page);
    const expected = pick.candidates.find((c) => c.width >= pick.tileWidth * 3) ?? pick.candidates[pick.candidates.length - 1];
    expect(pick.currentSrc, `tile ${pick.tileWidth} px at 3×`).toBe(expected?.url);
    await expectAccessible(page, "phone album page with the sort toggle and the search box");
    await screenshot(page, "42-album-filters-phone");
    await context.close();
  });
});
