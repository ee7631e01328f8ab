// Bench-only Worker (never deployed), driven by bench/generation.js: the Worker's own cost per
// generation, measured inside workerd with the provider's time taken out.
//
// It runs the app's real entry (js-shim/worker.js) in this isolate against the real local D1, R2 and KV
// of Miniflare (wrangler.toml's dev bindings), and replaces two things only:
//   - the outbound fetch to Gemini answers at once with a canned generateContent answer (POSTed to
//     /setup by the driver, taken from the fake Gemini of tests/fakes/gemini.js): provider time ~0;
//   - the queue producer keeps the job message, so the bench can hand it to the queue consumer itself
//     and time exactly that call; the rate limiters always allow.
// Every host call the C++ makes (js-shim/bindings.js handlers) is timed by kind while the consumer
// runs, so a sample splits into D1, R2, KV, crypto, outbound fetch and the rest (C++ in wasm: building
// the request, parsing the answer and its base64, probing and thumbnailing the PNG, plus the JSPI glue).
//
// POST /setup?answer=NAME   body: a generateContent answer (JSON text) to use as answer NAME
// GET  /run?answer=NAME&n=N N generations in a row: POST /api/images/generate, then the queue consumer
//                           on its message; answers {samples: [{queueMs, generateRouteMs, calls, ...}]}
//
// workerd's clock ticks in whole milliseconds: single samples are quantised, medians over many are not
// biased by it.
import { bindingHandlers } from "../../js-shim/bindings.js";
import cppWorker from "../../js-shim/worker.js";

const ORIGIN = "http://bench.local";
const GEMINI_BASE = "http://gemini.bench.invalid";

// ------------------------------------------------------------------------------ host-call timing
// Patched before any WasmInstance exists: each instance takes the handlers when it is created.
let recording = null; // {calls: {kind: {n, ms, bytesIn}}} while the consumer runs
for (const [name, handler] of Object.entries(bindingHandlers)) {
  bindingHandlers[name] = async (env, head, body) => {
    if (!recording) return handler(env, head, body);
    const rec = recording;
    const t0 = performance.now();
    try {
      return await handler(env, head, body);
    } finally {
      const kind = `${name}.${head.op ?? head.method ?? "call"}`;
      const c = (rec.calls[kind] ??= { n: 0, ms: 0, bytesIn: 0 });
      c.n++;
      c.ms += performance.now() - t0;
      c.bytesIn += body?.length ?? 0;
    }
  };
}

// ------------------------------------------------------------------------------ stub provider
const answers = new Map();
let answer = null; // the canned answer text in use
let stub = { n: 0, ms: 0, requestBytes: 0 };
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = String(input?.url ?? input);
  if (!url.startsWith(GEMINI_BASE)) return realFetch(input, init);
  const t0 = performance.now();
  stub.n++;
  stub.requestBytes += init?.body?.byteLength ?? init?.body?.length ?? 0;
  const r = new Response(answer, { status: 200, headers: { "content-type": "application/json; charset=UTF-8" } });
  stub.ms += performance.now() - t0;
  return r;
};

// ------------------------------------------------------------------------------ the app's env
const jobs = [];
const allowAll = {
  async limit() {
    return { success: true };
  },
};
let benchEnv = null; // one for the isolate: js-shim/worker.js keeps one instance pool
function envFor(env) {
  benchEnv ??= {
    ...env,
    GEMINI_API_KEY: "bench-key",
    GEMINI_API_BASE: GEMINI_BASE,
    SIGNUP_BONUS_COINS: "1000000000", // every sample costs coins; never run out
    GENERATION_JOBS: {
      async send(body) {
        jobs.push(body);
      },
    },
    GENERATION_RATE_LIMITER: allowAll,
    AUTH_RATE_LIMITER: allowAll, // dev sign-in, once
  };
  return benchEnv;
}

async function app(path, { method = "GET", cookie, body } = {}) {
  const headers = { origin: ORIGIN };
  if (cookie) headers.cookie = cookie;
  if (body !== undefined) headers["content-type"] = "application/json";
  const r = await cppWorker.fetch(new Request(ORIGIN + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }), benchEnv);
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${path} answered ${r.status}: ${text.slice(0, 500)}`);
  return { status: r.status, headers: r.headers, body: text ? JSON.parse(text) : null };
}

let session = null;
async function signIn() {
  if (session) return session;
  const r = await app("/api/auth/dev-login", { method: "POST", body: { email: "bench-generation@example.com" } });
  const cookie = r.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c.startsWith("__Host-nb_session="));
  if (!cookie) throw new Error("dev-login set no session cookie");
  session = cookie;
  return session;
}

let sampleNo = 0;
async function oneGeneration() {
  const cookie = await signIn();
  jobs.length = 0;
  const g0 = performance.now();
  const started = await app("/api/images/generate", { method: "POST", cookie, body: { prompt: `bench ${++sampleNo}: a nano banana split`, aspectRatio: "1:1" } });
  const g1 = performance.now();
  const message = jobs.shift();
  if (started.status !== 202 || !message) throw new Error(`generate: ${started.status}, ${message ? "" : "no job message"}`);
  let outcome = null;
  const m = {
    id: crypto.randomUUID(),
    timestamp: new Date(),
    attempts: 1,
    body: message,
    ack() {
      outcome = "ack";
    },
    retry(o) {
      outcome = { retry: o ?? null };
    },
  };
  stub = { n: 0, ms: 0, requestBytes: 0 };
  recording = { calls: {} };
  const t0 = performance.now();
  await cppWorker.queue({ queue: "generation-jobs-dev", messages: [m] }, benchEnv);
  const t1 = performance.now();
  const { calls } = recording;
  recording = null;
  if (outcome !== "ack") throw new Error(`consumer did not ack: ${JSON.stringify(outcome)}`);
  const image = (await app(`/api/images/${started.body.image.id}`, { cookie })).body.image;
  if (image.status !== "COMPLETED") throw new Error(`image ended ${image.status}: ${JSON.stringify(image).slice(0, 500)}`);
  if (stub.n !== 1) throw new Error(`expected one provider call, saw ${stub.n}`);
  return { queueMs: t1 - t0, generateRouteMs: g1 - g0, calls, stub, width: image.width, height: image.height };
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    try {
      envFor(env);
      if (url.pathname === "/setup" && request.method === "POST") {
        answers.set(url.searchParams.get("answer"), await request.text());
        return Response.json({ ok: true });
      }
      if (url.pathname === "/run") {
        answer = answers.get(url.searchParams.get("answer"));
        if (answer === undefined) return new Response("unknown answer", { status: 400 });
        const n = Math.min(Math.max(Number(url.searchParams.get("n") ?? 10), 1), 50);
        const samples = [];
        for (let i = 0; i < n; i++) samples.push(await oneGeneration());
        return Response.json({ samples });
      }
      return new Response("not found", { status: 404 });
    } catch (e) {
      return Response.json({ error: String(e?.stack ?? e) }, { status: 500 });
    }
  },
};
