import { useCallback, useEffect, useMemo, useRef, useState } from "react";

export interface Selection {
  selected: ReadonlySet<string>;
  size: number;
  /** Toggles one id; with `range`, selects everything from the last clicked id to this one. */
  toggle: (id: string, range?: boolean) => void;
  selectAll: () => void;
  clear: () => void;
  /** Drops ids that are gone (moved, deleted). */
  drop: (ids: readonly string[]) => void;
}

/**
 * A set of selected ids over an ordered list. Shift-click selects the range from the anchor (the
 * last id clicked) to the clicked one; Escape clears, unless a dialog is open (Escape is its).
 */
export function useSelection(items: readonly { id: string }[]): Selection {
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const anchor = useRef<string | null>(null);
  const order = useRef(items);
  useEffect(() => {
    order.current = items;
  });

  const toggle = useCallback((id: string, range = false) => {
    const list = order.current;
    const from = anchor.current === null ? -1 : list.findIndex((item) => item.id === anchor.current);
    const to = list.findIndex((item) => item.id === id);
    setSelected((current) => {
      const next = new Set(current);
      if (range && from >= 0 && to >= 0) {
        const [a, b] = from < to ? [from, to] : [to, from];
        for (const item of list.slice(a, b + 1)) next.add(item.id);
      } else if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
    anchor.current = id;
  }, []);

  const selectAll = useCallback(() => setSelected(new Set(order.current.map((item) => item.id))), []);
  const clear = useCallback(() => {
    anchor.current = null;
    setSelected(new Set());
  }, []);
  const drop = useCallback((ids: readonly string[]) => {
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) next.delete(id);
      return next;
    });
  }, []);

  const active = selected.size > 0;
  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      if (document.querySelector("dialog[open]")) return;
      clear();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [active, clear]);

  return useMemo(
    () => ({ selected, size: selected.size, toggle, selectAll, clear, drop }),
    [selected, toggle, selectAll, clear, drop],
  );
}
