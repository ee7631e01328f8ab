// The tiles above the gallery: how many images of each kind, coins spent, bytes stored. A failed
// load leaves them empty rather than showing an error over the gallery itself.
import * as api from "../../api";
import { h } from "../../dom";
import { formatBytes, formatNumber, t } from "../../i18n";
import type { ImageStats, Storage } from "../../types";

export function statsSummary() {
  const el = h("dl", { class: "stats", "aria-label": t("stats.title") });

  function render(s: ImageStats, storage: Storage | null) {
    const tile = (label: string, value: string) => h("div", { class: "stat" }, h("dt", null, label), h("dd", null, value));
    el.replaceChildren(
      tile(t("stats.total"), formatNumber(s.total)),
      tile(t("stats.generated"), formatNumber(s.byType?.GENERATED ?? 0)),
      tile(t("stats.uploaded"), formatNumber(s.byType?.UPLOADED ?? 0)),
      tile(t("stats.coinsSpent"), formatNumber(s.coinsSpent)),
      tile(t("stats.stored"), storage
        ? t("stats.storageOf", { used: formatBytes(storage.used), quota: formatBytes(storage.quota) })
        : formatBytes(s.bytesStored)));
    if (storage) el.append(storageMeter(storage));
  }

  return {
    el,
    async load() {
      try {
        const [stats, storage] = await Promise.all([api.imageStats(), api.getStorage().catch(() => null)]);
        render(stats, storage);
      } catch {
        el.replaceChildren();
      }
    },
  };
}

// How full the quota is, as a native <meter> (no inline style: the app runs under a strict CSP).
function storageMeter(storage: Storage): HTMLElement {
  const meter = h("meter", { min: 0, max: storage.quota, value: storage.used, high: storage.quota * 0.9, optimum: 0,
    "aria-label": t("stats.storageMeter") });
  return h("div", { class: "stat stat-meter" }, meter);
}
