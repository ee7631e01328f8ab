// Sign-in: Google when the server offers it, the dev e-mail form in the dev environment. After
// signing in the person returns to ?redirect= (where a session expiry interrupted them).
import * as api from "../api";
import { h, icon } from "../dom";
import { language, t } from "../i18n";
import type { Page, Route } from "../router";
import { currentConfig } from "../session";
import type { Language, User } from "../types";
import { errorMessage } from "../ui/states";

export interface SignInActions {
  signedIn(user: User, redirect: string): void;
  switchLanguage(lang: Language): void;
}

// Only same-origin paths; anything else falls back to the gallery.
export function safeRedirect(value: string | null): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/sign-in")) return "/gallery";
  return value;
}

export function signInPage(route: Route, actions: SignInActions): Page {
  const config = currentConfig();
  const redirect = safeRedirect(route.query.get("redirect"));
  const expired = route.query.get("expired") === "1";

  const langSwitch = h("div", { class: "segmented", role: "group", "aria-label": t("header.language") },
    ...(["en", "es"] as Language[]).map((lang) =>
      h("button", { type: "button", lang, "aria-pressed": String(language() === lang), onclick: () => actions.switchLanguage(lang) },
        t(`lang.${lang}`))));

  const sections: Node[] = [];
  if (config.googleLogin) {
    sections.push(h("a", { href: api.googleLoginUrl(redirect), class: "button button-google", "data-native": "" },
      icon("google"), t("signIn.google")));
  }
  if (config.devLogin) {
    if (sections.length) sections.push(h("p", { class: "divider" }, h("span", null, t("signIn.or"))));
    sections.push(devForm(redirect, actions));
  }
  if (!sections.length) sections.push(h("p", { class: "notice" }, t("signIn.none")));

  const el = h("div", { class: "sign-in" },
    h("div", { class: "sign-in-card" },
      h("div", { class: "sign-in-brand" }, h("span", { class: "brand-mark large", "aria-hidden": "true" }, icon("sparkles")), h("span", null, t("app.name"))),
      h("h1", null, t("signIn.title")),
      h("p", { class: "muted" }, t("app.tagline")),
      expired ? h("p", { class: "notice notice-warning", role: "status" }, t("signIn.expired")) : null,
      ...sections,
      h("div", { class: "sign-in-foot" }, langSwitch)),
    h("div", { class: "sign-in-art", "aria-hidden": "true" }, ...Array.from({ length: 6 }, (_, i) => h("span", { class: `tile tile-${i}` }))));
  return { el, title: `${t("signIn.title")} · ${t("app.name")}` };
}

function devForm(redirect: string, actions: SignInActions): HTMLElement {
  const email = h("input", { type: "email", id: "dev-email", name: "email", required: true, autocomplete: "email", placeholder: "you@example.com" });
  const first = h("input", { type: "text", id: "dev-first", name: "firstName", autocomplete: "given-name", maxlength: 100 });
  const error = h("p", { class: "field-error", id: "dev-error", role: "alert" });
  const submit = h("button", { type: "submit", class: "button button-primary button-block" }, t("signIn.submit"));
  const form = h("form", { class: "dev-form", novalidate: true },
    h("h2", null, t("signIn.devTitle")),
    h("p", { class: "muted small" }, t("signIn.devHint")),
    h("div", { class: "field" }, h("label", { for: "dev-email" }, t("signIn.email")), email),
    h("div", { class: "field" }, h("label", { for: "dev-first" }, t("signIn.firstName")), first),
    error,
    submit);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    email.removeAttribute("aria-invalid");
    if (!email.value.trim() || !email.checkValidity()) {
      email.setAttribute("aria-invalid", "true");
      email.setAttribute("aria-describedby", "dev-error");
      error.textContent = t("signIn.emailInvalid");
      email.focus();
      return;
    }
    submit.disabled = true;
    try {
      const user = await api.devLogin(email.value.trim(), first.value.trim() || undefined);
      actions.signedIn(user, redirect);
    } catch (err) {
      const field = err instanceof api.ApiError ? err.fields.email : undefined;
      error.textContent = field ?? errorMessage(err);
      submit.disabled = false;
    }
  });
  return form;
}
