import { createContext, useContext } from "react";
import type { SessionEndReason } from "../api/session";
import type { User } from "../api/types";

export interface AuthValue {
  user: User | null;
  /** Why the last session ended in this tab, if it did. */
  ended: SessionEndReason | null;
  login: (username: string, password: string) => Promise<void>;
  register: (username: string, email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  /** Fetches /users/me again (stats change with uploads). */
  refreshUser: () => Promise<void>;
}

export const AuthContext = createContext<AuthValue | null>(null);

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth outside <AuthProvider>");
  return value;
}

/** Where to go after login: the `next` query parameter when it is a path of this app. */
export function safeNext(next: string | null): string {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/login")) return "/";
  return next;
}
