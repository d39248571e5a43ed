import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { describeError } from "../../api/errors";
import type { Album } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { GlobeIcon, LinkIcon, LockIcon } from "../../components/icons";
import { useToast } from "../../components/ToastContext";
import { shareLink } from "./albumTree";

/** Public or private, and the link that shows a public album to anyone. */
export function ShareDialog({
  album,
  open,
  onClose,
  onChanged,
}: {
  album: Album;
  open: boolean;
  onClose: () => void;
  onChanged: (album: Album) => void;
}) {
  // The switch moves at once; it moves back if the server refuses.
  const [wanted, setWanted] = useState<Album["visibility"] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { notify } = useToast();
  const busy = wanted !== null;
  const isPublic = (wanted ?? album.visibility) === "public";
  const link = shareLink(album.id);

  const setVisibility = async (visibility: Album["visibility"]) => {
    setWanted(visibility);
    setError(null);
    try {
      const updated = await unwrap(
        api.PATCH("/api/v1/albums/{id}", { params: { path: { id: album.id } }, body: { visibility } }),
      );
      onChanged(updated);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setWanted(null);
    }
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      notify("Link copied to the clipboard", "success");
    } catch {
      const input = document.getElementById("share-link") as HTMLInputElement | null;
      input?.select();
      notify("Press Ctrl+C (⌘C) to copy the selected link");
    }
  };

  return (
    <Dialog open={open} title={`Share “${album.name}”`} onClose={onClose}>
      <div className="share-state">
        <span className={isPublic ? "share-state__icon is-public" : "share-state__icon"} aria-hidden="true">
          {isPublic ? <GlobeIcon size={22} /> : <LockIcon size={22} />}
        </span>
        <div>
          <p className="share-state__title">{isPublic ? "Anyone with the link can view" : "Only you can see this album"}</p>
          <p className="share-state__text">
            {isPublic
              ? "Visitors see the photos in this album, read-only, without an account. Originals stay yours."
              : "Make it public to get a link you can send to anyone."}
          </p>
        </div>
      </div>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={isPublic}
          disabled={busy}
          onChange={(e) => void setVisibility(e.target.checked ? "public" : "private")}
        />
        <span className="switch__track" aria-hidden="true" />
        <span>Public link</span>
      </label>
      {isPublic && (
        <div className="share-link">
          <label htmlFor="share-link" className="visually-hidden">
            Share link
          </label>
          <input id="share-link" className="field__input" readOnly value={link} onFocus={(e) => e.target.select()} />
          <button type="button" className="button button--primary" onClick={() => void copy()}>
            <LinkIcon size={18} /> Copy link
          </button>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
