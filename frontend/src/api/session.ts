// The signed-in session: tokens in localStorage (shared by every tab) and the one place that
// refreshes them.
//
// Refresh tokens rotate, and presenting a spent one revokes the whole login. So a refresh is
// single-flight: one at a time in this tab (concurrent callers share the promise), and one at a
// time across tabs (a Web Lock, when the browser has them). Inside the lock the stored tokens are
// read again, from the vault (IndexedDB) when there is one: when another tab already rotated
// them, this tab adopts the new pair instead of spending the old refresh token a second time.
import type { TokenResponse, User } from "./types";
import type { SessionVault } from "./vault";

export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires, in ms since the epoch (by this browser's clock). */
  expiresAt: number;
  user: User;
}

/** Exchanges a refresh token; resolves null when the server refuses it (the login is over). */
export type Refresher = (refreshToken: string) => Promise<TokenResponse | null>;

export type SessionEndReason = "logout" | "expired";
export type SessionListener = (session: StoredSession | null, reason?: SessionEndReason) => void;

interface LockLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export interface SessionOptions {
  storage?: Storage | null;
  locks?: LockLike | null;
  vault?: SessionVault | null;
  now?: () => number;
  key?: string;
}

/** Refresh this long before the access token expires, so a request never races the clock. */
export const REFRESH_MARGIN_MS = 30_000;
const LOCK_NAME = "albumen.session.refresh";
const DEFAULT_KEY = "albumen.session";

export class SessionStore {
  private readonly storage: Storage | null;
  private readonly locks: LockLike | null;
  private readonly vault: SessionVault | null;
  /** This tab's vault writes, in order; the last one settles when all have. */
  private vaultWrites: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly key: string;
  private memory: StoredSession | null = null;
  private inflight: Promise<StoredSession | null> | null = null;
  private readonly listeners = new Set<SessionListener>();

  constructor(options: SessionOptions = {}) {
    this.storage = options.storage ?? null;
    this.locks = options.locks ?? null;
    this.vault = options.vault ?? null;
    this.now = options.now ?? Date.now;
    this.key = options.key ?? DEFAULT_KEY;
    this.memory = this.readStorage();
  }

  /** The current session, as stored (another tab may have changed it). */
  get(): StoredSession | null {
    if (this.storage) this.memory = this.readStorage();
    return this.memory;
  }

  /** Starts or replaces the session from a login, register or refresh answer. */
  set(tokens: TokenResponse): StoredSession {
    const session: StoredSession = {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresAt: this.now() + tokens.expires_in * 1000,
      user: tokens.user,
    };
    this.write(session);
    this.emit(session);
    return session;
  }

  /** Keeps the tokens, updates the user (e.g. fresh stats from /users/me). */
  updateUser(user: User): void {
    const current = this.get();
    if (!current) return;
    const next = { ...current, user };
    this.write(next);
    this.emit(next);
  }

  clear(reason: SessionEndReason): void {
    this.write(null);
    this.emit(null, reason);
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Call from a `storage` event: another tab logged in, refreshed or logged out. */
  handleStorageEvent(event: StorageEvent): void {
    if (event.key !== this.key && event.key !== null) return;
    const before = this.memory;
    const after = this.get();
    if (before?.refreshToken === after?.refreshToken) return;
    this.emit(after, after ? undefined : "logout");
  }

  /**
   * A usable access token, refreshing first when it is about to expire; null when signed out.
   * Throws only when a needed refresh could not reach the server.
   */
  async accessToken(refresher: Refresher): Promise<string | null> {
    const current = this.get();
    if (!current) return null;
    if (!this.expiringSoon(current)) return current.accessToken;
    const renewed = await this.refresh(refresher);
    return renewed?.accessToken ?? null;
  }

  /**
   * Single-flight refresh. `rejectedAccessToken` is the token a 401 answered: if the stored one is
   * already different (another caller or tab refreshed), that one is used without a new refresh.
   * Resolves null (and ends the session) when the server refuses the refresh token.
   */
  refresh(refresher: Refresher, rejectedAccessToken?: string): Promise<StoredSession | null> {
    this.inflight ??= this.refreshOnce(refresher, rejectedAccessToken).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async refreshOnce(
    refresher: Refresher,
    rejectedAccessToken: string | undefined,
  ): Promise<StoredSession | null> {
    const work = async (): Promise<StoredSession | null> => {
      const current = await this.latest();
      if (!current) return null;
      // A refresh is wanted for an expiring token or for the token a 401 refused. When the stored
      // pair is neither, another caller or tab has rotated it meanwhile (perhaps before this one
      // even asked for the lock): adopt it rather than spend a refresh token again.
      const stillGood =
        !this.expiringSoon(current) && current.accessToken !== rejectedAccessToken;
      if (stillGood) {
        this.emit(current);
        return current;
      }
      const answer = await refresher(current.refreshToken);
      if (answer === null) {
        // Another tab may have rotated the token while this request was out; if so, keep theirs.
        const latest = await this.latest();
        if (latest && latest.refreshToken !== current.refreshToken) return latest;
        this.clear("expired");
        return null;
      }
      const renewed = this.set(answer);
      await this.vaultWrites; // committed before the lock passes to another tab
      return renewed;
    };
    return this.locks ? this.locks.request(LOCK_NAME, work) : work();
  }

  /**
   * The stored pair as the last tab to hold the lock left it. The vault is ahead of this tab's
   * localStorage while another tab's write is still on its way here; it can also fall behind
   * (a failed write), so the later issue wins, localStorage on a tie.
   */
  private async latest(): Promise<StoredSession | null> {
    const local = this.get();
    if (!this.vault) return local;
    await this.vaultWrites;
    let shared: StoredSession | undefined;
    try {
      shared = await this.vault.read();
    } catch {
      return local; // no usable IndexedDB: localStorage is all there is
    }
    if (shared && (!local || shared.expiresAt > local.expiresAt)) {
      this.memory = shared;
      return shared;
    }
    return local;
  }

  private expiringSoon(session: StoredSession): boolean {
    return session.expiresAt - this.now() <= REFRESH_MARGIN_MS;
  }

  private emit(session: StoredSession | null, reason?: SessionEndReason): void {
    for (const listener of this.listeners) listener(session, reason);
  }

  private readStorage(): StoredSession | null {
    if (!this.storage) return this.memory;
    try {
      const raw = this.storage.getItem(this.key);
      return raw ? (JSON.parse(raw) as StoredSession) : null;
    } catch {
      return null;
    }
  }

  private write(session: StoredSession | null): void {
    this.memory = session;
    const vault = this.vault;
    if (vault) {
      this.vaultWrites = this.vaultWrites.then(() => vault.write(session)).catch(() => undefined);
    }
    if (!this.storage) return;
    try {
      if (session) this.storage.setItem(this.key, JSON.stringify(session));
      else this.storage.removeItem(this.key);
    } catch {
      // Storage full or blocked (private mode): the in-memory copy still works for this tab.
    }
  }
}

/** The browser's Web Locks, when present (all current browsers; not jsdom). */
export function browserLocks(): LockLike | null {
  const nav = globalThis.navigator as (Navigator & { locks?: LockLike }) | undefined;
  return nav?.locks ?? null;
}

export function browserStorage(): Storage | null {
  try {
    return globalThis.localStorage;
  } catch {
    return null;
  }
}
