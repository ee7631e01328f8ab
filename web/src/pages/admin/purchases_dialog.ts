// An admin's view of one user's purchases and refunds: status, pack, price, Stripe's ids and, for a
// refund, what was taken back and the shortfall (coins already spent that could not be).
import * as api from "../../api";
import { h } from "../../dom";
import { coins, formatDate, formatMoney, formatNumber, t } from "../../i18n";
import type { AdminPurchase, User } from "../../types";
import { openDialog } from "../../ui/dialog";
import { emptyState, errorState, loadingState } from "../../ui/states";
import { purchaseStatus } from "../coins_extras";
import { nameOf } from "./user_name";

export function openPurchasesDialog(u: User): void {
  let cursor: string | null = null;
  const list = h("ul", { class: "admin-purchases" });
  const status = h("div");
  const more = h("button", { type: "button", class: "button", hidden: true, onclick: () => load() }, t("app.loadMore"));
  const item = (p: AdminPurchase) => h("li", { "data-status": p.status, "data-purchase": p.id },
    h("p", null,
      h("strong", null, t("buy.pack", { coins: formatNumber(p.coins) })), " · ",
      formatMoney(p.amount, p.currency), " · ", h("span", { class: "purchase-status" }, purchaseStatus(p))),
    h("p", { class: "muted small" }, formatDate(p.createdAt), p.sessionId ? ` · ${p.sessionId}` : ""),
    p.status === "refunded" ? h("p", { class: "small refund-line" }, t("admin.refunded", { coins: coins(p.refundedCoins) }),
      p.refundShortfall > 0 ? h("span", { class: "shortfall" }, ` · ${t("admin.shortfall", { coins: coins(p.refundShortfall) })}`) : null) : null);

  async function load() {
    more.hidden = true;
    status.replaceChildren(loadingState());
    try {
      const page = await api.adminPurchases(u.id, cursor);
      cursor = page.nextCursor;
      list.append(...page.items.map(item));
      status.replaceChildren(list.children.length ? "" : emptyState(t("admin.purchasesEmpty")));
      more.hidden = !cursor;
    } catch (e) {
      status.replaceChildren(errorState(e, load));
    }
  }
  openDialog({ title: t("admin.purchasesTitle", { name: nameOf(u) }), content: [list, status, more] });
  void load();
}
