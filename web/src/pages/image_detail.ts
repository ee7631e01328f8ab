// The detail of one image, in a dialog over the gallery: the full picture, its facts (prompt,
// dimensions, date, coins, references), rename, download, Remix and delete with confirmation.
import * as api from "../api";
import { h, icon } from "../dom";
import { formatBytes, formatDate, formatNumber, t } from "../i18n";
import * as poller from "../poller";
import { currentConfig } from "../session";
import type { Grounding, Image } from "../types";
import { sizeLabel } from "../ui/model_picker";
import { confirmDialog, openDialog, type DialogHandle } from "../ui/dialog";
import { altText, displayName, failureText, favoriteButton, refundText, thumbnailImg } from "../ui/image_card";
import { openShareDialog } from "../ui/share_dialog";
import { errorMessage, errorState, loadingState } from "../ui/states";
import { toast } from "../ui/toast";

export interface DetailCallbacks {
  onClose(): void;
  onChanged(image: Image): void;
  onDeleted(id: string): void;
}

export function openImageDetail(id: string, known: Image | null, callbacks: DetailCallbacks): DialogHandle {
  const content = h("div", { class: "detail" }, loadingState());
  let unsubscribe: (() => void) | null = null;
  const handle = openDialog({
    title: t("detail.title"),
    className: "dialog-detail",
    content,
    onClose: () => {
      unsubscribe?.();
      callbacks.onClose();
    },
  });

  const show = (image: Image) => {
    content.replaceChildren(...renderDetail(image, handle, callbacks, show));
  };

  const load = async () => {
    try {
      const image = await api.getImage(id);
      show(image);
      if (image.status === "PENDING" || image.status === "PROCESSING") {
        poller.track(image);
        unsubscribe = poller.subscribe(image.id, (fresh) => {
          show(fresh);
          callbacks.onChanged(fresh);
        });
      }
    } catch (e) {
      if (e instanceof api.ApiError && e.status === 404) content.replaceChildren(errorState(new api.ApiError(404, "NOT_FOUND", t("detail.notFound"))));
      else content.replaceChildren(errorState(e, load));
    }
  };
  if (known) show(known);
  void load();
  return handle;
}

// The offered model's display name, else its id (a model no longer offered).
function modelName(id: string): string {
  return currentConfig().models?.find((m) => m.id === id)?.name ?? id;
}

function groundingSources(grounding: Grounding): Node {
  return h("div", { class: "grounding" },
    grounding.sources.length
      ? h("ul", { class: "grounding-sources" }, ...grounding.sources.map((s) =>
          h("li", null, /^https?:\/\//.test(s.uri)
            ? h("a", { href: s.uri, target: "_blank", rel: "noopener noreferrer nofollow" }, s.title || s.uri)
            : s.title)))
      : null,
    grounding.queries.length
      ? h("p", { class: "grounding-queries muted small" }, t("detail.searchedFor", { queries: grounding.queries.join(" · ") }))
      : null);
}

