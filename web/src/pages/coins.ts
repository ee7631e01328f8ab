// Coins: the balance and every ledger entry (bonus, generation holds, refunds, admin adjustments),
// newest first, a page at a time.
import * as api from "../api";
import { h, icon } from "../dom";
import { coins, formatDate, formatNumber, t, tMaybe } from "../i18n";
import type { Page } from "../router";
import { currentUser, onUserChange } from "../session";
import type { Transaction } from "../types";
import { emptyState, errorState, loadingState } from "../ui/states";
import { buyLink, dailyRewardCard, purchaseHistory } from "./coins_extras";

// Ledger reasons are stable words; admin grants carry the admin's note after "admin_grant: ".
export function describeReason(reason: string): string {
  const note = /^admin_grant:\s*(.*)$/s.exec(reason);
  if (note) return note[1] ? t("coins.reason.admin_grant_note", { note: note[1] }) : t("coins.reason.admin_grant");
  return tMaybe(`coins.reason.${reason}`) ?? reason;
}

export function coinsPage(): Page {
  let cursor: string | null = null;
  const balance = h("p", { class: "balance-big" });
  const body = h("tbody");
  const table = h("table", { class: "ledger", hidden: true },
    h("caption", { class: "visually-hidden" }, t("coins.history")),
    h("thead", null, h("tr", null,
      h("th", { scope: "col" }, t("coins.date")),
      h("th", { scope: "col" }, t("coins.what")),
      h("th", { scope: "col", class: "num" }, t("coins.change")),
      h("th", { scope: "col", class: "num" }, t("coins.after")))),
    body);
  const status = h("div");
  const more = h("button", { type: "button", class: "button", hidden: true, onclick: () => load() }, t("app.loadMore"));

  const showBalance = () => {
    const user = currentUser();
    balance.replaceChildren(icon("coin"), h("span", null, coins(user?.coins ?? 0)));
  };

  const row = (tx: Transaction) =>
    h("tr", null,
      h("td", null, h("time", { datetime: tx.createdAt }, formatDate(tx.createdAt))),
      h("td", null, describeReason(tx.reason),
        tx.imageId ? [" ", h("a", { href: `/gallery/${encodeURIComponent(tx.imageId)}`, class: "small" }, t("coins.viewImage"))] : null),
      h("td", { class: `num delta ${tx.delta > 0 ? "plus" : "minus"}` }, `${tx.delta > 0 ? "+" : "−"}${formatNumber(Math.abs(tx.delta))}`),
      h("td", { class: "num" }, formatNumber(tx.balanceAfter)));

  async function load() {
    more.hidden = true;
    status.replaceChildren(loadingState());
    try {
      const page = await api.transactions(cursor);
      cursor = page.nextCursor;
      body.append(...page.items.map(row));
      table.hidden = body.children.length === 0;
      status.replaceChildren(body.children.length ? "" : emptyState(t("coins.empty")));
      more.hidden = !cursor;
    } catch (e) {
      status.replaceChildren(errorState(e, load));
    }
  }

  const purchases = purchaseHistory();
  const el = h("section", { class: "page page-narrow" },
    h("h1", null, t("coins.title")),
    h("div", { class: "balance-card" }, h("p", { class: "muted" }, t("coins.balance")), balance),
    buyLink(),
    dailyRewardCard(),
    h("h2", null, t("coins.history")),
    h("div", { class: "table-wrap" }, table),
    status,
    h("div", { class: "grid-more" }, more),
    purchases.el);

  showBalance();
  let shown = currentUser()?.coins;
  const stop = onUserChange((user) => {
    showBalance();
    // The balance moved (a refund, a grant): the history has new rows.
    if (user && user.coins !== shown) {
      shown = user.coins;
      cursor = null;
      body.replaceChildren();
      void load();
      purchases.reload();
    }
  });
  void load();
  return { el, title: `${t("coins.title")} · ${t("app.name")}`, destroy: stop };
}
