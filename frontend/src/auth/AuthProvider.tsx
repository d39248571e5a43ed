import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, session, unwrap } from "../api/client";
import type { SessionEndReason } from "../api/session";
import type { User } from "../api/types";
import { AuthContext, type AuthValue } from "./AuthContext";

/**
 * Holds who is signed in, following the session store (this tab and the others). When a session
 * ends by itself (the refresh token was refused), RequireAuth sends the person to the login page
 * with `next` set to where they were, and they come back there after logging in.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(() => session.get()?.user ?? null);
  const [ended, setEnded] = useState<SessionEndReason | null>(null);

  useEffect(
    () =>
      session.subscribe((current, reason) => {
        setUser(current?.user ?? null);
        setEnded(current ? null : (reason ?? "logout"));
      }),
    [],
  );

  const login = useCallback(async (username: string, password: string) => {
    const tokens = await unwrap(api.POST("/api/v1/auth/login", { body: { username, password } }));
    session.set(tokens);
  }, []);

  const register = useCallback(async (username: string, email: string, password: string) => {
    const tokens = await unwrap(
      api.POST("/api/v1/auth/register", { body: { username, email, password } }),
    );
    session.set(tokens);
  }, []);

  const logout = useCallback(async () => {
    const current = session.get();
    session.clear("logout");
    if (current) {
      // Ends this login on the server; a failure here must not keep the person signed in.
      await api
        .POST("/api/v1/auth/logout", { body: { refresh_token: current.refreshToken } })
        .catch(() => undefined);
    }
  }, []);

  const refreshUser = useCallback(async () => {
    if (!session.get()) return;
    const me = await unwrap(api.GET("/api/v1/users/me"));
    session.updateUser(me);
  }, []);

  const value = useMemo<AuthValue>(
    () => ({ user, ended, login, register, logout, refreshUser }),
    [user, ended, login, register, logout, refreshUser],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
