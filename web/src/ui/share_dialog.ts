// The share dialog of an image: make (or show) its public link, copy it, revoke it, and a preview of
// what a person opening the link sees (the picture, its title and prompt: nothing else of the owner).
import * as api from "../api";
import { h, icon } from "../dom";
import { t } from "../i18n";
import type { Image } from "../types";
import { openDialog } from "./dialog";
import { altText } from "./image_card";
import { errorMessage } from "./states";
import { toast } from "./toast";

export function openShareDialog(image: Image, onChanged: (image: Image) => void): void {
  const body = h("div", { class: "share" }, h("p", { class: "muted" }, t("app.loading")));
  const handle = openDialog({ title: t("share.title"), className: "dialog-share", content: body });

  const showLink = (shareUrl: string) => {
    const absolute = new URL(shareUrl, location.origin).href;
    const input = h("input", { type: "text", id: "share-link", readonly: true, value: absolute, class: "share-link" });
    const copy = h("button", { type: "button", class: "button button-primary" }, icon("check"), t("share.copy"));
    const revoke = h("button", { type: "button", class: "button button-danger-outline" }, t("share.revoke"));
    const open = h("a", { href: shareUrl, target: "_blank", rel: "noopener noreferrer", class: "button" }, t("share.open"));
    copy.addEventListener("click", async () => {
      input.select();
      try {
        await navigator.clipboard.writeText(absolute);
        toast(t("share.copied"), "success");
      } catch {
        // No clipboard permission: the link is selected for the person to copy.
        toast(t("share.copyManually"), "info");
      }
    });
    revoke.addEventListener("click", async () => {
      revoke.disabled = true;
      try {
        await api.unshareImage(image.id);
        onChanged({ ...image, shareUrl: null });
        toast(t("share.revoked"), "success");
        handle.close();
      } catch (e) {
        toast(errorMessage(e), "error");
        revoke.disabled = false;
      }
    });
    const previewImage = image.thumbnailUrl ?? image.url;
    body.replaceChildren(
      h("p", null, t("share.explain")),
      h("div", { class: "field" }, h("label", { for: "share-link" }, t("share.link")), input),
      h("div", { class: "dialog-actions" }, revoke, open, copy),
      h("figure", { class: "share-preview", "aria-label": t("share.preview") },
        h("figcaption", { class: "muted small" }, t("share.preview")),
        previewImage ? h("img", { src: previewImage, alt: altText(image), decoding: "async" }) : null,
        h("p", { class: "share-preview-title" }, image.title || t("share.untitledPreview")),
        image.prompt ? h("p", { class: "muted small" }, image.prompt) : null));
    copy.focus();
  };

  if (image.shareUrl) {
    showLink(image.shareUrl);
    return;
  }
  api.shareImage(image.id).then(
    (shareUrl) => {
      onChanged({ ...image, shareUrl });
      showLink(shareUrl);
    },
    (e) => body.replaceChildren(h("p", { class: "field-error", role: "alert" }, errorMessage(e))),
  );
}
