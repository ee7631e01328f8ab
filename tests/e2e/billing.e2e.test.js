// Buying coins in Chromium, from "Buy" to the credited balance, against the real Worker and the fake
// Stripe (tests/fakes/stripe.js): the packs priced for the person's language and each pack's
// currency, Stripe's hosted page (the fake's pays at once and sends the signed webhook 3 s later, so
// the success page has to wait for it), the purchase in the history, the daily reward button, a
// cancelled checkout, and an admin seeing the purchase and its refund with the shortfall.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "../integration/support/worker.js";
import { launchBrowser, newPage, screenshot, eventually } from "./support/browser.js";
import { startFakeStripe } from "../fakes/stripe.js";

const EMAIL = "e2e-buyer@example.com";
let worker, stripe, browser, person;


const headerCoins = (page) => page.locator("#app-header .coin-value").textContent().then((t) => Number(t.trim().replace(/\D/g, "")));

async function apiJson(context, path, init = {}) {
  const r = await context.request.fetch(path, init);
  return { status: r.status(), body: await r.json().catch(() => null) };
}

async function assertLedgerInvariant(context) {
  const me = await apiJson(context, "/api/me");
  const tx = await apiJson(context, "/api/me/transactions?limit=100");
  assert.equal(tx.body.nextCursor, null);
  assert.equal(tx.body.items.reduce((s, i) => s + i.delta, 0), me.body.user.coins, "balance = sum of the ledger");
  return me.body.user.coins;
}

async function signIn(page, email) {
  await page.goto("/sign-in");
  await page.locator("#dev-email").fill(email);
  await page.locator(".dev-form button[type=submit]").click();
  await page.locator("#app-header .coin-value").waitFor();
}

before(async () => {
  stripe = await startFakeStripe();
  worker = await startWorker({
    vars: {
      STRIPE_API_BASE: stripe.url,
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      COIN_PACKS: "starter:100:499:usd,studio:600:1999:eur",
      DAILY_REWARD_COINS: "25",
    },
  });
  stripe.webhookUrl = `${worker.url}/api/billing/webhook`;
  stripe.webhookDelayMs = 3000;
  browser = await launchBrowser();
  person = await newPage(browser, worker.url);
});
after(async () => {
  await browser?.close();
  await worker?.stop();
  await stripe?.close();
});

test("Buy -> Stripe's page -> success page waits for the webhook -> the balance has the coins", async () => {
  const { page, context } = person;
  await signIn(page, EMAIL);
  assert.equal(await headerCoins(page), 100);
  await page.goto("/coins");
  await page.locator("#buy-coins").click();
  await page.waitForURL("**/buy");
  const cards = page.locator(".pack-card");
  await cards.first().waitFor();
  assert.equal(await cards.count(), 2);
  assert.match(await cards.nth(0).locator(".pack-price").textContent(), /^\$4\.99$/);
  assert.match(await cards.nth(1).locator(".pack-price").textContent(), /^€19\.99$/);
  await screenshot(page, "billing-buy-en");

  await page.locator("button[data-pack=starter]").click();
  await page.waitForURL("**/billing/success?session_id=cs_test_*");
  // The webhook is 3 s behind the redirect: the page says it is waiting, then shows the coins.
  await page.locator(".billing-status .state-loading").waitFor();
  await page.locator("[data-state=credited]").waitFor({ timeout: 20_000 });
  assert.equal(await headerCoins(page), 200);
  await screenshot(page, "billing-success-en");
  assert.equal(await assertLedgerInvariant(context), 200);

  await page.goto("/coins");
  const purchase = page.locator(".purchases tbody tr").first();
  await purchase.waitFor();
  assert.equal(await purchase.getAttribute("data-status"), "paid");
  assert.match(await purchase.textContent(), /100 coins.*\$4\.99.*Paid/);
  assert.match(await page.locator(".ledger").first().textContent(), /Coins bought/);
  assert.deepEqual(page.errors, []);
});

