import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { createPortal } from "react-dom";
import { AlertIcon, CheckIcon, InfoIcon } from "./icons";
import { ToastContext, type ToastAction, type ToastApi, type ToastTone } from "./ToastContext";

interface Toast {
  id: number;
  message: string;
  tone: ToastTone;
  action?: ToastAction | undefined;
}

const TOAST_MS = 4000;
/** A toast with an action (Undo) stays longer, so there is time to press it. */
const ACTION_TOAST_MS = 10000;

/**
 * Where the toasts go: inside the topmost open modal dialog when there is one (the rest of the
 * page is inert then, hidden from screen readers and clicks), else the body.
 */
function currentHost(): HTMLElement {
  const modals = Array.from(document.querySelectorAll<HTMLDialogElement>("dialog[open]")).filter(isModal);
  return modals[modals.length - 1] ?? document.body;
}

function isModal(dialog: HTMLDialogElement): boolean {
  // An engine that cannot tell (jsdom) gets every open dialog, as all of ours are modal.
  const canTell = typeof CSS !== "undefined" && typeof CSS.supports === "function" && CSS.supports("selector(:modal)");
  return canTell ? dialog.matches(":modal") : true;
}

/** Follows dialogs opening and closing while toasts are on screen. */
function useToastHost(active: boolean): HTMLElement | null {
  const [host, setHost] = useState<HTMLElement | null>(null);
  useEffect(() => {
    if (!active) return;
    const update = () => setHost(currentHost());
    update();
    const observer = new MutationObserver(update);
    observer.observe(document.body, { subtree: true, childList: true, attributeFilter: ["open"] });
    return () => observer.disconnect();
  }, [active]);
  return active ? host : null;
}

/**
 * Short notices in a live region, so screen readers read them too. They are a manual popover,
 * shown again whenever they move, so they sit in the top layer above any open dialog or the
 * viewer (no z-index can beat a modal dialog).
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(0);

  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const notify = useCallback(
    (message: string, tone: ToastTone = "info", action?: ToastAction) => {
      const id = ++next.current;
      setToasts((list) => [...list.slice(-2), { id, message, tone, action }]);
      setTimeout(() => dismiss(id), action ? ACTION_TOAST_MS : TOAST_MS);
    },
    [dismiss],
  );

  const api = useMemo<ToastApi>(() => ({ notify }), [notify]);
  const host = useToastHost(toasts.length > 0);
  return (
    <ToastContext.Provider value={api}>
      {children}
      {host && createPortal(<ToastStack toasts={toasts} onDismiss={dismiss} />, host)}
    </ToastContext.Provider>
  );
}

function ToastStack({ toasts, onDismiss }: { toasts: readonly Toast[]; onDismiss: (id: number) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  // Mounted anew whenever its host changes, so it is shown after the dialog it lives in and
  // sits above it in the top layer.
  useLayoutEffect(() => {
    const stack = ref.current;
    if (stack && typeof stack.showPopover === "function") stack.showPopover();
  }, []);
  return (
    <div ref={ref} className="toasts" popover="manual" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast--${toast.tone}`}>
          {toast.tone === "success" ? <CheckIcon /> : toast.tone === "error" ? <AlertIcon /> : <InfoIcon />}
          <span>{toast.message}</span>
          {toast.action && (
            <button
              type="button"
              className="toast__action"
              onClick={() => {
                onDismiss(toast.id);
                toast.action?.onClick();
              }}
            >
              {toast.action.label}
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
