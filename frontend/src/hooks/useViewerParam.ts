import { useCallback, useEffect, useState } from "react";
import { useLocation, useNavigate, useSearchParams } from "react-router";
import { api, unwrap } from "../api/client";
import type { Image } from "../api/types";

interface ViewerState {
  viewer?: boolean;
}

/**
 * The open photo lives in the URL (`?photo=<id>`), so the back button closes the viewer and a
 * link can open one. A photo that is not in the loaded list is fetched on its own.
 */
export function useViewerParam(images: readonly Image[]) {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const id = params.get("photo");
  const index = id ? images.findIndex((image) => image.id === id) : -1;
  const [standalone, setStandalone] = useState<Image | null>(null);

  useEffect(() => {
    if (!id || index >= 0 || standalone?.id === id) return;
    const gone = new AbortController();
    unwrap(api.GET("/api/v1/images/{id}", { params: { path: { id } } }))
      .then((image) => {
        if (!gone.signal.aborted) setStandalone(image);
      })
      .catch(() => {
        if (!gone.signal.aborted) setStandalone(null);
      });
    return () => gone.abort();
  }, [id, index, standalone]);

  const open = useCallback(
    (image: Image) => {
      setParams(
        (p) => {
          p.set("photo", image.id);
          return p;
        },
        { state: { viewer: true } satisfies ViewerState },
      );
    },
    [setParams],
  );

  const go = useCallback(
    (image: Image) => {
      setParams(
        (p) => {
          p.set("photo", image.id);
          return p;
        },
        { replace: true, state: location.state as unknown },
      );
    },
    [setParams, location.state],
  );

  const close = useCallback(() => {
    if ((location.state as ViewerState | null)?.viewer) {
      void navigate(-1);
    } else {
      setParams(
        (p) => {
          p.delete("photo");
          return p;
        },
        { replace: true },
      );
    }
  }, [location.state, navigate, setParams]);

  const list: readonly Image[] =
    index >= 0 ? images : standalone && standalone.id === id ? [standalone] : [];
  const current = index >= 0 ? index : list.length > 0 ? 0 : -1;
  return { open, close, go, list, index: current, isOpen: id !== null && current >= 0 };
}
