import { Link } from "react-router";
import type { Album } from "../api/types";
import { treeCount } from "../lib/albums";
import { plural } from "../lib/format";
import { AlbumIcon, GlobeIcon } from "./icons";

export interface AlbumGridProps {
  albums: readonly Album[];
  label: string;
  onStale?: () => void;
  /** Where a card leads; the owner's album page unless told (visitors go to the shared page). */
  linkTo?: (album: Album) => string;
}

const ownAlbum = (album: Album) => `/albums/${album.id}`;

/**
 * Albums as cards with their cover (the newest photo's thumb, from sub-albums too) and how many
 * photos they hold with their sub-albums.
 */
export function AlbumGrid({ albums, label, onStale, linkTo = ownAlbum }: AlbumGridProps) {
  return (
    <ul className="album-grid" aria-label={label}>
      {albums.map((album) => (
        <li key={album.id} className="album-card">
          <Link to={linkTo(album)} className="album-card__link">
            <span className="album-card__cover">
              {album.cover ? (
                <img
                  src={album.cover.url}
                  alt=""
                  loading="lazy"
                  decoding="async"
                  onError={() => onStale?.()}
                />
              ) : (
                <span className="album-card__empty" aria-hidden="true">
                  <AlbumIcon size={36} />
                </span>
              )}
              {album.visibility === "public" && (
                <span className="album-card__badge">
                  <GlobeIcon size={14} /> Shared
                </span>
              )}
            </span>
            <span className="album-card__name">{album.name}</span>
            <span className="album-card__meta">{plural(treeCount(album), "photo")}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
