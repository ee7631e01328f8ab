// Coins bought through Stripe Checkout, against the built Worker and the fake Stripe
// (tests/fakes/stripe.js): the Checkout Session create call, the signed webhook with every bad input
// of issue 14, exactly-once credit and refund under duplicates, races and reordering, the refund
// shortfall an admin sees, and the daily reward. Every test that touches coins ends with
// balance == sum(ledger), from both the API and the server's audit.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./support/worker.js";
import { Client, ledgerSum } from "./support/client.js";
import { startFakeStripe, sign } from "../fakes/stripe.js";

const PACKS = "starter:100:499:usd,studio:600:1999:eur";
let worker, stripe, admin;

before(async () => {
  stripe = await startFakeStripe();
  worker = await startWorker({
    vars: {
      DEBUG_ROUTES: "true",
      STRIPE_API_BASE: stripe.url,
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      COIN_PACKS: PACKS,
      DAILY_REWARD_COINS: "25",
    },
  });
  stripe.webhookUrl = `${worker.url}/api/billing/webhook`;
  admin = new Client(worker.url);
  await admin.devLogin("admin@example.com");
});
after(async () => {
  await worker?.stop();
  await stripe?.close();
});

let n = 0;
async function newUser(extra) {
  const client = new Client(worker.url);
  const user = await client.devLogin(`buyer${++n}-${Date.now()}@example.com`, extra);
  return { client, user };
}

async function coins(client) {
  const r = await client.json("/api/me");
  assert.equal(r.status, 200);
  return r.body.user.coins;
}

// balance == sum(ledger), through the public API and through the server's own audit.
async function assertLedgerInvariant(client, user) {
  const balance = await coins(client);
  assert.equal(await ledgerSum(client), balance, "balance = sum of the ledger (API)");
  const audit = await admin.json(`/api/_debug/users/${user.id}/generation-audit`);
  assert.equal(audit.status, 200, JSON.stringify(audit.body));
  assert.equal(audit.body.coins, audit.body.ledgerSum, "balance = sum of the ledger (audit)");
  return balance;
}

async function purchases(client) {
  const r = await client.json("/api/me/purchases");
  assert.equal(r.status, 200);
  return r.body.items;
}

async function reasons(client) {
  const r = await client.json("/api/me/transactions?limit=100");
  return r.body.items.map((i) => [i.reason, i.delta]).reverse();
}

