// The one API client: openapi-fetch over the types generated from openapi.yaml, with two
// middlewares — the bearer token (with silent, single-flight refresh and one retry after a 401)
// and problem+json → ApiError. Every call in the app goes through `api` (the upload, which needs
// progress events, borrows `bearerToken`/`renewAfter401` from here).
import createClient, { type Client, type Middleware } from "openapi-fetch";
import { ApiError } from "./errors";
import type { paths } from "./schema.gen";
import {
  SessionStore,
  browserLocks,
  browserStorage,
  type Refresher,
  type StoredSession,
} from "./session";
import { browserVault } from "./vault";

export type ApiClient = Client<paths>;

/** Routes that carry their own credentials in the body; never given a bearer token. */
const isAuthRoute = (schemaPath: string) => schemaPath.startsWith("/api/v1/auth/");

export interface ApiContext {
  api: ApiClient;
  session: SessionStore;
  refresher: Refresher;
  /** A token for a request about to go out (refreshed first when about to expire), or null. */
  bearerToken: () => Promise<string | null>;
  /** After a 401 for `rejected`: a renewed token, or null when the login is over. */
  renewAfter401: (rejected: string) => Promise<string | null>;
}

export interface ApiOptions {
  session: SessionStore;
  baseUrl?: string;
  /** openapi-fetch calls it with one Request. */
  fetch?: (input: Request) => Promise<Response>;
}

/** Turns every non-2xx answer into a thrown ApiError; network failures into status 0. */
const problemMiddleware: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw await ApiError.fromResponse(response);
    return undefined;
  },
  onError({ error }) {
    if (error instanceof ApiError) return error;
    if (error instanceof DOMException && error.name === "AbortError") return error;
    return new ApiError({
      type: "about:blank",
      title: "Network error",
      status: 0,
      detail: "The server could not be reached.",
    });
  },
};

function authMiddleware(ctx: Omit<ApiContext, "api">): Middleware {
  // A copy of each authorised request, so it can be sent again after a refresh.
  const pending = new Map<string, Request>();
  return {
    async onRequest({ request, schemaPath, id }) {
      if (isAuthRoute(schemaPath)) return undefined;
      const token = await ctx.bearerToken();
      if (!token) return undefined; // a visitor: public albums need no token
      const authorised = withBearer(request, token);
      pending.set(id, authorised.clone());
      return authorised;
    },
    async onResponse({ response, id, options }) {
      const original = pending.get(id);
      pending.delete(id);
      if (response.status !== 401 || !original) return undefined;
      const sent = original.headers.get("Authorization")?.replace(/^Bearer /, "") ?? "";
      const renewed = await ctx.renewAfter401(sent);
      if (!renewed) return undefined; // the 401 stands; the session listener sends them to login
      return options.fetch(withBearer(original, renewed));
    },
    onError({ id }) {
      pending.delete(id);
      return undefined;
    },
  };
}

function withBearer(request: Request, token: string): Request {
  const headers = new Headers(request.headers);
  headers.set("Authorization", `Bearer ${token}`);
  return new Request(request, { headers });
}

export function createApi(options: ApiOptions): ApiContext {
  const { session } = options;
  // Looked up on each call (not captured once), so tests can stub the global fetch.
  const fetcher = options.fetch ?? ((input: Request) => globalThis.fetch(input));
  const api = createClient<paths>({ baseUrl: options.baseUrl ?? "", fetch: fetcher });

  const refresher: Refresher = async (refreshToken) => {
    try {
      const { data } = await api.POST("/api/v1/auth/refresh", {
        body: { refresh_token: refreshToken },
      });
      return data ?? null;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 422)) return null;
      throw error;
    }
  };

  const ctx: Omit<ApiContext, "api"> = {
    session,
    refresher,
    bearerToken: () => session.accessToken(refresher),
    renewAfter401: async (rejected) => {
      const renewed: StoredSession | null = await session.refresh(refresher, rejected);
      return renewed?.accessToken ?? null;
    },
  };
  // onResponse runs in reverse order: auth (retry after refresh) first, then problem → error.
  api.use(problemMiddleware, authMiddleware(ctx));
  return { api, ...ctx };
}

/**
 * The body of a successful call. The middleware throws on any failure, so a missing body
 * only happens for answers without one (204).
 */
export async function unwrap<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  const { data } = await call;
  return data as T;
}

function browserOrigin(): string {
  return typeof window === "undefined" ? "" : window.location.origin;
}

export const session = new SessionStore({
  storage: browserStorage(),
  locks: browserLocks(),
  vault: browserVault(),
});
const context = createApi({ session, baseUrl: browserOrigin() });

export const api = context.api;
export const bearerToken = context.bearerToken;
export const renewAfter401 = context.renewAfter401;

if (typeof window !== "undefined") {
  window.addEventListener("storage", (event) => session.handleStorageEvent(event));
}
