// Debian's Chromium driven by playwright-core: no browser is ever downloaded.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { watchCsp } from "./checks";
import { resultsDir } from "./server";

export const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const screenshotsDir = path.join(resultsDir, "screenshots");

export function launch(): Promise<Browser> {
  mkdirSync(screenshotsDir, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/** The sizes issue 16 was reported at: a 1366×900 laptop and a 390×844 phone. */
export const DESKTOP = { width: 1366, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** Every CSP violation any page of any context reported; the suite fails when it is not empty. */
export const cspViolations: string[] = [];

export async function newContext(
  browser: Browser,
  baseURL: string,
  viewport = DESKTOP,
  options: { touch?: boolean; deviceScaleFactor?: number } = {},
): Promise<BrowserContext> {
  const touch = options.touch ?? false;
  const context = await browser.newContext({
    baseURL,
    viewport,
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    colorScheme: "light",
    hasTouch: touch,
    isMobile: touch,
  });
  const seen = await watchCsp(context);
  context.on("close", () => cspViolations.push(...seen));
  // Violations of a context still open are reported too (they are the same array's entries).
  openContexts.add(seen);
  context.on("close", () => openContexts.delete(seen));
  return context;
}

const openContexts = new Set<string[]>();

/** The violations so far, of closed and open contexts alike. */
export function allCspViolations(): string[] {
  return [...cspViolations, ...Array.from(openContexts).flat()];
}

export async function screenshot(page: Page, name: string): Promise<void> {
  // Fades are finished first, so pictures show as a person sees them a moment later.
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), animations: "disabled" });
}

export interface DropFile {
  name: string;
  type: string;
  bytes: Buffer;
}

/** Drops files onto the page the way a person dragging them from their desktop would. */
export async function dropFiles(page: Page, files: readonly DropFile[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, type: f.type, b64: f.bytes.toString("base64") }));
  await page.evaluate((list) => {
    const transfer = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], f.name, { type: f.type }));
    }
    for (const type of ["dragenter", "dragover", "drop"]) {
      document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
    }
  }, payload);
}

/** Slows uploads down (bytes per second) so progress can be seen; null lifts the limit. */
export async function throttleUploads(page: Page, bytesPerSecond: number | null): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond ?? -1,
  });
}

/** The natural size of the viewer's picture once it has loaded. */
export async function naturalSize(page: Page, selector: string): Promise<{ width: number; height: number }> {
  await page.waitForFunction((sel) => {
    const img = document.querySelector<HTMLImageElement>(sel);
    return img?.complete === true && img.naturalWidth > 0;
  }, selector);
  return page.$eval(selector, (el) => {
    const img = el as HTMLImageElement;
    return { width: img.naturalWidth, height: img.naturalHeight };
  });
}

let counter = 0;
/** A username no other test in this run uses. */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}${Date.now().toString(36)}${counter}`.toLowerCase().slice(0, 32);
}

/**
 * Rewrites fields of the stored session everywhere the app keeps it (localStorage and the
 * IndexedDB vault tabs hand rotated pairs through), as time passing or a login ending
 * elsewhere would leave it.
 */
export async function patchStoredSession(page: Page, patch: Record<string, unknown>): Promise<void> {
  await page.evaluate(async (fields) => {
    const raw = localStorage.getItem("albumen.session");
    if (!raw) throw new Error("no session stored");
    const session = { ...(JSON.parse(raw) as Record<string, unknown>), ...fields };
    localStorage.setItem("albumen.session", JSON.stringify(session));
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open("albumen", 1);
      open.onupgradeneeded = () => open.result.createObjectStore("session");
      open.onerror = () => reject(open.error ?? new Error("IndexedDB did not open"));
      open.onsuccess = () => {
        const tx = open.result.transaction("session", "readwrite");
        tx.objectStore("session").put(session, "current");
        tx.oncomplete = () => {
          open.result.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error ?? new Error("IndexedDB write failed"));
      };
    });
  }, patch);
}
