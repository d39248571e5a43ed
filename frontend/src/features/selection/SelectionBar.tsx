import { useState } from "react";
import type { Image } from "../../api/types";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { CloseIcon, DownloadIcon, MoveIcon, TrashIcon } from "../../components/icons";
import { useToast } from "../../components/ToastContext";
import { plural } from "../../lib/format";
import { moveImages, restoreFromTrash, trashImages, type BulkResult } from "./bulk";
import { MoveImagesDialog } from "./MoveImagesDialog";
import type { Selection } from "./useSelection";

export interface SelectionBarProps {
  selection: Selection;
  /** Everything shown in the grid, in order. */
  images: readonly Image[];
  /** The album the grid shows (moving there does nothing), if any. */
  albumId?: string | undefined;
  /** Photos that left this grid (moved elsewhere or to the trash). */
  onRemoved: (ids: readonly string[], how: "moved" | "trashed") => void;
  /** Photos that came back from the trash (Undo). */
  onRestored?: () => void;
}

function failureText(result: BulkResult): string {
  const first = result.failed[0];
  return first ? `${plural(result.failed.length, "photo")} could not be changed (${first.title})` : "";
}

/** "N selected" and what can be done to them: move, delete (to the trash), download. */
export function SelectionBar({ selection, images, albumId, onRemoved, onRestored }: SelectionBarProps) {
  const [dialog, setDialog] = useState<"move" | "delete" | null>(null);
  const { notify } = useToast();
  if (selection.size === 0) return null;
  const ids = images.filter((image) => selection.selected.has(image.id)).map((image) => image.id);
  const count = ids.length;
  const allSelected = count === images.length;

  const download = () => {
    // One original each, through its signed URL (a ZIP of a selection needs a server route).
    for (const image of images) {
      if (!selection.selected.has(image.id)) continue;
      const variant = image.variants.original ?? image.variants.large;
      const link = document.createElement("a");
      link.href = variant.url;
      link.download = image.filename;
      document.body.append(link);
      link.click();
      link.remove();
    }
  };

  return (
    <>
      <div className="selection-bar" role="toolbar" aria-label="Selection">
        <span className="selection-bar__count" aria-live="polite">
          {count.toLocaleString()} selected
        </span>
        {!allSelected && (
          <button type="button" className="button button--ghost" title="Select all" onClick={selection.selectAll}>
            Select all
          </button>
        )}
        <button
          type="button"
          className="button button--ghost"
          aria-label="Move selected photos"
          title="Move selected photos"
          onClick={() => setDialog("move")}
        >
          <MoveIcon size={18} /> <span className="label">Move</span>
        </button>
        <button
          type="button"
          className="button button--ghost"
          aria-label="Download selected photos"
          title="Download selected photos"
          onClick={download}
        >
          <DownloadIcon size={18} /> <span className="label">Download</span>
        </button>
        <button
          type="button"
          className="button button--ghost button--danger-text"
          aria-label="Delete selected photos"
          title="Delete selected photos"
          onClick={() => setDialog("delete")}
        >
          <TrashIcon size={18} /> <span className="label">Delete</span>
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Clear selection"
          title="Clear selection (Esc)"
          onClick={selection.clear}
        >
          <CloseIcon size={18} />
        </button>
      </div>

      {dialog === "move" && (
        <MoveImagesDialog
          count={count}
          currentAlbumId={albumId}
          onClose={() => setDialog(null)}
          onMove={async (album) => {
            const result = await moveImages(ids, album.id);
            selection.drop(result.done);
            if (album.id !== albumId) onRemoved(result.done, "moved");
            if (result.failed.length > 0) notify(failureText(result), "error");
            else notify(`Moved ${plural(result.done.length, "photo")} to ${album.name}`, "success");
          }}
        />
      )}
      <ConfirmDialog
        open={dialog === "delete"}
        title={`Delete ${plural(count, "photo")}?`}
        confirmLabel="Move to Trash"
        onClose={() => setDialog(null)}
        onConfirm={async () => {
          const result = await trashImages(ids);
          selection.drop(result.done);
          onRemoved(result.done, "trashed");
          setDialog(null);
          if (result.failed.length > 0) notify(failureText(result), "error");
          else
            notify(`Moved ${plural(result.done.length, "photo")} to Trash`, "success", {
              label: "Undo",
              onClick: () => {
                void restoreFromTrash(result.done)
                  .then(() => {
                    notify("Restored", "success");
                    onRestored?.();
                  })
                  .catch(() => notify("Could not restore them; see the Trash", "error"));
              },
            });
        }}
      >
        <p>
          {count === 1 ? "It goes" : "They go"} to the Trash for 30 days, then {count === 1 ? "it is" : "they are"}{" "}
          deleted for good. You can restore them from the Trash until then.
        </p>
      </ConfirmDialog>
    </>
  );
}
