import { useCallback, useState } from "react";
import { api, unwrap } from "../../api/client";
import { describeError } from "../../api/errors";
import type { components } from "../../api/schema.gen";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { EmptyState } from "../../components/EmptyState";
import { AlbumIcon, PhotosIcon, TrashIcon } from "../../components/icons";
import { useToast } from "../../components/ToastContext";
import { useDocumentTitle } from "../../hooks/useDocumentTitle";
import { usePaged } from "../../hooks/usePaged";
import { formatBytes, formatDateTime, plural } from "../../lib/format";
import { restoreFromTrash, type BulkFailure } from "../selection/bulk";
import { useSelection } from "../selection/useSelection";
import { purgeText } from "./purge";

export type TrashItem = components["schemas"]["TrashItem"];

const fetchTrash = (cursor: string | null, limit: number) =>
  unwrap(api.GET("/api/v1/trash", { params: { query: cursor ? { limit, cursor } : { limit } } }));

function failureText(failure: BulkFailure, items: readonly TrashItem[]): string {
  const name = items.find((item) => item.id === failure.id)?.name ?? failure.id;
  const why = failure.status === 409 ? "restore the album it was in first" : failure.title;
  return `${name}: ${why}`;
}

/** What was deleted in the last 30 days: restore it, or delete it for good. */
export function TrashPage() {
  const trash = usePaged<TrashItem>(fetchTrash, 100);
  const selection = useSelection(trash.items);
  const [failures, setFailures] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [purging, setPurging] = useState<TrashItem | "all" | null>(null);
  const { notify } = useToast();
  useDocumentTitle("Trash");

  const restore = useCallback(async () => {
    const ids = trash.items.filter((item) => selection.selected.has(item.id)).map((item) => item.id);
    setBusy(true);
    setFailures([]);
    try {
      const result = await restoreFromTrash(ids);
      const back = new Set(result.restored);
      trash.remove((item) => back.has(item.id));
      selection.drop(result.restored);
      setFailures(result.failed.map((failure) => failureText(failure, trash.items)));
      if (result.restored.length > 0) notify(`Restored ${plural(result.restored.length, "item")}`, "success");
    } catch (err) {
      setFailures([describeError(err)]);
    } finally {
      setBusy(false);
    }
  }, [trash, selection, notify]);

  const empty = trash.done && trash.items.length === 0 && !trash.error;
  const count = selection.size;
  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1 className="page__title">Trash</h1>
          <p className="page__subtitle">Deleted albums and photos stay here for 30 days, then they are deleted for good.</p>
        </div>
        {trash.items.length > 0 && (
          <div className="page__actions" role="toolbar" aria-label="Trash actions">
            <button
              type="button"
              className="button button--primary"
              disabled={count === 0 || busy}
              onClick={() => void restore()}
            >
              {count > 0 ? `Restore ${count.toLocaleString()}` : "Restore"}
            </button>
            <button
              type="button"
              className="button button--ghost button--danger-text"
              aria-label="Empty trash"
              title="Empty trash"
              onClick={() => setPurging("all")}
            >
              <TrashIcon size={18} /> <span className="label">Empty trash</span>
            </button>
          </div>
        )}
      </header>

      {failures.length > 0 && (
        <div className="form-error" role="alert">
          <p>Some could not be restored:</p>
          <ul>
            {failures.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </div>
      )}
      {trash.error !== null && trash.items.length === 0 && (
        <p className="form-error" role="alert">
          {describeError(trash.error)}
        </p>
      )}

      {empty ? (
        <EmptyState art={<TrashIcon size={48} />} title="The trash is empty">
          <p>Deleted photos and albums wait here for 30 days before they are gone for good.</p>
        </EmptyState>
      ) : (
        <ul className="trash-list" aria-label="Deleted items" aria-busy={trash.loading || undefined}>
          {trash.items.map((item) => (
            <li key={item.id} className="trash-item">
              <label className="trash-item__pick">
                <input
                  type="checkbox"
                  checked={selection.selected.has(item.id)}
                  onChange={() => undefined}
                  onClick={(event) => selection.toggle(item.id, event.shiftKey)}
                  aria-label={`Select ${item.name}`}
                />
                {item.kind === "album" ? <AlbumIcon size={20} /> : <PhotosIcon size={20} />}
                <span className="trash-item__name">{item.name}</span>
              </label>
              <span className="trash-item__meta">
                {item.kind === "album" ? `Album · ${plural(item.images, "photo")}` : "Photo"} · {formatBytes(item.bytes)} ·
                deleted <time dateTime={item.deleted_at}>{formatDateTime(item.deleted_at)}</time> · {purgeText(item.purge_at)}
              </span>
              <button
                type="button"
                className="button button--ghost button--danger-text"
                aria-label={`Delete forever ${item.name}`}
                title="Delete forever"
                onClick={() => setPurging(item)}
              >
                Delete forever
              </button>
            </li>
          ))}
        </ul>
      )}
      {!trash.done && trash.items.length > 0 && (
        <button type="button" className="button button--ghost" disabled={trash.loading} onClick={trash.loadMore}>
          {trash.loading ? "Loading…" : "Show more"}
        </button>
      )}

      <ConfirmDialog
        open={purging !== null}
        title={purging === "all" ? "Empty the trash?" : `Delete “${purging?.name ?? ""}” forever?`}
        confirmLabel={purging === "all" ? "Empty trash" : "Delete forever"}
        onClose={() => setPurging(null)}
        onConfirm={async () => {
          if (purging === "all") {
            await unwrap(api.DELETE("/api/v1/trash"));
            trash.remove(() => true);
            selection.clear();
            notify("Trash emptied", "success");
          } else if (purging) {
            await unwrap(api.DELETE("/api/v1/trash/{id}", { params: { path: { id: purging.id } } }));
            const id = purging.id;
            trash.remove((item) => item.id === id);
            selection.drop([id]);
            notify(`Deleted “${purging.name}” forever`, "success");
          }
          setPurging(null);
        }}
      >
        <p>
          {purging === "all"
            ? "Everything in the trash is deleted for good. This cannot be undone."
            : "It is deleted for good, with every size of its photos. This cannot be undone."}
        </p>
      </ConfirmDialog>
    </div>
  );
}
