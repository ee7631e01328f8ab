// A fake Stripe for the integration and e2e tests, on a loopback port, speaking Stripe's wire format:
//
// - POST /v1/checkout/sessions: form-encoded, `Authorization: Bearer <secret key>`, the fields
//   API.md names (mode=payment, one line item with price_data, quantity 1, client_reference_id,
//   metadata[userId], metadata[packId], success_url, cancel_url); refuses anything else the way
//   Stripe does ({"error": {"type", "code", "message", "param"}}, 400 / 401). `Idempotency-Key`: the
//   same key with the same parameters answers the same session; with others, 400 idempotency_error.
// - GET /c/pay/:sessionId: the hosted Checkout page. Pays at once: sends the signed
//   checkout.session.completed to `webhookUrl` (after `webhookDelayMs`), then 303 to success_url
//   ({CHECKOUT_SESSION_ID} filled in). `?cancel=1` goes to cancel_url instead.
// - A sender of signed events: `stripe.send(event)` POSTs it with a Stripe-Signature header over the
//   exact bytes; `sign(body, {t, secret})` builds the header; event builders for the three types.
//
//   const stripe = await startFakeStripe();
//   worker vars: { STRIPE_API_BASE: stripe.url, STRIPE_SECRET_KEY: stripe.secretKey,
//                  STRIPE_WEBHOOK_SECRET: stripe.webhookSecret, COIN_PACKS: "..." }
//   stripe.webhookUrl = worker.url + "/api/billing/webhook";
//   const session = stripe.sessions.get(id);        // every session created, by id
//   await stripe.send(stripe.completedEvent(session)); // -> { status, body }
//   stripe.requests                                  // [{ method, path, headers, form }]
import { createServer } from "node:http";
import { createHmac, randomBytes } from "node:crypto";

export const DEFAULT_SECRET_KEY = "sk_test_fake_51NbKey";
export const DEFAULT_WEBHOOK_SECRET = "whsec_fake_webhook_secret";

const KNOWN_FIELDS = new Set([
  "mode", "line_items[0][price_data][currency]", "line_items[0][price_data][unit_amount]",
  "line_items[0][price_data][product_data][name]", "line_items[0][quantity]", "client_reference_id",
  "success_url", "cancel_url", "customer_email", "locale",
]);
const LOCALES = new Set(["auto", "en", "es", "fr", "de", "it", "ja", "pt", "nl"]);

const id = (prefix) => `${prefix}_test_${randomBytes(12).toString("hex")}`;

// Stripe-Signature for `body` (the exact bytes sent) at unix time `t`.
export function sign(body, { t = Math.floor(Date.now() / 1000), secret = DEFAULT_WEBHOOK_SECRET, extra = [] } = {}) {
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return [`t=${t}`, ...extra, `v1=${v1}`].join(",");
}

function stripeError(res, status, type, message, param, code) {
  const error = { type, message };
  if (param) error.param = param;
  if (code) error.code = code;
  res.writeHead(status, { "content-type": "application/json", "request-id": id("req") });
  res.end(JSON.stringify({ error }));
}

