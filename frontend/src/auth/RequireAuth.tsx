import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { useAuth } from "./AuthContext";

/**
 * Sends a visitor to login, remembering the page they asked for; after an expired session the
 * login page says so. After a deliberate logout there is nothing to come back to.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, ended } = useAuth();
  const location = useLocation();
  if (!user) {
    const next = location.pathname + location.search;
    const params = new URLSearchParams();
    if (next !== "/" && ended !== "logout") params.set("next", next);
    if (ended === "expired") params.set("expired", "1");
    const query = params.toString();
    return <Navigate to={query ? `/login?${query}` : "/login"} replace />;
  }
  return <>{children}</>;
}
