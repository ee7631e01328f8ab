// Generate: prompt (with a character count), the model and its size, the model's aspect ratios, up to
// its reference limit (from the gallery or uploaded here), Google Search grounding where the model
// has it, the price of that model and size against the balance, and a button that says why it is
// disabled. ?remix=<id> loads an earlier generation's prompt, model, size, ratio and references.
import * as api from "../api";
import { h, icon } from "../dom";
import { t } from "../i18n";
import * as poller from "../poller";
import { navigate, type Page, type Route } from "../router";
import { currentConfig, currentUser, onUserChange, refreshUser } from "../session";
import type { AppConfig, Image, ImageModel, ImageSize } from "../types";
import { aspectPicker } from "../ui/aspect_picker";
import { modelPicker, sizePicker } from "../ui/model_picker";
import { errorMessage } from "../ui/states";
import { toast } from "../ui/toast";
import { promptField } from "./generate/prompt_field";
import { referenceField } from "./generate/reference_field";
import { submitRow } from "./generate/submit_row";

// A server without the models list (older than the catalog) offers one model at generationCost.
function offeredModels(config: AppConfig): ImageModel[] {
  if (config.models?.length) return config.models;
  return [{ id: "", name: "Nano Banana", default: true, imageSizes: ["1K"], aspectRatios: config.aspectRatios,
    maxReferences: 3, grounding: false, thinking: false, costs: { "1K": config.generationCost } }];
}

export function generatePage(route: Route): Page {
  const config = currentConfig();
  const models = offeredModels(config);
  let model = models.find((m) => m.default) ?? models[0];
  let size: ImageSize = model.imageSizes.includes("1K") ? "1K" : model.imageSizes[0];
  let aspect = "";
  let grounding = false;
  let submitting = false;
  // One key per intended generation: a retry after a lost answer replays instead of charging twice.
  let idempotencyKey = crypto.randomUUID();
  const cost = () => model.costs[size] ?? config.generationCost;

  const prompt = promptField(() => update());
  const modelChoice = modelPicker(models, model.id, (id) => chooseModel(id));
  const sizeSlot = h("div", { class: "size-slot" });
  const aspectSlot = h("div", { class: "aspect-slot" });
  const groundingInput = h("input", { type: "checkbox", id: "grounding-switch", role: "switch" });
  groundingInput.addEventListener("change", () => (grounding = groundingInput.checked));
  const groundingRow = h("div", { class: "grounding-row" },
    h("label", { for: "grounding-switch", class: "switch-label" }, groundingInput, h("span", null, t("generate.grounding"))),
    h("p", { class: "field-hint" }, t("generate.groundingHint")));
  const refs = referenceField(config.maxUploadBytes, () => update(), model.maxReferences);
  const submit = submitRow();
  const formError = h("p", { class: "field-error", role: "alert" });
  const notice = h("p", { class: "notice", hidden: true });

  const form = h("form", { class: "generate-form", novalidate: true },
    notice, prompt.el, models.length > 1 ? modelChoice.el : null, sizeSlot, aspectSlot, groundingRow, refs.el, submit.el, formError);
  const el = h("section", { class: "page page-narrow" }, h("h1", null, t("generate.title")), form);

  // The size, ratio and grounding choices are the chosen model's own: rebuilt on every change of model,
  // keeping what the new model also offers.
  function renderModelOptions() {
    if (!model.imageSizes.includes(size)) size = model.imageSizes.includes("1K") ? "1K" : model.imageSizes[0];
    sizeSlot.replaceChildren(model.imageSizes.length > 1 ? sizePicker(model, size, (s) => { size = s as ImageSize; update(); }).el : "");
    if (aspect && !model.aspectRatios.includes(aspect)) aspect = "";
    aspectSlot.replaceChildren(aspectPicker(model.aspectRatios, aspect, (r) => (aspect = r)).el);
    groundingRow.hidden = !model.grounding;
    if (!model.grounding) grounding = false;
    groundingInput.checked = grounding;
    refs.setMax(model.maxReferences);
  }

  function chooseModel(id: string) {
    model = models.find((m) => m.id === id) ?? model;
    renderModelOptions();
    update();
  }

  function update() {
    prompt.render();
    submit.render({
      cost: cost(),
      balance: currentUser()?.coins ?? 0,
      submitting,
      promptTooLong: prompt.tooLong(),
      busy: refs.uploading(),
    });
    refs.render();
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    formError.textContent = "";
    const text = prompt.text();
    if (!text) {
      formError.textContent = t("generate.needPrompt");
      prompt.invalid(true);
      return;
    }
    prompt.invalid(false);
    submitting = true;
    update();
    try {
      const ids = refs.ids();
      const image = await api.generate({
        prompt: text,
        ...(model.id ? { model: model.id, imageSize: size } : {}),
        ...(aspect ? { aspectRatio: aspect } : {}),
        ...(ids.length ? { referenceImageIds: ids } : {}),
        ...(grounding ? { grounding: true } : {}),
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

  async function loadRemix(id: string) {
    try {
      const source = await api.getImage(id);
      prompt.set(source.prompt ?? "");
      const sourceModel = models.find((m) => m.id === source.model);
      if (sourceModel) {
        model = sourceModel;
        modelChoice.set(model.id);
        if (source.imageSize && model.imageSizes.includes(source.imageSize)) size = source.imageSize;
        grounding = model.grounding && !!source.grounding;
      }
      aspect = source.aspectRatio && model.aspectRatios.includes(source.aspectRatio) ? source.aspectRatio : "";
      renderModelOptions();
      const parents = await Promise.all(source.parentImageIds.slice(0, model.maxReferences).map((pid) => api.getImage(pid).catch(() => null)));
      refs.set(parents.filter((p): p is Image => p !== null && p.status === "COMPLETED"));
      notice.hidden = false;
      notice.replaceChildren(icon("remix"), h("span", null, t("generate.remixing")));
      update();
    } catch (err) {
      formError.textContent = errorMessage(err);
    }
  }

  const stopListening = onUserChange(update);
  renderModelOptions();
  update();
  const remixId = route.query.get("remix");
  if (remixId) void loadRemix(remixId);

  return {
    el,
    title: `${t("generate.title")} · ${t("app.name")}`,
    destroy: stopListening,
  };
}
