// The gallery's filter: words to search, which type and status to list, favourites only. It lives in
// the URL (?q=&type=&status=&favorite=true) so a filtered gallery can be bookmarked; the form edits it.
import { h } from "../../dom";
import { t } from "../../i18n";
import type { MessageKey } from "../../locales/en";
import type { ImageStatus, ImageType } from "../../types";

export const TYPES: ImageType[] = ["GENERATED", "UPLOADED"];
export const STATUSES: ImageStatus[] = ["PENDING", "PROCESSING", "COMPLETED", "FAILED"];

export interface Filter {
  type: ImageType | "";
  status: ImageStatus | "";
  favorite: boolean;
  q: string;
}

// The server refuses longer searches (422); the box stops there.
export const MAX_QUERY = 200;

export const readFilter = (q: URLSearchParams): Filter => ({
  type: (TYPES as string[]).includes(q.get("type") ?? "") ? (q.get("type") as ImageType) : "",
  status: (STATUSES as string[]).includes(q.get("status") ?? "") ? (q.get("status") as ImageStatus) : "",
  favorite: q.get("favorite") === "true",
  q: (q.get("q") ?? "").slice(0, MAX_QUERY),
});

export const filterQuery = (f: Filter): string => {
  const q = new URLSearchParams();
  if (f.q.trim()) q.set("q", f.q.trim());
  if (f.type) q.set("type", f.type);
  if (f.status) q.set("status", f.status);
  if (f.favorite) q.set("favorite", "true");
  const s = q.toString();
  return s ? `?${s}` : "";
};

export const sameFilter = (a: Filter, b: Filter): boolean =>
  a.type === b.type && a.status === b.status && a.favorite === b.favorite && a.q.trim() === b.q.trim();

export const isFiltered = (f: Filter): boolean => f.type !== "" || f.status !== "" || f.favorite || f.q.trim() !== "";

// The search box, the two selects and the favourites switch. `onChange` gets the filter the person
// picked (the search as they pause typing, or at once on Enter); `show` puts one back (e.g. after the
// browser's back button changed the URL).
export function filterForm(initial: Filter, onChange: (next: Filter) => void) {
  const search = h("input", {
    type: "search", id: "filter-q", name: "q", value: initial.q, maxlength: MAX_QUERY, autocomplete: "off",
    placeholder: t("gallery.searchPlaceholder"),
  });
  const searchField = h("div", { class: "field field-inline field-search" }, h("label", { for: "filter-q" }, t("gallery.search")), search);
  const type = select("filter-type", t("gallery.type"), TYPES.map((v) => [v, `type.${v}` as MessageKey]), initial.type);
  const status = select("filter-status", t("gallery.status"), STATUSES.map((v) => [v, `status.${v}` as MessageKey]), initial.status);
  const favorite = h("input", { type: "checkbox", id: "filter-favorite", name: "favorite", checked: initial.favorite });
  const favoriteField = h("div", { class: "field field-inline field-check" }, favorite, h("label", { for: "filter-favorite" }, t("gallery.favoritesOnly")));
  const el = h("form", { class: "filters", role: "search", "aria-label": t("gallery.filters") }, searchField, type.field, status.field, favoriteField);
  const current = (): Filter => ({
    type: type.input.value as Filter["type"],
    status: status.input.value as Filter["status"],
    favorite: favorite.checked,
    q: search.value.slice(0, MAX_QUERY),
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  el.addEventListener("change", (e) => {
    if (e.target === search) return;
    onChange(current());
  });
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => onChange(current()), 300);
  });
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    onChange(current());
  });
  return {
    el,
    show(f: Filter) {
      if (document.activeElement !== search) search.value = f.q;
      type.input.value = f.type;
      status.input.value = f.status;
      favorite.checked = f.favorite;
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
