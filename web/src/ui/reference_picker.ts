// A dialog listing the person's finished images to pick generation references from.
import * as api from "../api";
import { h, icon } from "../dom";
import { t } from "../i18n";
import type { Image } from "../types";
import { openDialog } from "./dialog";
import { altText, displayName, thumbnailImg } from "./image_card";
import { emptyState, errorState, loadingState } from "./states";

export function pickReferences(excludeIds: string[], maxCount: number): Promise<Image[]> {
  return new Promise((resolve) => {
    const chosen = new Map<string, Image>();
    let result: Image[] = [];
    const grid = h("ul", { class: "picker-grid" });
    const status = h("div", { class: "picker-status" }, loadingState());
    const hint = h("p", { class: "muted" }, t("generate.pickHint", { n: maxCount }));
    const done = h("button", { type: "button", class: "button button-primary", disabled: true }, t("generate.pickDone"));
    const more = h("button", { type: "button", class: "button", hidden: true }, t("app.loadMore"));
    let cursor: string | null = null;

    const toggle = (image: Image, button: HTMLButtonElement) => {
      if (chosen.has(image.id)) chosen.delete(image.id);
      else if (chosen.size < maxCount) chosen.set(image.id, image);
      button.setAttribute("aria-pressed", String(chosen.has(image.id)));
      done.disabled = chosen.size === 0;
      for (const b of grid.querySelectorAll<HTMLButtonElement>("button[aria-pressed=false]")) b.disabled = chosen.size >= maxCount;
    };

    const load = async () => {
      more.hidden = true;
      status.replaceChildren(loadingState());
      try {
        const page = await api.listImages({ status: "COMPLETED" }, cursor, 30);
        cursor = page.nextCursor;
        for (const image of page.items) {
          if (excludeIds.includes(image.id)) continue;
          const button = h("button", { type: "button", class: "picker-item", "aria-pressed": "false", "aria-label": displayName(image), title: altText(image) },
            thumbnailImg(image, "120px") ?? icon("image"), h("span", { class: "picker-check", "aria-hidden": "true" }, icon("check")));
          button.addEventListener("click", () => toggle(image, button));
          grid.appendChild(h("li", null, button));
        }
        status.replaceChildren();
        if (!grid.children.length && !cursor) status.replaceChildren(emptyState(t("generate.pickEmpty")));
        more.hidden = !cursor;
      } catch (e) {
        status.replaceChildren(errorState(e, load));
      }
    };

    const handle = openDialog({
      title: t("generate.pickTitle"),
      className: "dialog-wide",
      content: [hint, grid, status, h("div", { class: "dialog-actions" }, more, done)],
      onClose: () => resolve(result),
    });
    more.addEventListener("click", load);
    done.addEventListener("click", () => {
      result = [...chosen.values()];
      handle.close();
    });
    void load();
  });
}