// A checkout through the Worker: the fake's full session (with the payment intent and charge its
// events will carry).
async function checkout(client, packId = "starter") {
  const r = await client.json("/api/billing/checkout", { method: "POST", body: { packId } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const id = new URL(r.body.url).pathname.split("/").pop();
  const session = stripe.sessions.get(id);
  assert.ok(session, "the Worker answered the fake's session url");
  const { charge, productName, ...object } = session;
  return { url: r.body.url, session, object };
}

test("config and packs say billing is on, with the packs of COIN_PACKS", async () => {
  const config = await worker.fetch("/api/config").then((r) => r.json());
  assert.equal(config.billing, true);
  assert.equal(config.dailyReward, 25);
  const packs = await worker.fetch("/api/billing/packs").then((r) => r.json());
  assert.deepEqual(packs, { packs: [
    { id: "starter", coins: 100, amount: 499, currency: "usd" },
    { id: "studio", coins: 600, amount: 1999, currency: "eur" },
  ] });
});

test("checkout creates a Checkout Session with the contract's form fields and records a pending purchase", async () => {
  const { client, user } = await newUser();
  const before = stripe.requests.length;
  const { url, session } = await checkout(client, "studio");
  assert.equal(stripe.requests.length, before + 1);
  const request = stripe.requests.at(-1);
  assert.equal(request.headers.authorization, `Bearer ${stripe.secretKey}`);
  assert.match(request.headers["content-type"], /^application\/x-www-form-urlencoded/);
  assert.ok(request.headers["idempotency-key"], "an Idempotency-Key is sent");
  const f = request.form;
  assert.equal(f.mode, "payment");
  assert.equal(f["line_items[0][price_data][currency]"], "eur");
  assert.equal(f["line_items[0][price_data][unit_amount]"], "1999");
  assert.equal(f["line_items[0][price_data][product_data][name]"], "600 coins");
  assert.equal(f["line_items[0][quantity]"], "1");
  assert.equal(f.client_reference_id, user.id);
  assert.equal(f["metadata[userId]"], user.id);
  assert.equal(f["metadata[packId]"], "studio");
  assert.equal(f.success_url, `${worker.url}/billing/success?session_id={CHECKOUT_SESSION_ID}`);
  assert.equal(f.cancel_url, `${worker.url}/billing/cancel`);
  assert.equal(url, session.url);
  const items = await purchases(client);
  assert.equal(items.length, 1);
  assert.deepEqual({ ...items[0], id: undefined, createdAt: undefined },
    { id: undefined, packId: "studio", coins: 600, amount: 1999, currency: "eur", status: "pending", createdAt: undefined });
  assert.equal(await assertLedgerInvariant(client, user), 100);
});

test("the product name follows the buyer's language", async () => {
  const { client } = await newUser();
  await client.json("/api/me", { method: "PATCH", body: { language: "es" } });
  await checkout(client, "starter");
  assert.equal(stripe.requests.at(-1).form["line_items[0][price_data][product_data][name]"], "100 monedas");
  assert.equal(stripe.requests.at(-1).form.locale, "es");
});

test("a Stripe 500 is retried with the same Idempotency-Key: one session, not two", async () => {
  const { client } = await newUser();
  const before = stripe.requests.length;
  stripe.failNextCreates = 1;
  await checkout(client);
  const sent = stripe.requests.slice(before);
  assert.equal(sent.length, 2);
  assert.equal(sent[0].headers["idempotency-key"], sent[1].headers["idempotency-key"]);
  assert.equal((await purchases(client)).length, 1);
});

test("checkout: unknown pack 422, missing pack 422, signed out 401, cross-site 403; nothing created", async () => {
  const { client } = await newUser();
  const before = stripe.requests.length;
  const unknown = await client.json("/api/billing/checkout", { method: "POST", body: { packId: "mega" } });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.body.error.code, "VALIDATION_FAILED");
  assert.ok(unknown.body.error.fields.packId);
  const missing = await client.json("/api/billing/checkout", { method: "POST", body: {} });
  assert.equal(missing.status, 422);
  assert.ok(missing.body.error.fields.packId);
  const anonymous = await new Client(worker.url).json("/api/billing/checkout", { method: "POST", body: { packId: "starter" } });
  assert.equal(anonymous.status, 401);
  const cross = await client.json("/api/billing/checkout", { method: "POST", body: { packId: "starter" }, origin: "https://evil.example" });
  assert.equal(cross.status, 403);
  assert.equal(stripe.requests.length, before);
  assert.deepEqual(await purchases(client), []);
});

test("paying on the hosted page credits the pack once, with ledger reason purchase", async () => {
  const { client, user } = await newUser();
  const { url, session } = await checkout(client);
  const page = await fetch(url, { redirect: "manual" });
  assert.equal(page.status, 303);
  assert.equal(page.headers.get("location"), `${worker.url}/billing/success?session_id=${session.id}`);
  assert.equal(stripe.deliveries.at(-1).status, 200);
  assert.equal(stripe.deliveries.at(-1).body.outcome, "credited");
  assert.equal(await assertLedgerInvariant(client, user), 200);
  assert.deepEqual(await reasons(client), [["signup_bonus", 100], ["purchase", 100]]);
  assert.equal((await purchases(client))[0].status, "paid");
  // The same event again (Stripe retries deliveries) and much later: 200, nothing changes.
  const again = await stripe.send(stripe.deliveries.at(-1).event);
  assert.deepEqual([again.status, again.body.outcome], [200, "duplicate"]);
  assert.equal(await assertLedgerInvariant(client, user), 200);
});

test("the same completion event 20 times at once credits once", async () => {
  const { client, user } = await newUser();
  const { object } = await checkout(client, "studio");
  const event = stripe.completedEvent({ ...object, payment_intent: stripe.sessions.get(object.id).payment_intent });
  const results = await Promise.all(Array.from({ length: 20 }, () => stripe.send(event)));
  assert.deepEqual(results.map((r) => r.status), Array(20).fill(200));
  const outcomes = results.map((r) => r.body.outcome).sort();
  assert.deepEqual(outcomes, ["credited", ...Array(19).fill("duplicate")]);
  assert.equal(await assertLedgerInvariant(client, user), 700);
  assert.deepEqual(await reasons(client), [["signup_bonus", 100], ["purchase", 600]]);
});

test("completed and async_payment_succeeded for one session credit once, whichever comes first", async () => {
  const { client, user } = await newUser();
  const { object, session } = await checkout(client);
  const paid = { ...object, payment_intent: session.payment_intent };
  await Promise.all([stripe.send(stripe.asyncSucceededEvent(paid)), stripe.send(stripe.completedEvent(paid)),
    stripe.send(stripe.asyncSucceededEvent(paid))]);
  assert.equal(await assertLedgerInvariant(client, user), 200);
});

test("a delayed payment: completed unpaid changes nothing, async_payment_succeeded credits", async () => {
  const { client, user } = await newUser();
  const { object, session } = await checkout(client);
  const paid = { ...object, payment_intent: session.payment_intent };
  const unpaid = await stripe.send(stripe.completedEvent(paid, { payment_status: "unpaid" }));
  assert.deepEqual([unpaid.status, unpaid.body.outcome], [200, "not_paid"]);
  assert.equal(await assertLedgerInvariant(client, user), 100);
  assert.equal((await purchases(client))[0].status, "pending");
  const succeeded = await stripe.send(stripe.asyncSucceededEvent(paid));
  assert.equal(succeeded.body.outcome, "credited");
  assert.equal(await assertLedgerInvariant(client, user), 200);
});

test("amount or currency different from the pack: logged, not credited", async () => {
  const { client, user } = await newUser();
  const { object, session } = await checkout(client);
  const paid = { ...object, payment_intent: session.payment_intent };
  for (const overrides of [{ amount_total: 1 }, { amount_total: 4990 }, { currency: "eur" }, { amount_total: "499" }, { amount_total: null }]) {
    const r = await stripe.send(stripe.completedEvent(paid, overrides));
    assert.deepEqual([r.status, r.body.outcome], [200, "amount_mismatch"], JSON.stringify(overrides));
  }
  assert.equal(await assertLedgerInvariant(client, user), 100);
  assert.equal((await purchases(client))[0].status, "pending");
});

test("events for an unknown session or another user change nothing", async () => {
  const { client, user } = await newUser();
  const { client: other, user: otherUser } = await newUser();
  const { object, session } = await checkout(client);
  const paid = { ...object, payment_intent: session.payment_intent };
  const unknown = await stripe.send(stripe.completedEvent({ ...paid, id: "cs_test_not_ours", metadata: {} }));
  assert.deepEqual([unknown.status, unknown.body.outcome], [200, "unknown_session"]);
  const stranger = await stripe.send(stripe.completedEvent({ ...paid, id: "cs_test_stranger", metadata: { userId: otherUser.id, packId: "starter", purchaseId: "0".repeat(32) } }));
  assert.equal(stranger.body.outcome, "unknown_session");
  const wrongUser = await stripe.send(stripe.completedEvent({ ...paid, metadata: { ...paid.metadata, userId: otherUser.id }, client_reference_id: otherUser.id }));
  assert.deepEqual([wrongUser.status, wrongUser.body.outcome], [200, "user_mismatch"]);
  const unknownRefund = await stripe.send(stripe.refundEvent({ ...session, payment_intent: "pi_test_unknown" }));
  assert.deepEqual([unknownRefund.status, unknownRefund.body.outcome], [200, "refund_recorded"]);
  assert.equal(await assertLedgerInvariant(client, user), 100);
  assert.equal(await assertLedgerInvariant(other, otherUser), 100);
  // The real event still credits afterwards.
  assert.equal((await stripe.send(stripe.completedEvent(paid))).body.outcome, "credited");
  assert.equal(await assertLedgerInvariant(client, user), 200);
});

test("unknown event types answer 200 and change nothing", async () => {
  const r = await stripe.send({ id: "evt_test_x", object: "event", type: "customer.created", data: { object: { id: "cus_1" } } });
  assert.deepEqual([r.status, r.body.outcome], [200, "ignored"]);
});

test("bad webhooks are 400 (413 for a huge body) and change nothing", async () => {
  const { client, user } = await newUser();
  const { object, session } = await checkout(client);
  const event = stripe.completedEvent({ ...object, payment_intent: session.payment_intent });
  const body = JSON.stringify(event);
  // Unix seconds at the moment of each send: the Worker's clock keeps moving while the cases run.
  const nowS = () => Math.floor(Date.now() / 1000);
  const now = nowS();
  const cases = {
    unsigned: await stripe.send(body, { signature: null }),
    empty: await stripe.send(body, { signature: "" }),
    garbage: await stripe.send(body, { signature: "hello" }),
    "wrong secret": await stripe.send(body, { secret: "whsec_wrong" }),
    "v0 only": await stripe.send(body, { signature: sign(body).replace("v1=", "v0=") }),
    "no timestamp": await stripe.send(body, { signature: sign(body).replace(/^t=\d+,/, "") }),
    stale: await stripe.send(body, { t: nowS() - 302 }),
    "future-dated": await stripe.send(body, { t: nowS() + 302 }),
    "other body": await stripe.send(body.replace('"paid"', '"paid" '), { signature: sign(body) }),
    "other amount": await stripe.send(body.replace('"amount_total":499', '"amount_total":49900'), { signature: sign(body) }),
    "timestamp swapped": await stripe.send(body, { signature: sign(body, { t: now - 10 }).replace(`t=${now - 10}`, `t=${now}`) }),
    "uppercase hex": await stripe.send(body, { signature: sign(body).replace(/v1=([0-9a-f]+)/, (_, h) => `v1=${h.toUpperCase()}`) }),
  };
  for (const [name, r] of Object.entries(cases)) {
    assert.equal(r.status, 400, `${name}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, "BAD_REQUEST", name);
  }
  const malformed = await stripe.send('{"id": "evt_1", "type": "checkout.session.completed", "data": ');
  assert.equal(malformed.status, 400);
  for (const shape of [[], "text", { id: "evt_1", type: "checkout.session.completed" },
    { id: "evt_1", type: "checkout.session.completed", data: { object: "cs_1" } },
    { type: "checkout.session.completed", data: { object: { ...object } } },
    { id: "evt_1", type: "checkout.session.completed", data: { object: { ...object, id: 7 } } }]) {
    const r = await stripe.send(JSON.stringify(shape));
    assert.equal(r.status, 400, JSON.stringify(shape));
  }
  const huge = await stripe.send(JSON.stringify({ ...event, padding: "x".repeat(200 * 1024) }));
  assert.equal(huge.status, 413);
  assert.equal(huge.body.error.code, "PAYLOAD_TOO_LARGE");
  assert.equal(await assertLedgerInvariant(client, user), 100);
  assert.equal((await purchases(client))[0].status, "pending");
  // Several v1 values (a secret being rolled): any one matching is enough, t at the edge is fine.
  const edge = nowS() - 280;
  const rolled = await stripe.send(body, { signature: `t=${edge},v1=${"0".repeat(64)},${sign(body, { t: edge }).split(",")[1]},v0=abc` });
  assert.deepEqual([rolled.status, rolled.body.outcome], [200, "credited"]);
  assert.equal(await assertLedgerInvariant(client, user), 200);
});

test("a refund takes the coins back once", async () => {
  const { client, user } = await newUser();
  const { object, session } = await checkout(client);
  await stripe.send(stripe.completedEvent({ ...object, payment_intent: session.payment_intent }));
  assert.equal(await assertLedgerInvariant(client, user), 200);
  const refund = stripe.refundEvent(session);
  const results = await Promise.all(Array.from({ length: 10 }, () => stripe.send(refund)));
  assert.deepEqual(results.map((r) => r.body.outcome).sort(), [...Array(9).fill("duplicate"), "refunded"]);
  assert.equal(await assertLedgerInvariant(client, user), 100);
  assert.deepEqual(await reasons(client), [["signup_bonus", 100], ["purchase", 100], ["purchase_refund", -100]]);
  assert.equal((await purchases(client))[0].status, "refunded");
  // A late completion replay after the refund changes nothing.
  assert.equal((await stripe.send(stripe.completedEvent({ ...object, payment_intent: session.payment_intent }))).body.outcome, "duplicate");
  assert.equal(await assertLedgerInvariant(client, user), 100);
});

test("a refund never takes the balance below zero; the shortfall is on the purchase for admins", async () => {
  const { client, user } = await newUser();
  const { object, session } = await checkout(client);
  await stripe.send(stripe.completedEvent({ ...object, payment_intent: session.payment_intent }));
  // The buyer spends 170 of their 200 coins (an admin debit stands in for spending).
  const spend = await admin.json(`/api/admin/users/${user.id}/coins`, { method: "POST", body: { amount: -170, reason: "spent" } });
  assert.equal(spend.status, 200, JSON.stringify(spend.body));
  const r = await stripe.send(stripe.refundEvent(session));
  assert.equal(r.body.outcome, "refunded");
  assert.equal(await assertLedgerInvariant(client, user), 0);
  assert.deepEqual((await reasons(client)).at(-1), ["purchase_refund", -30]);
  const view = await admin.json(`/api/admin/users/${user.id}/purchases`);
  assert.equal(view.status, 200);
  const p = view.body.items[0];
  assert.equal(p.status, "refunded");
  assert.equal(p.refundedCoins, 30);
  assert.equal(p.refundShortfall, 70);
  assert.equal(p.sessionId, session.id);
  assert.equal(p.paymentIntent, session.payment_intent);
  assert.equal(p.userId, user.id);
  // A refund with nothing left to take writes no ledger row but is still recorded.
  const { client: broke, user: brokeUser } = await newUser();
  const second = await checkout(broke);
  await stripe.send(stripe.completedEvent({ ...second.object, payment_intent: second.session.payment_intent }));
  await admin.json(`/api/admin/users/${brokeUser.id}/coins`, { method: "POST", body: { amount: -200, reason: "spent" } });
  assert.equal((await stripe.send(stripe.refundEvent(second.session))).body.outcome, "refunded");
  assert.equal(await assertLedgerInvariant(broke, brokeUser), 0);
  const brokeView = (await admin.json(`/api/admin/users/${brokeUser.id}/purchases`)).body.items[0];
  assert.deepEqual([brokeView.status, brokeView.refundedCoins, brokeView.refundShortfall], ["refunded", 0, 100]);
});

test("a refund before the completion event: the completion credits and takes back in one batch", async () => {
  const { client, user } = await newUser();
  const { object, session } = await checkout(client);
  const early = await stripe.send(stripe.refundEvent(session));
  assert.deepEqual([early.status, early.body.outcome], [200, "refund_recorded"]);
  assert.equal(await assertLedgerInvariant(client, user), 100);
  const late = await stripe.send(stripe.completedEvent({ ...object, payment_intent: session.payment_intent }));
  assert.equal(late.body.outcome, "credited_and_refunded");
  assert.equal(await assertLedgerInvariant(client, user), 100);
  assert.deepEqual(await reasons(client), [["signup_bonus", 100], ["purchase", 100], ["purchase_refund", -100]]);
  assert.equal((await purchases(client))[0].status, "refunded");
  assert.equal((await stripe.send(stripe.refundEvent(session))).body.outcome, "duplicate");
  assert.equal((await stripe.send(stripe.asyncSucceededEvent({ ...object, payment_intent: session.payment_intent }))).body.outcome, "duplicate");
  assert.equal(await assertLedgerInvariant(client, user), 100);
});

test("refund and completion racing: the coins come back exactly once", async () => {
  const { client, user } = await newUser();
  const { object, session } = await checkout(client);
  const completed = stripe.completedEvent({ ...object, payment_intent: session.payment_intent });
  const refund = stripe.refundEvent(session);
  await Promise.all([stripe.send(refund), stripe.send(completed), stripe.send(refund), stripe.send(completed)]);
  assert.equal(await assertLedgerInvariant(client, user), 100);
  assert.deepEqual((await reasons(client)).map(([r]) => r), ["signup_bonus", "purchase", "purchase_refund"]);
});

test("expired and failed sessions end the pending purchase without coins", async () => {
  const { client, user } = await newUser();
  const a = await checkout(client);
  const b = await checkout(client);
  assert.equal((await stripe.send(stripe.sessionEvent("checkout.session.expired", a.object, { status: "expired", payment_status: "unpaid" }))).body.outcome, "expired");
  assert.equal((await stripe.send(stripe.sessionEvent("checkout.session.async_payment_failed", b.object, { payment_status: "unpaid" }))).body.outcome, "failed");
  const statuses = (await purchases(client)).map((p) => p.status).sort();
  assert.deepEqual(statuses, ["expired", "failed"]);
  assert.equal((await stripe.send(stripe.completedEvent({ ...a.object, payment_intent: a.session.payment_intent }))).body.outcome, "duplicate");
  assert.equal(await assertLedgerInvariant(client, user), 100);
});

test("purchase history pages newest first and is private", async () => {
  const { client } = await newUser();
  for (let i = 0; i < 3; i++) await checkout(client, i % 2 ? "studio" : "starter");
  const first = await client.json("/api/me/purchases?limit=2");
  assert.equal(first.body.items.length, 2);
  assert.ok(first.body.nextCursor);
  const second = await client.json(`/api/me/purchases?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
  assert.equal(second.body.items.length, 1);
  assert.equal(second.body.nextCursor, null);
  assert.deepEqual([...first.body.items, ...second.body.items].map((p) => p.packId), ["starter", "studio", "starter"]);
  assert.equal((await client.json("/api/me/purchases?limit=0")).status, 400);
  assert.equal((await new Client(worker.url).json("/api/me/purchases")).status, 401);
  const { client: other } = await newUser();
  assert.deepEqual(await purchases(other), []);
});

test("admin purchase view: admins only, 404 for an unknown user", async () => {
  const { client, user } = await newUser();
  assert.equal((await client.json(`/api/admin/users/${user.id}/purchases`)).status, 403);
  assert.equal((await admin.json(`/api/admin/users/${"f".repeat(32)}/purchases`)).status, 404);
  assert.equal((await admin.json("/api/admin/users/nope/purchases")).status, 404);
  assert.deepEqual((await admin.json(`/api/admin/users/${user.id}/purchases`)).body, { items: [], nextCursor: null });
});

test("daily reward: once per UTC day, 409 the second time, ledger reason daily_reward", async () => {
  const { client, user } = await newUser();
  const state = await client.json("/api/me/daily-reward");
  assert.equal(state.status, 200);
  assert.equal(state.body.coins, 25);
  assert.equal(state.body.claimedToday, false);
  const next = new Date(state.body.nextAt);
  assert.equal(next.getUTCHours() + next.getUTCMinutes() + next.getUTCSeconds(), 0);
  assert.ok(next - Date.now() > 0 && next - Date.now() <= 86_400_000);
  const r = await client.json("/api/me/daily-reward", { method: "POST" });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.granted, 25);
  assert.equal(r.body.user.coins, 125);
  const again = await client.json("/api/me/daily-reward", { method: "POST" });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, "CONFLICT");
  assert.equal((await client.json("/api/me/daily-reward")).body.claimedToday, true);
  assert.deepEqual(await reasons(client), [["signup_bonus", 100], ["daily_reward", 25]]);
  assert.equal(await assertLedgerInvariant(client, user), 125);
  assert.equal((await new Client(worker.url).json("/api/me/daily-reward", { method: "POST" })).status, 401);
  const es = await client.json("/api/me/daily-reward", { method: "POST", headers: { "accept-language": "es" } });
  assert.equal(es.status, 409);
});

test("daily reward: ten tabs at once give one reward", async () => {
  const { client, user } = await newUser();
  const results = await Promise.all(Array.from({ length: 10 }, () => client.json("/api/me/daily-reward", { method: "POST" })));
  assert.deepEqual(results.map((r) => r.status).sort(), [200, ...Array(9).fill(409)]);
  assert.equal(await assertLedgerInvariant(client, user), 125);
});
