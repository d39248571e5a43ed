import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema.gen";

export type BulkResult = components["schemas"]["BulkResult"];
export type BulkFailure = components["schemas"]["BulkFailure"];

/** The server takes at most 500 ids per call. */
const CHUNK = 500;

async function inChunks(ids: readonly string[], call: (chunk: string[]) => Promise<BulkResult>): Promise<BulkResult> {
  const out: BulkResult = { done: [], failed: [] };
  for (let i = 0; i < ids.length; i += CHUNK) {
    const result = await call(ids.slice(i, i + CHUNK));
    out.done.push(...result.done);
    out.failed.push(...result.failed);
  }
  return out;
}

export const moveImages = (ids: readonly string[], albumId: string) =>
  inChunks(ids, (image_ids) => unwrap(api.POST("/api/v1/images/move", { body: { image_ids, album_id: albumId } })));

export const trashImages = (ids: readonly string[]) =>
  inChunks(ids, (image_ids) => unwrap(api.POST("/api/v1/images/delete", { body: { image_ids, permanent: false } })));

export async function restoreFromTrash(ids: readonly string[]) {
  return unwrap(api.POST("/api/v1/trash/restore", { body: { ids: [...ids] } }));
}

/** Saves a blob under `filename` through a temporary object URL. */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
