// Self-test of tests/fakes/stripe.js: it refuses what Stripe's POST /v1/checkout/sessions refuses (a
// wrong key, a JSON body, a missing or unknown parameter, a key reused with other parameters), its
// hosted page pays and sends a webhook whose Stripe-Signature verifies the way Stripe documents it
// (HMAC-SHA256 of "t.body"), so a Worker that sends a misspelt field or verifies wrongly fails its
// tests instead of passing against a lenient fake. No Worker needed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createHmac } from "node:crypto";
import { startFakeStripe, sign } from "../fakes/stripe.js";

let stripe;
let hook;  // a webhook receiver recording what the hosted page sends
const received = [];
before(async () => {
  stripe = await startFakeStripe();
  hook = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise((r) => hook.listen(0, "127.0.0.1", r));
  stripe.webhookUrl = `http://127.0.0.1:${hook.address().port}/hook`;
});
after(async () => {
  await stripe?.close();
  await new Promise((r) => hook?.close(r));
});

// The fields src/services/stripe_checkout.cpp sends.
const good = () => ({
  mode: "payment",
  "line_items[0][price_data][currency]": "usd",
  "line_items[0][price_data][unit_amount]": "499",
  "line_items[0][price_data][product_data][name]": "100 coins",
  "line_items[0][quantity]": "1",
  client_reference_id: "u1",
  "metadata[userId]": "u1",
  "metadata[packId]": "starter",
  "metadata[purchaseId]": "p1",
  success_url: "http://127.0.0.1:1/billing/success?session_id={CHECKOUT_SESSION_ID}",
  cancel_url: "http://127.0.0.1:1/billing/cancel",
});

async function create(fields, { key = stripe.secretKey, idempotencyKey, json = false } = {}) {
  const headers = { authorization: `Bearer ${key}` };
  if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
  headers["content-type"] = json ? "application/json" : "application/x-www-form-urlencoded";
  const body = json ? JSON.stringify(fields) : new URLSearchParams(fields).toString();
  const r = await fetch(`${stripe.url}/v1/checkout/sessions`, { method: "POST", headers, body });
  return { status: r.status, body: await r.json() };
}

test("the Worker's fields create a session with an id and a hosted url", async () => {
  const r = await create(good());
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.match(r.body.id, /^cs_test_/);
  assert.equal(r.body.object, "checkout.session");
  assert.equal(r.body.amount_total, 499);
  assert.equal(r.body.payment_status, "unpaid");
  assert.deepEqual(r.body.metadata, { userId: "u1", packId: "starter", purchaseId: "p1" });
  assert.ok(r.body.url.startsWith(stripe.url));
});

test("a wrong or missing key is 401", async () => {
  assert.equal((await create(good(), { key: "sk_test_wrong" })).status, 401);
  const r = await fetch(`${stripe.url}/v1/checkout/sessions`, { method: "POST", body: new URLSearchParams(good()) });
  assert.equal(r.status, 401);
});

test("a JSON body, a missing field, an unknown field and bad values are refused like Stripe", async () => {
  assert.equal((await create(good(), { json: true })).status, 400);
  for (const name of Object.keys(good()).filter((k) => !k.startsWith("metadata[purchaseId]"))) {
    const fields = good();
    delete fields[name];
    const r = await create(fields);
    assert.equal(r.status, 400, `without ${name}`);
    assert.equal(r.body.error.type, "invalid_request_error");
  }
  const unknown = await create({ ...good(), "line_items[0][price]": "price_1" });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.code, "parameter_unknown");
  for (const [name, value] of [["mode", "subscription"], ["line_items[0][price_data][currency]", "USD"],
    ["line_items[0][price_data][unit_amount]", "4.99"], ["line_items[0][quantity]", "2"],
    ["success_url", "/billing/success"], ["client_reference_id", "u2"]]) {
    assert.equal((await create({ ...good(), [name]: value })).status, 400, `${name}=${value}`);
  }
});

test("Idempotency-Key: same parameters replay the session, other parameters are refused", async () => {
  const first = await create(good(), { idempotencyKey: "k1" });
  const again = await create(good(), { idempotencyKey: "k1" });
  assert.equal(again.body.id, first.body.id);
  const other = await create({ ...good(), "metadata[packId]": "studio" }, { idempotencyKey: "k1" });
  assert.equal(other.status, 400);
  assert.equal(other.body.error.type, "idempotency_error");
});

test("the hosted page sends a signed checkout.session.completed, then redirects to success", async () => {
  const { body: session } = await create(good());
  received.length = 0;
  const r = await fetch(session.url, { redirect: "manual" });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get("location"), `http://127.0.0.1:1/billing/success?session_id=${session.id}`);
  assert.equal(received.length, 1);
  const { headers, body } = received[0];
  const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(headers["stripe-signature"]);
  assert.equal(v1, createHmac("sha256", stripe.webhookSecret).update(`${t}.${body}`).digest("hex"));
  assert.ok(Math.abs(Number(t) - Date.now() / 1000) < 5);
  const event = JSON.parse(body);
  assert.equal(event.type, "checkout.session.completed");
  assert.equal(event.data.object.id, session.id);
  assert.equal(event.data.object.payment_status, "paid");
  assert.match(event.data.object.payment_intent, /^pi_test_/);
  const cancel = await fetch(`${session.url}?cancel=1`, { redirect: "manual" });
  assert.equal(cancel.headers.get("location"), "http://127.0.0.1:1/billing/cancel");
});

test("the refund event carries the payment intent, not the session", async () => {
  const { body: session } = await create(good());
  const full = stripe.sessions.get(session.id);
  const event = stripe.refundEvent(full);
  assert.equal(event.type, "charge.refunded");
  assert.equal(event.data.object.object, "charge");
  assert.equal(event.data.object.payment_intent, full.payment_intent);
  assert.equal(event.data.object.refunded, true);
  assert.equal(JSON.stringify(event).includes(session.id), false);
});

test("sign() is Stripe's scheme and keeps extra elements", () => {
  const header = sign("{}", { t: 1700000000, secret: "whsec_x", extra: ["v0=abc"] });
  const expected = createHmac("sha256", "whsec_x").update("1700000000.{}").digest("hex");
  assert.equal(header, `t=1700000000,v0=abc,v1=${expected}`);
});
