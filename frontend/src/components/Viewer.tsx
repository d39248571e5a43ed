import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import type { Image, Size, Variant } from "../api/types";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { useSwipe } from "../hooks/useSwipe";
import { useElementSize, type ElementSize } from "../hooks/useElementSize";
import { formatBytes } from "../lib/format";
import { buildSrcSet, slotSizes } from "../lib/srcset";
import { ConfirmDialog } from "./ConfirmDialog";
import { ImageFacts } from "./ImageFacts";
import {
  AlbumIcon,
  ChevronLeft,
  ChevronRight,
  CloseIcon,
  DownloadIcon,
  InfoIcon,
  TrashIcon,
} from "./icons";

const VIEWER_SIZES = ["small", "medium", "large", "original"] as const satisfies readonly Size[];
type ViewerSize = (typeof VIEWER_SIZES)[number];

const SIZE_LABELS: Record<ViewerSize, string> = {
  small: "S",
  medium: "M",
  large: "L",
  original: "Original",
};
const SIZE_NAMES: Record<ViewerSize, string> = {
  small: "Small",
  medium: "Medium",
  large: "Large",
  original: "Original",
};

export interface ViewerProps {
  images: readonly Image[];
  index: number;
  onIndexChange: (index: number) => void;
  onClose: () => void;
  /** Present for the owner only. */
  onDelete?: ((image: Image) => Promise<void>) | undefined;
  /** Present for the owner inside an album: make this photo the album's cover. */
  onUseAsCover?: ((image: Image) => Promise<void>) | undefined;
  /** The album's chosen cover, if any (its button then says so). */
  coverImageId?: string | null | undefined;
  /** Asked when the person nears the end of what is loaded. */
  onNearEnd?: (() => void) | undefined;
  /** A picture failed to load: its signed URL may have expired. */
  onStale?: (() => void) | undefined;
}

/**
 * The full-screen photo viewer: medium by default (a GIF's original, so it moves), a size
 * switch, arrows and swipes, facts. The picture is fitted (object-fit: contain) into the space
 * the toolbar and the details leave, at every size.
 */
