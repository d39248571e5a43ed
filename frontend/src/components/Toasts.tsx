import { useCallback, useMemo, useRef, useState, type ReactNode } from "react";
import { AlertIcon, CheckIcon, InfoIcon } from "./icons";
import { ToastContext, type ToastApi, type ToastTone } from "./ToastContext";

interface Toast {
  id: number;
  message: string;
  tone: ToastTone;
}

const TOAST_MS = 4000;

/** Short notices in a live region, so screen readers read them too. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(0);

  const notify = useCallback((message: string, tone: ToastTone = "info") => {
    const id = ++next.current;
    setToasts((list) => [...list.slice(-2), { id, message, tone }]);
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), TOAST_MS);
  }, []);

  const api = useMemo<ToastApi>(() => ({ notify }), [notify]);
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast--${toast.tone}`}>
            {toast.tone === "success" ? <CheckIcon /> : toast.tone === "error" ? <AlertIcon /> : <InfoIcon />}
            <span>{toast.message}</span>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
