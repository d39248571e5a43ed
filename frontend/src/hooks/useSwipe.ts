import { useRef, type PointerEvent } from "react";

/** How far (px) a finger must travel sideways, and how much more sideways than up or down. */
const MIN_DISTANCE = 50;
const SIDEWAYS_RATIO = 1.5;

/**
 * Swipe left / right on a touch screen (or with a pen): left → `onNext`, right → `onPrev`.
 * Spread the returned handlers on the element; give it `touch-action: pan-y pinch-zoom` in CSS so
 * the browser leaves sideways moves to us and still scrolls and zooms.
 */
export function useSwipe(onPrev: (() => void) | null, onNext: (() => void) | null) {
  const start = useRef<{ id: number; x: number; y: number } | null>(null);

  const onPointerDown = (event: PointerEvent) => {
    if (event.pointerType === "mouse" || !event.isPrimary) return;
    start.current = { id: event.pointerId, x: event.clientX, y: event.clientY };
  };
  const onPointerUp = (event: PointerEvent) => {
    const from = start.current;
    start.current = null;
    if (!from || from.id !== event.pointerId) return;
    const dx = event.clientX - from.x;
    const dy = event.clientY - from.y;
    if (Math.abs(dx) < MIN_DISTANCE || Math.abs(dx) < Math.abs(dy) * SIDEWAYS_RATIO) return;
    if (dx < 0) onNext?.();
    else onPrev?.();
  };
  const onPointerCancel = () => {
    start.current = null;
  };
  return { onPointerDown, onPointerUp, onPointerCancel };
}
