// The tiles above the gallery: how many images of each kind, coins spent, bytes stored. A failed
// load leaves them empty rather than showing an error over the gallery itself.
import * as api from "../../api";
import { h } from "../../dom";
import { formatBytes, formatNumber, t } from "../../i18n";
import type { ImageStats } from "../../types";

export function statsSummary() {
  const el = h("dl", { class: "stats", "aria-label": t("stats.title") });

  function render(s: ImageStats) {
    const tile = (label: string, value: string) => h("div", { class: "stat" }, h("dt", null, label), h("dd", null, value));
    el.replaceChildren(
      tile(t("stats.total"), formatNumber(s.total)),
      tile(t("stats.generated"), formatNumber(s.byType?.GENERATED ?? 0)),
      tile(t("stats.uploaded"), formatNumber(s.byType?.UPLOADED ?? 0)),
      tile(t("stats.coinsSpent"), formatNumber(s.coinsSpent)),
      tile(t("stats.stored"), formatBytes(s.bytesStored)));
  }

  return {
    el,
    async load() {
      try {
        render(await api.imageStats());
      } catch {
        el.replaceChildren();
      }
    },
  };
}
