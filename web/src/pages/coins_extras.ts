// The coins page's billing parts: the daily reward button with its state, the "Buy coins" link and
// the purchase history (each Checkout the person started, with its outcome).
import * as api from "../api";
import { h, icon } from "../dom";
import { coins, formatDate, formatMoney, formatNumber, t, tMaybe } from "../i18n";
import { currentConfig, setUser } from "../session";
import type { Purchase } from "../types";
import { emptyState, errorMessage, errorState, loadingState } from "../ui/states";
import { toast } from "../ui/toast";

export function dailyRewardCard(): HTMLElement | null {
  const config = currentConfig();
  if (!config.dailyReward) return null;
  const button = h("button", { type: "button", class: "button button-primary", id: "daily-reward", disabled: true },
    icon("coin"), t("daily.claim", { coins: coins(config.dailyReward) }));
  const note = h("p", { class: "muted small", id: "daily-reward-state", "aria-live": "polite" });
  const showClaimed = (nextAt: string) => {
    button.disabled = true;
    button.dataset.state = "claimed";
    note.textContent = t("daily.claimed", { when: formatDate(nextAt) });
  };
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const r = await api.claimDailyReward();
      setUser(r.user);
      toast(t("daily.granted", { coins: coins(r.granted) }), "success");
      showClaimed((await api.dailyReward()).nextAt);
    } catch (e) {
      if (e instanceof api.ApiError && e.status === 409) {
        showClaimed((await api.dailyReward().catch(() => null))?.nextAt ?? new Date().toISOString());
      } else {
        button.disabled = false;
        toast(errorMessage(e), "error");
      }
    }
  });
  void api.dailyReward().then((state) => {
    if (state.claimedToday) showClaimed(state.nextAt);
    else {
      button.disabled = false;
      button.dataset.state = "ready";
    }
  }, () => {
    button.disabled = false;
  });
  return h("div", { class: "daily-card" }, h("h2", null, t("daily.title")), button, note);
}

export function buyLink(): HTMLElement | null {
  if (!currentConfig().billing) return null;
  return h("p", null, h("a", { href: "/buy", class: "button button-primary", id: "buy-coins" }, icon("coin"), t("coins.buy")));
}

export function purchaseStatus(p: Purchase): string {
  return tMaybe(`purchase.status.${p.status}`) ?? p.status;
}

export function purchaseHistory(): { el: HTMLElement; reload: () => void } {
  let cursor: string | null = null;
  const body = h("tbody");
  const table = h("table", { class: "purchases", hidden: true },
    h("caption", { class: "visually-hidden" }, t("coins.purchases")),
    h("thead", null, h("tr", null,
      h("th", { scope: "col" }, t("coins.date")),
      h("th", { scope: "col" }, t("coins.pack")),
      h("th", { scope: "col", class: "num" }, t("coins.price")),
      h("th", { scope: "col" }, t("coins.status")))),
    body);
  const status = h("div");
  const more = h("button", { type: "button", class: "button", hidden: true, onclick: () => load() }, t("app.loadMore"));
  const row = (p: Purchase) => h("tr", { "data-status": p.status },
    h("td", null, h("time", { datetime: p.createdAt }, formatDate(p.createdAt))),
    h("td", null, t("buy.pack", { coins: formatNumber(p.coins) })),
    h("td", { class: "num" }, formatMoney(p.amount, p.currency)),
    h("td", null, purchaseStatus(p)));

  async function load() {
    more.hidden = true;
    status.replaceChildren(loadingState());
    try {
      const page = await api.purchases(cursor);
      cursor = page.nextCursor;
      body.append(...page.items.map(row));
      table.hidden = body.children.length === 0;
      status.replaceChildren(body.children.length ? "" : emptyState(t("coins.purchasesEmpty")));
      more.hidden = !cursor;
      if (body.children.length) el.hidden = false;
    } catch (e) {
      status.replaceChildren(errorState(e, load));
    }
  }
  // Where billing is off the section shows only if there is history to show.
  const el = h("div", { class: "purchase-history", hidden: !currentConfig().billing },
    h("h2", null, t("coins.purchases")), h("div", { class: "table-wrap" }, table), status, h("div", { class: "grid-more" }, more));
  void load();
  return {
    el,
    reload() {
      cursor = null;
      body.replaceChildren();
      void load();
    },
  };
}
