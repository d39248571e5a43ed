import { useState } from "react";
import { useNavigate } from "react-router";
import { api, unwrap } from "../api/client";
import { describeError } from "../api/errors";
import type { Album } from "../api/types";
import { AlbumGrid } from "../components/AlbumGrid";
import { EmptyState, PhotoStackArt } from "../components/EmptyState";
import { PlusIcon } from "../components/icons";
import { AlbumFormDialog } from "../features/albums/AlbumFormDialog";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { usePaged } from "../hooks/usePaged";
import { useStaleReload } from "../hooks/useStaleReload";

const fetchTopLevel = (cursor: string | null, limit: number) =>
  unwrap(api.GET("/api/v1/albums", { params: { query: cursor ? { limit, cursor } : { limit } } }));

/** The top-level albums, like the root of a file manager. */
export function AlbumsPage() {
  const albums = usePaged<Album>(fetchTopLevel, 100);
  const onStale = useStaleReload(albums.reload);
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  useDocumentTitle("Albums");
  const empty = albums.done && albums.items.length === 0 && !albums.error;

  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1 className="page__title">Albums</h1>
          <p className="page__subtitle">Folders for your photos. They can hold other albums too.</p>
        </div>
        <div className="page__actions">
          <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
            <PlusIcon size={18} /> New album
          </button>
        </div>
      </header>
      {albums.error !== null && (
        <p className="form-error" role="alert">
          {describeError(albums.error)}
        </p>
      )}
      {empty ? (
        <EmptyState art={<PhotoStackArt />} title="No albums yet">
          <p>Create your first album, then drop photos into it.</p>
        </EmptyState>
      ) : (
        <AlbumGrid albums={albums.items} label="Albums" onStale={onStale} />
      )}
      {!albums.done && albums.items.length > 0 && (
        <div className="load-more">
          <button type="button" className="button button--ghost" onClick={albums.loadMore} disabled={albums.loading}>
            {albums.loading ? "Loading…" : "Show more albums"}
          </button>
        </div>
      )}
      <AlbumFormDialog
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(album) => void navigate(`/albums/${album.id}`)}
      />
    </div>
  );
}