function renderDetail(image: Image, handle: DialogHandle, callbacks: DetailCallbacks, show: (image: Image) => void): Node[] {
  const facts: [string, Node | string][] = [];
  if (image.prompt) facts.push([t("detail.prompt"), h("span", { class: "prompt-text" }, image.prompt)]);
  facts.push([t("detail.type"), t(`type.${image.type}`)]);
  facts.push([t("detail.status"), t(`status.${image.status}`)]);
  if (image.width && image.height) facts.push([t("detail.dimensions"), t("detail.dimensionsValue", { w: formatNumber(image.width), h: formatNumber(image.height) })]);
  if (image.aspectRatio) facts.push([t("detail.aspect"), image.aspectRatio]);
  if (image.format) facts.push([t("detail.format"), image.format.toUpperCase()]);
  if (image.size) facts.push([t("detail.size"), formatBytes(image.size)]);
  facts.push([t("detail.created"), h("time", { datetime: image.createdAt }, formatDate(image.createdAt))]);
  if (image.type === "GENERATED") facts.push([t("detail.coins"), formatNumber(image.coinsUsed)]);
  if (image.model) facts.push([t("detail.model"), modelName(image.model)]);
  if (image.imageSize) facts.push([t("detail.imageSize"), sizeLabel(image.imageSize)]);
  // Google's terms for grounded results ask that the sources be shown with the image.
  if (image.grounding) facts.push([t("detail.sources"), groundingSources(image.grounding)]);

  const visual = image.url
    ? h("a", { href: image.url, class: "detail-image", target: "_blank", rel: "noopener" },
        h("img", { src: image.url, alt: altText(image), width: image.width ?? undefined, height: image.height ?? undefined, decoding: "async" }))
    : h("div", { class: `detail-image detail-placeholder ${image.status === "FAILED" ? "is-failed" : ""}`, role: "status" },
        image.status === "FAILED"
          ? [icon("alert"), h("p", null, failureText(image)), refundText(image) ? h("p", { class: "thumb-refund" }, refundText(image)) : null]
          : image.status === "COMPLETED"
            ? [icon("image"), h("p", null, t("detail.noPreview"))]
            : [h("span", { class: "spinner" }), h("p", null, t(`status.${image.status}`)),
               h("p", { class: "muted small" }, t(image.status === "PROCESSING" ? "status.processingHint" : "status.pendingHint"))]);

  // The prompt is listed below; an untitled image says so rather than repeating it.
  const title = h("h3", { class: `detail-title ${image.title ? "" : "untitled"}` }, image.title || t("gallery.untitled"));
  const renameButton = h("button", { type: "button", class: "button button-small", onclick: () => startRename() }, icon("edit"), t("detail.rename"));
  const saved = (updated: Image) => {
    callbacks.onChanged(updated);
    show(updated);
  };
  const star = favoriteButton(image, (updated) => {
    saved(updated);
    handle.body.querySelector<HTMLElement>(".detail-title-row .star-button")?.focus();
  });
  const titleRow = h("div", { class: "detail-title-row" }, title, star, renameButton);

  const startRename = () => {
    const input = h("input", { type: "text", id: "rename-input", value: image.title ?? "", maxlength: 200, autocomplete: "off" });
    const error = h("p", { class: "field-error", role: "alert" });
    const save = h("button", { type: "submit", class: "button button-primary button-small" }, t("app.save"));
    const cancel = h("button", { type: "button", class: "button button-small" }, t("app.cancel"));
    const form = h("form", { class: "rename-form" },
      h("label", { for: "rename-input" }, t("detail.nameLabel")), input, h("div", { class: "rename-actions" }, cancel, save), error);
    cancel.addEventListener("click", () => {
      titleRow.replaceChildren(title, star, renameButton);
      renameButton.focus();
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      save.disabled = true;
      try {
        const updated = await api.patchImage(image.id, { title: input.value.trim() });
        callbacks.onChanged(updated);
        show(updated);
        toast(t("detail.renamed"), "success");
        handle.body.querySelector<HTMLElement>(".detail-title-row button:last-child")?.focus();
      } catch (err) {
        error.textContent = [errorMessage(err), ...(err instanceof api.ApiError ? Object.values(err.fields) : [])].join(" ");
        save.disabled = false;
      }
    });
    titleRow.replaceChildren(form);
    input.focus();
    input.select();
  };

  const actions = h("div", { class: "detail-actions" },
    api.downloadUrl(image)
      ? h("a", { href: api.downloadUrl(image)!, class: "button", download: "" }, icon("download"), t("detail.download"))
      : null,
    image.status === "COMPLETED"
      ? h("button", { type: "button", class: "button", onclick: () => openShareDialog(image, saved) },
          icon("share"), t(image.shareUrl ? "share.shared" : "share.share"))
      : null,
    image.type === "GENERATED"
      // Navigating away replaces the gallery, which closes this dialog.
      ? h("a", { href: `/generate?remix=${encodeURIComponent(image.id)}`, class: "button" }, icon("remix"), t("detail.remix"))
      : null,
    h("button", {
      type: "button", class: "button button-danger-outline",
      onclick: async () => {
        if (!(await confirmDialog(t("detail.deleteTitle"), t("detail.deleteBody"), t("detail.deleteConfirm")))) return;
        try {
          await api.deleteImage(image.id);
          poller.stopTracking(image.id);
          callbacks.onDeleted(image.id);
          toast(t("detail.deleted"), "success");
          handle.close();
        } catch (err) {
          toast(errorMessage(err), "error");
        }
      },
    }, icon("trash"), t("detail.delete")));

  const refs = image.parentImageIds.length
    ? h("div", { class: "detail-refs" },
        h("h4", null, t("detail.references")),
        h("ul", { class: "ref-list" }, ...image.parentImageIds.map((pid) => referenceThumb(pid))))
    : null;

  return [
    visual,
    h("div", { class: "detail-info" },
      titleRow,
      h("dl", { class: "facts" }, ...facts.flatMap(([k, v]) => [h("dt", null, k), h("dd", null, v)])),
      refs,
      actions),
  ];
}

// References load on their own; one deleted since shows as such.
function referenceThumb(id: string): HTMLElement {
  const li = h("li", { class: "ref-item" }, h("span", { class: "spinner" }));
  api.getImage(id).then(
    (image) => li.replaceChildren(h("a", { href: `/gallery/${encodeURIComponent(id)}`, title: displayName(image) }, thumbnailImg(image, "96px") ?? icon("image"))),
    () => li.replaceChildren(h("span", { class: "ref-missing", title: t("detail.referenceGone") }, icon("image"), h("span", { class: "visually-hidden" }, t("detail.referenceGone")))),
  );
  return li;
}
