// The top bar: brand, main navigation, coin balance (kept current through session listeners),
// language switch (saved to the profile) and the account menu with sign-out.
import { h, icon } from "../dom";
import { coins, language, t } from "../i18n";
import type { MessageKey } from "../locales/en";
import { currentUser, isAdmin } from "../session";
import type { Language, User } from "../types";

export interface HeaderActions {
  switchLanguage(lang: Language): void;
  signOut(): void;
}

const NAV: { path: string; key: MessageKey; icon: Parameters<typeof icon>[0]; admin?: boolean }[] = [
  { path: "/gallery", key: "nav.gallery", icon: "image" },
  { path: "/generate", key: "nav.generate", icon: "sparkles" },
  { path: "/upload", key: "nav.upload", icon: "upload" },
  { path: "/coins", key: "nav.coins", icon: "coin" },
  { path: "/admin", key: "nav.admin", icon: "user", admin: true },
];

// Document-level listeners of the previous header, dropped when it is rebuilt.
let previous: AbortController | null = null;

export function renderHeader(container: HTMLElement, actions: HeaderActions): { setPath(path: string): void; setUser(user: User | null): void } {
  previous?.abort();
  previous = new AbortController();
  const signal = previous.signal;
  const user = currentUser();
  if (!user) {
    container.replaceChildren();
    container.hidden = true;
    return { setPath() {}, setUser() {} };
  }
  container.hidden = false;

  const balanceValue = h("span", { class: "coin-value", "data-coins": user.coins }, String(user.coins));
  const balance = h("a", { href: "/coins", class: "coin-pill", title: t("header.balance") },
    icon("coin"), h("span", { class: "visually-hidden" }, `${t("header.balance")}: `), balanceValue,
    h("span", { class: "visually-hidden", "aria-live": "polite", "data-balance-announce": "" }));

  const langGroup = h("div", { class: "segmented", role: "group", "aria-label": t("header.language") },
    ...(["en", "es"] as Language[]).map((lang) =>
      h("button", {
        type: "button",
        lang,
        "aria-pressed": String(language() === lang),
        title: t(`lang.${lang}`),
        onclick: () => language() !== lang && actions.switchLanguage(lang),
      }, lang.toUpperCase())));

  const menu = userMenu(user, actions, signal);

  const links = NAV.filter((item) => !item.admin || isAdmin()).map((item) =>
    h("a", { href: item.path, class: "nav-link", "data-path": item.path }, icon(item.icon), h("span", null, t(item.key))));
  const nav = h("nav", { class: "main-nav", "aria-label": t("nav.main") }, ...links);

  container.replaceChildren(
    h("div", { class: "header-bar" },
      h("a", { href: "/gallery", class: "brand" }, h("span", { class: "brand-mark", "aria-hidden": "true" }, icon("sparkles")), h("span", null, t("app.name"))),
      h("div", { class: "header-tools" }, balance, langGroup, menu.el)),
    nav);

  return {
    setPath(path: string) {
      for (const a of links) {
        const active = path === a.dataset.path || path.startsWith(`${a.dataset.path}/`);
        if (active) a.setAttribute("aria-current", "page");
        else a.removeAttribute("aria-current");
      }
    },
    setUser(next: User | null) {
      if (!next) return;
      const before = Number(balanceValue.dataset.coins);
      balanceValue.textContent = String(next.coins);
      balanceValue.dataset.coins = String(next.coins);
      if (before !== next.coins) {
        balance.querySelector("[data-balance-announce]")!.textContent = coins(next.coins);
        balance.classList.remove("bump");
        void balance.offsetWidth; // restart the animation
        balance.classList.add(next.coins > before ? "bump" : "bump-down");
      }
      menu.setUser(next);
    },
  };
}

function userMenu(user: User, actions: HeaderActions, signal: AbortSignal): { el: HTMLElement; setUser(user: User): void } {
  const initials = h("span", { class: "avatar", "aria-hidden": "true" });
  const name = h("span", { class: "user-name" });
  const email = h("span", { class: "menu-email" });
  const button = h("button", {
    type: "button", class: "user-button", "aria-haspopup": "true", "aria-expanded": "false", "aria-controls": "user-menu",
    "aria-label": t("header.userMenu"),
  }, initials, name, icon("chevron"));
  const signOut = h("button", { type: "button", class: "menu-item", onclick: () => actions.signOut() }, t("header.signOut"));
  const panel = h("div", { class: "menu", id: "user-menu", hidden: true },
    h("div", { class: "menu-who" }, h("span", { class: "menu-label" }, t("header.signedInAs")), email),
    h("a", { href: "/coins", class: "menu-item" }, t("nav.coins")),
    signOut);
  const el = h("div", { class: "user-menu" }, button, panel);

  const setOpen = (open: boolean, focusButton = false) => {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) panel.querySelector<HTMLElement>(".menu-item")?.focus();
    else if (focusButton) button.focus();
  };
  button.addEventListener("click", () => setOpen(Boolean(panel.hidden)));
  panel.addEventListener("click", (e) => {
    if ((e.target as Element).closest(".menu-item")) setOpen(false);
  });
  el.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !panel.hidden) setOpen(false, true);
    if ((e.key === "ArrowDown" || e.key === "ArrowUp") && !panel.hidden) {
      e.preventDefault();
      const items = [...panel.querySelectorAll<HTMLElement>(".menu-item")];
      const i = items.indexOf(document.activeElement as HTMLElement);
      items[(i + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length].focus();
    }
  });
  document.addEventListener("click", (e) => {
    if (!panel.hidden && !el.contains(e.target as Node)) setOpen(false);
  }, { signal });

  const setUser = (u: User) => {
    const display = u.fullName || [u.firstName, u.lastName].filter(Boolean).join(" ") || u.email;
    initials.textContent = (display.match(/\p{L}/gu) ?? ["?"]).slice(0, 1).join("").toUpperCase();
    name.textContent = display;
    email.textContent = u.email;
  };
  setUser(user);
  return { el, setUser };
}
