import { useEffect, useState } from "react";
import { describeError } from "../../api/errors";
import type { Album } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { AlbumIcon, ChevronRight } from "../../components/icons";
import { plural } from "../../lib/format";
import { listAllChildren } from "../albums/albumTree";

interface Place {
  id: string | null;
  name: string;
}

const TOP: Place = { id: null, name: "All albums" };

/** Pick the album the selected photos go to, by browsing the folders (as MoveAlbumDialog). */
export function MoveImagesDialog({
  count,
  currentAlbumId,
  onClose,
  onMove,
}: {
  count: number;
  /** The album the photos are in (moving there does nothing), if all are in one. */
  currentAlbumId?: string | undefined;
  onClose: () => void;
  onMove: (album: Place & { id: string }) => Promise<void>;
}) {
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

  const target = here.id;
  const alreadyHere = target !== null && target === currentAlbumId;

  const move = async () => {
    if (target === null) return;
    setBusy(true);
    setError(null);
    try {
      await onMove({ id: target, name: here.name });
      onClose();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      wide
      title={`Move ${plural(count, "photo")}`}
      onClose={onClose}
      onSubmit={() => void move()}
      actions={
        <>
          <button type="button" className="button button--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy || target === null || alreadyHere}>
            {target === null ? "Choose an album" : alreadyHere ? "They are here already" : `Move to ${here.name}`}
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
        {children?.map((child) => (
          <li key={child.id}>
            <button
              type="button"
              className="picker-item"
              onClick={() => setTrail([...trail, { id: child.id, name: child.name }])}
            >
              <AlbumIcon size={18} />
              <span className="picker-item__name">{child.name}</span>
              {child.id === currentAlbumId ? <span className="picker-item__note">this album</span> : <ChevronRight size={16} />}
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
