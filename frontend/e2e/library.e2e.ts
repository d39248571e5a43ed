// "A library you can live in" (issue 16, part 2), at 1366×900 and on a 390×844 phone: select
// photos (shift-click for a range), move them to another album, delete them to the Trash,
// restore them from the Trash page, download an album as a ZIP; axe on the grid with a
// selection and on the Trash page, and screenshots of both.
import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ApiScene } from "./api";
import { DESKTOP, PHONE, allCspViolations, launch, newContext, screenshot, uniqueName } from "./browser";
import { expectAccessible } from "./checks";
import { imageLoaded, logInAt } from "./flows";
import { scenePng } from "./png";

const baseUrl = inject("baseUrl");
const scene = new ApiScene(baseUrl);
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser.close();
  expect(allCspViolations(), "Content-Security-Policy violations").toEqual([]);
});

const VIEWPORTS = [
  { name: "laptop", size: DESKTOP },
  { name: "phone", size: PHONE },
] as const;

const NAMES = ["p1.png", "p2.png", "p3.png", "p4.png", "p5.png"];

const tiles = (page: Page) => page.locator(".photo-tile");

async function tick(page: Page, filename: string, shift = false): Promise<void> {
  const tile = page.locator(".photo-tile", { has: page.getByRole("button", { name: `Open ${filename}` }) });
  await tile.hover();
  await page.getByRole("checkbox", { name: `Select ${filename}` }).click(shift ? { modifiers: ["Shift"] } : {});
}

describe("a library you can live in (issue 16)", () => {
  for (const { name, size } of VIEWPORTS) {
    it(`selects, moves, trashes, restores and downloads on a ${name}`, async () => {
      const owner = await scene.register(uniqueName("lib"));
      const source = await scene.createAlbum(owner, "Source");
      const dest = await scene.createAlbum(owner, "Dest");
      // Uploaded oldest first: the grid shows p5 … p1.
      await scene.upload(
        owner,
        source,
        NAMES.map((n, i) => ({ name: n, type: "image/png", bytes: scenePng(800, 600, i * 0.7) })),
      );
      const context = await newContext(browser, baseUrl, size);
      const page = await context.newPage();
      await logInAt(page, owner.username);
      await page.goto(`/albums/${source}`);
      await page.getByRole("heading", { name: "Source", level: 1 }).waitFor();
      await imageLoaded(page, ".photo-tile__img");
      expect(await tiles(page).count()).toBe(5);

      // Select three with a click and a shift-click: p5, p4, p3.
      await tick(page, "p5.png");
      await tick(page, "p3.png", true);
      const bar = page.getByRole("toolbar", { name: "Selection" });
      await bar.getByText("3 selected").waitFor();
      await expectAccessible(page, `${name} grid with a selection`);
      await screenshot(page, `30-grid-selection-${name}`);

      // Escape clears; select again, then move them to Dest.
      await page.keyboard.press("Escape");
      await bar.waitFor({ state: "detached" });
      await tick(page, "p5.png");
      await tick(page, "p3.png", true);
      await bar.getByRole("button", { name: "Move selected photos" }).click();
      const move = page.getByRole("dialog", { name: "Move 3 photos" });
      await move.getByRole("button", { name: /Dest/ }).click();
      await move.getByRole("button", { name: "Move to Dest" }).click();
      await page.locator(".toast", { hasText: "Moved 3 photos to Dest" }).waitFor();
      await expect.poll(() => tiles(page).count()).toBe(2);
      expect((await scene.album(owner, source)).image_count).toBe(2);
      expect((await scene.album(owner, dest)).image_count).toBe(3);
      await page.getByText("2 photos").first().waitFor();

      // Delete one to the Trash.
      await tick(page, "p2.png");
      await bar.getByRole("button", { name: "Delete selected photos" }).click();
      const confirm = page.getByRole("dialog", { name: "Delete 1 photo?" });
      await confirm.getByText("Trash for 30 days").waitFor();
      await confirm.getByRole("button", { name: "Move to Trash" }).click();
      await page.locator(".toast", { hasText: "Moved 1 photo to Trash" }).waitFor();
      await expect.poll(() => tiles(page).count()).toBe(1);
      expect(await page.getByRole("button", { name: "Open p2.png" }).count()).toBe(0);

      // The Trash page lists it; restore it.
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Trash" }).click();
      await page.getByRole("heading", { name: "Trash", level: 1 }).waitFor();
      expect(await page.title()).toContain("Trash");
      await page.getByText("p2.png").waitFor();
      await page.getByText(/deleted for good in 30 days/).first().waitFor();
      await expectAccessible(page, `${name} Trash page`);
      await screenshot(page, `31-trash-${name}`);
      await page.getByRole("checkbox", { name: "Select p2.png" }).click();
      await page.getByRole("button", { name: "Restore 1" }).click();
      await page.getByText("The trash is empty").waitFor();

      // Back in the album, it is there again.
      await page.goto(`/albums/${source}`);
      await page.getByRole("button", { name: "Open p2.png" }).waitFor();
      expect(await tiles(page).count()).toBe(2);

      // Download the album: a ZIP.
      const downloading = page.waitForEvent("download");
      await page.getByRole("button", { name: "Download album" }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toMatch(/\.zip$/);
      const file = await download.path();
      const bytes = await readFile(file);
      expect(bytes.subarray(0, 4).toString("latin1")).toBe("PK\x03\x04");

      // Use a photo as the album's cover, from the viewer.
      expect((await scene.album(owner, source)).cover_image_id ?? null).toBeNull();
      await page.getByRole("button", { name: "Open p1.png" }).click();
      const viewer = page.getByRole("dialog", { name: /p1\.png/ });
      await viewer.getByRole("button", { name: "Use as cover" }).click();
      await page.locator(".toast", { hasText: "Cover changed" }).waitFor();
      await viewer.getByRole("button", { name: "Album cover" }).waitFor();
      expect((await scene.album(owner, source)).cover_image_id).toEqual(expect.any(String));

      await context.close();
    });
  }
});