function isAbsoluteUrl(s) {
  try {
    const u = new URL(s);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

export async function startFakeStripe({ secretKey = DEFAULT_SECRET_KEY, webhookSecret = DEFAULT_WEBHOOK_SECRET } = {}) {
  const sessions = new Map();
  const idempotency = new Map();  // key -> { body, response }
  const requests = [];
  const deliveries = [];
  let url = "";

  const fake = {
    secretKey, webhookSecret, sessions, requests, deliveries,
    webhookUrl: null,
    webhookDelayMs: 0,
    failNextCreates: 0,  // answer the next N creates with a 500 (the Worker retries with the same key)
    cancelNext: false,   // the next hosted-page visit cancels (as the person pressing "back") instead of paying
    get url() { return url; },

    sessionEvent(type, session, overrides = {}) {
      return {
        id: id("evt"), object: "event", api_version: "2024-06-20", created: Math.floor(Date.now() / 1000),
        livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type,
        data: { object: { ...session, status: "complete", payment_status: "paid", ...overrides } },
      };
    },
    completedEvent(session, overrides) { return fake.sessionEvent("checkout.session.completed", session, overrides); },
    asyncSucceededEvent(session, overrides) {
      return fake.sessionEvent("checkout.session.async_payment_succeeded", session, overrides);
    },
    refundEvent(session, overrides = {}) {
      return {
        id: id("evt"), object: "event", api_version: "2024-06-20", created: Math.floor(Date.now() / 1000),
        livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type: "charge.refunded",
        data: { object: {
          id: session.charge, object: "charge", amount: session.amount_total, amount_captured: session.amount_total,
          amount_refunded: session.amount_total, captured: true, currency: session.currency, paid: true,
          payment_intent: session.payment_intent, refunded: true, status: "succeeded", ...overrides,
        } },
      };
    },

    // POSTs `event` (an object, or the exact string to send) signed like Stripe; `signature` replaces
    // the header (null: none), `t`/`secret` sign differently.
    async send(event, { signature, t, secret = webhookSecret, to = fake.webhookUrl, headers = {} } = {}) {
      const body = typeof event === "string" ? event : JSON.stringify(event);
      const h = { "content-type": "application/json; charset=utf-8", "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)", ...headers };
      const header = signature === undefined ? sign(body, { t, secret }) : signature;
      if (header !== null) h["stripe-signature"] = header;
      const r = await fetch(to, { method: "POST", headers: h, body });
      const text = await r.text();
      const result = { status: r.status, body: text ? JSON.parse(text) : null };
      deliveries.push({ event, ...result });
      return result;
    },

    close() { return new Promise((r) => server.close(r)); },
  };

  async function createSession(req, res, raw) {
    if (req.headers.authorization !== `Bearer ${secretKey}`) {
      return stripeError(res, 401, "invalid_request_error", "Invalid API Key provided: " +
        String(req.headers.authorization ?? "").replace(/^Bearer /, "").slice(0, 8) + "****");
    }
    if (!String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
      return stripeError(res, 400, "invalid_request_error", "Invalid request: the body must be form-encoded.");
    }
    const form = new URLSearchParams(raw);
    const fields = Object.fromEntries(form);
    requests.push({ method: "POST", path: "/v1/checkout/sessions", headers: req.headers, form: fields, raw });
    const key = req.headers["idempotency-key"];
    if (key && idempotency.has(key)) {
      const seen = idempotency.get(key);
      if (seen.raw !== raw) {
        return stripeError(res, 400, "idempotency_error", "Keys for idempotent requests can only be used with the same parameters they were first used with.");
      }
      res.writeHead(200, { "content-type": "application/json", "idempotent-replayed": "true" });
      return res.end(JSON.stringify(seen.session));
    }
    if (fake.failNextCreates > 0) {
      fake.failNextCreates--;
      return stripeError(res, 500, "api_error", "An unknown error occurred.");
    }
    for (const name of form.keys()) {
      if (!KNOWN_FIELDS.has(name) && !/^metadata\[[A-Za-z0-9_]{1,40}\]$/.test(name)) {
        return stripeError(res, 400, "invalid_request_error", `Received unknown parameter: ${name}`, name, "parameter_unknown");
      }
      if (form.getAll(name).length > 1) return stripeError(res, 400, "invalid_request_error", `Duplicate parameter: ${name}`, name);
    }
    const missing = (name) => stripeError(res, 400, "invalid_request_error", `Missing required param: ${name}.`, name, "parameter_missing");
    const invalid = (name) => stripeError(res, 400, "invalid_request_error", `Invalid value for ${name}.`, name, "parameter_invalid");
    if (fields.mode !== "payment") return fields.mode ? invalid("mode") : missing("mode");
    const currency = fields["line_items[0][price_data][currency]"];
    if (!currency) return missing("line_items[0][price_data][currency]");
    if (!/^[a-z]{3}$/.test(currency)) return invalid("line_items[0][price_data][currency]");
    const unit = fields["line_items[0][price_data][unit_amount]"];
    if (!/^[1-9][0-9]{0,9}$/.test(unit ?? "")) return unit ? invalid("line_items[0][price_data][unit_amount]") : missing("line_items[0][price_data][unit_amount]");
    if (!fields["line_items[0][price_data][product_data][name]"]) return missing("line_items[0][price_data][product_data][name]");
    if (fields["line_items[0][quantity]"] !== "1") return invalid("line_items[0][quantity]");
    for (const name of ["client_reference_id", "metadata[userId]", "metadata[packId]", "success_url", "cancel_url"]) {
      if (!fields[name]) return missing(name);
    }
    if (fields.client_reference_id !== fields["metadata[userId]"]) return invalid("client_reference_id");
    if (!isAbsoluteUrl(fields.success_url)) return invalid("success_url");
    if (!isAbsoluteUrl(fields.cancel_url)) return invalid("cancel_url");
    if (fields.locale && !LOCALES.has(fields.locale)) return invalid("locale");

    const sessionId = id("cs");
    const metadata = {};
    for (const [k, v] of form) {
      const m = /^metadata\[(.+)\]$/.exec(k);
      if (m) metadata[m[1]] = v;
    }
    const session = {
      id: sessionId, object: "checkout.session", amount_subtotal: Number(unit), amount_total: Number(unit),
      cancel_url: fields.cancel_url, client_reference_id: fields.client_reference_id, currency,
      customer_email: fields.customer_email ?? null, livemode: false, locale: fields.locale ?? null, metadata,
      mode: "payment", payment_intent: null, payment_status: "unpaid", status: "open",
      success_url: fields.success_url, url: `${url}/c/pay/${sessionId}`,
      created: Math.floor(Date.now() / 1000), expires_at: Math.floor(Date.now() / 1000) + 86400,
    };
    // Not part of the session Stripe answers: what its completion and its charge will carry.
    sessions.set(sessionId, { ...session, payment_intent: id("pi"), charge: id("ch"), productName: fields["line_items[0][price_data][product_data][name]"] });
    if (key) idempotency.set(key, { raw, session });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(session));
  }

  async function pay(req, res, sessionId, cancel) {
    const session = sessions.get(sessionId);
    if (!session) {
      res.writeHead(404, { "content-type": "text/plain" });
      return res.end("No such checkout session");
    }
    if (cancel || fake.cancelNext) {
      fake.cancelNext = false;
      res.writeHead(303, { location: session.cancel_url });
      return res.end();
    }
    const { charge, productName, ...object } = session;
    const event = fake.completedEvent(object);
    const deliver = async () => {
      if (fake.webhookDelayMs) await new Promise((r) => setTimeout(r, fake.webhookDelayMs));
      if (fake.webhookUrl) await fake.send(event).catch((e) => deliveries.push({ event, error: String(e) }));
    };
    if (fake.webhookDelayMs) deliver();
    else await deliver();
    res.writeHead(303, { location: session.success_url.replace("{CHECKOUT_SESSION_ID}", sessionId) });
    res.end();
  }

  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const u = new URL(req.url, "http://fake");
      let m;
      if (req.method === "POST" && u.pathname === "/v1/checkout/sessions") return void createSession(req, res, raw);
      if (req.method === "GET" && (m = /^\/c\/pay\/([A-Za-z0-9_]+)$/.exec(u.pathname))) {
        return void pay(req, res, m[1], u.searchParams.get("cancel") === "1");
      }
      stripeError(res, 404, "invalid_request_error", `Unrecognized request URL (${req.method}: ${u.pathname}).`);
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${server.address().port}`;
  return fake;
}
