// The SPA end to end: the real backend with its own Postgres, Debian's Chromium, a person's path
// through the product. Screenshots of the key screens go to test-results/screenshots/.
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PASSWORD } from "./api";
import {
  PHONE,
  allCspViolations,
  dropFiles,
  launch,
  naturalSize,
  newContext,
  patchStoredSession,
  screenshot,
  throttleUploads,
  uniqueName,
} from "./browser";
import { expectOnTop } from "./checks";
import { createAlbumViaUi, imageLoaded, logIn, signUp } from "./flows";
import { scenePng } from "./png";

const baseUrl = inject("baseUrl");

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser.close();
  expect(allCspViolations(), "Content-Security-Policy violations").toEqual([]);
});

/** Registers through the API (faster than the form) and returns the tokens' owner name. */
async function registerViaApi(username: string): Promise<void> {
  const response = await fetch(`${baseUrl}/api/v1/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, email: `${username}@example.com`, password: PASSWORD }),
  });
  expect(response.status).toBe(201);
}

describe("Albumen in a browser", () => {
  it("sends a visitor at / to the login page, and shows the API's field errors on sign-up", async () => {
    const context = await newContext(browser, baseUrl);
    const page = await context.newPage();
    await page.goto("/");
    await page.waitForURL(/\/login$/);
    await page.getByRole("heading", { name: "Welcome back" }).waitFor();
    await screenshot(page, "01-login");

    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByLabel("Username").fill("x!");
    await page.getByLabel("E-mail").fill("not-an-email");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();

    // The messages come from the 422 problem's `errors`, each under its own field.
    const username = page.getByLabel("Username");
    const usernameId = (await username.getAttribute("id")) ?? "";
    await page.locator(`[id="${usernameId}-error"]`).waitFor();
    expect(await username.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("E-mail").getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "02-signup-field-errors");

    // A wrong password is one friendly sentence, not a field error.
    await page.goto("/login");
    await logIn(page, "nobody-here");
    await page.getByText("That username or password isn't right.").waitFor();
    await context.close();
  });

  it("signs up, uploads, views, deletes, shares and logs out", async () => {
    const context = await newContext(browser, baseUrl);
    const page = await context.newPage();
    const username = uniqueName("ada");

    // Sign up: the home page invites the first upload.
    await signUp(page, username);
    await page.getByRole("heading", { name: "Your photos will live here" }).waitFor();
    await screenshot(page, "03-empty-home");

    // Create an album.
    const albumId = await createAlbumViaUi(page, "Holidays by the sea");
    await page.getByRole("heading", { name: "Drop photos here" }).waitFor();

    // Drop three files: two pictures and a text file dressed as a PNG (the server sniffs it).
    const big = scenePng(2400, 1600, 0.3);
    const small = scenePng(800, 600, 2.2);
    await dropFiles(page, [
      { name: "sunset.png", type: "image/png", bytes: big },
      { name: "dunes.png", type: "image/png", bytes: small },
      { name: "notes.png", type: "image/png", bytes: Buffer.from("these are not pixels\n".repeat(200)) },
    ]);
    const tray = page.getByRole("region", { name: /Ready to upload 3 photos/ });
    await tray.waitFor();
    await tray.getByRole("list", { name: "Files to upload" }).getByRole("listitem").nth(2).waitFor();
    await imageLoaded(page, ".upload-row__thumb img");

    // Upload slowly enough to see the bars move.
    await throttleUploads(page, 40_000);
    await page.getByRole("button", { name: "Upload 3 photos" }).click();
    const overall = page.getByRole("progressbar", { name: "Overall upload progress" });
    await page.waitForFunction(() => {
      const bar = document.querySelector("[aria-label='Overall upload progress']");
      const value = Number(bar?.getAttribute("aria-valuenow") ?? 0);
      return value >= 15 && value <= 85;
    });
    expect(await overall.isVisible()).toBe(true);
    expect(await page.getByRole("progressbar", { name: "Progress of sunset.png" }).isVisible()).toBe(true);
    await screenshot(page, "04-upload-in-progress");
    await throttleUploads(page, null);

    // Two stored, one refused: the refusal sits next to its file.
    const done = page.getByRole("region", { name: "2 photos uploaded, 1 not" });
    await done.waitFor({ timeout: 60_000 });
    const refused = done.getByRole("listitem").filter({ hasText: "notes.png" });
    const refusal = await refused.getByRole("alert").textContent();
    expect(refusal?.length).toBeGreaterThan(0);
    await screenshot(page, "05-upload-done");

    // The new photos are in the grid without a reload.
    const grid = page.getByRole("list", { name: "Photos in Holidays by the sea" });
    await grid.getByRole("listitem").nth(1).waitFor();
    expect(await grid.getByRole("listitem").count()).toBe(2);
    await imageLoaded(page, ".photo-tile__img");
    await done.getByRole("button", { name: "Done" }).click();
    await screenshot(page, "06-album");

    // The viewer: medium by default (the browser's pick from medium/large for a ~900 px wide
    // picture at 1×; with a srcset, naturalWidth is the drawn width, so the URL tells), then
    // large, which is exactly 2048 px on the long side.
    await grid.getByRole("button", { name: "Open sunset.png" }).click();
    const viewer = page.getByRole("dialog", { name: /sunset\.png/ });
    await viewer.waitFor();
    await naturalSize(page, ".viewer__img[data-size='medium']");
    expect(await page.$eval(".viewer__img", (img) => (img as HTMLImageElement).currentSrc)).toMatch(/\/content\/medium\?/);
    await viewer.getByRole("button", { name: "Large", exact: true }).click();
    const large = await naturalSize(page, ".viewer__img[data-size='large']");
    expect(large.width).toBe(2048);
    expect(Math.abs(large.height - Math.round((1600 * 2048) / 2400))).toBeLessThanOrEqual(1);
    expect(await viewer.getByRole("button", { name: "Large", exact: true }).getAttribute("aria-pressed")).toBe("true");
    await viewer.getByText("2,400 × 1,600 px").waitFor();
    await page.locator(".viewer__img.is-loaded").waitFor();
    await page.mouse.move(640, 400);
    await page.waitForTimeout(400); // the fade-in
    await screenshot(page, "07-viewer");

    // Keyboard: → goes to the next (older) photo, ← comes back.
    await page.keyboard.press("ArrowRight");
    await page.getByRole("dialog", { name: /dunes\.png/ }).waitFor();
    await page.keyboard.press("ArrowLeft");
    await page.getByRole("dialog", { name: /sunset\.png/ }).waitFor();
    const download = viewer.getByRole("link", { name: "Download original" });
    expect(await download.getAttribute("href")).toContain("/content/original");

    // Delete the big one, after saying yes.
    await viewer.getByRole("button", { name: "Delete photo" }).click();
    const confirm = page.getByRole("dialog", { name: "Move this photo to the Trash?" });
    await confirm.getByRole("button", { name: "Move to Trash" }).click();
    await page.getByRole("dialog", { name: /dunes\.png/ }).waitFor();
    // The notice is drawn above the viewer (in the top layer), not blurred behind it.
    await page.locator(".toast", { hasText: "Moved to Trash" }).waitFor();
    await expectOnTop(page, ".toast");
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => document.querySelectorAll(".photo-tile").length === 1);

    // Share: make it public and open the link in a fresh browser, signed out.
    await page.getByRole("button", { name: "Share" }).click();
    const share = page.getByRole("dialog", { name: /Share/ });
    await share.getByRole("switch", { name: "Public link" }).check();
    const linkBox = share.getByLabel("Share link");
    await linkBox.waitFor();
    const link = await linkBox.inputValue();
    expect(link).toBe(`${baseUrl}/shared/albums/${albumId}`);
    await screenshot(page, "08-share-dialog");
    await share.getByRole("button", { name: "Close" }).click();

    const visitorContext = await newContext(browser, baseUrl);
    const visitor = await visitorContext.newPage();
    await visitor.goto(link);
    await visitor.getByRole("heading", { name: "Holidays by the sea", level: 1 }).waitFor();
    const shared = visitor.getByRole("list", { name: "Photos in Holidays by the sea" });
    await shared.getByRole("listitem").first().waitFor();
    expect(await shared.getByRole("listitem").count()).toBe(1);
    await imageLoaded(visitor, ".photo-tile__img");
    expect(await visitor.getByRole("button", { name: "Upload" }).count()).toBe(0);
    await screenshot(visitor, "09-shared-visitor");
    await shared.getByRole("button", { name: "Open dunes.png" }).click();
    const visitorViewer = visitor.getByRole("dialog", { name: /dunes\.png/ });
    await visitorViewer.waitFor();
    expect(await visitorViewer.getByRole("button", { name: "Original" }).isDisabled()).toBe(true);
    expect(await visitorViewer.getByRole("button", { name: "Delete photo" }).count()).toBe(0);
    await visitorContext.close();

    // The album grid shows the cover and the count.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Albums" }).click();
    const albums = page.getByRole("list", { name: "Albums" });
    await albums.getByRole("link", { name: /Holidays by the sea.*1 photo/ }).waitFor();
    await imageLoaded(page, ".album-card__cover img");
    await screenshot(page, "10-album-grid");

    // At phone width the album page still works.
    await page.setViewportSize(PHONE);
    await page.goto(`/albums/${albumId}`);
    await imageLoaded(page, ".photo-tile__img");
    await screenshot(page, "11-album-phone");

    // Log out: back to the login page, and the app is closed to us.
    await page.getByRole("button", { name: `Account: ${username}` }).click();
    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(/\/login$/);
    await page.goto("/albums");
    await page.waitForURL(/\/login\?next=%2Falbums$/);
    await context.close();
  });

  it("returns an expired session to login, then back to the page it was on", async () => {
    const username = uniqueName("grace");
    await registerViaApi(username);
    const context = await newContext(browser, baseUrl);
    const page = await context.newPage();
    await page.goto("/login");
    await logIn(page, username);
    await page.getByRole("heading", { name: "Photos", level: 1 }).waitFor();
    await createAlbumViaUi(page, "Lab notes");
    const albumPath = new URL(page.url()).pathname;

    // The login ends elsewhere: the stored tokens no longer work.
    await patchStoredSession(page, { accessToken: "expired.token.value", refreshToken: "spent-refresh-token" });
    await page.reload();
    await page.waitForURL((url) => url.pathname === "/login" && url.searchParams.get("next") === albumPath);
    await page.getByText("Your session ended.").waitFor();
    await screenshot(page, "12-session-expired");

    await logIn(page, username);
    await page.waitForURL((url) => url.pathname === albumPath);
    await page.getByRole("heading", { name: "Lab notes", level: 1 }).waitFor();
    await context.close();
  });

  it("refreshes once for two tabs whose access token expired together, and both stay signed in", async () => {
    const username = uniqueName("tabs");
    await registerViaApi(username);
    const context: BrowserContext = await newContext(browser, baseUrl);
    const first = await context.newPage();
    await first.goto("/login");
    await logIn(first, username);
    await first.getByRole("heading", { name: "Photos", level: 1 }).waitFor();
    const second = await context.newPage();
    await second.goto("/albums");
    await second.getByRole("heading", { name: "Albums", level: 1 }).waitFor();

    let refreshes = 0;
    context.on("request", (request) => {
      if (request.url().endsWith("/api/v1/auth/refresh")) refreshes++;
    });
    // Both tabs now see an access token about to expire.
    await patchStoredSession(first, { expiresAt: Date.now() - 1000 });
    await Promise.all([first.reload(), second.reload()]);
    await first.getByRole("heading", { name: "Photos", level: 1 }).waitFor();
    await second.getByRole("heading", { name: "Albums", level: 1 }).waitFor();
    await first.getByText("Your photos will live here").waitFor();
    expect(refreshes).toBe(1);

    // The rotated token is still good: no reuse revoked the login.
    await second.reload();
    await second.getByRole("heading", { name: "Albums", level: 1 }).waitFor();
    await second.getByText("No albums yet").waitFor();
    expect(new URL(second.url()).pathname).toBe("/albums");
    await context.close();
  });
});
