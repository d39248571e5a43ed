import { useEffect } from "react";

export const APP_NAME = "Albumen";

/** Layers, lowest first: a page's title gives way to the viewer's while the viewer is open. */
export type TitleLayer = "page" | "overlay";

interface Entry {
  title: string;
  layer: TitleLayer;
  order: number;
}

const entries = new Set<Entry>();
let counter = 0;

function apply() {
  let top: Entry | null = null;
  for (const entry of entries) {
    if (!top || rank(entry) > rank(top)) top = entry;
  }
  document.title = top ? `${top.title} — ${APP_NAME}` : APP_NAME;
}

const rank = (entry: Entry) => (entry.layer === "overlay" ? 1e12 : 0) + entry.order;

/**
 * Names the tab after what it shows ("Holidays — Albumen"). The viewer's title wins over the
 * page under it whatever order they mount in; when it closes the page's title comes back.
 * A null title (still loading) leaves the tab as it was.
 */
export function useDocumentTitle(title: string | null, layer: TitleLayer = "page") {
  useEffect(() => {
    if (title === null) return;
    const entry: Entry = { title, layer, order: ++counter };
    entries.add(entry);
    apply();
    return () => {
      entries.delete(entry);
      apply();
    };
  }, [title, layer]);
}
