import { createContext, useContext } from "react";

export type ToastTone = "info" | "success" | "error";

export interface ToastApi {
  notify: (message: string, tone?: ToastTone) => void;
}

export const ToastContext = createContext<ToastApi>({ notify: () => undefined });

export const useToast = () => useContext(ToastContext);
