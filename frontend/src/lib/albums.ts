import type { Album } from "../api/types";
import { plural } from "./format";

/** The photos an album holds with its sub-albums. */
export function treeCount(album: Album): number {
  return album.tree_image_count;
}

/** The album after `delta` photos were added to (or, negative, taken from) it directly. */
export function withOwnPhotos(album: Album, delta: number): Album {
  return {
    ...album,
    image_count: Math.max(0, album.image_count + delta),
    tree_image_count: Math.max(0, album.tree_image_count + delta),
  };
}

/** "12 photos", and "· 3 in this album" when some of them are in sub-albums. */
export function describeCount(album: Album): string {
  const all = treeCount(album);
  const own = album.image_count;
  if (own === all || own === 0) return plural(all, "photo");
  return `${plural(all, "photo")} · ${own.toLocaleString()} in this album`;
}
