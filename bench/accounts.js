// `make bench-accounts` (issue 3): what signing in and being signed in cost, beside the foundation's
// baseline, all in one run against the real Worker:
//   callback, returning user  GET /api/auth/google/callback?code&state for a user who exists: state and
//                             PKCE verifier from KV, token exchange (outbound fetch to the fake Google
//                             of tests/fakes/google.js), RS256 ID-token check in C++ through WebCrypto
//                             (JWKS from its KV cache), user found in D1, session written to KV;
//   callback, new user        the same with a first-time identity: the user and the signup bonus are
//                             created in D1;
//   GET /api/me               with a session cookie (session from KV, user from D1);
//   GET /api/health           of the C++ Worker and of the plain-JS Worker bench/js-baseline/ (the
//                             foundation's baseline, measured again here so the figures share a machine
//                             state).
// Each callback sample gets its own fresh sign-in start (GET /api/auth/google/login, then the fake's
// authorize redirect), untimed; only the callback request is timed. Sequential (concurrency 1) keep-alive
// loopback requests; the kinds alternate round by round, the order reversed every other round (A-B-B-A).
// Machinery from the foundation bench (bench/lib): one Miniflare host process for both Workers, bundles
// from `wrangler deploy --dry-run`, the quiet-machine wait. The sign-in rate limiter and the Google
// endpoints are set for the bench host only (vars/bindings passed at startup), never in wrangler.toml.
// Writes bench/results/accounts.json. Knobs (environment):
//   BENCH_REQUESTS=2000 (per GET kind)  BENCH_SIGNINS=300 (per callback kind)  BENCH_WARMUP=50
//   BENCH_ROUNDS=4  BENCH_QUIET_WAIT_S=120  BENCH_TIME_LIMIT_S=900
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startFakeGoogle, generateSigningKey, signIdToken } from "../tests/fakes/google.js";
import { ROOT, checkCompat, childPids, cpuMs, log, prepare, startHost } from "./lib/harness.js";
import { getOnce, makeAgent, median, summarize } from "./lib/load.js";
import { foreignMeter, waitForQuiet } from "./lib/quiet.js";

