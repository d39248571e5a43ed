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

/** What takes the focus when a dialog opens: a marked element, else its first field. */
const FIRST_FOCUS = [
  "[data-autofocus]",
  ".dialog__body :is(input, select, textarea):not(:disabled, [type='hidden'], [readonly])",
  ".dialog__body :is(button, a[href], input):not(:disabled)",
  ".dialog__actions :is(button, a[href]):not(:disabled)",
];

/** Focuses the element a person would type into first (never the close button). */
function focusFirstField(dialog: HTMLElement) {
  for (const selector of FIRST_FOCUS) {
    const target = dialog.querySelector<HTMLElement>(selector);
    if (target) {
      target.focus();
      // A field that comes filled in (a rename) is selected, so typing replaces it.
      if (target instanceof HTMLInputElement && target.value !== "" && target.type === "text") target.select();
      return;
    }
  }
}

/**
 * A modal dialog on the native <dialog> element: the browser traps focus, Escape closes it,
 * and focus returns to what opened it. On open the focus goes to the first field (or the
 * element marked `data-autofocus`), so typing lands where it should.
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
      focusFirstField(dialog);
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
        <button type="button" className="icon-button" aria-label="Close" title="Close (Esc)" onClick={onClose}>
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
