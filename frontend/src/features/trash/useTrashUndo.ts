import { useCallback } from "react";
import { useToast } from "../../components/ToastContext";
import { restoreFromTrash } from "../selection/bulk";

/**
 * After something went to the trash: a "Moved to Trash" toast with Undo, which restores it and
 * then calls `onRestored` (e.g. reload the list).
 */
export function useTrashUndo(onRestored: () => unknown) {
  const { notify } = useToast();
  return useCallback(
    (id: string, message: string) => {
      notify(message, "success", {
        label: "Undo",
        onClick: () => {
          void restoreFromTrash([id])
            .then((result) => {
              const failure = result.failed[0];
              if (failure) notify(`Could not restore it: ${failure.title}`, "error");
              else {
                notify("Restored", "success");
                onRestored();
              }
            })
            .catch(() => notify("Could not restore it; see the Trash", "error"));
        },
      });
    },
    [notify, onRestored],
  );
}
