// Where Stripe Checkout sends the person back. Success: the webhook, not this redirect, credits the
// coins, so the page re-reads the balance for a few seconds and says what it is waiting for; if the
// coins are not there by then it says they will come. Cancel: nothing was charged.
import * as api from "../api";
import { h } from "../dom";
import { coins, t } from "../i18n";
import type { Page, Route } from "../router";
import { currentUser, refreshUser } from "../session";
import { loadingState } from "../ui/states";

const POLL_MS = 1500;
const POLL_FOR_MS = 20_000;

export function billingSuccessPage(route: Route): Page {
  const title = `${t("billing.successTitle")} · ${t("app.name")}`;
  const status = h("div", { class: "billing-status", role: "status", "aria-live": "polite" });
  const links = h("p", { class: "state-actions" },
    h("a", { href: "/coins", class: "button" }, t("billing.backToCoins")));
  const el = h("section", { class: "page page-narrow" }, h("h1", null, t("billing.successTitle")), status, links);

  // The balance before the webhook: the purchase is in once it grows (or a purchase row is paid).
  const start = currentUser()?.coins ?? 0;
  const sessionId = route.query.get("session_id");
  let timer: number | undefined;
  let stopped = false;
  const began = Date.now();

  async function poll() {
    await refreshUser();
    if (stopped) return;
    const now = currentUser()?.coins ?? 0;
    if (now > start || (await paid())) {
      status.replaceChildren(h("p", { class: "billing-done", "data-state": "credited" }, t("billing.credited", { balance: coins(now) })));
      return;
    }
    if (Date.now() - began > POLL_FOR_MS) {
      status.replaceChildren(h("p", { "data-state": "slow" }, t("billing.slow")));
      return;
    }
    timer = window.setTimeout(poll, POLL_MS);
  }

  // The newest purchase (the one this checkout created) is paid: the webhook beat the redirect, so
  // the balance seen at load time already had the coins.
  async function paid(): Promise<boolean> {
    if (!sessionId) return false;
    try {
      const page = await api.purchases(null, 1);
      return page.items[0]?.status === "paid";
    } catch {
      return false;
    }
  }

  status.replaceChildren(loadingState(t("billing.waiting")));
  void poll();
  return {
    el,
    title,
    destroy() {
      stopped = true;
      window.clearTimeout(timer);
    },
  };
}

export function billingCancelPage(): Page {
  const title = `${t("billing.cancelTitle")} · ${t("app.name")}`;
  const el = h("section", { class: "page page-narrow" },
    h("h1", null, t("billing.cancelTitle")),
    h("p", { "data-state": "canceled" }, t("billing.canceled")),
    h("p", { class: "state-actions" },
      h("a", { href: "/buy", class: "button button-primary" }, t("billing.tryAgain")),
      h("a", { href: "/coins", class: "button" }, t("billing.backToCoins"))));
  return { el, title };
}
