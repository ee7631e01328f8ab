// One row of the admin's user table: name and email, balance, the admin role as a checkbox (saved at
// once; the server refuses to remove the last admin, and the box flips back), and "Adjust coins".
import * as api from "../../api";
import { h, icon } from "../../dom";
import { formatNumber, t } from "../../i18n";
import { currentUser, setUser } from "../../session";
import type { Role, User } from "../../types";
import { errorMessage } from "../../ui/states";
import { toast } from "../../ui/toast";
import { openCoinAdjustDialog } from "./coin_adjust_dialog";
import { openPurchasesDialog } from "./purchases_dialog";
import { nameOf } from "./user_name";


export function userRow(initial: User): HTMLTableRowElement {
  const tr = h("tr", { "data-user-id": initial.id });

  const render = (u: User) => {
    const me = currentUser()?.id === u.id;
    tr.replaceChildren(
      h("td", null, h("div", { class: "user-cell" },
        h("span", { class: "user-cell-name" }, nameOf(u), me ? h("span", { class: "muted" }, ` (${t("admin.you")})`) : null),
        nameOf(u) !== u.email ? h("span", { class: "muted small" }, u.email) : null)),
      h("td", { class: "num", "data-coins": u.coins }, formatNumber(u.coins)),
      h("td", null, h("label", { class: "check", for: `admin-${u.id}` }, adminBox(u, me), t("admin.isAdmin"))),
      h("td", { class: "actions" }, h("button", {
        type: "button", class: "button button-small", onclick: () => openCoinAdjustDialog(u, render),
      }, icon("coin"), t("admin.adjust")),
      " ",
      h("button", { type: "button", class: "button button-small", "data-action": "purchases", onclick: () => openPurchasesDialog(u) },
        t("admin.purchases"))));
  };

  function adminBox(u: User, me: boolean): HTMLInputElement {
    const box = h("input", { type: "checkbox", id: `admin-${u.id}`, checked: u.roles.includes("ADMIN") });
    box.addEventListener("change", async () => {
      const roles: Role[] = box.checked
        ? [...new Set<Role>([...u.roles, "ADMIN"])]
        : u.roles.filter((r) => r !== "ADMIN");
      box.disabled = true;
      try {
        const updated = await api.adminSetRoles(u.id, roles.length ? roles : ["USER"]);
        if (me) setUser(updated);
        render(updated);
        toast(t("admin.rolesSaved", { name: nameOf(updated) }), "success");
        tr.querySelector<HTMLInputElement>("input[type=checkbox]")?.focus();
      } catch (err) {
        box.checked = !box.checked;
        box.disabled = false;
        toast(errorMessage(err), "error");
      }
    });
    return box;
  }

  render(initial);
  return tr;
}
