// The web app end to end, in Debian's chromium against the real Worker (wrangler dev: Miniflare's
// D1/R2/KV/Queues, the dev environment's offline image provider) serving the built web/dist.
// One person's story, in order: sign in -> upload -> generate with a reference -> the pending card
// becomes the image and the balance drops by the cost -> Spanish -> filters -> delete; then an admin
// takes and grants coins while the person watches the Generate screen; then the session expires.
// Last, a Worker whose (fake) Gemini refuses every prompt shows how a failure and its refund look.
// Screenshots of every main screen go to tests/artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "../integration/support/worker.js";
import { expectErrorOnce, launchBrowser, newPage, pendingExpectedErrors, screenshot, watch, eventually } from "./support/browser.js";
import { startBlockingGemini } from "./support/blocking_gemini.js";
import { gradientPng } from "./support/png.js";

const USER_EMAIL = "e2e-person@example.com";
const ADMIN_EMAIL = "admin@example.com"; // ADMIN_EMAILS in wrangler.toml's dev environment
const PROMPT = "A lighthouse made of bananas on a rocky coast, golden hour, oil painting";

let worker;
let browser;
let user; // { context, page } of the person
let admin;
let cost;
let generatedId;


const coinsInHeader = (page) => page.locator(".coin-value").textContent().then((t) => Number(t.trim()));
const pathOf = (page) => new URL(page.url()).pathname + new URL(page.url()).search;

async function apiJson(context, path, init = {}) {
  const r = await context.request.fetch(path, init); // relative to the context's baseURL (its Worker)
  return { status: r.status(), body: r.status() === 204 ? null : await r.json().catch(() => null) };
}

async function devSignIn(page, email) {
  await page.locator("#dev-email").fill(email);
  await page.locator(".dev-form button[type=submit]").click();
  await page.locator("#app-header .coin-value").waitFor();
}

// Every form control has a name a screen reader can say; every image has alt text.
async function assertAccessibleBasics(page) {
  const problems = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll("input, select, textarea")) {
      if (el.type === "hidden" || el.closest("[hidden]")) continue;
      const named = el.labels?.length || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
      if (!named) out.push(`unlabelled ${el.tagName.toLowerCase()}#${el.id}`);
    }
    for (const img of document.querySelectorAll("img")) if (!img.hasAttribute("alt")) out.push(`img without alt: ${img.src}`);
    for (const b of document.querySelectorAll("button, a[href]")) {
      if (b.closest("[hidden]") || !b.getClientRects().length) continue;
      const imgAlt = [...b.querySelectorAll("img[alt]")].some((img) => img.alt.trim());
      if (!(b.textContent.trim() || b.getAttribute("aria-label") || b.getAttribute("title") || imgAlt)) out.push(`nameless ${b.tagName.toLowerCase()} ${b.outerHTML.slice(0, 80)}`);
    }
    return out;
  });
  assert.deepEqual(problems, [], `accessibility problems on ${page.url()}`);
}

before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
  user = await newPage(browser, worker.url);
  const config = await (await worker.fetch("/api/config")).json();
  cost = config.generationCost;
  assert.ok(cost > 0);
});

after(async () => {
  await browser?.close();
  await worker?.stop();
});

test("a signed-out visit goes to sign-in and, after the dev sign-in, back to where it was", async () => {
  const { page } = user;
  await page.goto("/upload");
  await eventually(() => pathOf(page).startsWith("/sign-in?redirect=%2Fupload"), { what: "redirect to sign-in" });
  await page.locator("h1").filter({ hasText: "Sign in" }).waitFor();
  // The dev environment has no GOOGLE_CLIENT_ID: only the dev form is offered.
  assert.equal(await page.locator(".button-google").count(), 0);
  await assertAccessibleBasics(page);
  await screenshot(page, "01-sign-in");

  await devSignIn(page, USER_EMAIL);
  assert.equal(pathOf(page), "/upload");
  assert.equal(await coinsInHeader(page), 100, "the sign-up bonus is in the header");
  assert.deepEqual(page.errors, []);
});

