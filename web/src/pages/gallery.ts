// The gallery: stats summary, type/status filters (kept in the URL), a responsive grid of lazy
// thumbnails that loads the next keyset page as the end scrolls into view, and /gallery/:id opening
// the detail dialog over it without losing the loaded pages or the scroll position.
import * as api from "../api";
import { h, icon } from "../dom";
import { formatBytes, formatNumber, t, tn } from "../i18n";
import type { MessageKey } from "../locales/en";
import { navigate, type Page, type Route } from "../router";
import type { Image, ImageStats, ImageStatus, ImageType } from "../types";
import type { DialogHandle } from "../ui/dialog";
import { imageCard } from "../ui/image_card";
import { emptyState, errorState, loadingState } from "../ui/states";
import { openImageDetail } from "./image_detail";

const TYPES: ImageType[] = ["GENERATED", "UPLOADED"];
const STATUSES: ImageStatus[] = ["PENDING", "PROCESSING", "COMPLETED", "FAILED"];
const PAGE_SIZE = 40;
// The first cards of a fresh gallery are on screen: their thumbnails go first in the browser's queue.
const EAGER_THUMBNAILS = 8;

interface Filter {
  type: ImageType | "";
  status: ImageStatus | "";
}

const readFilter = (q: URLSearchParams): Filter => ({
  type: (TYPES as string[]).includes(q.get("type") ?? "") ? (q.get("type") as ImageType) : "",
  status: (STATUSES as string[]).includes(q.get("status") ?? "") ? (q.get("status") as ImageStatus) : "",
});

const filterQuery = (f: Filter): string => {
  const q = new URLSearchParams();
  if (f.type) q.set("type", f.type);
  if (f.status) q.set("status", f.status);
  const s = q.toString();
  return s ? `?${s}` : "";
};

// Called at boot when the app opens on the gallery: its first requests start alongside /api/me.
export function warmGallery(query: URLSearchParams): void {
  api.warm(api.listImagesPath(readFilter(query), null, PAGE_SIZE));
  api.warm(api.IMAGE_STATS_PATH);
}

