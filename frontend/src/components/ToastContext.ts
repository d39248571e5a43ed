import { createContext, useContext } from "react";

export type ToastTone = "info" | "success" | "error";

/** A button in the toast, e.g. Undo; the toast closes when it is pressed. */
export interface ToastAction {
  label: string;
  onClick: () => void;
}

export interface ToastApi {
  notify: (message: string, tone?: ToastTone, action?: ToastAction) => void;
}

export const ToastContext = createContext<ToastApi>({ notify: () => undefined });

export const useToast = () => useContext(ToastContext);
