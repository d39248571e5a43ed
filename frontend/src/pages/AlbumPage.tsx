import { useCallback, useEffect, useRef, useState } from "react";
import { useNavigate, useParams } from "react-router";
import { api, unwrap } from "../api/client";
import { ApiError, describeError } from "../api/errors";
import type { Album, Image } from "../api/types";
import { AlbumGrid } from "../components/AlbumGrid";
import { Breadcrumbs, type Crumb } from "../components/Breadcrumbs";
import { EmptyState, NoMatch } from "../components/EmptyState";
import { GlobeIcon, UploadIcon } from "../components/icons";
import { PhotoFilters } from "../components/PhotoFilters";
import { PhotoGrid } from "../components/PhotoGrid";
import { useToast } from "../components/ToastContext";
import { Viewer } from "../components/Viewer";
import { AlbumActions, type AlbumDialog } from "../features/albums/AlbumActions";
import { AlbumFormDialog } from "../features/albums/AlbumFormDialog";
import { ancestorsOf } from "../features/albums/albumTree";
import { DeleteAlbumDialog } from "../features/albums/DeleteAlbumDialog";
import { MoveAlbumDialog } from "../features/albums/MoveAlbumDialog";
import { ShareDialog } from "../features/albums/ShareDialog";
import { downloadAlbum } from "../features/albums/download";
import { SelectionBar } from "../features/selection/SelectionBar";
import { useSelection } from "../features/selection/useSelection";
import { useTrashUndo } from "../features/trash/useTrashUndo";
import { DropZone } from "../features/upload/DropZone";
import { ACCEPT_ATTRIBUTE } from "../features/upload/limits";
import { UploadTray } from "../features/upload/UploadTray";
import { useUploadQueue } from "../features/upload/useUploadQueue";
import { describeCount, withOwnPhotos } from "../lib/albums";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { filtersKey, listQuery, useImageFilters } from "../hooks/useImageFilters";
import { usePaged } from "../hooks/usePaged";
import { useStaleReload } from "../hooks/useStaleReload";
import { useViewerParam } from "../hooks/useViewerParam";
import { NotFound } from "./NotFoundPage";

type DialogName = AlbumDialog | null;

/** One album: its sub-albums, its photos, uploads, and everything you can do to it. */
export function AlbumPage() {
  const { id = "" } = useParams();
  return <AlbumView key={id} id={id} />;
}

