// Admin: find users, grant or take coins with a reason (ledgered with the admin's id), toggle the
// admin role. The server enforces all of it; this page is only shown to admins.
import * as api from "../api";
import { h } from "../dom";
import { t } from "../i18n";
import type { Page } from "../router";
import { isAdmin } from "../session";
import { emptyState, errorState, loadingState } from "../ui/states";
import { auditList } from "./admin/audit_list";
import { userRow } from "./admin/user_row";

export function adminPage(): Page {
  const title = `${t("admin.title")} · ${t("app.name")}`;
  if (!isAdmin()) {
    return { el: h("section", { class: "page page-narrow" }, h("h1", null, t("admin.title")), errorState(new api.ApiError(403, "FORBIDDEN", t("admin.forbidden")))), title };
  }
  const search = userSearch(() => list.start());
  const list = userList(() => search.query());
  const audit = auditList();
  const el = h("section", { class: "page" }, h("h1", null, t("admin.title")), search.el, ...list.els, audit.el);
  void list.load();
  void audit.load();
  return { el, title };
}

// The search box: searches on submit, or 300 ms after the last keystroke.
function userSearch(onSearch: () => void) {
  const input = h("input", { type: "search", id: "admin-search", name: "query", placeholder: t("admin.searchHint"), autocomplete: "off", maxlength: 200 });
  const el = h("form", { class: "search-form", role: "search" },
    h("label", { for: "admin-search" }, t("admin.search")),
    h("div", { class: "search-row" }, input, h("button", { type: "submit", class: "button button-primary" }, t("admin.searchButton"))));
  let timer: number | undefined;
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    window.clearTimeout(timer);
    onSearch();
  });
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(onSearch, 300);
  });
  return { el, query: () => input.value.trim() };
}

// The users table, a page at a time; a new search drops the rows and late answers of the old one.
function userList(query: () => string) {
  let cursor: string | null = null;
  let search = "";
  let generation = 0;

  const body = h("tbody");
  const table = h("table", { class: "users", hidden: true },
    h("caption", { class: "visually-hidden" }, t("admin.search")),
    h("thead", null, h("tr", null,
      h("th", { scope: "col" }, t("admin.user")),
      h("th", { scope: "col", class: "num" }, t("admin.coins")),
      h("th", { scope: "col" }, t("admin.roles")),
      h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("admin.actions"))))),
    body);
  const status = h("div");
  const more = h("button", { type: "button", class: "button", hidden: true, onclick: () => load() }, t("app.loadMore"));

  async function load() {
    const mine = generation;
    more.hidden = true;
    status.replaceChildren(loadingState());
    try {
      const page = await api.adminUsers(search, cursor);
      if (mine !== generation) return;
      cursor = page.nextCursor;
      body.append(...page.items.map(userRow));
      table.hidden = body.children.length === 0;
      status.replaceChildren(body.children.length ? "" : emptyState(t("admin.empty")));
      more.hidden = !cursor;
    } catch (e) {
      if (mine === generation) status.replaceChildren(errorState(e, load));
    }
  }

  return {
    els: [h("div", { class: "table-wrap" }, table), status, h("div", { class: "grid-more" }, more)],
    load,
    start() {
      search = query();
      cursor = null;
      generation++;
      body.replaceChildren();
      void load();
    },
  };
}
