// The three states every list and screen has besides "here is your data".
import { ApiError } from "../api";
import { h, icon } from "../dom";
import { t } from "../i18n";

export function loadingState(label = t("app.loading")): HTMLElement {
  return h("div", { class: "state state-loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), h("span", null, label));
}

export function emptyState(title: string, hint?: string, ...actions: Node[]): HTMLElement {
  return h("div", { class: "state state-empty" },
    icon("image"),
    h("p", { class: "state-title" }, title),
    hint ? h("p", { class: "state-hint" }, hint) : null,
    actions.length ? h("div", { class: "state-actions" }, ...actions) : null);
}

export function errorState(error: unknown, retry?: () => void): HTMLElement {
  return h("div", { class: "state state-error", role: "alert" },
    icon("alert"),
    h("p", { class: "state-title" }, errorMessage(error)),
    retry ? h("button", { type: "button", class: "button", onclick: retry }, t("app.retry")) : null);
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return t("app.unexpected");
}
