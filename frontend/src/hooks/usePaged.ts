import { useCallback, useEffect, useRef, useState } from "react";

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type FetchPage<T> = (cursor: string | null, limit: number) => Promise<Page<T>>;

export interface Paged<T> {
  items: T[];
  loading: boolean;
  /** True once the last page (next_cursor null) has arrived. */
  done: boolean;
  error: unknown;
  loadMore: () => void;
  /** Fetches everything shown so far again (fresh signed URLs), replacing the list. */
  reload: () => Promise<void>;
  prepend: (items: readonly T[]) => void;
  remove: (predicate: (item: T) => boolean) => void;
}

const MAX_LIMIT = 200;

interface State<T> {
  items: T[];
  cursor: string | null;
  done: boolean;
  loading: boolean;
  error: unknown;
}

const FIRST: State<never> = { items: [], cursor: null, done: false, loading: true, error: null };

/**
 * Keyset pagination over a `{items, next_cursor}` listing: the first page on mount, the next one
 * on `loadMore`. A new `resetKey` (e.g. another sort or search) starts over from the first page;
 * so does a new `key` on the component.
 */
export function usePaged<T>(fetchPage: FetchPage<T>, pageSize = 60, resetKey = ""): Paged<T> {
  const [state, setState] = useState<State<T>>(FIRST);
  const [listedKey, setListedKey] = useState(resetKey);
  if (listedKey !== resetKey) {
    // Adjusted while rendering (not in an effect), so the old list is never shown for the new key.
    setListedKey(resetKey);
    setState(FIRST);
  }
  const fetchRef = useRef(fetchPage);
  const stateRef = useRef(state);
  // Bumped by reload, so an older page that arrives late is dropped.
  const generation = useRef(0);
  useEffect(() => {
    fetchRef.current = fetchPage;
    stateRef.current = state;
  });

  const fetchFrom = useCallback(
    async (cursor: string | null) => {
      const gen = generation.current;
      try {
        const page = await fetchRef.current(cursor, pageSize);
        if (gen !== generation.current) return;
        setState((prev) => ({
          items: cursor === null ? page.items : [...prev.items, ...page.items],
          cursor: page.next_cursor,
          done: page.next_cursor === null,
          loading: false,
          error: null,
        }));
      } catch (error) {
        if (gen === generation.current) setState((prev) => ({ ...prev, loading: false, error }));
      }
    },
    [pageSize],
  );

  useEffect(() => {
    // Whatever an older listing still has in flight is dropped.
    generation.current++;
    void fetchFrom(null);
  }, [fetchFrom, resetKey]);

  const loadMore = useCallback(() => {
    const current = stateRef.current;
    if (current.loading || current.done || current.error) return;
    stateRef.current = { ...current, loading: true };
    setState((prev) => ({ ...prev, loading: true }));
    void fetchFrom(current.cursor);
  }, [fetchFrom]);

  const reload = useCallback(async () => {
    const gen = ++generation.current;
    const wanted = Math.max(stateRef.current.items.length, pageSize);
    setState((prev) => ({ ...prev, loading: true }));
    try {
      const fresh: T[] = [];
      let next: string | null = null;
      do {
        const page: Page<T> = await fetchRef.current(next, Math.min(MAX_LIMIT, wanted - fresh.length));
        fresh.push(...page.items);
        next = page.next_cursor;
      } while (next !== null && fresh.length < wanted);
      if (gen !== generation.current) return;
      setState({ items: fresh, cursor: next, done: next === null, loading: false, error: null });
    } catch (error) {
      if (gen === generation.current) setState((prev) => ({ ...prev, loading: false, error }));
    }
  }, [pageSize]);

  return {
    items: state.items,
    loading: state.loading,
    done: state.done,
    error: state.error,
    loadMore,
    reload,
    prepend: useCallback((added: readonly T[]) => {
      setState((prev) => ({ ...prev, items: [...added, ...prev.items] }));
    }, []),
    remove: useCallback((predicate: (item: T) => boolean) => {
      setState((prev) => ({ ...prev, items: prev.items.filter((item) => !predicate(item)) }));
    }, []),
  };
}
