import { describe, expect, it, vi } from "vitest";
import { createApi } from "./client";
import { ApiError } from "./errors";
import { SessionStore } from "./session";

const user = {
  id: "0190a000-0000-7000-8000-000000000001",
  username: "ada",
  email: "ada@example.com",
  created_at: "2026-01-01T00:00:00Z",
  stats: { albums: 0, images: 0, bytes: 0, trash: { albums: 0, images: 0, bytes: 0 } },
};
const tokenBody = (n: number) => ({
  access_token: `access-${n}`,
  refresh_token: `refresh-${n}`,
  token_type: "Bearer",
  expires_in: 900,
  user,
});
const json = (status: number, body: unknown, type = "application/json") =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": type } });
const problem = (status: number, extra: object = {}) =>
  json(status, { type: "urn:albumen:problem:x", title: "Problem", status, detail: "it went wrong", ...extra }, "application/problem+json");

function setup(handler: (request: Request) => Response | Promise<Response>) {
  const session = new SessionStore({ storage: localStorage });
  const seen: Request[] = [];
  const fetch = vi.fn((request: Request) => {
    seen.push(request.clone());
    return Promise.resolve(handler(request));
  });
  const ctx = createApi({ session, baseUrl: "http://albumen.test", fetch });
  return { ...ctx, seen, fetch };
}

describe("the API client", () => {
  it("sends the bearer token on API calls but never on the auth routes", async () => {
    const { api, session, seen } = setup((req) =>
      req.url.endsWith("/auth/login") ? json(200, tokenBody(1)) : json(200, user),
    );
    const { data } = await api.POST("/api/v1/auth/login", { body: { username: "ada", password: "pw" } });
    if (!data) throw new Error("no token body");
    session.set(data);
    await api.GET("/api/v1/users/me");
    expect(seen[0]?.headers.get("authorization")).toBeNull();
    expect(seen[1]?.headers.get("authorization")).toBe("Bearer access-1");
  });

  it("turns problem+json into an ApiError with the field errors", async () => {
    const { api } = setup(() => problem(422, { errors: [{ field: "username", message: "must be 3 to 32 characters" }] }));
    const error = await api
      .POST("/api/v1/auth/register", { body: { username: "x", email: "x@example.com", password: "12345678" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(422);
    expect((error as ApiError).fieldErrors()).toEqual({ username: "must be 3 to 32 characters" });
  });

  it("refreshes once after a 401 and sends the request again with the new token", async () => {
    const { api, session, seen } = setup((req) => {
      if (req.url.endsWith("/auth/refresh")) return json(200, tokenBody(2));
      return req.headers.get("authorization") === "Bearer access-2" ? json(200, user) : problem(401);
    });
    session.set(tokenBody(1) as never);
    const { data } = await api.GET("/api/v1/users/me");
    expect(data?.username).toBe("ada");
    expect(seen.map((r) => new URL(r.url).pathname)).toEqual(["/api/v1/users/me", "/api/v1/auth/refresh", "/api/v1/users/me"]);
    expect(session.get()?.accessToken).toBe("access-2");
  });

  it("makes one refresh for many requests that got a 401 at the same time", async () => {
    let refreshes = 0;
    const { api, session } = setup(async (req) => {
      if (req.url.endsWith("/auth/refresh")) {
        refreshes++;
        await new Promise((r) => setTimeout(r, 10));
        return json(200, tokenBody(2));
      }
      return req.headers.get("authorization") === "Bearer access-2" ? json(200, user) : problem(401);
    });
    session.set(tokenBody(1) as never);
    await Promise.all([api.GET("/api/v1/users/me"), api.GET("/api/v1/users/me"), api.GET("/api/v1/users/me")]);
    expect(refreshes).toBe(1);
  });

  it("ends the session and rejects with the 401 when the refresh is refused", async () => {
    const { api, session } = setup(() => problem(401));
    session.set(tokenBody(1) as never);
    const listener = vi.fn();
    session.subscribe(listener);
    await expect(api.GET("/api/v1/users/me")).rejects.toMatchObject({ status: 401 });
    expect(session.get()).toBeNull();
    expect(listener).toHaveBeenCalledWith(null, "expired");
  });

  it("reports a network failure as status 0", async () => {
    const session = new SessionStore({ storage: localStorage });
    const { api } = createApi({ session, baseUrl: "http://albumen.test", fetch: () => Promise.reject(new TypeError("Failed to fetch")) });
    await expect(api.GET("/api/v1/albums/{id}", { params: { path: { id: "x" } } })).rejects.toMatchObject({ status: 0 });
  });
});
