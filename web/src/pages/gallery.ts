// The gallery: stats summary, type/status filters (kept in the URL), a responsive grid of lazy
// thumbnails that loads the next keyset page as the end scrolls into view, and /gallery/:id opening
// the detail dialog over it without losing the loaded pages or the scroll position.
import * as api from "../api";
import { h, icon } from "../dom";
import { t, tn } from "../i18n";
import { navigate, type Page, type Route } from "../router";
import { confirmDialog } from "../ui/dialog";
import { emptyState, errorMessage } from "../ui/states";
import { toast } from "../ui/toast";
import { detailRoute } from "./gallery/detail_route";
import { type Filter, filterForm, filterQuery, isFiltered, readFilter, sameFilter } from "./gallery/filter";
import { imageGrid, PAGE_SIZE } from "./gallery/image_grid";
import { statsSummary } from "./gallery/stats_summary";

// Called at boot when the app opens on the gallery: its first requests start alongside /api/me.
export function warmGallery(query: URLSearchParams): void {
  api.warm(api.listImagesPath(readFilter(query), null, PAGE_SIZE));
  api.warm(api.IMAGE_STATS_PATH);
}

export function galleryPage(route: Route): Page {
  let filter = readFilter(route.query);

  const count = h("p", { class: "muted", "aria-live": "polite" });
  const stats = statsSummary();
  const filters = filterForm(filter, (next) => navigate(`/gallery${filterQuery(next)}`, { replace: true }));

  // Multi-select for bulk delete: the ids picked on the cards, and a bar that names how many.
  const selected = new Set<string>();
  const selectedCount = h("span", { class: "selection-count", "aria-live": "polite" });
  const clearSelection = h("button", { type: "button", class: "button button-small" }, t("bulk.clear"));
  const deleteSelected = h("button", { type: "button", class: "button button-small button-danger-outline" }, icon("trash"), t("bulk.delete"));
  const selectionBar = h("div", { class: "selection-bar", role: "region", "aria-label": t("bulk.region"), hidden: true },
    selectedCount, clearSelection, deleteSelected);
  const showSelection = () => {
    selectionBar.hidden = selected.size === 0;
    selectedCount.textContent = selected.size ? tn("bulk.selected", selected.size) : "";
  };
  const unselectAll = () => {
    selected.clear();
    for (const box of el.querySelectorAll<HTMLInputElement>(".select-box")) box.checked = false;
    for (const card of el.querySelectorAll(".card.is-selected")) card.classList.remove("is-selected");
    showSelection();
  };
  clearSelection.addEventListener("click", unselectAll);
  deleteSelected.addEventListener("click", async () => {
    const ids = [...selected];
    if (!ids.length) return;
    const ok = await confirmDialog(tn("bulk.deleteTitle", ids.length), t("bulk.deleteBody"), tn("bulk.deleteConfirm", ids.length));
    if (!ok) return;
    deleteSelected.disabled = true;
    try {
      const result = await api.bulkDelete(ids);
      for (const id of [...result.deleted, ...result.notFound]) {
        grid.remove(id);
        selected.delete(id);
      }
      toast(tn("bulk.deleted", result.deleted.length), "success");
      void stats.load();
    } catch (e) {
      toast(errorMessage(e), "error");
    } finally {
      deleteSelected.disabled = false;
      showSelection();
    }
  });

  const grid = imageGrid(filter, {
    emptyView: () => emptyView(filter),
    onTotal: (total) => (count.textContent = total === null ? "" : tn("gallery.count", total)),
    actions: {
      onFavorite: () => void stats.load(),
      selection: {
        isSelected: (id) => selected.has(id),
        toggle: (id, on) => {
          if (on) selected.add(id);
          else selected.delete(id);
          showSelection();
        },
      },
    },
  });
  const detail = detailRoute(grid.grid, {
    known: grid.image,
    leave: () => navigate(`/gallery${filterQuery(filter)}`, { replace: true }),
    onChanged: grid.update,
    onDeleted: (id) => {
      grid.remove(id);
      void stats.load();
    },
  });

  const el = h("section", { class: "page" },
    h("div", { class: "page-head" },
      h("div", null, h("h1", null, t("gallery.title")), count),
      h("div", { class: "page-head-actions" },
        h("a", { href: "/upload", class: "button" }, icon("upload"), t("nav.upload")),
        h("a", { href: "/generate", class: "button button-primary" }, icon("sparkles"), t("nav.generate")))),
    stats.el,
    filters.el,
    selectionBar,
    ...grid.els);

  void stats.load();
  grid.start();
  detail.sync(route.params.id ?? null);

  return {
    el,
    title: `${t("gallery.title")} · ${t("app.name")}`,
    update(next: Route) {
      const nextFilter = readFilter(next.query);
      if (next.name === "gallery" && !sameFilter(nextFilter, filter)) {
        filter = nextFilter;
        unselectAll();
        filters.show(filter);
        grid.show(filter);
      }
      detail.sync(next.params.id ?? null);
      return true;
    },
    destroy() {
      grid.destroy();
      detail.close();
    },
  };
}

function emptyView(filter: Filter): HTMLElement {
  if (isFiltered(filter)) {
    return emptyState(t("gallery.emptyFiltered"), undefined,
      h("a", { href: "/gallery", class: "button" }, t("gallery.clearFilters")));
  }
  return emptyState(t("gallery.empty"), t("gallery.emptyHint"),
    h("a", { href: "/generate", class: "button button-primary" }, icon("sparkles"), t("nav.generate")),
    h("a", { href: "/upload", class: "button" }, icon("upload"), t("nav.upload")));
}
