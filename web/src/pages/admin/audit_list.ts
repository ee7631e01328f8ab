// The admin audit under the user table: every role change and coin grant, newest first, a page at a
// time. Users are shown by id (the audit outlives accounts, and a lookup per row would cost a request).
import * as api from "../../api";
import { h } from "../../dom";
import { formatDate, formatNumber, t } from "../../i18n";
import type { AuditEntry } from "../../types";
import { emptyState, errorState, loadingState } from "../../ui/states";

function change(e: AuditEntry): string {
  if (e.action === "roles.update") {
    return t("admin.auditRoles", { before: (e.before.roles ?? []).join(", "), after: (e.after.roles ?? []).join(", ") });
  }
  return t("admin.auditCoins", {
    before: formatNumber(e.before.coins ?? 0), after: formatNumber(e.after.coins ?? 0), reason: e.after.reason ?? "",
  });
}

function auditRow(e: AuditEntry): HTMLTableRowElement {
  return h("tr", { "data-audit-id": e.id, "data-action": e.action },
    h("td", null, h("time", { datetime: e.createdAt }, formatDate(e.createdAt))),
    h("td", { class: "small" }, e.actorId),
    h("td", { class: "small" }, e.targetUserId),
    h("td", null, change(e)));
}

export function auditList() {
  let cursor: string | null = null;
  const body = h("tbody");
  const table = h("table", { class: "users audit", hidden: true },
    h("caption", { class: "visually-hidden" }, t("admin.audit")),
    h("thead", null, h("tr", null,
      h("th", { scope: "col" }, t("admin.auditWhen")),
      h("th", { scope: "col" }, t("admin.auditActor")),
      h("th", { scope: "col" }, t("admin.auditTarget")),
      h("th", { scope: "col" }, t("admin.auditChange")))),
    body);
  const status = h("div");
  const more = h("button", { type: "button", class: "button", hidden: true, onclick: () => load() }, t("app.loadMore"));

  async function load() {
    more.hidden = true;
    status.replaceChildren(loadingState());
    try {
      const page = await api.adminAudit(cursor);
      cursor = page.nextCursor;
      body.append(...page.items.map(auditRow));
      table.hidden = body.children.length === 0;
      status.replaceChildren(body.children.length ? "" : emptyState(t("admin.auditEmpty")));
      more.hidden = !cursor;
    } catch (e) {
      status.replaceChildren(errorState(e, load));
    }
  }

  const el = h("section", { class: "admin-audit", "aria-labelledby": "admin-audit-title" },
    h("h2", { id: "admin-audit-title" }, t("admin.audit")),
    h("div", { class: "table-wrap" }, table), status, h("div", { class: "grid-more" }, more));
  return { el, load };
}
