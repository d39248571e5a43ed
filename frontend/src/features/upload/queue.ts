// The upload queue as plain data and a reducer, so the rules are testable without a browser:
// which files go, in which requests, how far each one is, and what the server said of each.
import { capitalise } from "../../api/errors";
import type { Image, UploadResult } from "../../api/types";
import { MAX_BATCH_BYTES, MAX_FILES_PER_REQUEST, validateFile } from "./limits";

export type ItemStatus =
  | "invalid" // refused before sending (type, size)
  | "ready" // waiting for the person to press Upload
  | "uploading" // bytes on the wire
  | "processing" // sent; the server is making the variants
  | "done"
  | "failed"; // refused by the server, or the request failed

export interface QueueItem {
  id: string;
  file: File;
  status: ItemStatus;
  /** Bytes of this file sent so far. */
  sent: number;
  error: string | null;
  image: Image | null;
  /** An object URL to preview the file before and while it uploads (valid files only). */
  preview: string | null;
}

export interface QueueState {
  items: QueueItem[];
}

export type QueueAction =
  | { type: "add"; items: readonly QueueItem[] }
  | { type: "remove"; id: string }
  | { type: "start"; ids: readonly string[] }
  | { type: "progress"; ids: readonly string[]; loaded: number; total: number }
  | { type: "settled"; ids: readonly string[]; result: UploadResult }
  | { type: "failed"; ids: readonly string[]; message: string }
  | { type: "clearFinished" };

export const emptyQueue: QueueState = { items: [] };

/** Queue entries for newly chosen files, checked against the limits; previews for valid ones. */
export function newItems(
  files: readonly File[],
  makeId: () => string,
  makePreview: (file: File) => string | null = () => null,
): QueueItem[] {
  return files.map((file) => {
    const error = validateFile(file);
    return {
      id: makeId(),
      file,
      status: error ? "invalid" : "ready",
      sent: 0,
      error,
      image: null,
      preview: error ? null : makePreview(file),
    };
  });
}

/** The items an action drops from the queue (so their previews can be released). */
export function dropped(state: QueueState, action: QueueAction): QueueItem[] {
  const after = new Set(queueReducer(state, action).items.map((item) => item.id));
  return state.items.filter((item) => !after.has(item.id));
}

export function queueReducer(state: QueueState, action: QueueAction): QueueState {
  switch (action.type) {
    case "add":
      return { items: [...state.items, ...action.items] };
    case "remove":
      return { items: state.items.filter((item) => item.id !== action.id || isBusy(item)) };
    case "start":
      return update(state, action.ids, (item) => ({ ...item, status: "uploading", sent: 0 }));
    case "progress": {
      const batch = state.items.filter((item) => action.ids.includes(item.id));
      const sent = distributeProgress(
        batch.map((item) => item.file.size),
        action.loaded,
        action.total,
      );
      const byId = new Map(batch.map((item, i) => [item.id, sent[i] ?? 0]));
      const fullySent = action.total > 0 && action.loaded >= action.total;
      return update(state, action.ids, (item) => ({
        ...item,
        sent: byId.get(item.id) ?? item.sent,
        status: fullySent ? "processing" : item.status,
      }));
    }
    case "settled": {
      const batch = state.items.filter((item) => action.ids.includes(item.id));
      const outcomes = matchOutcomes(
        batch.map((item) => item.file.name),
        action.result,
      );
      const byId = new Map(batch.map((item, i) => [item.id, outcomes[i]]));
      return update(state, action.ids, (item) => {
        const outcome = byId.get(item.id);
        if (outcome?.image) {
          return { ...item, status: "done", sent: item.file.size, image: outcome.image };
        }
        return {
          ...item,
          status: "failed",
          error: outcome?.error ?? "The server did not store this file.",
        };
      });
    }
    case "failed":
      return update(state, action.ids, (item) => ({
        ...item,
        status: "failed",
        error: action.message,
      }));
    case "clearFinished":
      return { items: state.items.filter((item) => isBusy(item) || item.status === "ready") };
  }
}

