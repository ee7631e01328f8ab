// The dialog that grants or takes coins: a non-zero whole amount and a reason, both required (the
// ledger records them with the admin's id). One idempotency key per dialog, so a double submit or a
// retry after a lost answer moves the coins once.
import * as api from "../../api";
import { h } from "../../dom";
import { coins, t } from "../../i18n";
import { currentUser, setUser } from "../../session";
import type { User } from "../../types";
import { openDialog } from "../../ui/dialog";
import { errorMessage } from "../../ui/states";
import { toast } from "../../ui/toast";
import { nameOf } from "./user_name";

export function openCoinAdjustDialog(u: User, onUpdated: (u: User) => void): void {
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

  // Marks each bad field and returns what to say about them; empty when the form is good.
  function problems(n: number): string[] {
    amount.toggleAttribute("aria-invalid", !Number.isInteger(n) || n === 0 || amount.value === "");
    reason.toggleAttribute("aria-invalid", !reason.value.trim());
    const found: string[] = [];
    if (amount.hasAttribute("aria-invalid")) found.push(`${t("admin.amount")}: ${t("admin.amountHint")}`);
    if (reason.hasAttribute("aria-invalid")) found.push(`${t("admin.reason")}: ${t("admin.reasonHint")}`);
    return found;
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    const n = Number(amount.value);
    const found = problems(n);
    if (found.length) {
      error.textContent = found.join(" ");
      (amount.hasAttribute("aria-invalid") ? amount : reason).focus();
      return;
    }
    apply.disabled = true;
    try {
      const updated = await api.adminAdjustCoins(u.id, n, reason.value.trim(), idempotencyKey);
      if (currentUser()?.id === updated.id) setUser(updated);
      onUpdated(updated);
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
