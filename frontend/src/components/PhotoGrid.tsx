import { useEffect, useRef, useState, type CSSProperties } from "react";
import type { Image } from "../api/types";
import { useElementSize } from "../hooks/useElementSize";
import { formatDate } from "../lib/format";
import { placeholderStyle } from "../lib/placeholder";
import { buildSrcSet, tileSizes } from "../lib/srcset";

export interface PhotoGridProps {
  images: readonly Image[];
  /** Accessible name of the grid, e.g. "Photos in Holidays". */
  label: string;
  onOpen: (image: Image) => void;
  /** Asked for the next page when the end of the grid comes near. */
  onNearEnd?: () => void;
  hasMore?: boolean;
  loading?: boolean;
  /** A thumbnail failed to load: its signed URL may have expired. */
  onStale?: () => void;
  /** When given, each tile gets a checkbox (shown on hover/focus, always once one is ticked). */
  selection?: GridSelection;
}

export interface GridSelection {
  selected: ReadonlySet<string>;
  toggle: (id: string, range?: boolean) => void;
}

/** A little over `.photo-tile__img`'s opacity transition (grids.css). */
const FADE_IN_MS = 400;

/**
 * A justified grid (rows of equal height, like Flickr). Each tile knows its aspect ratio from
 * the thumb's width and height before the picture arrives, so nothing moves while loading, and
 * paints the photo's placeholder (colour and blurred ThumbHash) until it has. Each tile picks
 * thumb, small or medium by its own width and the screen's pixel density (srcset + sizes).
 */
export function PhotoGrid({ images, label, onOpen, onNearEnd, hasMore, loading, onStale, selection }: PhotoGridProps) {
  const selecting = selection !== undefined && selection.selected.size > 0;
  return (
    <div className="photo-grid-wrap" aria-busy={loading ? true : undefined}>
      <ul className={selecting ? "photo-grid is-selecting" : "photo-grid"} aria-label={label}>
        {images.map((image) => (
          <PhotoTile
            key={image.id}
            image={image}
            onOpen={onOpen}
            onStale={onStale}
            selection={selection}
            selecting={selecting}
          />
        ))}
      </ul>
      {hasMore && onNearEnd && <Sentinel key={images.length} onVisible={onNearEnd} />}
      {loading && (
        <p className="grid-status" role="status">
          <span className="spinner" aria-hidden="true" /> Loading photos…
        </p>
      )}
    </div>
  );
}

function PhotoTile({
  image,
  onOpen,
  onStale,
  selection,
  selecting,
}: {
  image: Image;
  onOpen: (image: Image) => void;
  onStale: (() => void) | undefined;
  selection: GridSelection | undefined;
  selecting: boolean;
}) {
  const checked = selection?.selected.has(image.id) ?? false;
  const thumb = image.variants.thumb;
  const [loaded, setLoaded] = useState(false);
  // The placeholder goes once the photo has faded in over it (not before: no grey flash).
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    if (!loaded) return;
    const timer = window.setTimeout(() => setSettled(true), FADE_IN_MS);
    return () => window.clearTimeout(timer);
  }, [loaded]);
  const tile = useRef<HTMLLIElement>(null);
  const width = useElementSize(tile)?.width ?? null;
  const ratio = thumb.width > 0 && thumb.height > 0 ? thumb.width / thumb.height : 1;
  const style = { "--ratio": ratio, ...(settled ? {} : placeholderStyle(image)) } as CSSProperties;
  return (
    <li ref={tile} className={checked ? "photo-tile is-selected" : "photo-tile"} style={style}>
      <button
        type="button"
        className="photo-tile__button"
        onClick={(event) => {
          // While selecting, a click on the photo ticks it (shift: a range) instead of opening it.
          if (selection && (selecting || event.shiftKey)) selection.toggle(image.id, event.shiftKey);
          else onOpen(image);
        }}
        aria-label={`Open ${image.filename}`}
        title={image.filename}
      >
        <img
          className={loaded ? "photo-tile__img is-loaded" : "photo-tile__img"}
          src={thumb.url}
          srcSet={buildSrcSet([thumb, image.variants.small, image.variants.medium])}
          sizes={tileSizes(ratio, width)}
          width={thumb.width}
          height={thumb.height}
          alt={`${image.filename}, uploaded ${formatDate(image.created_at)}`}
          loading="lazy"
          decoding="async"
          onLoad={() => setLoaded(true)}
          onError={() => onStale?.()}
        />
      </button>
      {selection && (
        <label className="photo-tile__check" title={checked ? `Deselect ${image.filename}` : `Select ${image.filename}`}>
          <input
            type="checkbox"
            checked={checked}
            aria-label={`Select ${image.filename}`}
            onChange={() => undefined}
            onClick={(event) => {
              event.stopPropagation();
              selection.toggle(image.id, event.shiftKey);
            }}
          />
        </label>
      )}
    </li>
  );
}

/** Calls `onVisible` whenever it scrolls within a screen of the viewport. */
function Sentinel({ onVisible }: { onVisible: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const callback = useRef(onVisible);
  useEffect(() => {
    callback.current = onVisible;
  });
  useEffect(() => {
    const node = ref.current;
    if (!node || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) callback.current();
      },
      { rootMargin: "800px 0px" },
    );
    observer.observe(node);
    return () => observer.disconnect();
  }, []);
  return <div ref={ref} className="grid-sentinel" aria-hidden="true" />;
}
