// The gallery's grid: keyset pages of cards, the next page loaded when the end scrolls into view
// (or by the button, for keyboards and when the observer is not enough), a skeleton for the first
// page and an empty state. Showing a new filter drops the old pages; answers that arrive for an old
// filter are ignored.
import * as api from "../../api";
import { h } from "../../dom";
import { t } from "../../i18n";
import type { Image } from "../../types";
import { type CardActions, imageCard } from "../../ui/image_card";
import { errorState, loadingState } from "../../ui/states";
import type { Filter } from "./filter";

export const PAGE_SIZE = 40;
// The first cards of a fresh gallery are on screen: their thumbnails go first in the browser's queue.
const EAGER_THUMBNAILS = 8;

interface GridOptions {
  emptyView: () => HTMLElement;
  onTotal: (total: number | null) => void;
  actions?: CardActions;
}

export function imageGrid(initial: Filter, { emptyView, onTotal, actions = {} }: GridOptions) {
  let filter = initial;
  let cursor: string | null = null;
  let loading = false;
  let generation = 0; // bumps on filter change so late answers of the old list are dropped
  const cards = new Map<string, ReturnType<typeof imageCard>>();
  const images = new Map<string, Image>();

  const grid = h("ul", { class: "grid", "aria-busy": "false" });
  const status = h("div", { class: "grid-status" });
  const more = h("button", { type: "button", class: "button", hidden: true, onclick: () => loadMore() }, t("app.loadMore"));
  const sentinel = h("div", { class: "sentinel", "aria-hidden": "true" });

  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting) && cursor && !loading) void loadMore();
  }, { rootMargin: "800px 0px" });
  observer.observe(sentinel);

  async function loadMore(first = false) {
    if (loading) return;
    loading = true;
    const mine = generation;
    more.hidden = true;
    grid.setAttribute("aria-busy", "true");
    status.replaceChildren(first ? skeleton() : loadingState());
    try {
      const page = await api.listImages(filter, first ? null : cursor, PAGE_SIZE);
      if (mine !== generation) return;
      cursor = page.nextCursor;
      // A search has no total (null): the count line stays empty.
      onTotal(typeof page.total === "number" ? page.total : null);
      for (const image of page.items) add(image, first && grid.children.length < EAGER_THUMBNAILS);
      status.replaceChildren();
      if (!grid.children.length) status.replaceChildren(emptyView());
      else if (!cursor && !first) status.replaceChildren(h("p", { class: "muted center" }, t("gallery.end")));
      more.hidden = !cursor;
    } catch (e) {
      if (mine !== generation) return;
      status.replaceChildren(errorState(e, () => void loadMore(first)));
    } finally {
      if (mine === generation) {
        loading = false;
        grid.setAttribute("aria-busy", "false");
      }
    }
  }

  function add(image: Image, aboveTheFold: boolean) {
    if (cards.has(image.id)) return;
    const card = imageCard(image, aboveTheFold, actions);
    cards.set(image.id, card);
    images.set(image.id, image);
    grid.appendChild(card.el);
  }

  function clear() {
    for (const card of cards.values()) card.destroy();
    cards.clear();
    images.clear();
    grid.replaceChildren();
  }

  return {
    // In page order: the list, its status line, the "load more" button, the scroll sentinel.
    els: [grid, status, h("div", { class: "grid-more" }, more), sentinel],
    grid,
    start: () => void loadMore(true),
    show(next: Filter) {
      filter = next;
      generation++;
      clear();
      cursor = null;
      loading = false;
      onTotal(null);
      void loadMore(true);
    },
    image: (id: string): Image | null => images.get(id) ?? null,
    update(image: Image) {
      images.set(image.id, image);
      cards.get(image.id)?.update(image);
    },
    remove(id: string) {
      cards.get(id)?.destroy();
      cards.get(id)?.el.remove();
      cards.delete(id);
      images.delete(id);
      if (!grid.children.length && !cursor) status.replaceChildren(emptyView());
    },
    destroy() {
      observer.disconnect();
      for (const card of cards.values()) card.destroy();
    },
  };
}

function skeleton(): HTMLElement {
  return h("ul", { class: "grid skeleton", role: "status", "aria-label": t("app.loading") },
    ...Array.from({ length: 8 }, () => h("li", { class: "card" }, h("div", { class: "thumb shimmer" }))));
}
