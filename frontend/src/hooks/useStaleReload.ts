import { useCallback, useRef } from "react";

/** Signed URLs last an hour; wait this long between list reloads caused by broken pictures. */
const MIN_INTERVAL_MS = 30_000;

/**
 * Wraps a list's reload for use on <img> errors: the first error reloads (fresh signed URLs),
 * further errors within the interval do nothing, so a truly broken picture cannot loop.
 */
export function useStaleReload(reload: () => Promise<void>): () => void {
  const last = useRef(0);
  return useCallback(() => {
    const now = Date.now();
    if (now - last.current < MIN_INTERVAL_MS) return;
    last.current = now;
    void reload();
  }, [reload]);
}
