// What a person sees in their first minute (issue 16), at 1366×900 and on a 390×844 phone:
// photos fitted to the screen, swipes, dialogs that take typing, toasts on top, parent albums
// that show their tree, GIFs that move, tab titles, and no serious axe-core violation anywhere.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ApiScene, type Owner } from "./api";
import { DESKTOP, PHONE, allCspViolations, launch, newContext, screenshot, uniqueName } from "./browser";
import { expectAccessible, expectOnTop, expectPictureFits, swipe } from "./checks";
import { imageLoaded, logInAt } from "./flows";
import { animatedGif, scenePng } from "./png";

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

const SIZES = ["Small", "Medium", "Large", "Original"] as const;
const VIEWPORTS = [
  { name: "laptop", size: DESKTOP },
  { name: "phone", size: PHONE },
] as const;

/** An owner with one album holding (newest first) a portrait, a 4:3 landscape and a wide one. */
async function albumOfShapes(): Promise<{ owner: Owner; albumId: string }> {
  const owner = await scene.register(uniqueName("fit"));
  const albumId = await scene.createAlbum(owner, "Shapes");
  await scene.upload(owner, albumId, [
    { name: "wide.png", type: "image/png", bytes: scenePng(2400, 1000, 1.2) },
    { name: "landscape.png", type: "image/png", bytes: scenePng(1600, 1200, 0.4) },
    { name: "portrait.png", type: "image/png", bytes: scenePng(600, 1200, 2.5) },
  ]);
  return { owner, albumId };
}

async function openPhoto(page: Page, albumId: string, filename: string): Promise<void> {
  await page.goto(`/albums/${albumId}`);
  await page.getByRole("button", { name: `Open ${filename}` }).click();
  await page.getByRole("dialog", { name: new RegExp(filename.replace(".", "\\.")) }).waitFor();
  await page.locator(".viewer__img.is-loaded").waitFor();
}

async function chooseSize(page: Page, size: (typeof SIZES)[number]): Promise<void> {
  await page.getByRole("group", { name: "Picture size" }).getByRole("button", { name: size, exact: true }).click();
  await page.locator(`.viewer__img.is-loaded[data-size='${size.toLowerCase()}']`).waitFor();
}

async function setDetails(page: Page, shown: boolean): Promise<void> {
  const toggle = page.getByRole("button", { name: "Photo details" });
  if ((await toggle.getAttribute("aria-pressed")) !== String(shown)) await toggle.click();
}

