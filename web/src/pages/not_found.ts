import { h } from "../dom";
import { t } from "../i18n";
import type { Page } from "../router";
import { emptyState } from "../ui/states";

export function notFoundPage(): Page {
  const el = h("section", { class: "page page-narrow" },
    h("h1", null, t("notFound.title")),
    emptyState(t("notFound.body"), undefined, h("a", { href: "/gallery", class: "button button-primary" }, t("notFound.home"))));
  return { el, title: `${t("notFound.title")} · ${t("app.name")}` };
}
