import { describe, expect, it } from "vitest";
import type { Image } from "../../api/types";
import { ACCEPT_ATTRIBUTE, MAX_FILE_BYTES, validateFile } from "./limits";
import { distributeProgress, matchOutcomes, newItems, planBatches, queueReducer, summarise, type QueueState } from "./queue";

const meta = (name: string, size: number, type: string) => ({ name, size, type });

describe("validateFile (the server's limits, checked before sending)", () => {
  it.each([
    ["a JPEG", meta("a.jpg", 1000, "image/jpeg"), null],
    ["a PNG", meta("a.png", 1000, "image/png"), null],
    ["a GIF", meta("a.gif", 1000, "image/gif"), null],
    ["a WebP", meta("a.webp", 1000, "image/webp"), null],
    ["a file without a declared type but an image name", meta("a.JPG", 1000, ""), null],
    ["a HEIC photo", meta("IMG_0001.HEIC", 1000, "image/heic"), null],
    ["a HEIF photo", meta("a.heif", 1000, "image/heif"), null],
    ["an AVIF", meta("a.avif", 1000, "image/avif"), null],
    ["a HEIC photo the browser gives no type", meta("IMG_0002.HEIC", 1000, ""), null],
    ["a HEIF photo typed application/octet-stream", meta("a.heif", 1000, "application/octet-stream"), null],
    ["an AVIF the browser gives no type", meta("a.avif", 1000, ""), null],
    ["exactly 25 MiB", meta("a.png", MAX_FILE_BYTES, "image/png"), null],
  ])("accepts %s", (_why, file, expected) => {
    expect(validateFile(file)).toBe(expected);
  });

  it.each([
    ["a text file", meta("notes.txt", 10, "text/plain"), /Not a supported image/],
    ["a TIFF", meta("a.tiff", 10, "image/tiff"), /Not a supported image.*HEIC or AVIF/],
    ["a .heic name with another declared type", meta("a.heic", 10, "video/quicktime"), /Not a supported image/],
    ["an unnamed blob", meta("blob", 10, ""), /Not a supported image/],
    ["an empty file", meta("a.png", 0, "image/png"), /empty/],
    ["one byte over 25 MiB", meta("a.png", MAX_FILE_BYTES + 1, "image/png"), /Too large/],
  ])("refuses %s", (_why, file, expected) => {
    expect(validateFile(file)).toMatch(expected);
  });
});

it("the picker offers HEIC, HEIF and AVIF by type and by extension", () => {
  for (const accepted of ["image/heic", "image/heif", "image/avif", ".heic", ".heif", ".avif", "image/jpeg", ".webp"]) {
    expect(ACCEPT_ATTRIBUTE.split(",")).toContain(accepted);
  }
});

describe("planBatches", () => {
  const item = (name: string, size = 1) => ({ file: { name, size } });

  it("puts at most the server's file count in one request", () => {
    const items = Array.from({ length: 250 }, (_, i) => item(`${i}.png`));
    expect(planBatches(items).map((b) => b.length)).toEqual([100, 100, 50]);
  });

  it("starts a new request when the bytes would pass the batch size", () => {
    const batches = planBatches([item("a", 6), item("b", 6), item("c", 3)], { maxFiles: 100, maxBytes: 10 });
    expect(batches.map((b) => b.map((i) => i.file.name))).toEqual([["a"], ["b", "c"]]);
  });

  it("never sends two files of the same name together (answers are matched by name)", () => {
    const batches = planBatches([item("a.png"), item("b.png"), item("a.png")]);
    expect(batches.map((b) => b.map((i) => i.file.name))).toEqual([["a.png", "b.png"], ["a.png"]]);
  });
});

describe("distributeProgress", () => {
  it("fills the files in order, each reaching its size exactly at the end", () => {
    expect(distributeProgress([100, 300], 0, 440)).toEqual([0, 0]);
    expect(distributeProgress([100, 300], 220, 440)).toEqual([100, 100]);
    expect(distributeProgress([100, 300], 440, 440)).toEqual([100, 300]);
  });
});

const image = (filename: string) => ({ id: filename, filename }) as unknown as Image;

describe("matchOutcomes", () => {
  it("puts each rejection next to its file and each stored image with its own", () => {
    const outcomes = matchOutcomes(["a.png", "notes.png", "b.png"], {
      images: [image("b.png"), image("a.png")],
      rejected: [{ filename: "notes.png", status: 415, title: "Unsupported Media Type", detail: "not an accepted image type" }],
    });
    expect(outcomes.map((o) => o.image?.filename ?? o.error)).toEqual(["a.png", "Not an accepted image type.", "b.png"]);
  });

  it("matches an image whose name the server shortened by position", () => {
    const outcomes = matchOutcomes(["very-long-name.png"], { images: [image("very-long.png")], rejected: [] });
    expect(outcomes[0]?.image?.filename).toBe("very-long.png");
  });
});

describe("the queue", () => {
  let n = 0;
  const makeId = () => `id-${++n}`;
  const files = [new File(["x"], "a.png", { type: "image/png" }), new File(["y"], "b.txt", { type: "text/plain" })];

  it("marks invalid files at once and only sends the valid ones", () => {
    let state: QueueState = { items: [] };
    state = queueReducer(state, { type: "add", items: newItems(files, makeId) });
    expect(state.items.map((i) => i.status)).toEqual(["ready", "invalid"]);
    const ids = [state.items[0]?.id ?? ""];
    state = queueReducer(state, { type: "start", ids });
    state = queueReducer(state, { type: "progress", ids, loaded: 1, total: 2 });
    expect(state.items[0]?.status).toBe("uploading");
    state = queueReducer(state, { type: "progress", ids, loaded: 2, total: 2 });
    expect(state.items[0]?.status).toBe("processing");
    state = queueReducer(state, { type: "settled", ids, result: { images: [image("a.png")], rejected: [] } });
    expect(state.items[0]?.status).toBe("done");
    const summary = summarise(state.items);
    expect(summary).toMatchObject({ done: 1, invalid: 1, progress: 1 });
  });

  it("gives every file of a failed request the reason", () => {
    let state: QueueState = { items: newItems([files[0] as File], makeId) };
    const ids = state.items.map((i) => i.id);
    state = queueReducer(state, { type: "start", ids });
    state = queueReducer(state, { type: "failed", ids, message: "Too large." });
    expect(state.items[0]).toMatchObject({ status: "failed", error: "Too large." });
  });
});
