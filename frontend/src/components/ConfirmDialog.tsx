import { useState, type ReactNode } from "react";
import { describeError } from "../api/errors";
import { Dialog } from "./Dialog";

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  /** Disables the confirm button, e.g. while a count is still loading. */
  pending?: boolean;
}

/**
 * Asks before something that cannot be undone; shows the server's refusal in place. The focus
 * starts on Cancel, the safe answer, so a stray Enter or space deletes nothing.
 */
export function ConfirmDialog({ open, title, children, confirmLabel, onConfirm, onClose, pending }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog
      open={open}
      title={title}
      tone="danger"
      onClose={() => {
        setError(null);
        onClose();
      }}
      onSubmit={() => {
        setBusy(true);
        setError(null);
        onConfirm()
          .catch((err: unknown) => setError(describeError(err)))
          .finally(() => setBusy(false));
      }}
      actions={
        <>
          <button type="button" className="button button--ghost" onClick={onClose} data-autofocus>
            Cancel
          </button>
          <button type="submit" className="button button--danger" disabled={busy || pending}>
            {busy ? "Deleting…" : confirmLabel}
          </button>
        </>
      }
    >
      {children}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
