import { useCallback, useState } from "react";
import { useNavigate } from "react-router";
import { api, unwrap } from "../api/client";
import { describeError } from "../api/errors";
import type { Image } from "../api/types";
import { EmptyState, NoMatch, PhotoStackArt } from "../components/EmptyState";
import { PlusIcon } from "../components/icons";
import { PhotoFilters } from "../components/PhotoFilters";
import { PhotoGrid } from "../components/PhotoGrid";
import { Viewer } from "../components/Viewer";
import { AlbumFormDialog } from "../features/albums/AlbumFormDialog";
import { SelectionBar } from "../features/selection/SelectionBar";
import { useSelection } from "../features/selection/useSelection";
import { useTrashUndo } from "../features/trash/useTrashUndo";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { filtersKey, listQuery, useImageFilters, type ImageFilters } from "../hooks/useImageFilters";
import { usePaged } from "../hooks/usePaged";
import { useStaleReload } from "../hooks/useStaleReload";
import { useViewerParam } from "../hooks/useViewerParam";

/** One page of the person's photos across albums, sorted and searched as `filters` say. */
const fetchPhotos = (filters: ImageFilters, cursor: string | null, limit: number) =>
  unwrap(api.GET("/api/v1/images", { params: { query: listQuery(filters, cursor, limit) } }));

/** Home: the person's photos across all albums, newest uploads (or newest taken) first. */
export function PhotosPage() {
  const { filters, setSort, setQuery } = useImageFilters();
  const { sort, q } = filters;
  const photos = usePaged<Image>(
    useCallback((cursor: string | null, limit: number) => fetchPhotos({ sort, q }, cursor, limit), [sort, q]),
    60,
    filtersKey(filters),
  );
  const viewer = useViewerParam(photos.items);
  const onStale = useStaleReload(photos.reload);
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const selection = useSelection(photos.items);
  const trashed = useTrashUndo(photos.reload);
  useDocumentTitle("Photos");

  const remove = useCallback(
    async (image: Image) => {
      await unwrap(api.DELETE("/api/v1/images/{id}", { params: { path: { id: image.id } } }));
      trashed(image.id, "Moved to Trash");
      const at = viewer.list.findIndex((item) => item.id === image.id);
      const neighbour = viewer.list[at + 1] ?? viewer.list[at - 1];
      photos.remove((item) => item.id === image.id);
      if (neighbour) viewer.go(neighbour);
      else viewer.close();
    },
    [photos, viewer, trashed],
  );

  const none = photos.done && photos.items.length === 0 && !photos.error;
  const empty = none && !q;
  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1 className="page__title">Photos</h1>
          <p className="page__subtitle">
            {sort === "taken_at" ? "Your photos, newest taken first." : "Your latest uploads, newest first."}
          </p>
        </div>
      </header>

      {!empty && <PhotoFilters filters={filters} onSort={setSort} onQuery={setQuery} />}

      {photos.error !== null && photos.items.length === 0 ? (
        <p className="form-error" role="alert">
          {describeError(photos.error)}
        </p>
      ) : null}

      {empty ? (
        <EmptyState
          art={<PhotoStackArt />}
          title="Your photos will live here"
          action={
            <button type="button" className="button button--primary button--large" onClick={() => setCreating(true)}>
              <PlusIcon size={18} /> Create an album to start
            </button>
          }
        >
          <p>Make an album, then drop your photos into it. They stay private until you share them.</p>
        </EmptyState>
      ) : none ? (
        <NoMatch q={q} onClear={() => setQuery("")} />
      ) : (
        <>
          <SelectionBar
            selection={selection}
            images={photos.items}
            onRemoved={(ids) => {
              const gone = new Set(ids);
              photos.remove((item) => gone.has(item.id));
            }}
            onRestored={() => void photos.reload()}
          />
          <PhotoGrid
            images={photos.items}
            label={q ? `Photos matching “${q}”` : "Recent photos"}
            onOpen={viewer.open}
            onNearEnd={photos.loadMore}
            hasMore={!photos.done}
            loading={photos.loading}
            onStale={onStale}
            selection={selection}
          />
        </>
      )}

      {viewer.isOpen && (
        <Viewer
          images={viewer.list}
          index={viewer.index}
          onIndexChange={(i) => {
            const next = viewer.list[i];
            if (next) viewer.go(next);
          }}
          onClose={viewer.close}
          onDelete={remove}
          onNearEnd={photos.done ? undefined : photos.loadMore}
          onStale={onStale}
        />
      )}

      <AlbumFormDialog
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(album) => void navigate(`/albums/${album.id}`)}
      />
    </div>
  );
}