test("upload two images; a non-image is refused in the browser and a broken PNG by the server, each on its own row", async () => {
  const { page, context } = user;
  expectErrorOnce(page, 415, "POST", /^\/api\/images$/);  // broken.png, refused by the server
  await page.locator("#upload-input").setInputFiles([
    { name: "sunrise.png", mimeType: "image/png", buffer: gradientPng(320, 200) },
    { name: "ocean.png", mimeType: "image/png", buffer: gradientPng(200, 300, [123, 223, 242], [24, 169, 153]) },
    { name: "notes.png", mimeType: "image/png", buffer: Buffer.from("these are not pixels") },
    // PNG signature, then garbage: passes the browser's sniff, the server must refuse it.
    { name: "broken.png", mimeType: "image/png", buffer: Buffer.concat([gradientPng(64, 64).subarray(0, 8), Buffer.alloc(200, 7)]) },
  ]);
  const rows = page.locator(".upload-row");
  await eventually(async () => (await rows.count()) === 4, { what: "four upload rows" });
  const row = (name) => page.locator(".upload-row", { hasText: name });
  await eventually(async () => (await row("sunrise.png").getAttribute("data-state")) === "done", { what: "sunrise.png uploaded" });
  await eventually(async () => (await row("ocean.png").getAttribute("data-state")) === "done", { what: "ocean.png uploaded" });
  assert.equal(await row("notes.png").getAttribute("data-state"), "failed");
  assert.match(await row("notes.png").locator(".upload-status").textContent(), /Not a PNG, JPEG, WebP or GIF image/);
  await eventually(async () => (await row("broken.png").getAttribute("data-state")) === "failed", { what: "broken.png refused" });
  const serverMessage = (await row("broken.png").locator(".upload-status").textContent()).trim();
  assert.ok(serverMessage.length > "Failed: ".length, `the server's reason is shown: ${serverMessage}`);
  assert.equal(await row("sunrise.png").locator("progress").evaluate((p) => p.value), 100);
  await assertAccessibleBasics(page);
  await screenshot(page, "02-upload");

  const list = await apiJson(context, "/api/images?type=UPLOADED");
  assert.equal(list.status, 200);
  assert.equal(list.body.total, 2, "only the two real images were stored");
  assert.deepEqual(list.body.items.map((i) => i.title).sort(), ["ocean", "sunrise"], "titled after their file names");
  assert.deepEqual(page.errors, []);
  assert.deepEqual(pendingExpectedErrors(page), []);
});

test("generate with one upload as reference: the pending card becomes the image and the balance drops by the cost", async () => {
  const { page, context } = user;
  await page.locator(".main-nav a[href='/generate']").click();
  await page.locator("#prompt").fill(PROMPT);
  assert.match(await page.locator("#prompt-count").textContent(), new RegExp(`^${PROMPT.length} / 5,000`));
  await page.locator(".aspect-option", { has: page.locator("input[value='16:9']") }).click();
  assert.match(await page.locator(".cost-line").textContent(), new RegExp(`Costs ${cost} coins\\. You have 100 coins\\.`));

  await page.locator("button", { hasText: "Choose from gallery" }).click();
  const dialog = page.locator("dialog[open]");
  await dialog.locator(".picker-item").first().waitFor();
  assert.equal(await dialog.locator(".picker-item").count(), 2, "both uploads are offered");
  await dialog.locator(".picker-item").first().click();
  await dialog.locator("button", { hasText: "Use selected" }).click();
  await eventually(async () => (await page.locator("dialog[open]").count()) === 0, { what: "picker closed" });
  assert.equal(await page.locator(".ref-list .ref-item img").count(), 1, "one reference chosen");
  await assertAccessibleBasics(page);
  await screenshot(page, "03-generate");

  const submit = page.locator(".generate-form button[type=submit]");
  assert.equal(await submit.isDisabled(), false);
  await submit.click();
  await eventually(() => pathOf(page) === "/gallery", { what: "the gallery after submitting" });

  const card = page.locator(".card[data-type=GENERATED]").first();
  await card.waitFor();
  generatedId = await card.getAttribute("data-image-id");
  const firstStatus = await card.getAttribute("data-status");
  assert.ok(["PENDING", "PROCESSING"].includes(firstStatus), `a pending card first, got ${firstStatus}`);
  await screenshot(page, "04-gallery-pending");

  await eventually(async () => (await card.getAttribute("data-status")) === "COMPLETED", { timeout: 60_000, what: "the generation to complete" });
  await eventually(() => card.locator(".thumb img").evaluate((img) => img.complete && img.naturalWidth > 0), { what: "the thumbnail to load" });
  await eventually(async () => (await coinsInHeader(page)) === 100 - cost, { what: `the header to show ${100 - cost}` });

  const image = await apiJson(context, `/api/images/${generatedId}`);
  assert.equal(image.body.image.status, "COMPLETED");
  assert.equal(image.body.image.aspectRatio, "16:9");
  assert.equal(image.body.image.parentImageIds.length, 1);
  await screenshot(page, "05-gallery");

  // The detail shows the prompt, the dimensions and the reference; Remix reloads them all.
  await card.locator(".card-link").click();
  const detail = page.locator("dialog.dialog-detail");
  await detail.locator(".detail-image img").waitFor();
  assert.match(await detail.locator(".facts").textContent(), new RegExp(PROMPT));
  assert.match(await detail.locator(".facts").textContent(), /\d[\d,]* × \d[\d,]* px/);
  await eventually(async () => (await detail.locator(".detail-refs img").count()) === 1, { what: "the reference thumbnail" });
  assert.equal(pathOf(page), `/gallery/${generatedId}`);
  await assertAccessibleBasics(page);
  await screenshot(page, "06-detail");
  await detail.locator("a", { hasText: "Remix" }).click();
  await eventually(async () => (await page.locator("#prompt").inputValue()) === PROMPT, { what: "the remixed prompt" });
  assert.equal(await page.locator("input[value='16:9']").isChecked(), true);
  await eventually(async () => (await page.locator(".ref-list .ref-item img").count()) === 1, { what: "the remixed reference" });
  assert.deepEqual(page.errors, []);
});

