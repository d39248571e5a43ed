// Where tabs hand each other a rotated token pair. localStorage reaches other tabs
// asynchronously (Chromium copies it into each tab's process), so a tab that takes the refresh
// lock just after another tab rotated the pair can still read the old one there, and spending
// that old refresh token would end the login. IndexedDB transactions are ordered across tabs:
// what one tab committed before releasing the lock, the next one reads.
import type { StoredSession } from "./session";

export interface SessionVault {
  /** The stored pair; `undefined` when nothing is recorded (fall back to localStorage). */
  read(): Promise<StoredSession | undefined>;
  write(session: StoredSession | null): Promise<void>;
}

const DATABASE = "albumen";
const STORE = "session";
const KEY = "current";

/** The browser's IndexedDB as a vault, when it has one (not jsdom, not some private modes). */
export function browserVault(): SessionVault | null {
  const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!idb) return null;
  let database: Promise<IDBDatabase> | null = null;
  const open = () =>
    (database ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = idb.open(DATABASE, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error("IndexedDB did not open"));
    }));

  /** Resolves when the transaction has committed, with the request's result. */
  async function transact<T>(
    mode: IDBTransactionMode,
    act: (store: IDBObjectStore) => IDBRequest<T>,
  ): Promise<T> {
    const db = await open();
    return new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = act(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction failed"));
    });
  }

  return {
    read: () => transact("readonly", (store) => store.get(KEY) as IDBRequest<StoredSession | undefined>),
    write: async (session) => {
      if (session) await transact("readwrite", (store) => store.put(session, KEY));
      else await transact("readwrite", (store) => store.delete(KEY));
    },
  };
}
