import { useCallback, useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { api, unwrap } from "../api/client";
import { ApiError, describeError } from "../api/errors";
import type { Album, Image } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { AlbumGrid } from "../components/AlbumGrid";
import { EmptyState, PhotoStackArt } from "../components/EmptyState";
import { GlobeIcon, Logo } from "../components/icons";
import { PhotoGrid } from "../components/PhotoGrid";
import { Viewer } from "../components/Viewer";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { usePaged } from "../hooks/usePaged";
import { useStaleReload } from "../hooks/useStaleReload";
import { useViewerParam } from "../hooks/useViewerParam";
import { describeCount, treeCount } from "../lib/albums";

const sharedPage = (album: Album) => `/shared/albums/${album.id}`;

/**
 * A public album as a visitor sees it: read-only, no account needed. Its public sub-albums
 * are listed above its photos (a parent whose photos all sit in sub-albums is not "empty").
 */
export function SharedAlbumPage() {
  const { id = "" } = useParams();
  return <SharedAlbum key={id} id={id} />;
}

function SharedAlbum({ id }: { id: string }) {
  const { user } = useAuth();
  const [album, setAlbum] = useState<Album | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const gone = new AbortController();
    unwrap(api.GET("/api/v1/albums/{id}", { params: { path: { id } } }))
      .then((found) => {
        if (!gone.signal.aborted) setAlbum(found);
      })
      .catch((err: unknown) => {
        if (!gone.signal.aborted) setError(err);
      });
    return () => gone.abort();
  }, [id]);

  const photos = usePaged<Image>(
    useCallback(
      (cursor: string | null, limit: number) =>
        unwrap(
          api.GET("/api/v1/albums/{id}/images", {
            params: { path: { id }, query: cursor ? { limit, cursor } : { limit } },
          }),
        ),
      [id],
    ),
  );
  // Sub-albums the server lets this visitor list; a refusal (no listing for visitors) is no list.
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
  const shownChildren = children.items.filter((child) => child.visibility === "public");
  const viewer = useViewerParam(photos.items);
  const onStale = useStaleReload(photos.reload);
  const onStaleAlbums = useStaleReload(children.reload);
  const childrenSettled = children.done || children.error !== null;

  const gone = error instanceof ApiError && (error.status === 404 || error.status === 401);
  useDocumentTitle(gone ? "Album not shared" : (album?.name ?? null));
  return (
    <div className="app app--public">
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Albumen home">
          <Logo />
          <span className="brand__name">Albumen</span>
        </Link>
        <span className="topbar__spacer" />
        {user ? (
          <Link to="/" className="button button--ghost">
            Your photos
          </Link>
        ) : (
          <>
            <Link to="/login" className="button button--ghost">
              Log in
            </Link>
            <Link to="/signup" className="button button--primary">
              Sign up
            </Link>
          </>
        )}
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <div className="page">
          {gone ? (
            <EmptyState art={<PhotoStackArt />} title="This album isn't shared">
              <p>The link may be old, or its owner made the album private again.</p>
            </EmptyState>
          ) : error ? (
            <p className="form-error" role="alert">
              {describeError(error)}
            </p>
          ) : (
            <>
              <header className="page__header">
                <div>
                  <p className="eyebrow">
                    <GlobeIcon size={14} /> Shared album
                  </p>
                  <h1 className="page__title">{album?.name ?? "Loading…"}</h1>
                  {album && <p className="page__subtitle">{describeCount(album)}</p>}
                  {album?.description && <p className="page__description">{album.description}</p>}
                </div>
              </header>
              {shownChildren.length > 0 && (
                <section className="section" aria-labelledby="shared-sub-albums">
                  <h2 id="shared-sub-albums" className="section__title">
                    Albums
                  </h2>
                  <AlbumGrid
                    albums={shownChildren}
                    label={album ? `Albums in ${album.name}` : "Albums"}
                    linkTo={sharedPage}
                    onStale={onStaleAlbums}
                  />
                </section>
              )}
              {photos.done && photos.items.length === 0 ? (
                childrenSettled &&
                shownChildren.length === 0 &&
                (album && treeCount(album) > 0 ? (
                  // The tree has photos, but none of its sub-albums could be listed here.
                  <EmptyState art={<PhotoStackArt />} title="The photos are in its sub-albums">
                    <p>Ask the owner for the links to the albums inside “{album.name}”.</p>
                  </EmptyState>
                ) : (
                  <EmptyState art={<PhotoStackArt />} title="No photos in here yet" />
                ))
              ) : (
                <PhotoGrid
                  images={photos.items}
                  label={album ? `Photos in ${album.name}` : "Photos"}
                  onOpen={viewer.open}
                  onNearEnd={photos.loadMore}
                  hasMore={!photos.done}
                  loading={photos.loading}
                  onStale={onStale}
                />
              )}
            </>
          )}
        </div>
      </main>
      {viewer.isOpen && (
        <Viewer
          images={viewer.list}
          index={viewer.index}
          onIndexChange={(i) => {
            const next = viewer.list[i];
            if (next) viewer.go(next);
          }}
          onClose={viewer.close}
          onNearEnd={photos.done ? undefined : photos.loadMore}
          onStale={onStale}
        />
      )}
    </div>
  );
}
