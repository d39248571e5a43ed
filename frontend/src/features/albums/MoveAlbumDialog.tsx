import { useEffect, useState } from "react";
import { api, unwrap } from "../../api/client";
import { ApiError, describeError } from "../../api/errors";
import type { Album } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { AlbumIcon, ChevronRight } from "../../components/icons";
import { listAllChildren } from "./albumTree";

interface Place {
  id: string | null;
  name: string;
}

const TOP: Place = { id: null, name: "All albums" };

/** Pick a new parent by browsing the folders; a move into itself is refused (409). */
export function MoveAlbumDialog({
  album,
  open,
  onClose,
  onMoved,
}: {
  album: Album;
  open: boolean;
  onClose: () => void;
  onMoved: (album: Album) => void;
}) {
  return open ? <MovePicker album={album} onClose={onClose} onMoved={onMoved} /> : null;
}

function MovePicker({ album, onClose, onMoved }: { album: Album; onClose: () => void; onMoved: (album: Album) => void }) {
  const [trail, setTrail] = useState<Place[]>([TOP]);
  const here = trail[trail.length - 1] ?? TOP;
  const [listing, setListing] = useState<{ of: string | null; albums: Album[] } | null>(null);
  const children = listing && listing.of === here.id ? listing.albums : null;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const gone = new AbortController();
    listAllChildren(here.id)
      .then((albums) => {
        if (!gone.signal.aborted) setListing({ of: here.id, albums });
      })
      .catch((err: unknown) => {
        if (!gone.signal.aborted) setError(describeError(err));
      });
    return () => gone.abort();
  }, [here.id]);

  const alreadyHere = here.id === album.parent_id;

  const move = async () => {
    setBusy(true);
    setError(null);
    try {
      const moved = await unwrap(
        api.PATCH("/api/v1/albums/{id}", { params: { path: { id: album.id } }, body: { parent_id: here.id } }),
      );
      onMoved(moved);
      onClose();
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 409
          ? "An album can't go inside itself or one of its own sub-albums."
          : describeError(err),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      wide
      title={`Move “${album.name}”`}
      onClose={onClose}
      onSubmit={() => void move()}
      actions={
        <>
          <button type="button" className="button button--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy || alreadyHere}>
            {alreadyHere ? "It is here already" : `Move to ${here.name}`}
          </button>
        </>
      }
    >
      <nav aria-label="Folder path" className="picker-path">
        {trail.map((place, i) => (
          <span key={place.id ?? "top"}>
            {i > 0 && <ChevronRight size={14} />}
            <button
              type="button"
              className="link-button"
              aria-current={i === trail.length - 1 ? "location" : undefined}
              onClick={() => setTrail(trail.slice(0, i + 1))}
            >
              {place.name}
            </button>
          </span>
        ))}
      </nav>
      <ul className="picker-list" aria-label={`Albums in ${here.name}`} aria-busy={children === null}>
        {children === null && <li className="picker-list__status">Loading…</li>}
        {children?.length === 0 && <li className="picker-list__status">No albums in here.</li>}
        {children?.map((child) => {
          const self = child.id === album.id;
          return (
            <li key={child.id}>
              <button
                type="button"
                className="picker-item"
                disabled={self}
                onClick={() => setTrail([...trail, { id: child.id, name: child.name }])}
              >
                <AlbumIcon size={18} />
                <span className="picker-item__name">{child.name}</span>
                {self ? <span className="picker-item__note">this album</span> : <ChevronRight size={16} />}
              </button>
            </li>
          );
        })}
      </ul>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
