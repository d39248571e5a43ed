import { api } from "../../api/client";
import type { Album } from "../../api/types";
import { saveBlob } from "../selection/bulk";

/** `attachment; filename="x.zip"; filename*=UTF-8''x.zip` → x.zip */
export function filenameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition);
  return plain?.[1]?.trim() || fallback;
}

/**
 * The album's tree as a ZIP of originals. The route needs the bearer token, so it is fetched
 * through the client as a blob and saved from an object URL (the whole ZIP sits in memory).
 */
export async function downloadAlbum(album: Album): Promise<void> {
  const { data, response } = await api.GET("/api/v1/albums/{id}/download", {
    params: { path: { id: album.id }, query: { size: "original" } },
    parseAs: "blob",
  });
  const blob = data instanceof Blob ? data : await response.blob();
  saveBlob(blob, filenameFrom(response.headers.get("Content-Disposition"), `${album.name}.zip`));
}
