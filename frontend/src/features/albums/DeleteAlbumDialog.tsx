import { useEffect, useState } from "react";
import { api, unwrap } from "../../api/client";
import type { Album } from "../../api/types";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { plural } from "../../lib/format";
import { countSubtree, type SubtreeCount } from "./albumTree";

interface DeleteAlbumDialogProps {
  album: Album;
  open: boolean;
  onClose: () => void;
  onDeleted: () => void;
}

/** Says exactly what goes (photos and sub-albums, counted over the whole tree) before deleting. */
export function DeleteAlbumDialog(props: DeleteAlbumDialogProps) {
  return props.open ? <DeleteAlbumConfirm {...props} /> : null;
}

function DeleteAlbumConfirm({ album, onClose, onDeleted }: DeleteAlbumDialogProps) {
  const [count, setCount] = useState<SubtreeCount | null>(null);

  useEffect(() => {
    const gone = new AbortController();
    void countSubtree(album)
      .catch(() => ({ albums: 0, images: album.image_count }))
      .then((c) => {
        if (!gone.signal.aborted) setCount(c);
      });
    return () => gone.abort();
  }, [album]);

  return (
    <ConfirmDialog
      open
      title={`Delete “${album.name}”?`}
      confirmLabel="Move to Trash"
      pending={count === null}
      onClose={onClose}
      onConfirm={async () => {
        await unwrap(api.DELETE("/api/v1/albums/{id}", { params: { path: { id: album.id } } }));
        onDeleted();
      }}
    >
      <p className="delete-summary" aria-live="polite">
        {count === null ? (
          "Counting what's inside…"
        ) : (
          <>
            This moves <strong>{plural(count.images, "photo")}</strong>
            {count.albums > 0 && (
              <>
                {" "}
                and <strong>{plural(count.albums, "sub-album")}</strong>
              </>
            )}{" "}
            to the Trash for 30 days, then deletes them for good. Shared links stop working until it is
            restored.
          </>
        )}
      </p>
    </ConfirmDialog>
  );
}