const RESULTS = path.join(ROOT, "bench/results/accounts.json");
const int = (name, dflt, min = 1) => {
  const v = Number(process.env[name] ?? dflt);
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer >= ${min}`);
  return v;
};
const OPTS = {
  requests: int("BENCH_REQUESTS", 2000),
  signIns: int("BENCH_SIGNINS", 300),
  warmup: int("BENCH_WARMUP", 50),
  rounds: int("BENCH_ROUNDS", 4),
  quietWaitS: int("BENCH_QUIET_WAIT_S", 120, 0),
  timeLimitS: int("BENCH_TIME_LIMIT_S", 900),
};
const DEADLINE = Date.now() + OPTS.timeLimitS * 1000;
const TIMEOUT_MS = 10_000;
// Generous: every sample is one login and one callback from the same loopback address.
const SIGN_IN_LIMIT = 1_000_000;

let host = null;
let google = null;

// "name=value" of the cookie `name` among a response's Set-Cookie headers, or null.
function cookieFrom(response, name) {
  for (const line of response.headers["set-cookie"] ?? []) {
    const pair = line.split(";")[0];
    if (pair.startsWith(`${name}=`) && pair.length > name.length + 1) return pair;
  }
  return null;
}

function expect(ok, what, r) {
  if (!ok) throw new Error(`${what}: status ${r.status} ${r.body.slice(0, 300)}`);
}

// The timed kinds. Each returns one latency in ms (and throws on a wrong answer).
function makeKinds(url, agents) {
  let healthBody = null;
  let newUsers = 0;
  let session = null; // a returning user's session, for /api/me
  const returning = { sub: "bench-returning-1", email: "returning@example.com", given_name: "Re", family_name: "Turning", locale: "en" };

  async function signIn(identity) {
    google.setIdentity(identity);
    const login = await getOnce(agents.cpp, `${url.cpp}/api/auth/google/login?redirect=%2F`, TIMEOUT_MS);
    const oauth = cookieFrom(login, "nb_oauth");
    expect(login.status === 302 && oauth, "login", login);
    const authorize = await getOnce(agents.google, login.headers.location, TIMEOUT_MS);
    expect(authorize.status === 302, "fake authorize", authorize);
    const callback = await getOnce(agents.cpp, authorize.headers.location, TIMEOUT_MS, { cookie: oauth });
    const sessionCookie = cookieFrom(callback, "__Host-nb_session");
    expect(callback.status === 302 && sessionCookie, "callback", callback);
    return { ms: callback.ms, sessionCookie };
  }

  const health = (key) => async () => {
    const r = await getOnce(agents[key], `${url[key]}/api/health`, TIMEOUT_MS);
    healthBody ??= r.body;
    expect(r.status === 200 && r.body === healthBody, `${key} /api/health (bodies must agree)`, r);
    return r.ms;
  };
  return {
    healthJs: health("js"),
    healthCpp: health("cpp"),
    me: async () => {
      session ??= (await signIn(returning)).sessionCookie;
      const r = await getOnce(agents.cpp, `${url.cpp}/api/me`, TIMEOUT_MS, { cookie: session });
      expect(r.status === 200 && r.body.includes('"returning@example.com"'), "/api/me", r);
      return r.ms;
    },
    callbackReturning: async () => (await signIn(returning)).ms,
    callbackNew: async () => {
      const n = ++newUsers;
      return (await signIn({ sub: `bench-new-${n}`, email: `new-${n}@example.com`, given_name: "New", family_name: `User ${n}`, locale: "en" })).ms;
    },
  };
}

const LABELS = {
  callbackReturning: "GET /api/auth/google/callback (returning user)",
  callbackNew: "GET /api/auth/google/callback (new user)",
  me: "GET /api/me (session cookie)",
  healthCpp: "GET /api/health, C++ Worker",
  healthJs: "GET /api/health, plain-JS Worker (baseline)",
};

// What the fake Google adds to a callback by itself: one RS256 signature per token answer, made in
// this process while the Worker waits.
function fakeSigningMs() {
  const key = generateSigningKey();
  const claims = { iss: "https://accounts.google.com", sub: "1", aud: "x", iat: 0, exp: 1 };
  for (let i = 0; i < 20; i++) signIdToken(claims, { key });
  const times = [];
  for (let i = 0; i < 200; i++) {
    const t = process.hrtime.bigint();
    signIdToken(claims, { key });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(times);
}

const fmt = (v) => (Number.isFinite(v) ? v.toFixed(2) : "-");

async function main() {
  const startedAt = new Date();
  const compat = checkCompat();
  google = await startFakeGoogle({ jwksMaxAge: 3600 });
  const { state, workers } = await prepare({ only: ["cpp", "js"] });
  const cppWorker = workers.find((w) => w.key === "cpp");
  cppWorker.vars = google.workerVars();
  cppWorker.ratelimitLimit = SIGN_IN_LIMIT;
  log("starting Miniflare");
  host = await startHost({ state, workers });
  const url = { cpp: host.urls[cppWorker.name], js: host.urls[workers.find((w) => w.key === "js").name] };
  google.registerWorker(url.cpp);
  const workerd = childPids(host.pid, "workerd");
  const agents = { cpp: makeAgent(1), js: makeAgent(1), google: makeAgent(1) };
  const kinds = makeKinds(url, agents);
  const counts = { callbackReturning: OPTS.signIns, callbackNew: OPTS.signIns, me: OPTS.requests, healthCpp: OPTS.requests, healthJs: OPTS.requests };
  const order = Object.keys(counts);

  log(`warm-up: ${OPTS.warmup} of each kind`);
  for (const k of order) for (let i = 0; i < OPTS.warmup; i++) await kinds[k]();
  const jwksAfterWarmup = google.jwksFetches;

  const quietShare = await waitForQuiet(host.pid, workerd, OPTS.quietWaitS);
  const meter = foreignMeter(host.pid, workerd);
  const acc = Object.fromEntries(order.map((k) => [k, { latencies: [], wallMs: 0, cpuMs: 0, rounds: [] }]));
  for (let round = 0; round < OPTS.rounds; round++) {
    for (const k of round % 2 ? [...order].reverse() : order) {
      const n = Math.ceil(counts[k] / OPTS.rounds);
      const lat = [];
      const cpu0 = cpuMs(workerd);
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) {
        lat.push(await kinds[k]());
        if (Date.now() > DEADLINE) throw new Error("time limit: raise BENCH_TIME_LIMIT_S or lower BENCH_REQUESTS/BENCH_SIGNINS");
      }
      const wall = Number(process.hrtime.bigint() - t0) / 1e6;
      const cpu = cpuMs(workerd) - cpu0;
      acc[k].latencies.push(...lat);
      acc[k].wallMs += wall;
      acc[k].cpuMs += cpu;
      const s = summarize(lat, wall);
      acc[k].rounds.push({ p50: s.p50, p99: s.p99 });
      log(`  round ${round + 1}/${OPTS.rounds} ${k.padEnd(17)} p50 ${fmt(s.p50)} ms  p99 ${fmt(s.p99)} ms  (n=${n})`);
    }
  }
  const foreignShare = meter();
  const jwksDuringRun = google.jwksFetches - jwksAfterWarmup;
  for (const a of Object.values(agents)) a.destroy();
  const logs = await host.stop();
  host = null;
  await google.close();
  google = null;

  const results = Object.fromEntries(order.map((k) => {
    const s = summarize(acc[k].latencies, acc[k].wallMs);
    return [k, { label: LABELS[k], count: s.count, p50: s.p50, p90: s.p90, p99: s.p99, min: s.min, max: s.max, mean: s.mean, rounds: acc[k].rounds,
      // For callbacks this includes the untimed login and authorize of each sample too.
      workerdCpuMsPerSample: acc[k].cpuMs / s.count }];
  }));
  const base = results.healthJs;
  const ratios = Object.fromEntries(order.map((k) => [k, { p50OverJsHealth: results[k].p50 / base.p50, p99OverJsHealth: results[k].p99 / base.p99 }]));
  const cpus = os.cpus();
  const out = {
    benchmark: "accounts",
    startedAt: startedAt.toISOString(),
    machine: { cores: cpus.length, cpu: cpus[0]?.model ?? "?", platform: `${os.platform()} ${os.release()}`,
      otherProcessesCpuShareBefore: quietShare, otherProcessesCpuShareDuring: foreignShare },
    versions: { node: process.versions.node },
    method: {
      runtime: "one programmatic Miniflare instance (bench/lib/host.js) running the C++ Worker (wrangler.toml --env dev) and bench/js-baseline from their `wrangler deploy --dry-run` bundles on loopback direct sockets",
      compatibilityDate: compat.date,
      client: "bench/accounts.js, node:http keep-alive, one request at a time; latency = request start to last body byte",
      fakeGoogle: "tests/fakes/google.js in the bench process (RS256, 2048-bit key)",
      callbackSample: "fresh GET /api/auth/google/login + fake authorize per sample (untimed), then the callback (timed)",
      signInRateLimitForBench: SIGN_IN_LIMIT,
      rounds: OPTS.rounds,
      order: "kinds alternate, order reversed every other round (A-B-B-A)",
      warmupPerKind: OPTS.warmup,
      jwksFetchesDuringTimedRun: jwksDuringRun,
      fakeGoogleRs256SignMedianMs: fakeSigningMs(),
    },
    results,
    ratios,
    workerLogs: logs,
  };
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(out, null, 2)}\n`);

  const rows = [["", "n", "p50 ms", "p90 ms", "p99 ms", "p50 / JS health"]];
  for (const k of order) {
    const r = results[k];
    rows.push([r.label, r.count, fmt(r.p50), fmt(r.p90), fmt(r.p99), `${fmt(ratios[k].p50OverJsHealth)}x`]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const lines = rows.map((r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  "));
  process.stdout.write(`\nAccounts benchmark — ${cpus.length} cores (${out.machine.cpu}), node ${process.versions.node}\n\n${lines.join("\n")}\n\n` +
    `fake Google's RS256 signing per token answer: ${fmt(out.method.fakeGoogleRs256SignMedianMs)} ms (inside the callback time); ` +
    `JWKS fetches during the timed run: ${jwksDuringRun}; other processes used ${(100 * foreignShare).toFixed(0)}% of the CPU meanwhile.\n` +
    `Written to ${path.relative(ROOT, RESULTS)}\n`);
}

main().catch(async (e) => {
  process.stderr.write(`bench: ${e?.stack ?? e}\n`);
  if (host) await host.stop().catch(() => {});
  if (google) await google.close().catch(() => {});
  process.exit(1);
});
