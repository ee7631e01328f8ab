// One gallery tile. Finished images show their lazy-loaded thumbnail; generations in flight show
// their progress (kept current by the poller); failures show the reason, the refund and Remix.
import * as api from "../api";
import { h, icon } from "../dom";
import { formatDate, formatShortDate, t, tn } from "../i18n";
import * as poller from "../poller";
import type { Image } from "../types";
import { errorMessage } from "./states";
import { toast } from "./toast";

export function displayName(image: Image): string {
  if (image.title) return image.title;
  if (image.prompt) return image.prompt.length > 60 ? `${image.prompt.slice(0, 57).trimEnd()}…` : image.prompt;
  return t("gallery.untitled");
}

export function altText(image: Image): string {
  return image.title || image.prompt || image.description || t("gallery.untitled");
}

let firstThumbnailMarked = false;

// <img> for a thumbnail. Cells are at most ~240 CSS px, so the 384 px thumbnail covers 1.5x screens;
// srcset lets 2x+ screens with wide cells take the original instead.
export function thumbnailImg(image: Image, sizes = "(max-width: 520px) 50vw, 240px", priority = false): HTMLImageElement | null {
  const src = image.thumbnailUrl ?? image.url;
  if (!src) return null;
  const img = h("img", {
    src,
    alt: altText(image),
    loading: priority ? "eager" : "lazy",
    fetchpriority: priority ? "high" : undefined,
    decoding: "async",
    width: image.width ?? undefined,
    height: image.height ?? undefined,
  });
  if (image.thumbnailUrl && image.url && image.width && image.width > 384) {
    const thumbWidth = Math.min(384, image.width);
    img.srcset = `${image.thumbnailUrl} ${thumbWidth}w, ${image.url} ${image.width}w`;
    img.sizes = sizes;
  }
  img.addEventListener("load", () => {
    img.classList.add("loaded");
    if (!firstThumbnailMarked) {
      firstThumbnailMarked = true;
      performance.mark("nb:first-thumbnail");
    }
  }, { once: true });
  return img;
}

export function failureText(image: Image): string {
  return image.error ? t("status.failed", { reason: image.error }) : t("status.failedNoReason");
}

// The server's reason for a failed generation already says the coins came back, and it zeroes
// coinsUsed when it refunds; an amount is added only when the image still reports one.
export function refundText(image: Image): string | null {
  return image.status === "FAILED" && image.coinsUsed > 0 ? tn("status.refunded", image.coinsUsed) : null;
}

// What a gallery card can do besides opening: star it, and be picked for a bulk action.
export interface CardActions {
  onFavorite?(image: Image): void;
  selection?: { isSelected(id: string): boolean; toggle(id: string, selected: boolean): void };
}

// The star: a toggle button (aria-pressed) that saves at once and shows the saved state.
export function favoriteButton(image: Image, onSaved: (image: Image) => void, className = "icon-button star-button"): HTMLButtonElement {
  const label = t(image.favorite ? "favorite.remove" : "favorite.add");
  const button = h("button", {
    type: "button", class: `${className} ${image.favorite ? "is-favorite" : ""}`,
    "aria-pressed": image.favorite ? "true" : "false", "aria-label": label, title: label,
  }, icon(image.favorite ? "star" : "starOutline"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      onSaved(await api.patchImage(image.id, { favorite: !image.favorite }));
    } catch (e) {
      toast(errorMessage(e), "error");
      button.disabled = false;
    }
  });
  return button;
}

export function imageCard(initial: Image, priority = false, actions: CardActions = {}): { el: HTMLElement; update(image: Image): void; destroy(): void } {
  const el = h("li", { class: "card" });
  let unsubscribe: (() => void) | null = null;

  const render = (image: Image) => {
    el.dataset.imageId = image.id;
    el.dataset.status = image.status;
    el.dataset.type = image.type;
    const name = displayName(image);
    let visual: HTMLElement;
    if (image.status === "COMPLETED") {
      visual = h("div", { class: "thumb" }, thumbnailImg(image, undefined, priority) ?? h("span", { class: "thumb-missing" }, icon("image"), t("detail.noPreview")));
    } else if (image.status === "FAILED") {
      const refund = refundText(image);
      visual = h("div", { class: "thumb thumb-failed", role: "alert" },
        icon("alert"),
        h("p", { class: "thumb-status" }, t("status.FAILED")),
        h("p", { class: "thumb-reason", title: image.error ?? "" }, image.error ?? t("status.failedNoReason")),
        refund ? h("p", { class: "thumb-refund" }, refund) : null);
    } else {
      const processing = image.status === "PROCESSING";
      visual = h("div", { class: `thumb thumb-pending ${processing ? "is-processing" : ""}`, role: "status" },
        h("div", { class: "pending-art", "aria-hidden": "true" }),
        h("p", { class: "thumb-status" }, t(`status.${image.status}`)),
        h("p", { class: "thumb-reason" }, t(processing ? "status.processingHint" : "status.pendingHint")),
        h("div", { class: "progress-track", "aria-hidden": "true" }, h("div", { class: "progress-indeterminate" })));
    }
    const link = h("a", { href: `/gallery/${encodeURIComponent(image.id)}`, class: "card-link", "aria-label": t("gallery.open", { name }) }, visual);
    const selection = actions.selection;
    let picker: HTMLElement | null = null;
    if (selection) {
      const boxId = `select-${image.id}`;
      const box = h("input", { type: "checkbox", id: boxId, class: "select-box", checked: selection.isSelected(image.id) });
      box.addEventListener("change", () => {
        selection.toggle(image.id, box.checked);
        el.classList.toggle("is-selected", box.checked);
      });
      el.classList.toggle("is-selected", box.checked);
      picker = h("span", { class: "card-select" }, box, h("label", { for: boxId, class: "visually-hidden" }, t("gallery.select", { name })));
    }
    const star = actions.onFavorite ? favoriteButton(image, (saved) => {
      render(saved);
      actions.onFavorite?.(saved);
      el.querySelector<HTMLElement>(".star-button")?.focus();
    }) : null;
    const meta = h("div", { class: "card-meta" },
      h("p", { class: "card-title", title: name }, name),
      h("p", { class: "card-sub" },
        h("span", { class: `badge badge-${image.type.toLowerCase()}` }, t(`type.${image.type}`)),
        h("time", { datetime: image.createdAt, title: formatDate(image.createdAt) }, formatShortDate(image.createdAt))),
      image.status === "FAILED" && image.type === "GENERATED"
        ? h("a", { href: `/generate?remix=${encodeURIComponent(image.id)}`, class: "card-action" }, icon("remix"), t("detail.remix"))
        : null);
    if (picker || star) meta.prepend(h("div", { class: "card-tools" }, picker, star));
    el.replaceChildren(link, meta);
  };

  render(initial);
  if (initial.status === "PENDING" || initial.status === "PROCESSING") {
    poller.track(initial);
    unsubscribe = poller.subscribe(initial.id, render);
  }
  return {
    el,
    update: render,
    destroy() {
      unsubscribe?.();
    },
  };
}