test("the daily reward button collects once and then says when the next one is", async () => {
  const { page, context } = person;
  await page.goto("/coins");
  const button = page.locator("#daily-reward");
  await eventually(() => button.getAttribute("data-state").then((s) => s === "ready"), { what: "reward ready" });
  await button.click();
  await eventually(() => button.getAttribute("data-state").then((s) => s === "claimed"), { what: "reward claimed" });
  assert.ok(await button.isDisabled());
  assert.match(await page.locator("#daily-reward-state").textContent(), /Collected today/);
  await eventually(async () => (await headerCoins(page)) === 225, { what: "header balance 225" });
  await page.reload();
  await eventually(() => button.getAttribute("data-state").then((s) => s === "claimed"), { what: "claimed after reload" });
  assert.equal(await assertLedgerInvariant(context), 225);
  assert.deepEqual(page.errors, []);
});

test("a cancelled checkout says nothing was charged and changes nothing", async () => {
  const { page, context } = person;
  await page.goto("/buy");
  stripe.cancelNext = true;
  await page.locator("button[data-pack=studio]").click();
  await page.waitForURL("**/billing/cancel");
  await page.locator("[data-state=canceled]").waitFor();
  assert.equal(await assertLedgerInvariant(context), 225);
  await page.goto("/coins");
  await page.locator(".purchases tbody tr").nth(1).waitFor();
  assert.equal(await page.locator(".purchases tbody tr").first().getAttribute("data-status"), "pending");
  assert.deepEqual(page.errors, []);
});

test("in Spanish the prices follow es formatting for each currency", async () => {
  const es = await newPage(browser, worker.url, { locale: "es-ES" });
  await signIn(es.page, "e2e-comprador@example.com");
  await es.page.goto("/buy");
  await es.page.locator(".pack-card").first().waitFor();
  assert.equal(await es.page.locator("h1").textContent(), "Comprar monedas");
  const prices = await es.page.locator(".pack-price").allTextContents();
  assert.match(prices[0].replace(/\s/g, " "), /^4,99 US\$$/);
  assert.match(prices[1].replace(/\s/g, " "), /^19,99 €$/);
  await screenshot(es.page, "billing-buy-es");
  assert.deepEqual(es.page.errors, []);
  await es.context.close();
});

test("an admin sees the person's purchase, then its refund with the shortfall", async () => {
  // The person spends most of the coins before the refund arrives.
  const admin = await newPage(browser, worker.url);
  await signIn(admin.page, "admin@example.com");
  const found = await apiJson(admin.context, `/api/admin/users?query=${encodeURIComponent(EMAIL)}`);
  const user = found.body.items[0];
  const spend = await apiJson(admin.context, `/api/admin/users/${user.id}/coins`, {
    method: "POST", data: { amount: -160, reason: "spent" }, headers: { origin: worker.url },
  });
  assert.equal(spend.status, 200, JSON.stringify(spend.body));
  const [paid] = [...stripe.sessions.values()].filter((s) => s.metadata.packId === "starter");
  const refund = await stripe.send(stripe.refundEvent(paid));
  assert.equal(refund.body.outcome, "refunded");

  await admin.page.goto("/admin");
  await admin.page.locator("#admin-search").fill(EMAIL);
  const row = admin.page.locator(`tr[data-user-id="${user.id}"]`);
  await row.waitFor();
  await row.locator("[data-action=purchases]").click();
  const item = admin.page.locator(`.admin-purchases li[data-status=refunded]`);
  await item.waitFor();
  const text = await item.textContent();
  assert.match(text, /Refunded 65 coins/);
  assert.match(text, /35 coins could not be taken back/);
  await screenshot(admin.page, "billing-admin-refund");
  assert.deepEqual(admin.page.errors, []);
  await admin.context.close();
  assert.equal(await assertLedgerInvariant(person.context), 0);
});
