// Buy coins: the packs on sale with their prices in the person's language and the pack's currency;
// "Buy" asks the Worker for a Stripe Checkout Session and leaves for Stripe's page. The coins are
// credited by Stripe's webhook, never by this page.
import * as api from "../api";
import { h, icon } from "../dom";
import { formatMoney, formatNumber, t } from "../i18n";
import type { Page } from "../router";
import { currentConfig } from "../session";
import type { CoinPack } from "../types";
import { emptyState, errorMessage, errorState, loadingState } from "../ui/states";

export function buyPage(): Page {
  const title = `${t("buy.title")} · ${t("app.name")}`;
  const list = h("ul", { class: "pack-list", "aria-label": t("buy.title") });
  const status = h("div");
  const el = h("section", { class: "page page-narrow" },
    h("h1", null, t("buy.title")),
    h("p", { class: "muted" }, t("buy.intro")),
    status,
    list);

  const card = (pack: CoinPack) => {
    const price = formatMoney(pack.amount, pack.currency);
    const error = h("p", { class: "field-error", role: "alert" });
    const button = h("button", { type: "button", class: "button button-primary", "data-pack": pack.id },
      t("buy.button", { price }));
    button.addEventListener("click", async () => {
      button.disabled = true;
      error.textContent = "";
      status.replaceChildren(loadingState(t("buy.redirecting")));
      try {
        location.assign(await api.checkout(pack.id));
      } catch (e) {
        status.replaceChildren();
        error.textContent = errorMessage(e);
        button.disabled = false;
      }
    });
    return h("li", { class: "pack-card" },
      h("p", { class: "pack-coins" }, icon("coin"), h("span", null, t("buy.pack", { coins: formatNumber(pack.coins) }))),
      h("p", { class: "pack-price" }, price),
      h("p", { class: "muted small" }, t("buy.perCoin", { price: formatMoney(Math.round((pack.amount * 100) / pack.coins), pack.currency) })),
      button,
      error);
  };

  async function load() {
    if (!currentConfig().billing) {
      status.replaceChildren(emptyState(t("buy.off")));
      return;
    }
    status.replaceChildren(loadingState());
    try {
      const packs = await api.coinPacks();
      list.replaceChildren(...packs.map(card));
      status.replaceChildren(packs.length ? "" : emptyState(t("buy.empty")));
    } catch (e) {
      status.replaceChildren(errorState(e, load));
    }
  }
  void load();
  return { el, title };
}
