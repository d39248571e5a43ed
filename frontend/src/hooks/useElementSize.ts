import { useEffect, useState, type RefObject } from "react";
import { flushSync } from "react-dom";

export interface ElementSize {
  width: number;
  height: number;
}

type Listener = (size: ElementSize) => void;

// One observer for every element that asks (a grid has hundreds of tiles).
const listeners = new Map<Element, Listener>();
let shared: ResizeObserver | null = null;

function observer(): ResizeObserver | null {
  if (shared || typeof ResizeObserver === "undefined") return shared;
  shared = new ResizeObserver((entries) => {
    // Applied at once (not on a later task), so an <img>'s `sizes` is right before the browser
    // picks from its srcset in this same frame.
    flushSync(() => {
      for (const entry of entries) {
        const { width, height } = entry.contentRect;
        listeners.get(entry.target)?.({ width, height });
      }
    });
  });
  return shared;
}

/**
 * The element's CSS content box in whole pixels (rounded up), or null until it has been laid
 * out (and in environments without ResizeObserver).
 */
export function useElementSize(ref: RefObject<Element | null>): ElementSize | null {
  const [size, setSize] = useState<ElementSize | null>(null);
  useEffect(() => {
    const node = ref.current;
    const watcher = observer();
    if (!node || !watcher) return;
    listeners.set(node, ({ width, height }) => {
      if (width <= 0 || height <= 0) return;
      const next = { width: Math.ceil(width), height: Math.ceil(height) };
      setSize((prev) => (prev && prev.width === next.width && prev.height === next.height ? prev : next));
    });
    watcher.observe(node);
    return () => {
      listeners.delete(node);
      watcher.unobserve(node);
    };
  }, [ref]);
  return size;
}
