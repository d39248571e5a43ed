import { useEffect, useId, useRef, type SubmitEvent, type ReactNode } from "react";
import { CloseIcon } from "./icons";

export interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Buttons at the bottom; when `onSubmit` is set the dialog is a form. */
  actions?: ReactNode;
  onSubmit?: (event: SubmitEvent<HTMLFormElement>) => void;
  tone?: "default" | "danger";
  wide?: boolean;
}

/**
 * A modal dialog on the native <dialog> element: the browser traps focus, Escape closes it,
 * and focus returns to what opened it.
 */
export function Dialog({ open, title, onClose, children, actions, onSubmit, tone, wide }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
    } else if (!open && dialog.open) {
      if (typeof dialog.close === "function") dialog.close();
      else dialog.removeAttribute("open");
    }
  }, [open]);

  const body = (
    <>
      <header className="dialog__header">
        <h2 id={titleId} className={tone === "danger" ? "dialog__title is-danger" : "dialog__title"}>
          {title}
        </h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <div className="dialog__body">{children}</div>
      {actions && <footer className="dialog__actions">{actions}</footer>}
    </>
  );

  return (
    <dialog
      ref={ref}
      className={wide ? "dialog dialog--wide" : "dialog"}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (event.target === ref.current) onClose(); // a click on the backdrop
      }}
    >
      {open &&
        (onSubmit ? (
          <form
            className="dialog__form"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              onSubmit(event);
            }}
          >
            {body}
          </form>
        ) : (
          <div className="dialog__form">{body}</div>
        ))}
    </dialog>
  );
}
