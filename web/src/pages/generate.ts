// Generate: prompt (with a character count), aspect ratio, up to three references (from the gallery
// or uploaded here), the cost against the balance, and a button that says why it is disabled.
// ?remix=<id> loads an earlier generation's prompt, ratio and references.
import * as api from "../api";
import { h, icon } from "../dom";
import { coins, formatNumber, t } from "../i18n";
import * as poller from "../poller";
import { navigate, type Page, type Route } from "../router";
import { currentConfig, currentUser, onUserChange, refreshUser } from "../session";
import type { Image } from "../types";
import { ACCEPT, checkUpload } from "../upload_check";
import { aspectPicker } from "../ui/aspect_picker";
import { displayName, thumbnailImg } from "../ui/image_card";
import { pickReferences } from "../ui/reference_picker";
import { errorMessage } from "../ui/states";
import { toast } from "../ui/toast";

export const MAX_PROMPT = 5000;
export const MAX_REFERENCES = 3;

const codePoints = (s: string): number => [...s].length;

export function generatePage(route: Route): Page {
  const config = currentConfig();
  const cost = config.generationCost;
  let aspect = "";
  let references: Image[] = [];
  let uploading = 0;
  let submitting = false;
  let idempotencyKey = crypto.randomUUID();

  // ---- prompt
  const prompt = h("textarea", {
    id: "prompt", name: "prompt", rows: 5, required: true,
    placeholder: t("generate.promptPlaceholder"), "aria-describedby": "prompt-hint prompt-count",
  });
  const count = h("span", { id: "prompt-count", class: "char-count", "aria-live": "polite" });
  const promptField = h("div", { class: "field" },
    h("label", { for: "prompt" }, t("generate.prompt")),
    h("p", { id: "prompt-hint", class: "field-hint" }, t("generate.promptHint")),
    prompt,
    h("div", { class: "field-foot" }, count));

  // ---- aspect ratio
  const picker = aspectPicker(config.aspectRatios, aspect, (r) => (aspect = r));

  // ---- references
  const refList = h("ul", { class: "ref-list" });
  const refError = h("p", { class: "field-error", role: "alert" });
  const fileInput = h("input", { type: "file", accept: ACCEPT, class: "visually-hidden-input", id: "ref-upload", tabindex: -1, "aria-label": t("generate.uploadReference") });
  const pickButton = h("button", { type: "button", class: "button" }, icon("image"), t("generate.pickFromGallery"));
  const uploadButton = h("button", { type: "button", class: "button" }, icon("upload"), t("generate.uploadReference"));
  const refField = h("fieldset", { class: "refs" },
    h("legend", null, t("generate.references")),
    h("p", { class: "field-hint" }, t("generate.referencesHint", { max: MAX_REFERENCES })),
    refList,
    h("div", { class: "ref-actions" }, pickButton, uploadButton, fileInput),
    refError);

  // ---- cost and submit
  const costLine = h("p", { class: "cost-line" });
  const reason = h("p", { id: "submit-reason", class: "submit-reason", "aria-live": "polite" });
  const submit = h("button", { type: "submit", class: "button button-primary button-large", "aria-describedby": "submit-reason" });
  const formError = h("p", { class: "field-error", role: "alert" });
  const notice = h("p", { class: "notice", hidden: true });

  const form = h("form", { class: "generate-form", novalidate: true },
    notice, promptField, picker.el, refField,
    h("div", { class: "submit-row" }, h("div", null, costLine, reason), submit), formError);

  const el = h("section", { class: "page page-narrow" }, h("h1", null, t("generate.title")), form);

  // ---- state -> view
  const update = () => {
    const user = currentUser();
    const balance = user?.coins ?? 0;
    const n = codePoints(prompt.value.trim());
    count.textContent = t("generate.chars", { n: formatNumber(n), max: formatNumber(MAX_PROMPT) });
    count.classList.toggle("over", n > MAX_PROMPT);
    costLine.replaceChildren(icon("coin"), h("span", null, t("generate.cost", { cost: coins(cost), balance: coins(balance) })));
    submit.replaceChildren(icon("sparkles"), h("span", null, submitting ? t("generate.submitting") : t("generate.submit", { cost: coins(cost) })));
    let why = "";
    if (balance < cost) why = t("generate.short", { cost: coins(cost), balance: coins(balance) });
    else if (n > MAX_PROMPT) why = t("generate.promptTooLong");
    reason.textContent = why;
    reason.classList.toggle("is-blocking", balance < cost);
    submit.disabled = submitting || uploading > 0 || why !== "";
    const full = references.length >= MAX_REFERENCES;
    pickButton.disabled = full;
    uploadButton.disabled = full || uploading > 0;
    refError.textContent = "";
    renderRefs();
  };

  const renderRefs = () => {
    const items = references.map((image) =>
      h("li", { class: "ref-item" },
        thumbnailImg(image, "96px") ?? h("span", { class: "ref-missing" }, icon("image")),
        h("button", {
          type: "button", class: "icon-button ref-remove", "aria-label": t("generate.removeReference", { name: displayName(image) }),
          onclick: () => {
            references = references.filter((r) => r.id !== image.id);
            update();
            (refList.querySelector("button") ?? pickButton).focus();
          },
        }, icon("close"))));
    const slots = Array.from({ length: Math.max(0, MAX_REFERENCES - references.length - uploading) }, () =>
      h("li", { class: "ref-item ref-empty", "aria-hidden": "true" }, icon("image")));
    const pending = Array.from({ length: uploading }, () => h("li", { class: "ref-item ref-uploading" }, h("span", { class: "spinner" })));
    refList.replaceChildren(...items, ...pending, ...slots);
  };

  prompt.addEventListener("input", update);
  pickButton.addEventListener("click", async () => {
    const picked = await pickReferences(references.map((r) => r.id), MAX_REFERENCES - references.length - uploading);
    references = [...references, ...picked].slice(0, MAX_REFERENCES);
    update();
  });
  uploadButton.addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", async () => {
    const file = fileInput.files?.[0];
    fileInput.value = "";
    if (!file) return;
    const problem = await checkUpload(file, config.maxUploadBytes);
    if (problem) {
      refError.textContent = `${file.name}: ${problem}`;
      return;
    }
    uploading++;
    update();
    try {
      const image = await api.uploadImage(file, () => {});
      references = [...references, image].slice(0, MAX_REFERENCES);
      uploading--;
      update();
    } catch (e) {
      uploading--;
      update();
      refError.textContent = `${file.name}: ${errorMessage(e)}`;
    }
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    formError.textContent = "";
    const text = prompt.value.trim();
    if (!text) {
      formError.textContent = t("generate.needPrompt");
      prompt.setAttribute("aria-invalid", "true");
      prompt.focus();
      return;
    }
    prompt.removeAttribute("aria-invalid");
    submitting = true;
    update();
    try {
      const image = await api.generate({
        prompt: text,
        ...(aspect ? { aspectRatio: aspect } : {}),
        ...(references.length ? { referenceImageIds: references.map((r) => r.id) } : {}),
      }, idempotencyKey);
      idempotencyKey = crypto.randomUUID();
      poller.track(image);
      void refreshUser();
      toast(t("generate.started"), "success");
      navigate("/gallery");
    } catch (err) {
      submitting = false;
      if (err instanceof api.ApiError && err.status === 402) void refreshUser();
      // A definite answer means the server did not take this request: the next try is a new one.
      if (err instanceof api.ApiError && err.status !== 0) idempotencyKey = crypto.randomUUID();
      const fields = err instanceof api.ApiError ? Object.values(err.fields) : [];
      formError.textContent = [errorMessage(err), ...fields].join(" ");
      update();
    }
  });

  const stopListening = onUserChange(update);
  update();

  const remixId = route.query.get("remix");
  if (remixId) void loadRemix(remixId);

  async function loadRemix(id: string) {
    try {
      const source = await api.getImage(id);
      prompt.value = source.prompt ?? "";
      aspect = source.aspectRatio && config.aspectRatios.includes(source.aspectRatio) ? source.aspectRatio : "";
      picker.set(aspect);
      const parents = await Promise.all(source.parentImageIds.slice(0, MAX_REFERENCES).map((pid) => api.getImage(pid).catch(() => null)));
      references = parents.filter((p): p is Image => p !== null && p.status === "COMPLETED");
      notice.hidden = false;
      notice.replaceChildren(icon("remix"), h("span", null, t("generate.remixing")));
      update();
    } catch (err) {
      formError.textContent = errorMessage(err);
    }
  }

  return {
    el,
    title: `${t("generate.title")} · ${t("app.name")}`,
    destroy: stopListening,
  };
}
