// The provider faults a generation may carry, as fake-Gemini schedules in its prompt
// (tests/fakes/gemini.js, "[[gemini: ...]]"): the n-th provider call for that prompt gets the n-th
// step, then images. Weights are relative. What was really injected is counted from the fake's own
// record of its answers (faultKind), not from what was planned: a deleted job never asks again.
export const TIMEOUT_HANG_MS = 4000;  // longer than the Worker's GEMINI_TIMEOUT_MS in the soak (run.js)

export const PROVIDER_SCHEDULES = [
  { weight: 40, steps: [] },
  { weight: 10, steps: ["500"] },
  { weight: 6, steps: ["500", "503", "500"] },
  { weight: 10, steps: ["429"] },
  { weight: 8, steps: [`hang:${TIMEOUT_HANG_MS}`] },
  { weight: 8, steps: ["safety"] },
  { weight: 4, steps: ["blocked"] },
  { weight: 3, steps: ["text"] },
  // More failures than the Worker's attempts: the job must end FAILED and refunded.
  { weight: 3, steps: ["500", "500", "500", "500", "500", "500", "500"] },
  { weight: 8, steps: ["hang:1500"] },  // slow but in time: widens the races with deletes and sweeps
];

export function pickWeighted(items, random = Math.random) {
  const total = items.reduce((s, i) => s + i.weight, 0);
  let r = random() * total;
  for (const item of items) {
    r -= item.weight;
    if (r < 0) return item;
  }
  return items[items.length - 1];
}

// The fault kind of one provider answer, or null for an ordinary image.
export function faultKind(step) {
  if (!step) return null;
  if (step.status) return `gemini-${step.status}`;
  if (step.hangMs) return step.hangMs >= TIMEOUT_HANG_MS ? "gemini-timeout" : null;
  if (step.finishReason) return "gemini-safety";
  if (step.blockReason) return "gemini-blocked";
  if (step.text) return "gemini-text-only";
  return null;
}
