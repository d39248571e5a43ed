// Checks a person (or a screen reader) would make, as functions the tests call: no CSP
// violation, no serious accessibility problem (axe-core), the photo drawn whole, a real swipe.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";

/**
 * Collects every Content-Security-Policy violation in the context's pages (the server sends a
 * strict policy on the SPA: an inline script or `<style>` would be refused and reported here).
 */
export async function watchCsp(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.exposeBinding("__albumenCspViolation", (source, text: string) => {
    violations.push(`${source.page.url()}: ${text}`);
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __albumenCspViolation?: (text: string) => void }).__albumenCspViolation;
      report?.(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  context.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) {
      violations.push(`${message.page()?.url() ?? "?"}: ${message.text()}`);
    }
  });
  return violations;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core on the page as it is now and fails on any `serious` or `critical` violation.
 * The script goes in through the DevTools protocol (not a `<script>` tag, which the page's CSP
 * would refuse).
 */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  await page.evaluate(`window.axe || (function () { ${axeSource}\n}).call(window)`);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations;
  });
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const summary = bad.map(
    (v) =>
      `${v.impact} ${v.id}: ${v.help}\n` +
      v.nodes
        .slice(0, 5)
        .map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary?.replace(/\n/g, " ") ?? ""}`)
        .join("\n"),
  );
  expect(summary, `axe on ${where}`).toEqual([]);
}

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
  width: number;
  height: number;
}

/**
 * Where the viewer's picture is actually drawn: the img element's content box with
 * object-fit (contain or none/scale-down) and object-position applied to its natural size.
 */
export async function drawnPicture(page: Page): Promise<{ drawn: Box; frame: Box; objectFit: string }> {
  return page.$eval(".viewer__img.is-loaded", (el) => {
    const img = el as HTMLImageElement;
    const rect = img.getBoundingClientRect();
    const style = getComputedStyle(img);
    const nw = img.naturalWidth;
    const nh = img.naturalHeight;
    let scale = 1;
    if (style.objectFit === "contain") scale = Math.min(rect.width / nw, rect.height / nh);
    else if (style.objectFit === "scale-down") scale = Math.min(1, rect.width / nw, rect.height / nh);
    else if (style.objectFit === "fill") scale = NaN;
    const width = Number.isNaN(scale) ? rect.width : nw * scale;
    const height = Number.isNaN(scale) ? rect.height : nh * scale;
    const [px = "50%", py = "50%"] = style.objectPosition.split(" ");
    const fx = px.endsWith("%") ? parseFloat(px) / 100 : 0;
    const fy = py.endsWith("%") ? parseFloat(py) / 100 : 0;
    const left = rect.left + (rect.width - width) * fx;
    const top = rect.top + (rect.height - height) * fy;
    const box = (l: number, t: number, w: number, h: number) => ({ left: l, top: t, right: l + w, bottom: t + h, width: w, height: h });
    return {
      drawn: box(left, top, width, height),
      frame: box(rect.left, rect.top, rect.width, rect.height),
      objectFit: style.objectFit,
    };
  });
}

/** The space the viewer leaves for the picture: below the toolbar, beside or above the details. */
export async function freeArea(page: Page): Promise<Box> {
  return page.evaluate(() => {
    const bar = document.querySelector(".viewer__bar")?.getBoundingClientRect();
    const info = document.querySelector(".viewer__info")?.getBoundingClientRect();
    let left = 0;
    let top = bar ? bar.bottom : 0;
    let right = window.innerWidth;
    let bottom = window.innerHeight;
    if (info && info.width > 0) {
      if (info.left > window.innerWidth / 2) right = Math.min(right, info.left);
      else bottom = Math.min(bottom, info.top);
    }
    top = Math.max(top, 0);
    left = Math.max(left, 0);
    return { left, top, right, bottom, width: right - left, height: bottom - top };
  });
}

/** The picture lies whole inside the viewport and the free area, and fills it one way (contain). */
export async function expectPictureFits(page: Page, where: string): Promise<void> {
  const { drawn, frame, objectFit } = await drawnPicture(page);
  const area = await freeArea(page);
  const viewport = page.viewportSize() ?? { width: 0, height: 0 };
  const tolerance = 1;
  const msg = `${where}: drawn ${JSON.stringify(drawn)} in free ${JSON.stringify(area)}`;
  expect(objectFit, msg).toBe("contain");
  expect(drawn.left, msg).toBeGreaterThanOrEqual(Math.max(0, area.left) - tolerance);
  expect(drawn.top, msg).toBeGreaterThanOrEqual(Math.max(0, area.top) - tolerance);
  expect(drawn.right, msg).toBeLessThanOrEqual(Math.min(viewport.width, area.right) + tolerance);
  expect(drawn.bottom, msg).toBeLessThanOrEqual(Math.min(viewport.height, area.bottom) + tolerance);
  // Fitted, not merely small: it touches the frame on one axis.
  const fills = Math.abs(drawn.width - frame.width) <= tolerance || Math.abs(drawn.height - frame.height) <= tolerance;
  expect(fills, msg).toBe(true);
}

/** A real finger swipe through the DevTools protocol (touch events and pointer events follow). */
export async function swipe(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const steps = 8;
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: from.x, y: from.y }] });
  for (let i = 1; i <= steps; i++) {
    const x = from.x + ((to.x - from.x) * i) / steps;
    const y = from.y + ((to.y - from.y) * i) / steps;
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x, y }] });
  }
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await cdp.detach();
}

/** The element drawn at the centre of `selector`'s box is it (or inside it): nothing covers it. */
export async function expectOnTop(page: Page, selector: string): Promise<void> {
  const hit = await page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {
      ok: top !== null && (top === el || el.contains(top)),
      what: top ? `${top.tagName.toLowerCase()}.${top.getAttribute("class") ?? ""}` : "nothing",
    };
  });
  expect(hit.ok, `${selector} is covered by ${hit.what}`).toBe(true);
}
