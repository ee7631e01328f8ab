// The fake Gemini's prompt-carried fault schedule ("[[gemini: ...]]", tests/fakes/gemini.js), which
// the soak uses to give each generation its own faults: the n-th call with a prompt gets the n-th
// step, then images; prompts without a marker keep the fake's other behaviour.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { promptSchedule, startFakeGemini } from "../fakes/gemini.js";

let gemini;
before(async () => {
  gemini = await startFakeGemini();
});
after(() => gemini.close());

async function ask(prompt, { signal } = {}) {
  const r = await fetch(`${gemini.url}/v1beta/models/${gemini.model}:generateContent`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-goog-api-key": gemini.apiKey },
    body: JSON.stringify({ contents: [{ parts: [{ text: prompt }] }], generationConfig: { responseModalities: ["IMAGE"] } }),
    signal,
  });
  const body = await r.json();
  const part = body.candidates?.[0]?.content?.parts?.[0];
  if (r.status !== 200) return `${r.status}${body.error.status === "RESOURCE_EXHAUSTED" ? "+retry" : ""}`;
  if (body.promptFeedback?.blockReason) return `blocked:${body.promptFeedback.blockReason}`;
  if (body.candidates[0].finishReason !== "STOP") return `finish:${body.candidates[0].finishReason}`;
  return part.inlineData ? "image" : "text";
}

test("each prompt walks its own schedule, then gets images", async () => {
  const a = "a boat [[gemini: 500, 429, safety, blocked, text, 503]]";
  const b = "a kite [[gemini: 500]]";
  const answers = [];
  for (let i = 0; i < 7; i++) answers.push(await ask(a));
  assert.deepEqual(answers, ["500", "429+retry", "finish:IMAGE_SAFETY", "blocked:SAFETY", "text", "503", "image"]);
  assert.deepEqual([await ask(b), await ask(b)], ["500", "image"]);
  const retryInfo = gemini.requestsFor("a boat")[1];
  assert.equal(retryInfo.scheduledStep, 1);
});

test("hang:<ms> answers an image that late, and a client that gives up first gets nothing", async () => {
  const started = Date.now();
  assert.equal(await ask("slow [[gemini: hang:300]]"), "image");
  assert.ok(Date.now() - started >= 300);
  await assert.rejects(ask("slower [[gemini: hang:800]]", { signal: AbortSignal.timeout(100) }), /abort|timeout/i);
});

test("a prompt without a marker keeps the script and the default; an unknown step is a loud 400", async () => {
  gemini.script({ status: 500 });
  assert.deepEqual([await ask("plain"), await ask("plain")], ["500", "image"]);
  assert.equal(await ask("typo [[gemini: 502]]"), "400");
  assert.match(gemini.requestsFor("typo").at(-1).refusal, /unknown schedule step "502"/);
  assert.equal(promptSchedule("no marker here"), null);
  assert.deepEqual(promptSchedule("x [[gemini: image, hang:5]]"), [{ image: true }, { hangMs: 5 }]);
});
