// Generate: prompt (with a character count), aspect ratio, up to three references (from the gallery
// or uploaded here), the cost against the balance, and a button that says why it is disabled.
// ?remix=<id> loads an earlier generation's prompt, ratio and references.
import * as api from "../api";
import { h, icon } from "../dom";
import { t } from "../i18n";
import * as poller from "../poller";
import { navigate, type Page, type Route } from "../router";
import { currentConfig, currentUser, onUserChange, refreshUser } from "../session";
import type { Image } from "../types";
import { aspectPicker } from "../ui/aspect_picker";
import { errorMessage } from "../ui/states";
import { toast } from "../ui/toast";
import { promptField } from "./generate/prompt_field";
import { MAX_REFERENCES, referenceField } from "./generate/reference_field";
import { submitRow } from "./generate/submit_row";


export function generatePage(route: Route): Page {
  const config = currentConfig();
  const cost = config.generationCost;
  let aspect = "";
  let submitting = false;
  // One key per intended generation: a retry after a lost answer replays instead of charging twice.
  let idempotencyKey = crypto.randomUUID();

  const prompt = promptField(() => update());
  const picker = aspectPicker(config.aspectRatios, aspect, (r) => (aspect = r));
  const refs = referenceField(config.maxUploadBytes, () => update());
  const submit = submitRow();
  const formError = h("p", { class: "field-error", role: "alert" });
  const notice = h("p", { class: "notice", hidden: true });

  const form = h("form", { class: "generate-form", novalidate: true },
    notice, prompt.el, picker.el, refs.el, submit.el, formError);
  const el = h("section", { class: "page page-narrow" }, h("h1", null, t("generate.title")), form);

  function update() {
    prompt.render();
    submit.render({
      cost,
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
        ...(aspect ? { aspectRatio: aspect } : {}),
        ...(ids.length ? { referenceImageIds: ids } : {}),
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
      aspect = source.aspectRatio && config.aspectRatios.includes(source.aspectRatio) ? source.aspectRatio : "";
      picker.set(aspect);
      const parents = await Promise.all(source.parentImageIds.slice(0, MAX_REFERENCES).map((pid) => api.getImage(pid).catch(() => null)));
      refs.set(parents.filter((p): p is Image => p !== null && p.status === "COMPLETED"));
      notice.hidden = false;
      notice.replaceChildren(icon("remix"), h("span", null, t("generate.remixing")));
      update();
    } catch (err) {
      formError.textContent = errorMessage(err);
    }
  }

  const stopListening = onUserChange(update);
  update();
  const remixId = route.query.get("remix");
  if (remixId) void loadRemix(remixId);

  return {
    el,
    title: `${t("generate.title")} · ${t("app.name")}`,
    destroy: stopListening,
  };
}
