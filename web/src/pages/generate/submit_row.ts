// The cost of a generation against the balance, and the submit button with the reason it is
// disabled (short of coins, prompt too long) said next to it rather than left to guesswork.
import { h, icon } from "../../dom";
import { coins, t } from "../../i18n";

export interface SubmitState {
  cost: number;
  balance: number;
  submitting: boolean;
  promptTooLong: boolean;
  busy: boolean; // e.g. a reference still uploading
}

export function submitRow() {
  const costLine = h("p", { class: "cost-line" });
  const reason = h("p", { id: "submit-reason", class: "submit-reason", "aria-live": "polite" });
  const button = h("button", { type: "submit", class: "button button-primary button-large", "aria-describedby": "submit-reason" });
  const el = h("div", { class: "submit-row" }, h("div", null, costLine, reason), button);

  return {
    el,
    render({ cost, balance, submitting, promptTooLong, busy }: SubmitState) {
      costLine.replaceChildren(icon("coin"), h("span", null, t("generate.cost", { cost: coins(cost), balance: coins(balance) })));
      button.replaceChildren(icon("sparkles"), h("span", null, submitting ? t("generate.submitting") : t("generate.submit", { cost: coins(cost) })));
      let why = "";
      if (balance < cost) why = t("generate.short", { cost: coins(cost), balance: coins(balance) });
      else if (promptTooLong) why = t("generate.promptTooLong");
      reason.textContent = why;
      reason.classList.toggle("is-blocking", balance < cost);
      button.disabled = submitting || busy || why !== "";
    },
  };
}
