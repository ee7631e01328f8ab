// Billing's configuration end to end: with no Stripe key (every deployment until it is set up) the
// app says billing is off, checkout is 503 and nothing reaches Stripe, the daily reward is off; a
// malformed COIN_PACKS is a configuration error that names the var (every request 500, logged),
// not a crash and not a silently missing pack.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./support/worker.js";
import { Client, ledgerSum } from "./support/client.js";
import { startFakeStripe } from "../fakes/stripe.js";

let stripe;
before(async () => (stripe = await startFakeStripe()));
after(async () => stripe?.close());

test("billing off: config says so, checkout 503, webhook 503, daily reward 404, nothing changes", async () => {
  // The fake's address is set, the key is not: nothing may reach it.
  const worker = await startWorker({ vars: { DEBUG_ROUTES: "true", STRIPE_API_BASE: stripe.url, COIN_PACKS: "starter:100:499:usd" } });
  try {
    const config = await worker.fetch("/api/config").then((r) => r.json());
    assert.equal(config.billing, false);
    assert.equal(config.dailyReward, 0);
    const client = new Client(worker.url);
    const user = await client.devLogin("off@example.com");
    const checkout = await client.json("/api/billing/checkout", { method: "POST", body: { packId: "starter" } });
    assert.equal(checkout.status, 503);
    assert.equal(checkout.body.error.code, "SERVICE_UNAVAILABLE");
    const unknown = await client.json("/api/billing/checkout", { method: "POST", body: { packId: "nope" } });
    assert.equal(unknown.status, 503);
    stripe.webhookUrl = `${worker.url}/api/billing/webhook`;
    const hook = await stripe.send({ id: "evt_1", type: "checkout.session.completed", data: { object: { id: "cs_1" } } });
    assert.equal(hook.status, 503);
    const reward = await client.json("/api/me/daily-reward", { method: "POST" });
    assert.equal(reward.status, 404);
    assert.deepEqual((await client.json("/api/me/daily-reward")).body.claimedToday, false);
    assert.deepEqual((await client.json("/api/me/purchases")).body, { items: [], nextCursor: null });
    assert.equal(stripe.requests.length, 0);
    const me = await client.json("/api/me");
    assert.equal(me.body.user.coins, 100);
    assert.equal(await ledgerSum(client), 100);
    assert.equal(user.coins, 100);
  } finally {
    await worker.stop();
  }
});

test("a malformed COIN_PACKS is a configuration error naming the var", async () => {
  const worker = await startWorker({
    vars: { COIN_PACKS: "starter:100:4.99:usd", STRIPE_SECRET_KEY: "sk_test_x", STRIPE_WEBHOOK_SECRET: "whsec_x" },
    logLevel: "log",
    ready: (r) => r.status === 500,
  });
  try {
    const r = await worker.fetch("/api/config");
    assert.equal(r.status, 500);
    assert.equal((await r.json()).error.code, "INTERNAL");
    const logs = worker.logs.join("");
    assert.match(logs, /settings_invalid/);
    assert.match(logs, /COIN_PACKS/);
  } finally {
    await worker.stop();
  }
});
