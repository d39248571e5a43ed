import { describe, expect, it, vi } from "vitest";
import { SessionStore, type Refresher, type StoredSession } from "./session";
import type { SessionVault } from "./vault";
import type { TokenResponse } from "./types";

const user = {
  id: "0190a000-0000-7000-8000-000000000001",
  username: "ada",
  email: "ada@example.com",
  created_at: "2026-01-01T00:00:00Z",
  stats: { albums: 0, images: 0, bytes: 0, trash: { albums: 0, images: 0, bytes: 0 } },
};

function tokens(n: number, expiresIn = 900): TokenResponse {
  return { access_token: `access-${n}`, refresh_token: `refresh-${n}`, token_type: "Bearer", expires_in: expiresIn, user };
}

/** A Web Locks stand-in: callbacks for one name run one after another. */
function fakeLocks() {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    request<T>(_name: string, callback: () => Promise<T>): Promise<T> {
      const run = tail.then(callback, callback);
      tail = run.catch(() => undefined);
      return run;
    },
  };
}

/** A tab's own copy of localStorage, which hears of other tabs' writes only when told. */
class TabStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  copyFrom(other: TabStorage) {
    this.items = new Map(other.items);
  }
}

/** IndexedDB's part: one record that every tab reads as the last writer left it. */
function sharedVault(): SessionVault {
  let record: StoredSession | undefined;
  return {
    read: () => Promise.resolve(record),
    write: (session) => {
      record = session ?? undefined;
      return Promise.resolve();
    },
  };
}

/** The server's rule: each refresh token works once (reuse would revoke the login). */
function strictServer(): Refresher {
  const spent = new Set<string>();
  return (refreshToken) => {
    if (spent.has(refreshToken)) return Promise.resolve(null);
    spent.add(refreshToken);
    return Promise.resolve(tokens(Number(refreshToken.split("-")[1]) + 1));
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("SessionStore", () => {
  it("hands out the stored access token while it is fresh, without refreshing", async () => {
    const store = new SessionStore({ storage: localStorage });
    store.set(tokens(1));
    const refresher = vi.fn<Refresher>();
    expect(await store.accessToken(refresher)).toBe("access-1");
    expect(refresher).not.toHaveBeenCalled();
  });

  it("refreshes before a request when the access token is about to expire", async () => {
    const store = new SessionStore({ storage: localStorage });
    store.set(tokens(1, 10)); // expires within the 30 s margin
    const refresher = vi.fn<Refresher>(() => Promise.resolve(tokens(2)));
    expect(await store.accessToken(refresher)).toBe("access-2");
    expect(refresher).toHaveBeenCalledWith("refresh-1");
    expect(store.get()?.refreshToken).toBe("refresh-2");
  });

  it("shares one refresh among concurrent callers (single flight)", async () => {
    const store = new SessionStore({ storage: localStorage });
    store.set(tokens(1));
    const answer = deferred<TokenResponse | null>();
    const refresher = vi.fn<Refresher>(() => answer.promise);
    const calls = [store.refresh(refresher, "access-1"), store.refresh(refresher, "access-1"), store.refresh(refresher, "access-1")];
    answer.resolve(tokens(2));
    const results = await Promise.all(calls);
    expect(refresher).toHaveBeenCalledTimes(1);
    expect(results.map((s) => s?.accessToken)).toEqual(["access-2", "access-2", "access-2"]);
  });

  it("does not refresh again for a 401 whose token was already replaced", async () => {
    const store = new SessionStore({ storage: localStorage });
    store.set(tokens(1));
    await store.refresh(() => Promise.resolve(tokens(2)), "access-1");
    const refresher = vi.fn<Refresher>();
    const again = await store.refresh(refresher, "access-1"); // a late 401 for the old token
    expect(refresher).not.toHaveBeenCalled();
    expect(again?.accessToken).toBe("access-2");
  });

  it("lets only one of two tabs spend the refresh token; the other adopts the new pair", async () => {
    const locks = fakeLocks();
    const tabA = new SessionStore({ storage: localStorage, locks });
    const tabB = new SessionStore({ storage: localStorage, locks });
    tabA.set(tokens(1, 5)); // both tabs see an expiring token
    const server = strictServer();
    const a = vi.fn(server);
    const b = vi.fn(server);
    const [tokenA, tokenB] = await Promise.all([tabA.accessToken(a), tabB.accessToken(b)]);
    expect(a.mock.calls.length + b.mock.calls.length).toBe(1);
    expect(tokenA).toBe("access-2");
    expect(tokenB).toBe("access-2");
  });

  it("does not refresh in a tab whose refresh starts after another tab already rotated the pair", async () => {
    const tabA = new SessionStore({ storage: localStorage });
    const tabB = new SessionStore({ storage: localStorage });
    tabA.set(tokens(1, 5)); // both tabs see an expiring token
    expect(await tabA.accessToken(() => Promise.resolve(tokens(2)))).toBe("access-2");
    const b = vi.fn<Refresher>();
    expect(await tabB.refresh(b)).toMatchObject({ accessToken: "access-2" });
    expect(b).not.toHaveBeenCalled();
  });

  it("adopts the pair another tab left in the vault even when its localStorage has not caught up", async () => {
    const locks = fakeLocks();
    const vault = sharedVault();
    const storageA = new TabStorage();
    const storageB = new TabStorage();
    const tabA = new SessionStore({ storage: storageA, locks, vault });
    tabA.set(tokens(1, 5)); // both tabs see an expiring token
    storageB.copyFrom(storageA);
    const tabB = new SessionStore({ storage: storageB, locks, vault });
    const server = strictServer();
    const b = vi.fn(server);
    expect(await tabA.accessToken(server)).toBe("access-2");
    // Tab B's localStorage still holds the spent pair; only the vault knows better.
    expect(storageB.getItem("albumen.session")).toContain("refresh-1");
    expect(await tabB.accessToken(b)).toBe("access-2");
    expect(b).not.toHaveBeenCalled();
  });

  it("keeps to localStorage when the vault fell behind it (a write that failed)", async () => {
    const vault = sharedVault();
    await vault.write({ accessToken: "access-1", refreshToken: "refresh-1", expiresAt: Date.now() - 60_000, user });
    const failing: SessionVault = { read: () => vault.read(), write: () => Promise.reject(new Error("quota")) };
    const store = new SessionStore({ storage: localStorage, vault: failing });
    store.set(tokens(2, 5)); // expiring; the vault keeps the older pair
    const refresher = vi.fn<Refresher>(() => Promise.resolve(tokens(3)));
    expect(await store.accessToken(refresher)).toBe("access-3");
    expect(refresher).toHaveBeenCalledWith("refresh-2");
  });

  it("ends the session as expired when the server refuses the refresh token", async () => {
    const store = new SessionStore({ storage: localStorage });
    store.set(tokens(1));
    const listener = vi.fn();
    store.subscribe(listener);
    expect(await store.refresh(() => Promise.resolve(null), "access-1")).toBeNull();
    expect(store.get()).toBeNull();
    expect(listener).toHaveBeenLastCalledWith(null, "expired");
  });

  it("keeps the session when the refresh could not reach the server", async () => {
    const store = new SessionStore({ storage: localStorage });
    store.set(tokens(1));
    await expect(store.refresh(() => Promise.reject(new TypeError("offline")), "access-1")).rejects.toThrow("offline");
    expect(store.get()?.refreshToken).toBe("refresh-1");
  });
});
