// The gallery's filter: which type and status to list. It lives in the URL (?type=&status=) so a
// filtered gallery can be bookmarked, and the form below edits it.
import { h } from "../../dom";
import { t } from "../../i18n";
import type { MessageKey } from "../../locales/en";
import type { ImageStatus, ImageType } from "../../types";

export const TYPES: ImageType[] = ["GENERATED", "UPLOADED"];
export const STATUSES: ImageStatus[] = ["PENDING", "PROCESSING", "COMPLETED", "FAILED"];

export interface Filter {
  type: ImageType | "";
  status: ImageStatus | "";
}

export const readFilter = (q: URLSearchParams): Filter => ({
  type: (TYPES as string[]).includes(q.get("type") ?? "") ? (q.get("type") as ImageType) : "",
  status: (STATUSES as string[]).includes(q.get("status") ?? "") ? (q.get("status") as ImageStatus) : "",
});

export const filterQuery = (f: Filter): string => {
  const q = new URLSearchParams();
  if (f.type) q.set("type", f.type);
  if (f.status) q.set("status", f.status);
  const s = q.toString();
  return s ? `?${s}` : "";
};

export const sameFilter = (a: Filter, b: Filter): boolean => a.type === b.type && a.status === b.status;

export const isFiltered = (f: Filter): boolean => f.type !== "" || f.status !== "";

// The two selects. `onChange` gets the filter the person picked; `show` puts one back (e.g. after
// the browser's back button changed the URL).
export function filterForm(initial: Filter, onChange: (next: Filter) => void) {
  const type = select("filter-type", t("gallery.type"), TYPES.map((v) => [v, `type.${v}` as MessageKey]), initial.type);
  const status = select("filter-status", t("gallery.status"), STATUSES.map((v) => [v, `status.${v}` as MessageKey]), initial.status);
  const el = h("form", { class: "filters", role: "search", "aria-label": t("gallery.filters") }, type.field, status.field);
  el.addEventListener("change", () =>
    onChange({ type: type.input.value as Filter["type"], status: status.input.value as Filter["status"] }));
  el.addEventListener("submit", (e) => e.preventDefault());
  return {
    el,
    show(f: Filter) {
      type.input.value = f.type;
      status.input.value = f.status;
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
