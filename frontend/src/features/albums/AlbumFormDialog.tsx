import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { ApiError, describeError } from "../../api/errors";
import type { Album } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { Field } from "../../components/Field";

export interface AlbumFormDialogProps {
  open: boolean;
  onClose: () => void;
  /** Rename this album; without it, create one (under `parentId` when given). */
  album?: Album | undefined;
  parentId?: string | null | undefined;
  onSaved: (album: Album) => void;
}

/** Create or rename an album; the API's field errors show under the field. */
export function AlbumFormDialog({ open, onClose, album, parentId, onSaved }: AlbumFormDialogProps) {
  return open ? (
    <AlbumForm onClose={onClose} album={album} parentId={parentId} onSaved={onSaved} />
  ) : null;
}

function AlbumForm({ onClose, album, parentId, onSaved }: Omit<AlbumFormDialogProps, "open">) {
  const [name, setName] = useState(album?.name ?? "");
  const [description, setDescription] = useState(album?.description ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    setBusy(true);
    setErrors({});
    setFormError(null);
    try {
      const desc = description.trim() === "" ? null : description.trim();
      const saved = album
        ? await unwrap(
            api.PATCH("/api/v1/albums/{id}", {
              params: { path: { id: album.id } },
              body: { name: name.trim(), description: desc },
            }),
          )
        : await unwrap(
            api.POST("/api/v1/albums", {
              body: { name: name.trim(), description: desc, parent_id: parentId ?? null },
            }),
          );
      onSaved(saved);
      onClose();
    } catch (error) {
      const fields = error instanceof ApiError ? error.fieldErrors() : {};
      setErrors(fields);
      if (Object.keys(fields).length === 0) setFormError(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      title={album ? "Rename album" : parentId ? "New sub-album" : "New album"}
      onClose={onClose}
      onSubmit={() => void save()}
      actions={
        <>
          <button type="button" className="button button--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy || name.trim() === ""}>
            {album ? "Save" : "Create album"}
          </button>
        </>
      }
    >
      <Field
        label="Name"
        name="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
        maxLength={200}
        data-autofocus
        autoComplete="off"
        placeholder="Summer in Lisbon"
      />
      <Field
        label="Description (optional)"
        name="description"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={errors.description}
        maxLength={2000}
        autoComplete="off"
      />
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
    </Dialog>
  );
}
