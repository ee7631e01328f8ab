// The prompt: a textarea with a live character count (code points, as the server counts them).
import { h } from "../../dom";
import { formatNumber, t } from "../../i18n";

export const MAX_PROMPT = 5000;

const codePoints = (s: string): number => [...s].length;

export function promptField(onInput: () => void) {
  const input = h("textarea", {
    id: "prompt", name: "prompt", rows: 5, required: true,
    placeholder: t("generate.promptPlaceholder"), "aria-describedby": "prompt-hint prompt-count",
  });
  const count = h("span", { id: "prompt-count", class: "char-count", "aria-live": "polite" });
  const el = h("div", { class: "field" },
    h("label", { for: "prompt" }, t("generate.prompt")),
    h("p", { id: "prompt-hint", class: "field-hint" }, t("generate.promptHint")),
    input,
    h("div", { class: "field-foot" }, count));
  input.addEventListener("input", onInput);

  return {
    el,
    text: () => input.value.trim(),
    length: () => codePoints(input.value.trim()),
    tooLong: () => codePoints(input.value.trim()) > MAX_PROMPT,
    set(text: string) {
      input.value = text;
    },
    render() {
      const n = codePoints(input.value.trim());
      count.textContent = t("generate.chars", { n: formatNumber(n), max: formatNumber(MAX_PROMPT) });
      count.classList.toggle("over", n > MAX_PROMPT);
    },
    // Empty prompt on submit: say so at the field and put the focus there.
    invalid(yes: boolean) {
      if (!yes) {
        input.removeAttribute("aria-invalid");
        return;
      }
      input.setAttribute("aria-invalid", "true");
      input.focus();
    },
  };
}
