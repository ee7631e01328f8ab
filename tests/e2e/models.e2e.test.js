// The Nano Banana family in the web app, in Chromium against the real Worker and the fake Gemini:
// the model picker with each model's prices, a size picker showing only that model's sizes, its
// aspect ratios and reference limit, the grounding switch where the model has it, the price of the
// chosen model and size on the button, and the detail view's model, size and grounding sources.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "../integration/support/worker.js";
import { launchBrowser, newPage, screenshot, eventually } from "./support/browser.js";
import { startFakeGemini } from "../fakes/gemini.js";

let worker;
let gemini;
let browser;
let person;


const pathOf = (page) => new URL(page.url()).pathname;
const modelCard = (page, id) => page.locator(".model-option", { has: page.locator(`input[data-model='${id}']`) });
const sizes = (page) => page.locator(".size-option input").evaluateAll((inputs) => inputs.map((i) => i.value));
const ratios = (page) => page.locator(".aspect-option input").evaluateAll((inputs) => inputs.map((i) => i.value).filter(Boolean));

before(async () => {
  gemini = await startFakeGemini();
  worker = await startWorker({ vars: { GEMINI_API_KEY: gemini.apiKey, GEMINI_API_BASE: gemini.url } });
  browser = await launchBrowser();
  person = await newPage(browser, worker.url);
});
after(async () => {
  await person?.context.close();
  await browser?.close();
  await worker?.stop();
  await gemini?.close();
});

test("each model shows its own sizes, ratios, reference limit, grounding and price", async () => {
  const { page } = person;
  await page.goto("/generate");
  await page.locator("#dev-email").fill("e2e-models@example.com");
  await page.locator(".dev-form button[type=submit]").click();
  await page.locator(".model-option").first().waitFor();

  assert.equal(await page.locator(".model-option").count(), 3);
  assert.match(await modelCard(page, "gemini-2.5-flash-image").textContent(), /Nano Banana.*1K 10 coins/s);
  assert.match(await modelCard(page, "gemini-3-pro-image-preview").textContent(), /Nano Banana Pro.*4K 50 coins/s);
  // The default model: one size (no size picker), ten ratios, three references, no grounding switch.
  assert.equal(await page.locator(".size-option").count(), 0);
  assert.equal((await ratios(page)).length, 10);
  assert.match(await page.locator(".refs .field-hint").textContent(), /Up to 3 /);
  assert.equal(await page.locator("#grounding-switch").isVisible(), false);
  assert.match(await page.locator(".cost-line").textContent(), /Costs 10 coins/);

  await modelCard(page, "gemini-3.1-flash-image-preview").click();
  assert.deepEqual(await sizes(page), ["0.5K", "1K", "2K", "4K"]);
  assert.match(await page.locator(".size-option").first().textContent(), /512 px/);
  assert.ok((await ratios(page)).includes("8:1"));
  assert.match(await page.locator(".refs .field-hint").textContent(), /Up to 14 /);
  assert.equal(await page.locator("#grounding-switch").isVisible(), true);

  await modelCard(page, "gemini-3-pro-image-preview").click();
  assert.deepEqual(await sizes(page), ["1K", "2K", "4K"]);
  assert.equal((await ratios(page)).includes("8:1"), false);
  await page.locator(".size-option", { has: page.locator("input[value='4K']") }).click();
  await page.locator(".aspect-option", { has: page.locator("input[value='16:9']") }).click();
  await page.locator("label[for=grounding-switch]").click();
  assert.match(await page.locator(".cost-line").textContent(), /Costs 50 coins/);
  assert.match(await page.locator(".generate-form button[type=submit]").textContent(), /50 coins/);
  await screenshot(page, "20-generate-models");

  await page.locator("#prompt").fill("e2e models: the Eiffel tower at night");
  await page.locator(".generate-form button[type=submit]").click();
  await eventually(() => pathOf(page) === "/gallery", { what: "the gallery" });
  const [sent] = await eventually(() => gemini.requestsFor("e2e models: the Eiffel tower").length && gemini.requestsFor("e2e models: the Eiffel tower"), { what: "the request to Gemini" });
  assert.equal(sent.model, "gemini-3-pro-image-preview");
  assert.deepEqual(sent.body.generationConfig.imageConfig, { aspectRatio: "16:9", imageSize: "4K" });
  assert.deepEqual(sent.body.tools, [{ google_search: {} }]);

  const card = page.locator(".card[data-type=GENERATED]").first();
  await eventually(async () => (await card.getAttribute("data-status")) === "COMPLETED", { timeout: 60_000, what: "the generation" });
  await card.locator(".card-link").click();
  const detail = page.locator("dialog.dialog-detail");
  await detail.locator(".detail-image img").waitFor();
  const facts = await detail.locator(".facts").textContent();
  assert.match(facts, /Model\s*Nano Banana Pro/);
  assert.match(facts, /Image size\s*4K/);
  const links = await detail.locator(".grounding-sources a").evaluateAll((as) => as.map((a) => [a.textContent, a.href, a.rel]));
  assert.deepEqual(links.map(([text, href]) => [text, href]), [
    ["example.org", "https://example.org/grounding/first"],
    ["Banana - Wikipedia", "https://en.wikipedia.org/wiki/Banana"],
  ]);
  assert.ok(links.every(([, , rel]) => rel.includes("noopener")));
  assert.match(await detail.locator(".grounding-queries").textContent(), /Searched for: e2e models: the Eiffel/);
  await screenshot(page, "21-detail-grounding");

  // Spanish: the same screens in the person's language.
  await page.keyboard.press("Escape");
  await page.locator(".segmented button[lang=es]").click();
  await page.goto("/generate");
  await page.locator("legend", { hasText: "Modelo" }).waitFor();
  await modelCard(page, "gemini-3-pro-image-preview").click();
  assert.match(await page.locator("label[for=grounding-switch]").textContent(), /Basar en la Búsqueda de Google/);
  assert.deepEqual(page.errors, []);
});
