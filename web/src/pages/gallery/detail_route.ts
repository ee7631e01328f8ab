// /gallery/:id opens an image's detail dialog over the gallery. The route is the source of truth:
// a route change opens or closes the dialog, and closing the dialog goes back (when the person came
// from a card) or replaces the URL (when they arrived on /gallery/:id directly).
import type { Image } from "../../types";
import type { DialogHandle } from "../../ui/dialog";
import { openImageDetail } from "../image_detail";

interface DetailOptions {
  known: (id: string) => Image | null;
  leave: () => void; // replace the URL with the gallery's own
  onChanged: (image: Image) => void;
  onDeleted: (id: string) => void;
}

export function detailRoute(grid: HTMLElement, { known, leave, onChanged, onDeleted }: DetailOptions) {
  let detail: DialogHandle | null = null;
  let detailId: string | null = null;
  let openedFromGallery = false;

  grid.addEventListener("click", () => {
    // A card link is about to navigate to /gallery/:id: closing should go back here.
    openedFromGallery = true;
  }, { capture: true });

  function close() {
    if (!detail) return;
    const d = detail;
    detail = null;
    detailId = null;
    d.close();
  }

  return {
    sync(id: string | null) {
      if (id === detailId) return;
      close();
      if (!id) return;
      detailId = id;
      detail = openImageDetail(id, known(id), {
        onClose: () => {
          if (!detail) return; // closed by a route change
          detail = null;
          detailId = null;
          if (openedFromGallery) history.back();
          else leave();
          openedFromGallery = false;
        },
        onChanged,
        onDeleted,
      });
    },
    close,
  };
}
