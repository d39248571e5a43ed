import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { bearerToken, renewAfter401 } from "../../api/client";
import { describeError } from "../../api/errors";
import type { Image } from "../../api/types";
import { uploadImages } from "../../api/upload";
import { dropped, emptyQueue, newItems, planBatches, queueReducer, type QueueAction, type QueueItem } from "./queue";

let nextId = 0;
const makeId = () => `upload-${++nextId}`;

const makePreview = (file: File) =>
  typeof URL.createObjectURL === "function" ? URL.createObjectURL(file) : null;

const releasePreviews = (items: readonly QueueItem[]) => {
  for (const item of items) if (item.preview) URL.revokeObjectURL(item.preview);
};

export interface UploadQueue {
  items: QueueItem[];
  running: boolean;
  add: (files: readonly File[]) => void;
  remove: (id: string) => void;
  start: () => Promise<void>;
  clearFinished: () => void;
}

/** Uploads to one album, a request at a time; `onStored` gets each request's new images. */
export function useUploadQueue(albumId: string, onStored: (images: Image[]) => void): UploadQueue {
  const [state, dispatch] = useReducer(queueReducer, emptyQueue);
  const [running, setRunning] = useState(false);
  const stateRef = useRef(state);
  const onStoredRef = useRef(onStored);
  useEffect(() => {
    stateRef.current = state;
    onStoredRef.current = onStored;
  });

  // Previews are object URLs: release them when files leave the queue, and on leaving the page.
  useEffect(() => () => releasePreviews(stateRef.current.items), []);
  const dropAndRelease = useCallback((action: QueueAction) => {
    releasePreviews(dropped(stateRef.current, action));
    dispatch(action);
  }, []);

  const start = useCallback(async () => {
    const ready = stateRef.current.items.filter((item) => item.status === "ready");
    if (ready.length === 0) return;
    setRunning(true);
    try {
      for (const batch of planBatches(ready)) {
        const ids = batch.map((item) => item.id);
        dispatch({ type: "start", ids });
        try {
          const result = await uploadImages(
            {
              albumId,
              files: batch.map((item) => item.file),
              onProgress: ({ loaded, total }) => dispatch({ type: "progress", ids, loaded, total }),
            },
            { bearerToken, renewAfter401 },
          );
          dispatch({ type: "settled", ids, result });
          if (result.images.length > 0) onStoredRef.current(result.images);
        } catch (error) {
          dispatch({ type: "failed", ids, message: describeError(error) });
        }
      }
    } finally {
      setRunning(false);
    }
  }, [albumId]);

  const add = useCallback((files: readonly File[]) => {
    dispatch({ type: "add", items: newItems(files, makeId, makePreview) });
  }, []);
  const remove = useCallback((id: string) => dropAndRelease({ type: "remove", id }), [dropAndRelease]);
  const clearFinished = useCallback(() => dropAndRelease({ type: "clearFinished" }), [dropAndRelease]);

  return useMemo(
    () => ({ items: state.items, running, add, remove, start, clearFinished }),
    [state.items, running, add, remove, start, clearFinished],
  );
}