test("switching to Spanish translates the app and is saved to the profile", async () => {
  const { page, context } = user;
  await page.locator(".main-nav a[href='/gallery']").click();
  await page.locator(".segmented button[lang=es]").click();
  await page.locator(".main-nav a[href='/gallery']", { hasText: "Galería" }).waitFor();
  assert.equal(await page.locator("h1").textContent(), "Galería");
  assert.equal(await page.evaluate(() => document.documentElement.lang), "es");
  await eventually(async () => (await apiJson(context, "/api/me")).body.user.language === "es", { what: "language saved" });
  await page.reload();
  await page.locator("h1", { hasText: "Galería" }).waitFor();
  await page.locator(".stats .stat dt", { hasText: "Generadas" }).waitFor();
  await screenshot(page, "07-gallery-es");
  assert.deepEqual(page.errors, []);
});

test("filters by type and status narrow the grid and live in the URL", async () => {
  const { page } = user;
  const cards = page.locator(".grid:not(.skeleton) > .card");
  await page.locator("#filter-type").selectOption("UPLOADED");
  await eventually(() => pathOf(page) === "/gallery?type=UPLOADED", { what: "the type in the URL" });
  await eventually(async () => (await cards.count()) === 2 && (await page.locator(".card[data-type=GENERATED]").count()) === 0, { what: "two uploads only" });
  await page.locator("#filter-type").selectOption("GENERATED");
  await eventually(async () => (await cards.count()) === 1 && (await cards.first().getAttribute("data-image-id")) === generatedId, { what: "the generated image only" });
  await page.locator("#filter-status").selectOption("FAILED");
  await page.locator(".state-empty", { hasText: "Ninguna imagen coincide con estos filtros." }).waitFor();
  await screenshot(page, "08-gallery-filtered-empty");
  await page.locator(".state-empty a", { hasText: "Quitar filtros" }).click();
  await eventually(async () => pathOf(page) === "/gallery" && (await cards.count()) === 3, { what: "all three images again" });
  assert.deepEqual(page.errors, []);
});

