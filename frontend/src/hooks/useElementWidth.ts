import { useEffect, useState, type RefObject } from "react";
import { flushSync } from "react-dom";

type Listener = (width: number) => void;

// One observer for every element that asks (a grid has hundreds of tiles).
const listeners = new Map<Element, Listener>();
let shared: ResizeObserver | null = null;

function observer(): ResizeObserver | null {
  if (shared || typeof ResizeObserver === "undefined") return shared;
  shared = new ResizeObserver((entries) => {
    // Applied at once (not on a later task), so an <img>'s `sizes` is right before the browser
    // picks from its srcset in this same frame.
    flushSync(() => {
      for (const entry of entries) listeners.get(entry.target)?.(entry.contentRect.width);
    });
  });
  return shared;
}

/** The element's CSS width in whole pixels (rounded up), or null until it has been laid out. */
export function useElementWidth(ref: RefObject<Element | null>): number | null {
  const [width, setWidth] = useState<number | null>(null);
  useEffect(() => {
    const node = ref.current;
    const watcher = observer();
    if (!node || !watcher) return;
    listeners.set(node, (w) => {
      if (w > 0) setWidth(Math.ceil(w));
    });
    watcher.observe(node);
    return () => {
      listeners.delete(node);
      watcher.unobserve(node);
    };
  }, [ref]);
  return width;
}
