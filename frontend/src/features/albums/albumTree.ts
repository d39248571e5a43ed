import { api, unwrap } from "../../api/client";
import type { Album } from "../../api/types";

const PAGE = 200;

/** The address a visitor opens to see a public album (a client route of this app). */
export function shareLink(albumId: string, origin = window.location.origin): string {
  return `${origin}/shared/albums/${albumId}`;
}

/** Every child of `parentId` (null: the top level), all pages. */
export async function listAllChildren(parentId: string | null): Promise<Album[]> {
  const out: Album[] = [];
  let cursor: string | null = null;
  do {
    const query: { limit: number; parent_id?: string; cursor?: string } = { limit: PAGE };
    if (parentId) query.parent_id = parentId;
    if (cursor) query.cursor = cursor;
    const page = await unwrap(api.GET("/api/v1/albums", { params: { query } }));
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

export interface SubtreeCount {
  albums: number;
  images: number;
}

/** How many sub-albums and photos deleting `album` takes with it (walks the tree). */
export async function countSubtree(album: Album): Promise<SubtreeCount> {
  let albums = 0;
  let images = album.image_count;
  const queue = [album.id];
  while (queue.length > 0) {
    const id = queue.shift();
    if (!id) break;
    for (const child of await listAllChildren(id)) {
      albums++;
      images += child.image_count;
      queue.push(child.id);
    }
  }
  return { albums, images };
}

/** The album's ancestors, top first (walks parent_id upward). */
export async function ancestorsOf(album: Album): Promise<Album[]> {
  const trail: Album[] = [];
  let parentId = album.parent_id;
  const seen = new Set([album.id]);
  while (parentId && !seen.has(parentId)) {
    seen.add(parentId);
    const parent = await unwrap(api.GET("/api/v1/albums/{id}", { params: { path: { id: parentId } } }));
    trail.unshift(parent);
    parentId = parent.parent_id;
  }
  return trail;
}
