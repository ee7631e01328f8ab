// Reference images for a generation: up to `max`, picked from the gallery or uploaded on the spot
// (checked in the browser first, then stored like any upload). Uploads in flight hold a slot.
import * as api from "../../api";
import { h, icon } from "../../dom";
import { t } from "../../i18n";
import type { Image } from "../../types";
import { displayName, thumbnailImg } from "../../ui/image_card";
import { pickReferences } from "../../ui/reference_picker";
import { errorMessage } from "../../ui/states";
import { ACCEPT, checkUpload } from "../../upload_check";

export const MAX_REFERENCES = 3;

// `initialMax`: the chosen model's reference limit; setMax follows a change of model (references
// beyond the new limit are dropped, the last ones first).
export function referenceField(maxUploadBytes: number, onChange: () => void, initialMax = MAX_REFERENCES) {
  let max = initialMax;
  let references: Image[] = [];
  let uploading = 0;

  const list = h("ul", { class: "ref-list" });
  const error = h("p", { class: "field-error", role: "alert" });
  const fileInput = h("input", { type: "file", accept: ACCEPT, class: "visually-hidden-input", id: "ref-upload", tabindex: -1, "aria-label": t("generate.uploadReference") });
  const pickButton = h("button", { type: "button", class: "button" }, icon("image"), t("generate.pickFromGallery"));
  const uploadButton = h("button", { type: "button", class: "button" }, icon("upload"), t("generate.uploadReference"));
  const hint = h("p", { class: "field-hint" }, t("generate.referencesHint", { max }));
  const el = h("fieldset", { class: "refs" },
    h("legend", null, t("generate.references")),
    hint,
    list,
    h("div", { class: "ref-actions" }, pickButton, uploadButton, fileInput),
    error);

  const set = (next: Image[]) => {
    references = next.slice(0, max);
    onChange();
  };

  pickButton.addEventListener("click", async () => {
    const picked = await pickReferences(references.map((r) => r.id), max - references.length - uploading);
    set([...references, ...picked]);
  });
  uploadButton.addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", async () => {
    const file = fileInput.files?.[0];
    fileInput.value = "";
    if (!file) return;
    const problem = await checkUpload(file, maxUploadBytes);
    if (problem) {
      error.textContent = `${file.name}: ${problem}`;
      return;
    }
    uploading++;
    onChange();
    try {
      const image = await api.uploadImage(file, () => {});
      uploading--;
      set([...references, image]);
    } catch (e) {
      uploading--;
      onChange();
      error.textContent = `${file.name}: ${errorMessage(e)}`;
    }
  });

  function item(image: Image): HTMLElement {
    return h("li", { class: "ref-item" },
      thumbnailImg(image, "96px") ?? h("span", { class: "ref-missing" }, icon("image")),
      h("button", {
        type: "button", class: "icon-button ref-remove", "aria-label": t("generate.removeReference", { name: displayName(image) }),
        onclick: () => {
          set(references.filter((r) => r.id !== image.id));
          (list.querySelector("button") ?? pickButton).focus();
        },
      }, icon("close")));
  }

  return {
    el,
    ids: () => references.map((r) => r.id),
    uploading: () => uploading > 0,
    set,
    setMax(next: number) {
      if (next === max) return;
      max = next;
      hint.textContent = t("generate.referencesHint", { max });
      set(references);
    },
    render() {
      const full = references.length >= max;
      pickButton.disabled = full;
      uploadButton.disabled = full || uploading > 0;
      error.textContent = "";
      const slots = Array.from({ length: Math.max(0, max - references.length - uploading) }, () =>
        h("li", { class: "ref-item ref-empty", "aria-hidden": "true" }, icon("image")));
      const pending = Array.from({ length: uploading }, () => h("li", { class: "ref-item ref-uploading" }, h("span", { class: "spinner" })));
      list.replaceChildren(...references.map(item), ...pending, ...slots);
    },
  };
}