function update(
  state: QueueState,
  ids: readonly string[],
  change: (item: QueueItem) => QueueItem,
): QueueState {
  return { items: state.items.map((item) => (ids.includes(item.id) ? change(item) : item)) };
}

export function isBusy(item: QueueItem): boolean {
  return item.status === "uploading" || item.status === "processing";
}

/**
 * Splits the files into requests: at most the server's files-per-request, about
 * MAX_BATCH_BYTES each, and never two files of the same name in one request (the answer is
 * matched to files by name).
 */
export function planBatches<T extends { file: Pick<File, "name" | "size"> }>(
  items: readonly T[],
  limits = { maxFiles: MAX_FILES_PER_REQUEST, maxBytes: MAX_BATCH_BYTES },
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  let names = new Set<string>();
  for (const item of items) {
    const full =
      current.length >= limits.maxFiles ||
      (current.length > 0 && bytes + item.file.size > limits.maxBytes) ||
      names.has(item.file.name);
    if (full) {
      batches.push(current);
      current = [];
      bytes = 0;
      names = new Set();
    }
    current.push(item);
    bytes += item.file.size;
    names.add(item.file.name);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Per-file bytes sent, from the progress of one multipart request carrying the files in order.
 * The multipart framing is spread evenly, so each file reaches its own size exactly at the end.
 */
export function distributeProgress(sizes: readonly number[], loaded: number, total: number): number[] {
  const payload = sizes.reduce((sum, size) => sum + size, 0);
  if (total <= 0 || payload === 0) return sizes.map(() => 0);
  let remaining = Math.min(loaded, total) * (payload / total);
  return sizes.map((size) => {
    const part = Math.max(0, Math.min(size, remaining));
    remaining -= part;
    return Math.round(part);
  });
}

export interface Outcome {
  image: Image | null;
  error: string | null;
}

/**
 * What the server said of each file, in order. `rejected` entries and stored images are both
 * matched by file name; a stored image whose name the server shortened is matched by position.
 */
export function matchOutcomes(names: readonly string[], result: UploadResult): Outcome[] {
  const rejected = [...result.rejected];
  const images = [...result.images];
  const outcomes = names.map((name): Outcome | null => {
    const r = rejected.findIndex((entry) => entry.filename === name);
    if (r >= 0) {
      const [entry] = rejected.splice(r, 1);
      return { image: null, error: entry ? capitalise(entry.detail || entry.title) : null };
    }
    const i = images.findIndex((image) => image.filename === name);
    if (i >= 0) {
      const [image] = images.splice(i, 1);
      return { image: image ?? null, error: null };
    }
    return null;
  });
  return outcomes.map((outcome) => {
    if (outcome) return outcome;
    const image = images.shift();
    if (image) return { image, error: null };
    const entry = rejected.shift();
    return { image: null, error: entry ? capitalise(entry.detail || entry.title) : null };
  });
}

export interface QueueSummary {
  total: number;
  ready: number;
  busy: number;
  done: number;
  failed: number;
  invalid: number;
  /** 0..1 over the bytes of every file that is going or has gone. */
  progress: number;
}

export function summarise(items: readonly QueueItem[]): QueueSummary {
  let sent = 0;
  let bytes = 0;
  const count = { ready: 0, busy: 0, done: 0, failed: 0, invalid: 0 };
  for (const item of items) {
    if (item.status === "invalid") count.invalid++;
    else if (item.status === "ready") count.ready++;
    else if (isBusy(item)) count.busy++;
    else if (item.status === "done") count.done++;
    else count.failed++;
    if (item.status !== "invalid" && item.status !== "ready") {
      bytes += item.file.size;
      sent += item.status === "uploading" ? item.sent : item.file.size;
    }
  }
  return { total: items.length, ...count, progress: bytes === 0 ? 0 : sent / bytes };
}