describe("the first minute (issue 16)", () => {
  it("fits a portrait and a landscape whole on screen at every size, with and without details, on a laptop and a phone", async () => {
    const { owner, albumId } = await albumOfShapes();
    for (const { name, size } of VIEWPORTS) {
      const context = await newContext(browser, baseUrl, size);
      const page = await context.newPage();
      await logInAt(page, owner.username);
      for (const filename of ["portrait.png", "landscape.png", "wide.png"]) {
        await openPhoto(page, albumId, filename);
        for (const details of [true, false]) {
          await setDetails(page, details);
          for (const choice of SIZES) {
            await chooseSize(page, choice);
            await expectPictureFits(page, `${name} ${filename} ${choice} details=${details}`);
          }
        }
        if (filename === "portrait.png") {
          await setDetails(page, false);
          await chooseSize(page, "Large");
          await page.waitForTimeout(300); // the fade-in
          await screenshot(page, `20-viewer-portrait-${name}`);
        }
      }
      // Turned sideways (or a window resized), the picture is fitted again.
      await page.setViewportSize({ width: size.height, height: size.width });
      await expectPictureFits(page, `${name} turned sideways`);
      await context.close();
    }
  });

  it("steps to the next photo with a swipe on a phone, and shows arrows above the photo", async () => {
    const { owner, albumId } = await albumOfShapes();
    const context = await newContext(browser, baseUrl, PHONE, { touch: true });
    const page = await context.newPage();
    await logInAt(page, owner.username);
    await openPhoto(page, albumId, "portrait.png");

    // The arrows are drawn over the photo, so a finger can reach them.
    await expectOnTop(page, ".viewer__nav--next");
    await screenshot(page, "21-viewer-phone-arrows");

    const stage = await page.locator(".viewer__stage").boundingBox();
    if (!stage) throw new Error("no stage");
    const y = stage.y + stage.height / 2;
    await swipe(page, { x: stage.x + stage.width * 0.85, y }, { x: stage.x + stage.width * 0.15, y: y + 10 });
    await page.getByRole("dialog", { name: /landscape\.png/ }).waitFor();
    await swipe(page, { x: stage.x + stage.width * 0.15, y }, { x: stage.x + stage.width * 0.85, y: y - 10 });
    await page.getByRole("dialog", { name: /portrait\.png/ }).waitFor();
    // A mostly vertical move is not a swipe.
    await swipe(page, { x: stage.x + stage.width / 2, y: y - 150 }, { x: stage.x + stage.width / 2 - 60, y: y + 150 });
    await page.waitForTimeout(200);
    expect(await page.getByRole("dialog", { name: /portrait\.png/ }).count()).toBe(1);
    await context.close();
  });

  it("takes typing in the New album and Rename dialogs at once, and draws toasts above dialogs", async () => {
    const owner = await scene.register(uniqueName("type"));
    const context = await newContext(browser, baseUrl);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    const page = await context.newPage();
    await logInAt(page, owner.username);

    await page.goto("/albums");
    await page.getByRole("button", { name: "New album" }).click();
    const create = page.getByRole("dialog", { name: "New album" });
    await create.waitFor();
    await page.keyboard.type("Summer trips");
    expect(await create.getByLabel("Name").inputValue()).toBe("Summer trips");
    expect(await create.isVisible()).toBe(true); // the space did not close it
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Summer trips", level: 1 }).waitFor();

    await page.getByRole("button", { name: "Rename album" }).click();
    const rename = page.getByRole("dialog", { name: "Rename album" });
    await rename.waitFor();
    await page.keyboard.type("Road trips");
    expect(await rename.getByLabel("Name").inputValue()).toBe("Road trips");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Road trips", level: 1 }).waitFor();

    // A confirmation starts on its safe answer: Enter cancels.
    await page.getByRole("button", { name: "Delete album" }).click();
    const confirm = page.getByRole("dialog", { name: /Delete “Road trips”/ });
    await confirm.getByRole("button", { name: "Move to Trash" }).and(page.locator(":enabled")).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
    await page.keyboard.press("Escape");

    // "Link copied" shows above the open share dialog and its backdrop.
    await page.getByRole("button", { name: "Share album" }).click();
    const share = page.getByRole("dialog", { name: /Share/ });
    await share.getByRole("switch", { name: "Public link" }).check();
    await share.getByRole("button", { name: "Copy link" }).click();
    await page.locator(".toast").first().waitFor();
    await expectOnTop(page, ".toast");
    await screenshot(page, "22-toast-over-dialog");
    await expectAccessible(page, "share dialog with a toast");
    await context.close();
  });

  it("shows a parent album's tree count and its sub-albums, to its owner and to a visitor", async () => {
    const owner = await scene.register(uniqueName("trips"));
    const trips = await scene.createAlbum(owner, "Trips");
    const lisbon = await scene.createAlbum(owner, "Lisbon", trips);
    const porto = await scene.createAlbum(owner, "Porto", trips);
    await scene.upload(owner, lisbon, [
      { name: "tram.png", type: "image/png", bytes: scenePng(800, 600, 0.9) },
      { name: "river.png", type: "image/png", bytes: scenePng(800, 600, 1.9) },
    ]);
    await scene.upload(owner, porto, [{ name: "bridge.png", type: "image/png", bytes: scenePng(800, 600, 2.9) }]);
    for (const id of [trips, lisbon, porto]) await scene.makePublic(owner, id);
    // The count the cards show: the tree's when the server sends it, else the album's own.
    const sent = await scene.album(owner, trips);
    const expected = typeof sent.tree_image_count === "number" ? sent.tree_image_count : 0;
    if (typeof sent.tree_image_count === "number") expect(expected).toBe(3);

    const context = await newContext(browser, baseUrl);
    const page = await context.newPage();
    await logInAt(page, owner.username);
    await page.goto("/albums");
    const card = page.getByRole("list", { name: "Albums" }).getByRole("link", { name: /Trips/ });
    await card.waitFor();
    expect(await card.textContent()).toContain(expected === 1 ? "1 photo" : `${expected} photos`);
    if (sent.cover) await imageLoaded(page, ".album-card__cover img");
    await page.goto(`/albums/${trips}`);
    await page.getByRole("list", { name: "Albums in Trips" }).getByRole("link", { name: /Lisbon.*2 photos/ }).waitFor();
    expect(await page.getByText("Drop photos here").count()).toBe(0);
    await context.close();

    // A visitor of the public parent sees its sub-albums (where the server lists them) and
    // never "No photos in here yet" for a tree that has photos.
    const visitorContext = await newContext(browser, baseUrl);
    const visitor = await visitorContext.newPage();
    await visitor.goto(`/shared/albums/${trips}`);
    await visitor.getByRole("heading", { name: "Trips", level: 1 }).waitFor();
    const listed = await visitor.evaluate(async (id) => (await fetch(`/api/v1/albums?parent_id=${id}`)).ok, trips);
    if (listed) {
      await visitor.getByRole("list", { name: "Albums in Trips" }).getByRole("link", { name: /Lisbon/ }).click();
      await visitor.getByRole("heading", { name: "Lisbon", level: 1 }).waitFor();
      await visitor.getByRole("list", { name: "Photos in Lisbon" }).getByRole("listitem").nth(1).waitFor();
    } else if (expected > 0) {
      await visitor.getByRole("heading", { name: "The photos are in its sub-albums" }).waitFor();
    } else {
      // A server with neither tree counts nor visitor listings cannot tell the visitor more.
      await visitor.getByRole("heading", { name: "No photos in here yet" }).waitFor();
    }
    await screenshot(visitor, "23-shared-parent-visitor");
    await visitorContext.close();
  });

  it("plays a GIF in the viewer from its original, not a still variant", async () => {
    const owner = await scene.register(uniqueName("gif"));
    const albumId = await scene.createAlbum(owner, "Moving");
    await scene.upload(owner, albumId, [{ name: "loop.gif", type: "image/gif", bytes: animatedGif(120, 80, 3) }]);
    const context = await newContext(browser, baseUrl);
    const page = await context.newPage();
    await logInAt(page, owner.username);
    await openPhoto(page, albumId, "loop.gif");
    const img = page.locator(".viewer__img.is-loaded");
    expect(await img.getAttribute("data-size")).toBe("original");
    expect(await img.getAttribute("src")).toContain("/content/original");
    const type = await page.evaluate(async (src) => (await fetch(src)).headers.get("content-type"), (await img.getAttribute("src")) ?? "");
    expect(type).toBe("image/gif");
    await context.close();
  });

  it("names every tab after its page and passes axe-core on every page at both sizes", async () => {
    const owner = await scene.register(uniqueName("axe"));
    const albumId = await scene.createAlbum(owner, "Harbour");
    await scene.upload(owner, albumId, [
      { name: "boats.png", type: "image/png", bytes: scenePng(1200, 800, 0.2) },
      { name: "gulls.png", type: "image/png", bytes: scenePng(800, 1000, 1.4) },
    ]);
    await scene.makePublic(owner, albumId);

    for (const { name, size } of VIEWPORTS) {
      const context = await newContext(browser, baseUrl, size);
      const page = await context.newPage();
      const check = async (where: string, title: string) => {
        await page.waitForFunction((t) => document.title === t, title);
        await expectAccessible(page, `${where} (${name})`);
      };

      await page.goto("/login");
      await page.getByRole("heading", { name: "Welcome back" }).waitFor();
      await check("login", "Log in — Albumen");
      await page.goto("/signup");
      await page.getByRole("heading", { name: "Create your account" }).waitFor();
      await check("sign-up", "Create account — Albumen");

      await logInAt(page, owner.username);
      await imageLoaded(page, ".photo-tile__img");
      await check("photos", "Photos — Albumen");
      await page.goto("/albums");
      await imageLoaded(page, ".album-card__cover img");
      await check("albums", "Albums — Albumen");
      await page.goto(`/albums/${albumId}`);
      await imageLoaded(page, ".photo-tile__img");
      await check("album", "Harbour — Albumen");
      await page.getByRole("button", { name: "Open boats.png" }).click();
      await page.locator(".viewer__img.is-loaded").waitFor();
      await check("viewer", "boats.png — Albumen");
      await page.keyboard.press("Escape");
      await check("album after the viewer", "Harbour — Albumen");
      await page.getByRole("button", { name: "New album inside" }).click();
      await page.getByRole("dialog", { name: "New sub-album" }).waitFor();
      await expectAccessible(page, `new album dialog (${name})`);
      await page.keyboard.press("Escape");
      await page.goto("/no/such/page");
      await page.getByRole("heading", { name: "Nothing here" }).waitFor();
      await check("not found", "Nothing here — Albumen");

      const visitorContext = await newContext(browser, baseUrl, size);
      const visitor = await visitorContext.newPage();
      await visitor.goto(`/shared/albums/${albumId}`);
      await imageLoaded(visitor, ".photo-tile__img");
      await visitor.waitForFunction(() => document.title === "Harbour — Albumen");
      await expectAccessible(visitor, `shared album (${name})`);
      await visitor.getByRole("button", { name: "Open gulls.png" }).click();
      await visitor.locator(".viewer__img.is-loaded").waitFor();
      await expectAccessible(visitor, `shared viewer (${name})`);
      await visitorContext.close();
      await context.close();
    }
  });
});
