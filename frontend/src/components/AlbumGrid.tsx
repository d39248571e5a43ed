import { Link } from "react-router";
import type { Album } from "../api/types";
import { plural } from "../lib/format";
import { AlbumIcon, GlobeIcon } from "./icons";

export interface AlbumGridProps {
  albums: readonly Album[];
  label: string;
  onStale?: () => void;
}

/** Albums as cards with their cover (the newest photo's thumb) and how many photos they hold. */
export function AlbumGrid({ albums, label, onStale }: AlbumGridProps) {
  return (
    <ul className="album-grid" aria-label={label}>
      {albums.map((album) => (
        <li key={album.id} className="album-card">
          <Link to={`/albums/${album.id}`} className="album-card__link">
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
            <span className="album-card__meta">{plural(album.image_count, "photo")}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
