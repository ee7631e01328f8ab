// The image model and its size: each offered model as a radio card (name, what it is good at, its
// prices per size), then the sizes that model sells, each with its price. Native radios: arrow keys
// move within a group, one tab stop each.
import { h } from "../dom";
import { coins, t } from "../i18n";
import type { ImageModel } from "../types";

let counter = 0;

// One line on what each known model is good at; a model the app does not know yet shows none.
function blurb(id: string): string {
  switch (id) {
    case "gemini-2.5-flash-image": return t("model.blurbFlash25");
    case "gemini-3.1-flash-image-preview": return t("model.blurbFlash31");
    case "gemini-3-pro-image-preview": return t("model.blurbPro");
    default: return "";
  }
}

export function sizeLabel(size: string): string {
  return size === "0.5K" ? t("model.size512") : size;
}

export function pricesText(model: ImageModel): string {
  return model.imageSizes.map((s) => `${sizeLabel(s)} ${coins(model.costs[s] ?? 0)}`).join(" · ");
}

export function modelPicker(models: ImageModel[], initial: string, onChange: (id: string) => void) {
  const name = `model-${++counter}`;
  const inputs: HTMLInputElement[] = [];
  const option = (m: ImageModel) => {
    const input = h("input", { type: "radio", name, value: m.id, class: "visually-hidden-input", checked: m.id === initial, "data-model": m.id });
    input.addEventListener("change", () => input.checked && onChange(m.id));
    inputs.push(input);
    const text = blurb(m.id);
    return h("label", { class: "model-option" }, input,
      h("span", { class: "model-name" }, m.name),
      text ? h("span", { class: "model-blurb" }, text) : null,
      h("span", { class: "model-prices" }, pricesText(m)));
  };
  const el = h("fieldset", { class: "model-picker" },
    h("legend", null, t("generate.model")),
    h("div", { class: "model-options" }, ...models.map(option)));
  return {
    el,
    set(id: string) {
      for (const input of inputs) input.checked = input.value === id;
    },
  };
}

// The sizes of one model; rebuilt when the model changes.
export function sizePicker(model: ImageModel, initial: string, onChange: (size: string) => void) {
  const name = `size-${++counter}`;
  const el = h("fieldset", { class: "size-picker" },
    h("legend", null, t("generate.size")),
    h("div", { class: "size-options" }, ...model.imageSizes.map((size) => {
      const input = h("input", { type: "radio", name, value: size, class: "visually-hidden-input", checked: size === initial, "data-size": size });
      input.addEventListener("change", () => input.checked && onChange(size));
      return h("label", { class: "size-option" }, input,
        h("span", { class: "size-name" }, sizeLabel(size)),
        h("span", { class: "size-price" }, coins(model.costs[size] ?? 0)));
    })));
  return { el };
}