test("deleting an image asks first, then it is gone from the grid and the server", async () => {
  const { page, context } = user;
  const target = page.locator(".card[data-type=UPLOADED]").first();
  const id = await target.getAttribute("data-image-id");
  await target.locator(".card-link").click();
  const detail = page.locator("dialog.dialog-detail");
  await eventually(() => detail.locator(".detail-image img").evaluate((img) => img.complete && img.naturalWidth > 0), { what: "the full image" });
  await detail.locator("button", { hasText: "Eliminar" }).click();
  const confirm = page.locator("dialog.dialog-small");
  await confirm.locator("h2", { hasText: "¿Eliminar esta imagen?" }).waitFor();
  // The safe choice has the focus.
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Cancelar");
  await screenshot(page, "09-delete-confirm");
  await confirm.locator("button", { hasText: "Eliminar imagen" }).click();
  await eventually(async () => (await page.locator(`.card[data-image-id="${id}"]`).count()) === 0, { what: "the card to disappear" });
  await eventually(async () => (await page.locator("dialog[open]").count()) === 0, { what: "dialogs closed" });
  assert.equal(pathOf(page), "/gallery");
  assert.equal((await apiJson(context, `/api/images/${id}`)).status, 404);
  await eventually(async () => /Imágenes\s*2/.test(await page.locator(".stats").textContent()), { what: "the stats to count 2" });
  assert.deepEqual(page.errors, []);
});

test("short of coins, Generate is disabled with the reason; an admin's grant shows up in the person's header", async () => {
  const { page } = user;
  admin = await newPage(browser, worker.url);
  const a = admin.page;
  await a.goto("/admin");
  await devSignIn(a, ADMIN_EMAIL);
  assert.equal(pathOf(a), "/admin");
  await a.locator("#admin-search").fill("e2e-person");
  const row = a.locator(`tr:has-text("${USER_EMAIL}")`);
  await eventually(async () => (await a.locator("tbody tr").count()) === 1 && (await row.count()) === 1, { what: "the search result" });

  const adjust = async (amount, reason) => {
    await row.locator("button", { hasText: "Grant or take coins" }).click();
    const dialog = a.locator("dialog[open]");
    await dialog.locator("#adjust-amount").fill(String(amount));
    await dialog.locator("#adjust-reason").fill(reason);
    await dialog.locator("button[type=submit]").click();
    await eventually(async () => (await a.locator("dialog[open]").count()) === 0, { what: "the adjust dialog to close" });
  };

  // Take the balance below the cost.
  const balance = 100 - cost;
  const take = balance - (cost - 5);
  await adjust(-take, "e2e: below the generation cost");
  await eventually(async () => Number(await row.locator("td[data-coins]").getAttribute("data-coins")) === cost - 5, { what: "the admin's table" });

  await page.locator(".main-nav a[href='/generate']").click();
  await eventually(async () => (await coinsInHeader(page)) === cost - 5, { what: "the person's header after the take" });
  const submit = page.locator(".generate-form button[type=submit]");
  await page.locator("#prompt").fill("Anything at all");
  assert.equal(await submit.isDisabled(), true);
  const reason = await page.locator("#submit-reason").textContent();
  assert.match(reason, new RegExp(`Necesitas ${cost} monedas para generar y tienes ${cost - 5} monedas`));
  assert.equal(await submit.getAttribute("aria-describedby"), "submit-reason");
  await screenshot(page, "10-generate-short");

  // The admin grants; the person's open screen catches up (focus, or within 30 s) and unlocks.
  await adjust(20, "e2e: a gift");
  await screenshot(a, "11-admin");
  await page.bringToFront();
  await page.evaluate(() => window.dispatchEvent(new Event("focus")));
  await eventually(async () => (await coinsInHeader(page)) === cost + 15, { timeout: 35_000, what: "the person's header after the grant" });
  await eventually(async () => !(await submit.isDisabled()), { what: "Generate enabled again" });
  assert.equal((await page.locator("#submit-reason").textContent()).trim(), "");
  assert.deepEqual(page.errors, []);
  assert.deepEqual(a.errors, []);
});