function AlbumView({ id }: { id: string }) {
  const [album, setAlbum] = useState<Album | null>(null);
  const [ancestors, setAncestors] = useState<Album[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<DialogName>(null);
  const [trayOpen, setTrayOpen] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const navigate = useNavigate();
  const { notify } = useToast();
  useDocumentTitle(album?.name ?? null);

  useEffect(() => {
    const gone = new AbortController();
    unwrap(api.GET("/api/v1/albums/{id}", { params: { path: { id } }, signal: gone.signal }))
      .then(async (found) => {
        setAlbum(found);
        const trail = await ancestorsOf(found);
        if (!gone.signal.aborted) setAncestors(trail);
      })
      .catch((err: unknown) => {
        if (!gone.signal.aborted) setLoadError(err);
      });
    return () => gone.abort();
  }, [id]);

  const children = usePaged<Album>(
    useCallback(
      (cursor: string | null, limit: number) =>
        unwrap(
          api.GET("/api/v1/albums", {
            params: { query: cursor ? { parent_id: id, limit, cursor } : { parent_id: id, limit } },
          }),
        ),
      [id],
    ),
    100,
  );
  const { filters, setSort, setQuery } = useImageFilters();
  const { sort, q } = filters;
  const photos = usePaged<Image>(
    useCallback(
      (cursor: string | null, limit: number) =>
        unwrap(
          api.GET("/api/v1/albums/{id}/images", {
            params: { path: { id }, query: listQuery({ sort, q }, cursor, limit) },
          }),
        ),
      [id, sort, q],
    ),
    60,
    filtersKey(filters),
  );
  // New uploads go first in the default order; under another sort or a search, where they
  // belong (if anywhere) is the server's to say.
  const plainOrder = sort === "created_at" && !q;
  const viewer = useViewerParam(photos.items);
  const onStalePhotos = useStaleReload(photos.reload);
  const onStaleAlbums = useStaleReload(children.reload);

  const onStored = useCallback(
    (images: Image[]) => {
      const newestFirst = [...images].sort(
        (a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id),
      );
      if (plainOrder) photos.prepend(newestFirst);
      else void photos.reload();
      setAlbum((current) => (current ? withOwnPhotos(current, images.length) : current));
    },
    [photos, plainOrder],
  );
  const queue = useUploadQueue(id, onStored);
  const selection = useSelection(photos.items);
  const [downloading, setDownloading] = useState(false);
  const reloadAll = useCallback(() => {
    void photos.reload();
    void unwrap(api.GET("/api/v1/albums/{id}", { params: { path: { id } } })).then(setAlbum, () => undefined);
  }, [photos, id]);
  const trashed = useTrashUndo(reloadAll);

  const download = useCallback(async () => {
    if (!album) return;
    setDownloading(true);
    try {
      await downloadAlbum(album);
    } catch (err) {
      notify(`Download failed: ${describeError(err)}`, "error");
    } finally {
      setDownloading(false);
    }
  }, [album, notify]);

  const useAsCover = useCallback(
    async (image: Image) => {
      try {
        const updated = await unwrap(
          api.PATCH("/api/v1/albums/{id}", { params: { path: { id } }, body: { cover_image_id: image.id } }),
        );
        setAlbum(updated);
        notify("Cover changed", "success");
      } catch (err) {
        notify(
          err instanceof ApiError && err.status === 422 ? "That photo is not in this album." : describeError(err),
          "error",
        );
      }
    },
    [id, notify],
  );

  const addFiles = useCallback(
    (files: File[]) => {
      if (files.length === 0) return;
      queue.add(files);
      setTrayOpen(true);
    },
    [queue],
  );

  const removePhoto = useCallback(
    async (image: Image) => {
      await unwrap(api.DELETE("/api/v1/images/{id}", { params: { path: { id: image.id } } }));
      const at = viewer.list.findIndex((item) => item.id === image.id);
      const neighbour = viewer.list[at + 1] ?? viewer.list[at - 1];
      photos.remove((item) => item.id === image.id);
      setAlbum((current) => (current ? withOwnPhotos(current, -1) : current));
      trashed(image.id, "Moved to Trash");
      if (neighbour) viewer.go(neighbour);
      else viewer.close();
    },
    [photos, viewer, trashed],
  );

  if (loadError) {
    if (loadError instanceof ApiError && loadError.status === 404) {
      return <NotFound title="No such album" text="It may have been deleted, or it belongs to someone else." />;
    }
    return (
      <div className="page">
        <p className="form-error" role="alert">
          {describeError(loadError)}
        </p>
      </div>
    );
  }
  if (!album) {
    return (
      <div className="page" aria-busy="true">
        <div className="skeleton skeleton--title" />
        <div className="skeleton skeleton--grid" />
      </div>
    );
  }

  const trail: Crumb[] = [
    { label: "Albums", to: "/albums" },
    ...ancestors.map((a) => ({ label: a.name, to: `/albums/${a.id}` })),
    { label: album.name },
  ];
  const noPhotos = photos.done && photos.items.length === 0;
  const empty = noPhotos && !q && children.done && children.items.length === 0;

  return (
    <div className="page">
      <DropZone target={album.name} onFiles={addFiles} />
      <input
        ref={picker}
        type="file"
        multiple
        accept={ACCEPT_ATTRIBUTE}
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="file-picker"
        onChange={(e) => {
          addFiles(Array.from(e.target.files ?? []));
          e.target.value = "";
        }}
      />
      <Breadcrumbs trail={trail} />
      <header className="page__header">
        <div>
          <h1 className="page__title">{album.name}</h1>
          <p className="page__subtitle">
            {describeCount(album)}
            {album.visibility === "public" && (
              <span className="pill pill--public">
                <GlobeIcon size={14} /> Public
              </span>
            )}
          </p>
          {album.description && <p className="page__description">{album.description}</p>}
        </div>
        <AlbumActions
          downloading={downloading}
          onUpload={() => picker.current?.click()}
          onDownload={() => void download()}
          onDialog={setDialog}
        />
      </header>

      {children.items.length > 0 && (
        <section className="section" aria-labelledby="sub-albums">
          <h2 id="sub-albums" className="section__title">
            Albums
          </h2>
          <AlbumGrid albums={children.items} label={`Albums in ${album.name}`} onStale={onStaleAlbums} />
        </section>
      )}

      {empty ? (
        <EmptyState
          art={<UploadIcon size={48} />}
          title="Drop photos here"
          action={
            <button type="button" className="button button--primary button--large" onClick={() => picker.current?.click()}>
              <UploadIcon size={18} /> Choose photos
            </button>
          }
        >
          <p>Drag photos from your computer anywhere onto this page, or choose them. JPEG, PNG, GIF, WebP, HEIC and AVIF, up to 25 MB each.</p>
        </EmptyState>
      ) : (
        (!noPhotos || q) && (
          <section className="section" aria-labelledby="album-photos">
            {children.items.length > 0 && (
              <h2 id="album-photos" className="section__title">
                Photos
              </h2>
            )}
            <PhotoFilters filters={filters} onSort={setSort} onQuery={setQuery} />
            {noPhotos && <NoMatch q={q} onClear={() => setQuery("")} />}
            <SelectionBar
              selection={selection}
              images={photos.items}
              albumId={album.id}
              onRemoved={(ids) => {
                const gone = new Set(ids);
                photos.remove((item) => gone.has(item.id));
                setAlbum((current) => (current ? withOwnPhotos(current, -ids.length) : current));
              }}
              onRestored={reloadAll}
            />
            <PhotoGrid
              selection={selection}
              images={photos.items}
              label={q ? `Photos in ${album.name} matching “${q}”` : `Photos in ${album.name}`}
              onOpen={viewer.open}
              onNearEnd={photos.loadMore}
              hasMore={!photos.done}
              loading={photos.loading}
              onStale={onStalePhotos}
            />
          </section>
        )
      )}

      {trayOpen && <UploadTray queue={queue} target={album.name} onClose={() => setTrayOpen(false)} />}

      {viewer.isOpen && (
        <Viewer
          images={viewer.list}
          index={viewer.index}
          onIndexChange={(i) => {
            const next = viewer.list[i];
            if (next) viewer.go(next);
          }}
          onClose={viewer.close}
          onDelete={removePhoto}
          onUseAsCover={useAsCover}
          coverImageId={album.cover_image_id}
          onNearEnd={photos.done ? undefined : photos.loadMore}
          onStale={onStalePhotos}
        />
      )}

      <AlbumFormDialog open={dialog === "rename"} album={album} onClose={() => setDialog(null)} onSaved={setAlbum} />
      <AlbumFormDialog
        open={dialog === "child"}
        parentId={album.id}
        onClose={() => setDialog(null)}
        onSaved={(child) => void navigate(`/albums/${child.id}`)}
      />
      <ShareDialog album={album} open={dialog === "share"} onClose={() => setDialog(null)} onChanged={setAlbum} />
      <MoveAlbumDialog
        album={album}
        open={dialog === "move"}
        onClose={() => setDialog(null)}
        onMoved={(moved) => {
          setAlbum(moved);
          void ancestorsOf(moved).then(setAncestors);
          notify("Album moved", "success");
        }}
      />
      <DeleteAlbumDialog
        album={album}
        open={dialog === "delete"}
        onClose={() => setDialog(null)}
        onDeleted={() => {
          trashed(album.id, `Moved “${album.name}” to Trash`);
          void navigate(album.parent_id ? `/albums/${album.parent_id}` : "/albums", { replace: true });
        }}
      />
    </div>
  );
}