export function Viewer({
  images,
  index,
  onIndexChange,
  onClose,
  onDelete,
  onUseAsCover,
  coverImageId,
  onNearEnd,
  onStale,
}: ViewerProps) {
  const image = images[index];
  const ref = useRef<HTMLDialogElement>(null);
  const [chosenSize, setSize] = useState<ViewerSize | null>(null);
  const [showInfo, setShowInfo] = useState(() => window.matchMedia("(min-width: 1100px)").matches);
  const [confirming, setConfirming] = useState(false);
  const [loadedUrl, setLoadedUrl] = useState<string | null>(null);
  // Which of medium/large the browser took from the srcset (read off `currentSrc` on load).
  const [picked, setPicked] = useState<{ url: string; size: ViewerSize } | null>(null);
  const frameRef = useRef<HTMLDivElement>(null);
  const frame = useElementSize(frameRef);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return () => opener?.focus();
  }, []);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
    }
  }, []);

  const hasPrev = index > 0;
  const hasNext = index < images.length - 1;
  const prev = hasPrev ? () => onIndexChange(index - 1) : null;
  const next = hasNext ? () => onIndexChange(index + 1) : null;
  const swipe = useSwipe(prev, next);
  useDocumentTitle(image?.filename ?? null, "overlay");
  const size = chosenSize ?? (image ? defaultSize(image) : "medium");
  // Until a size is chosen, the browser picks medium or large for the space and the screen.
  const responsive = chosenSize === null && size === "medium";
  // The picture waits (a frame) for the frame's size: with a guess, the browser would fetch a
  // larger candidate first and keep it.
  const measuring = responsive && frame === null && typeof ResizeObserver !== "undefined";

  useEffect(() => {
    if (index >= images.length - 3) onNearEnd?.();
  }, [index, images.length, onNearEnd]);

  // Warm the neighbours so arrowing through feels instant.
  useEffect(() => {
    if (measuring) return; // a guessed `sizes` would warm the wrong candidates
    for (const neighbour of [images[index - 1], images[index + 1]]) {
      const variant = neighbour && pickVariant(neighbour, size);
      if (!neighbour || !variant) continue;
      const warm = new window.Image();
      if (responsive) {
        warm.sizes = viewerSizes(variant, frame);
        warm.srcset = buildSrcSet([neighbour.variants.medium, neighbour.variants.large]);
      }
      warm.src = variant.url;
    }
  }, [images, index, size, responsive, frame, measuring]);

  if (!image) return null;
  const variant = pickVariant(image, size);
  const pickedSize = responsive && picked && picked.url === variant?.url ? picked.size : null;
  const effectiveSize: ViewerSize = pickedSize ?? (image.variants[size] ? size : "large");
  const original = image.variants.original;
  const download = original ?? image.variants.large;

  const onKeyDown = (event: KeyboardEvent) => {
    if (confirming) return;
    const step = event.key === "ArrowLeft" ? prev : event.key === "ArrowRight" ? next : null;
    if (step) {
      event.preventDefault();
      step();
    }
  };

  return (
    <dialog
      ref={ref}
      className="viewer"
      aria-label={`Photo ${index + 1} of ${images.length}: ${image.filename}`}
      onKeyDown={onKeyDown}
      onCancel={(event) => {
        event.preventDefault();
        if (!confirming) onClose();
      }}
    >
      <div className="viewer__bar">
        <button
          type="button"
          className="icon-button icon-button--dark"
          aria-label="Close viewer"
          title="Close (Esc)"
          onClick={onClose}
        >
          <CloseIcon />
        </button>
        <div className="viewer__title">
          <span className="viewer__filename">{image.filename}</span>
          <span className="viewer__position" aria-live="polite">
            {index + 1} / {images.length}
          </span>
        </div>
        <div className="segmented" role="group" aria-label="Picture size">
          {VIEWER_SIZES.map((option) => {
            const available = Boolean(image.variants[option]);
            return (
              <button
                key={option}
                type="button"
                className="segmented__option"
                aria-pressed={effectiveSize === option}
                aria-label={SIZE_NAMES[option]}
                title={available ? describeVariant(SIZE_NAMES[option], image.variants[option]) : "Only the owner can open the original"}
                disabled={!available}
                onClick={() => setSize(option)}
              >
                {SIZE_LABELS[option]}
              </button>
            );
          })}
        </div>
        <button
          type="button"
          className="icon-button icon-button--dark"
          aria-label="Photo details"
          title={showInfo ? "Hide details" : "Show details"}
          aria-pressed={showInfo}
          onClick={() => setShowInfo((v) => !v)}
        >
          <InfoIcon />
        </button>
        <a
          className="icon-button icon-button--dark"
          href={download.url}
          download={image.filename}
          aria-label={original ? "Download original" : "Download"}
          title={original ? "Download original" : "Download"}
        >
          <DownloadIcon />
        </a>
        {onUseAsCover && (
          <button
            type="button"
            className="icon-button icon-button--dark"
            aria-label={coverImageId === image.id ? "Album cover" : "Use as cover"}
            title={coverImageId === image.id ? "This photo is the album's cover" : "Use as album cover"}
            aria-pressed={coverImageId === image.id}
            onClick={() => void onUseAsCover(image)}
          >
            <AlbumIcon />
          </button>
        )}
        {onDelete && (
          <button
            type="button"
            className="icon-button icon-button--dark"
            aria-label="Delete photo"
            title="Delete photo"
            onClick={() => setConfirming(true)}
          >
            <TrashIcon />
          </button>
        )}
      </div>

      <div className={showInfo ? "viewer__main has-info" : "viewer__main"}>
        <div className="viewer__stage" {...swipe}>
          <div className="viewer__frame" ref={frameRef}>
            {loadedUrl !== variant?.url && (
              <img
                className="viewer__placeholder"
                src={image.variants.thumb.url}
                width={variant?.width}
                height={variant?.height}
                alt=""
                aria-hidden="true"
              />
            )}
            {variant && !measuring && (
              <img
                key={variant.url}
                className={loadedUrl === variant.url ? "viewer__img is-loaded" : "viewer__img"}
                src={variant.url}
                srcSet={responsive ? buildSrcSet([image.variants.medium, image.variants.large]) : undefined}
                sizes={responsive ? viewerSizes(variant, frame) : undefined}
                width={variant.width}
                height={variant.height}
                alt={image.filename}
                data-size={effectiveSize}
                draggable={false}
                onLoad={(event) => {
                  setLoadedUrl(variant.url);
                  const large = image.variants.large;
                  const chosen = event.currentTarget.currentSrc === large.url && large.url !== variant.url;
                  setPicked({ url: variant.url, size: chosen ? "large" : "medium" });
                }}
                onError={() => onStale?.()}
              />
            )}
          </div>
          {loadedUrl !== variant?.url && <span className="spinner spinner--light viewer__spinner" aria-hidden="true" />}
          {prev && (
            <button
              type="button"
              className="viewer__nav viewer__nav--prev"
              aria-label="Previous photo"
              title="Previous photo (←)"
              onClick={prev}
            >
              <ChevronLeft size={28} />
            </button>
          )}
          {next && (
            <button
              type="button"
              className="viewer__nav viewer__nav--next"
              aria-label="Next photo"
              title="Next photo (→)"
              onClick={next}
            >
              <ChevronRight size={28} />
            </button>
          )}
        </div>
        {showInfo && (
          <ImageFacts
            image={image}
            showing={variant ? describeVariant(SIZE_NAMES[effectiveSize], image.variants[effectiveSize] ?? variant) : null}
          />
        )}
      </div>

      {onDelete && (
        <ConfirmDialog
          open={confirming}
          title="Move this photo to the Trash?"
          confirmLabel="Move to Trash"
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            await onDelete(image);
            setConfirming(false);
          }}
        >
          <p>
            <strong>{image.filename}</strong> goes to the Trash for 30 days, then it is deleted for good. You
            can restore it from the Trash until then.
          </p>
        </ConfirmDialog>
      )}
    </dialog>
  );
}

/** A GIF opens on its original, the only size that keeps its animation (variants are stills). */
function defaultSize(image: Image): ViewerSize {
  return image.content_type === "image/gif" && image.variants.original ? "original" : "medium";
}

function pickVariant(image: Image, size: ViewerSize): Variant | null {
  return image.variants[size] ?? image.variants.large;
}

/**
 * `sizes` for the viewer: the width the picture is drawn at, fitted (contain) into the frame;
 * before the frame is measured, the whole viewport width.
 */
function viewerSizes(variant: Variant, frame: ElementSize | null): string {
  if (!frame || variant.width <= 0 || variant.height <= 0) return "100vw";
  return slotSizes(Math.min(frame.width, (frame.height * variant.width) / variant.height));
}

function describeVariant(name: string, variant: Variant | null): string {
  if (!variant) return name;
  return `${name} · ${variant.width} × ${variant.height} · ${formatBytes(variant.bytes)}`;
}
