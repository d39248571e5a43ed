import { DownloadIcon, EditIcon, MoveIcon, PlusIcon, ShareIcon, TrashIcon, UploadIcon } from "../../components/icons";

export type AlbumDialog = "rename" | "move" | "share" | "delete" | "child";

/** The owner's toolbar on an album page: upload, share, download, new album, rename, move, delete. */
export function AlbumActions({
  downloading,
  onUpload,
  onDownload,
  onDialog,
}: {
  downloading: boolean;
  onUpload: () => void;
  onDownload: () => void;
  onDialog: (dialog: AlbumDialog) => void;
}) {
  return (
    <div className="page__actions" role="toolbar" aria-label="Album actions">
      <button
        type="button"
        className="button button--primary"
        aria-label="Upload photos"
        title="Upload photos"
        onClick={onUpload}
      >
        <UploadIcon size={18} /> <span className="label">Upload</span>
      </button>
      <button
        type="button"
        className="button button--ghost"
        aria-label="Share album"
        title="Share album"
        onClick={() => onDialog("share")}
      >
        <ShareIcon size={18} /> <span className="label">Share</span>
      </button>
      <button
        type="button"
        className="button button--ghost"
        aria-label="Download album"
        title="Download album as a ZIP"
        disabled={downloading}
        onClick={onDownload}
      >
        <DownloadIcon size={18} /> <span className="label">{downloading ? "Preparing…" : "Download"}</span>
      </button>
      <button
        type="button"
        className="button button--ghost"
        aria-label="New album inside"
        title="New album inside"
        onClick={() => onDialog("child")}
      >
        <PlusIcon size={18} /> <span className="label">New album</span>
      </button>
      <button
        type="button"
        className="button button--ghost"
        aria-label="Rename album"
        title="Rename album"
        onClick={() => onDialog("rename")}
      >
        <EditIcon size={18} /> <span className="label">Rename</span>
      </button>
      <button
        type="button"
        className="button button--ghost"
        aria-label="Move album"
        title="Move album"
        onClick={() => onDialog("move")}
      >
        <MoveIcon size={18} /> <span className="label">Move</span>
      </button>
      <button
        type="button"
        className="button button--ghost button--danger-text"
        aria-label="Delete album"
        title="Delete album"
        onClick={() => onDialog("delete")}
      >
        <TrashIcon size={18} /> <span className="label">Delete</span>
      </button>
    </div>
  );
}