test("the coins page lists every movement; when the session expires the person signs in and returns to it", async () => {
  const { page, context } = user;
  await page.locator(".main-nav a[href='/coins']").click();
  await page.locator("table.ledger tbody tr").first().waitFor();
  const text = await page.locator("table.ledger").textContent();
  assert.match(text, /Bono de bienvenida/);
  assert.match(text, /Ajuste de un administrador: e2e: a gift/);
  assert.match(text, /Generación/);
  await assertAccessibleBasics(page);
  await screenshot(page, "12-coins");

  await context.clearCookies();
  // The gallery's two reads (the list and the stats, in parallel) meet the ended session; at least one
  // of them must, and it is what sends the person to sign in.
  expectErrorOnce(page, 401, "GET", /^\/api\/images(\/stats)?$/);
  expectErrorOnce(page, 401, "GET", /^\/api\/images(\/stats)?$/);
  await page.locator(".main-nav a[href='/gallery']").click();
  await eventually(() => pathOf(page).startsWith("/sign-in?redirect=%2Fgallery"), { what: "sign-in after the session ended" });
  await page.locator(".notice-warning").waitFor();
  await screenshot(page, "13-session-expired");
  await devSignIn(page, USER_EMAIL);
  assert.equal(pathOf(page), "/gallery");
  await page.locator("h1", { hasText: "Galería" }).waitFor();
  assert.deepEqual(page.errors, []);
  assert.ok(pendingExpectedErrors(page).length <= 1, "no read met the ended session");
  page.expectOnce.length = 0;
});

test("on a phone-sized screen nothing overflows sideways", async () => {
  const phone = watch(await user.context.newPage());
  await phone.setViewportSize({ width: 390, height: 844 });
  for (const path of ["/gallery", "/generate", "/upload", "/coins"]) {
    await phone.goto(path);
    await phone.locator("h1").waitFor();
    await phone.waitForLoadState("networkidle");
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px`);
    await screenshot(phone, `14-phone${path.replace("/", "-")}`);
  }
  assert.deepEqual(phone.errors, []);
  await phone.close();
});

// A second Worker whose Gemini refuses every prompt: the failure is shown, localized, with the refund.
test("a refused generation shows the reason in the person's language, the refund, and Remix", async () => {
  const gemini = await startBlockingGemini();
  const blocked = await startWorker({ vars: { GEMINI_API_KEY: "e2e-test-key", GEMINI_API_BASE: gemini.url } });
  const { context, page } = await newPage(browser, blocked.url);
  try {
    await page.goto("/generate");
    await devSignIn(page, "e2e-refused@example.com");
    await page.locator(".segmented button[lang=es]").click();
    await page.locator("h1", { hasText: "Generar una imagen" }).waitFor();
    await eventually(async () => (await apiJson(context, "/api/me")).body.user.language === "es", { what: "language saved" });
    await page.locator("#prompt").fill("Something the model will refuse");
    await page.locator(".generate-form button[type=submit]").click();
    await eventually(() => pathOf(page) === "/gallery", { what: "the gallery" });
    const card = page.locator(".card[data-type=GENERATED]").first();
    await eventually(async () => (await card.getAttribute("data-status")) === "FAILED", { timeout: 60_000, what: "the generation to fail" });
    assert.ok(gemini.requests.some((r) => r.key === "e2e-test-key"), "the Worker asked the fake Gemini");
    // Refused as a blocked prompt, not as a malformed request (which Google would answer 400).
    assert.deepEqual(gemini.requests.map((r) => r.status), [200], JSON.stringify(gemini.requests));
    const image = (await apiJson(context, `/api/images/${await card.getAttribute("data-image-id")}`)).body.image;
    assert.ok(image.error, "the server recorded a reason");
    const text = await card.textContent();
    assert.ok(text.includes(image.error), `the card shows the server's reason: ${text}`);
    assert.match(text, /Fallida/);
    assert.match(image.error, /[áéíóúñ]|monedas/, `the reason is in Spanish, the owner's language: ${image.error}`);
    assert.equal(await card.locator("a", { hasText: "Remezclar" }).count(), 1);
    // The refund: the header is back at the sign-up bonus, and the ledger says why.
    await eventually(async () => (await coinsInHeader(page)) === 100, { what: "the refund in the header" });
    const ledger = (await apiJson(context, "/api/me/transactions")).body.items.map((i) => i.reason);
    assert.ok(ledger.includes("refund"), `a refund in the ledger: ${ledger}`);
    await screenshot(page, "15-generation-failed");
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
    await blocked.stop();
    await gemini.close();
  }
});
