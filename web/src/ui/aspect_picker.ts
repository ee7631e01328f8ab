// Aspect-ratio choice as a radio group whose options draw their shape, so "9:16" reads at a glance.
// Native radios give arrow-key navigation and one tab stop.
import { h } from "../dom";
import { t } from "../i18n";

let counter = 0;

export function aspectPicker(ratios: string[], initial: string, onChange: (ratio: string) => void): { el: HTMLElement; set(ratio: string): void } {
  const name = `aspect-${++counter}`;
  const inputs: HTMLInputElement[] = [];
  const option = (value: string, label: string, shape: HTMLElement, hint?: string) => {
    const input = h("input", { type: "radio", name, value, class: "visually-hidden-input", checked: value === initial });
    input.addEventListener("change", () => input.checked && onChange(value));
    inputs.push(input);
    return h("label", { class: "aspect-option", title: hint ?? label }, input, h("span", { class: "aspect-frame" }, shape), h("span", { class: "aspect-label" }, label));
  };
  const shapeFor = (ratio: string) => {
    const [w, hgt] = ratio.split(":").map(Number);
    const scale = 30 / Math.max(w, hgt);
    // Through the CSSOM, not a style="" attribute: the CSP (web/public/_headers) blocks inline style
    // attributes, and the shapes then collapsed to nothing on the Generate screen.
    const shape = h("span", { class: "aspect-shape" });
    shape.style.width = `${Math.round(w * scale)}px`;
    shape.style.height = `${Math.round(hgt * scale)}px`;
    return shape;
  };
  const el = h("fieldset", { class: "aspect-picker" },
    h("legend", null, t("generate.aspect")),
    h("div", { class: "aspect-options" },
      option("", t("generate.aspectAuto"), h("span", { class: "aspect-shape aspect-auto" }, "A"), t("generate.aspectAutoHint")),
      ...ratios.map((r) => option(r, r, shapeFor(r)))));
  return {
    el,
    set(ratio: string) {
      for (const input of inputs) input.checked = input.value === ratio;
    },
  };
}
