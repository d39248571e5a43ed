// Steps a person takes again and again in the suites: signing up or in, making an album,
// waiting for pictures to arrive.
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { PASSWORD } from "./api";

export async function signUp(page: Page, username: string): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("E-mail").fill(`${username}@example.com`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Photos", level: 1 }).waitFor();
}

export async function logIn(page: Page, username: string): Promise<void> {
  await page.getByLabel("Username or e-mail").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
}

/** Opens the login page, logs in and waits for the home page. */
export async function logInAt(page: Page, username: string): Promise<void> {
  await page.goto("/login");
  await logIn(page, username);
  await page.getByRole("heading", { name: "Photos", level: 1 }).waitFor();
}

export async function createAlbumViaUi(page: Page, name: string): Promise<string> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Albums" }).click();
  await page.getByRole("heading", { name: "Albums", level: 1 }).waitFor();
  await page.getByRole("button", { name: "New album" }).click();
  const dialog = page.getByRole("dialog", { name: "New album" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create album" }).click();
  await page.getByRole("heading", { name, level: 1 }).waitFor();
  const match = /\/albums\/([0-9a-f-]{36})$/.exec(new URL(page.url()).pathname);
  expect(match).not.toBeNull();
  return match?.[1] ?? "";
}

export async function imageLoaded(page: Page, selector: string): Promise<void> {
  await page.waitForFunction(
    (sel) => {
      const imgs = Array.from(document.querySelectorAll<HTMLImageElement>(sel));
      return imgs.length > 0 && imgs.every((img) => img.complete && img.naturalWidth > 0);
    },
    selector,
  );
}
