// Admin: find users, grant or take coins with a reason (ledgered with the admin's id), toggle the
// admin role. The server enforces all of it; this page is only shown to admins.
import * as api from "../api";
import { h, icon } from "../dom";
import { coins, formatNumber, t } from "../i18n";
import type { Page } from "../router";
import { currentUser, isAdmin, setUser } from "../session";
import type { Role, User } from "../types";
import { openDialog } from "../ui/dialog";
import { emptyState, errorMessage, errorState, loadingState } from "../ui/states";
import { toast } from "../ui/toast";

const nameOf = (u: User): string => u.fullName || [u.firstName, u.lastName].filter(Boolean).join(" ") || u.email;

export function adminPage(): Page {
  const title = `${t("admin.title")} · ${t("app.name")}`;
  if (!isAdmin()) {
    return { el: h("section", { class: "page page-narrow" }, h("h1", null, t("admin.title")), errorState(new api.ApiError(403, "FORBIDDEN", t("admin.forbidden")))), title };
  }
  let cursor: string | null = null;
  let search = "";
  let generation = 0;

  const input = h("input", { type: "search", id: "admin-search", name: "query", placeholder: t("admin.searchHint"), autocomplete: "off", maxlength: 200 });
  const form = h("form", { class: "search-form", role: "search" },
    h("label", { for: "admin-search" }, t("admin.search")),
    h("div", { class: "search-row" }, input, h("button", { type: "submit", class: "button button-primary" }, t("admin.searchButton"))));
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

  let timer: number | undefined;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    window.clearTimeout(timer);
    startSearch();
  });
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(startSearch, 300);
  });

  function startSearch() {
    search = input.value.trim();
    cursor = null;
    generation++;
    body.replaceChildren();
    void load();
  }

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

  function userRow(initial: User): HTMLTableRowElement {
    const tr = h("tr", { "data-user-id": initial.id });
    const render = (u: User) => {
      const me = currentUser()?.id === u.id;
      const adminBox = h("input", { type: "checkbox", id: `admin-${u.id}`, checked: u.roles.includes("ADMIN") });
      adminBox.addEventListener("change", async () => {
        const roles: Role[] = adminBox.checked
          ? [...new Set<Role>([...u.roles, "ADMIN"])]
          : u.roles.filter((r) => r !== "ADMIN");
        adminBox.disabled = true;
        try {
          const updated = await api.adminSetRoles(u.id, roles.length ? roles : ["USER"]);
          if (me) setUser(updated);
          render(updated);
          toast(t("admin.rolesSaved", { name: nameOf(updated) }), "success");
          tr.querySelector<HTMLInputElement>("input[type=checkbox]")?.focus();
        } catch (err) {
          adminBox.checked = !adminBox.checked;
          adminBox.disabled = false;
          toast(errorMessage(err), "error");
        }
      });
      tr.replaceChildren(
        h("td", null, h("div", { class: "user-cell" },
          h("span", { class: "user-cell-name" }, nameOf(u), me ? h("span", { class: "muted" }, ` (${t("admin.you")})`) : null),
          nameOf(u) !== u.email ? h("span", { class: "muted small" }, u.email) : null)),
        h("td", { class: "num", "data-coins": u.coins }, formatNumber(u.coins)),
        h("td", null, h("label", { class: "check", for: `admin-${u.id}` }, adminBox, t("admin.isAdmin"))),
        h("td", { class: "actions" }, h("button", { type: "button", class: "button button-small", onclick: () => adjust(u, render) }, icon("coin"), t("admin.adjust"))));
    };
    render(initial);
    return tr;
  }

  function adjust(u: User, render: (u: User) => void) {
    const amount = h("input", { type: "number", id: "adjust-amount", name: "amount", step: 1, required: true, inputmode: "numeric", "aria-describedby": "adjust-amount-hint" });
    const reason = h("input", { type: "text", id: "adjust-reason", name: "reason", required: true, maxlength: 200, "aria-describedby": "adjust-reason-hint" });
    const error = h("p", { class: "field-error", role: "alert" });
    const apply = h("button", { type: "submit", class: "button button-primary" }, t("admin.apply"));
    const cancel = h("button", { type: "button", class: "button" }, t("app.cancel"));
    const idempotencyKey = crypto.randomUUID();
    const form = h("form", { class: "adjust-form", novalidate: true },
      h("p", { class: "muted" }, `${u.email} · ${coins(u.coins)}`),
      h("div", { class: "field" }, h("label", { for: "adjust-amount" }, t("admin.amount")), h("p", { class: "field-hint", id: "adjust-amount-hint" }, t("admin.amountHint")), amount),
      h("div", { class: "field" }, h("label", { for: "adjust-reason" }, t("admin.reason")), h("p", { class: "field-hint", id: "adjust-reason-hint" }, t("admin.reasonHint")), reason),
      error,
      h("div", { class: "dialog-actions" }, cancel, apply));
    const handle = openDialog({ title: t("admin.adjustTitle", { name: nameOf(u) }), className: "dialog-small", content: form });
    cancel.addEventListener("click", () => handle.close());
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      error.textContent = "";
      const n = Number(amount.value);
      const fieldProblems: string[] = [];
      amount.toggleAttribute("aria-invalid", !Number.isInteger(n) || n === 0 || amount.value === "");
      reason.toggleAttribute("aria-invalid", !reason.value.trim());
      if (amount.hasAttribute("aria-invalid")) fieldProblems.push(`${t("admin.amount")}: ${t("admin.amountHint")}`);
      if (reason.hasAttribute("aria-invalid")) fieldProblems.push(`${t("admin.reason")}: ${t("admin.reasonHint")}`);
      if (fieldProblems.length) {
        error.textContent = fieldProblems.join(" ");
        (amount.hasAttribute("aria-invalid") ? amount : reason).focus();
        return;
      }
      apply.disabled = true;
      try {
        const updated = await api.adminAdjustCoins(u.id, n, reason.value.trim(), idempotencyKey);
        if (currentUser()?.id === updated.id) setUser(updated);
        render(updated);
        toast(t("admin.adjusted", { name: nameOf(updated), coins: coins(updated.coins) }), "success");
        handle.close();
        document.querySelector<HTMLElement>(`tr[data-user-id="${CSS.escape(u.id)}"] .actions button`)?.focus();
      } catch (err) {
        const fields = err instanceof api.ApiError ? Object.entries(err.fields).map(([k, v]) => `${k}: ${v}`) : [];
        error.textContent = [errorMessage(err), ...fields].join(" ");
        apply.disabled = false;
      }
    });
  }

  const el = h("section", { class: "page" }, h("h1", null, t("admin.title")), form, h("div", { class: "table-wrap" }, table), status, h("div", { class: "grid-more" }, more));
  void load();
  return { el, title };
}