export function galleryPage(route: Route): Page {
  let filter = readFilter(route.query);
  let cursor: string | null = null;
  let loading = false;
  let generation = 0; // bumps on filter change so late answers of the old list are dropped
  const cards = new Map<string, ReturnType<typeof imageCard>>();
  const images = new Map<string, Image>();
  let detail: DialogHandle | null = null;
  let detailId: string | null = null;
  let openedFromGallery = false;

  // ---- head, stats, filters
  const count = h("p", { class: "muted", "aria-live": "polite" });
  const stats = h("dl", { class: "stats", "aria-label": t("stats.title") });
  const typeSelect = select("filter-type", t("gallery.type"), TYPES.map((v) => [v, `type.${v}` as MessageKey]), filter.type);
  const statusSelect = select("filter-status", t("gallery.status"), STATUSES.map((v) => [v, `status.${v}` as MessageKey]), filter.status);
  const filters = h("form", { class: "filters", role: "search", "aria-label": t("gallery.filters") }, typeSelect.field, statusSelect.field);
  filters.addEventListener("change", () => {
    const next: Filter = { type: typeSelect.input.value as Filter["type"], status: statusSelect.input.value as Filter["status"] };
    navigate(`/gallery${filterQuery(next)}`, { replace: true });
  });
  filters.addEventListener("submit", (e) => e.preventDefault());

  const grid = h("ul", { class: "grid", "aria-busy": "false" });
  const status = h("div", { class: "grid-status" });
  const more = h("button", { type: "button", class: "button", hidden: true, onclick: () => loadMore() }, t("app.loadMore"));
  const sentinel = h("div", { class: "sentinel", "aria-hidden": "true" });

  const el = h("section", { class: "page" },
    h("div", { class: "page-head" },
      h("div", null, h("h1", null, t("gallery.title")), count),
      h("div", { class: "page-head-actions" },
        h("a", { href: "/upload", class: "button" }, icon("upload"), t("nav.upload")),
        h("a", { href: "/generate", class: "button button-primary" }, icon("sparkles"), t("nav.generate")))),
    stats,
    filters,
    grid,
    status,
    h("div", { class: "grid-more" }, more),
    sentinel);

  // ---- data
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting) && cursor && !loading) void loadMore();
  }, { rootMargin: "800px 0px" });
  observer.observe(sentinel);

  async function loadStats() {
    try {
      renderStats(await api.imageStats());
    } catch {
      stats.replaceChildren();
    }
  }

  function renderStats(s: ImageStats) {
    const tile = (label: string, value: string) => h("div", { class: "stat" }, h("dt", null, label), h("dd", null, value));
    stats.replaceChildren(
      tile(t("stats.total"), formatNumber(s.total)),
      tile(t("stats.generated"), formatNumber(s.byType?.GENERATED ?? 0)),
      tile(t("stats.uploaded"), formatNumber(s.byType?.UPLOADED ?? 0)),
      tile(t("stats.coinsSpent"), formatNumber(s.coinsSpent)),
      tile(t("stats.stored"), formatBytes(s.bytesStored)));
  }

  function reset() {
    generation++;
    for (const card of cards.values()) card.destroy();
    cards.clear();
    images.clear();
    grid.replaceChildren();
    cursor = null;
    loading = false;
    count.textContent = "";
    void loadMore(true);
  }

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
      if (typeof page.total === "number") count.textContent = tn("gallery.count", page.total);
      for (const image of page.items) addCard(image, first && grid.children.length < EAGER_THUMBNAILS);
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

  function addCard(image: Image, aboveTheFold: boolean) {
    if (cards.has(image.id)) return;
    const card = imageCard(image, aboveTheFold);
    cards.set(image.id, card);
    images.set(image.id, image);
    grid.appendChild(card.el);
  }

  function emptyView(): HTMLElement {
    if (filter.type || filter.status) {
      return emptyState(t("gallery.emptyFiltered"), undefined,
        h("a", { href: "/gallery", class: "button" }, t("gallery.clearFilters")));
    }
    return emptyState(t("gallery.empty"), t("gallery.emptyHint"),
      h("a", { href: "/generate", class: "button button-primary" }, icon("sparkles"), t("nav.generate")),
      h("a", { href: "/upload", class: "button" }, icon("upload"), t("nav.upload")));
  }

  // ---- detail dialog
  function syncDetail(id: string | null) {
    if (id === detailId) return;
    if (detail) {
      const d = detail;
      detail = null;
      detailId = null;
      d.close();
    }
    if (!id) return;
    detailId = id;
    detail = openImageDetail(id, images.get(id) ?? null, {
      onClose: () => {
        if (!detail) return; // closed by a route change
        detail = null;
        detailId = null;
        if (openedFromGallery) history.back();
        else navigate(`/gallery${filterQuery(filter)}`, { replace: true });
        openedFromGallery = false;
      },
      onChanged: (image) => {
        images.set(image.id, image);
        cards.get(image.id)?.update(image);
      },
      onDeleted: (deleted) => {
        cards.get(deleted)?.destroy();
        cards.get(deleted)?.el.remove();
        cards.delete(deleted);
        images.delete(deleted);
        void loadStats();
        if (!grid.children.length && !cursor) status.replaceChildren(emptyView());
      },
    });
  }

  grid.addEventListener("click", () => {
    // A card link is about to navigate to /gallery/:id: closing should go back here.
    openedFromGallery = true;
  }, { capture: true });

  const titleFor = () => `${t("gallery.title")} · ${t("app.name")}`;
  void loadStats();
  void loadMore(true);
  syncDetail(route.params.id ?? null);

  return {
    el,
    title: titleFor(),
    update(next: Route) {
      const nextFilter = readFilter(next.query);
      if (next.name === "gallery" && (nextFilter.type !== filter.type || nextFilter.status !== filter.status)) {
        filter = nextFilter;
        typeSelect.input.value = filter.type;
        statusSelect.input.value = filter.status;
        reset();
      }
      syncDetail(next.params.id ?? null);
      return true;
    },
    destroy() {
      observer.disconnect();
      for (const card of cards.values()) card.destroy();
      if (detail) {
        const d = detail;
        detail = null;
        d.close();
      }
    },
  };
}

function select(id: string, label: string, options: [string, MessageKey][], value: string) {
  const input = h("select", { id, name: id },
    h("option", { value: "" }, t("gallery.all")),
    ...options.map(([v, key]) => h("option", { value: v, selected: v === value }, t(key))));
  input.value = value;
  return { input, field: h("div", { class: "field field-inline" }, h("label", { for: id }, label), input) };
}

function skeleton(): HTMLElement {
  return h("ul", { class: "grid skeleton", role: "status", "aria-label": t("app.loading") },
    ...Array.from({ length: 8 }, () => h("li", { class: "card" }, h("div", { class: "thumb shimmer" }))));
}
