// One soak run: the Worker under wrangler dev with the fake Gemini and the fake Google, mixed load
// from many users with faults injected, then quiet, then the invariants. run.js is the command line;
// the self-test (selftest.test.js) drives the same pieces with a small load and a corrupted state.
import { startWorker } from "../integration/support/worker.js";
import { Client } from "../integration/support/client.js";
import { promptSchedule, startFakeGemini } from "../fakes/gemini.js";
import { startFakeGoogle } from "../fakes/google.js";
import { faultKind } from "./faults.js";
import { checkState, poolIsIdle } from "./invariants.js";
import { Soak } from "./load.js";
import { Recorder, summaryLine } from "./recorder.js";
import { readSnapshot } from "./state.js";
import { makeUploadKinds } from "./uploads.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const MiB = 1024 * 1024;

// The Worker's knobs for the soak: short retry delays and a short provider timeout so faults resolve
// within the run; a lease and a stuck time short enough that a trapped job is taken over or swept
// while the soak waits for quiet.
export const SOAK_VARS = {
  DEBUG_ROUTES: "true",
  GENERATION_RETRY_BASE_SECONDS: "1",
  GENERATION_RETRY_MAX_SECONDS: "2",
  GEMINI_TIMEOUT_MS: "2000",
  GENERATION_LEASE_SECONDS: "10",
  GENERATION_STUCK_SECONDS: "20",
};
const IDLE_CAP_BYTES = 16 * MiB;  // js-shim/isolate_memory.js: WASM_IDLE_BYTES' default

// Starts everything; returns the context the other steps take.
export async function startSoak({ log = () => {} } = {}) {
  const gemini = await startFakeGemini();
  const google = await startFakeGoogle();
  log("soak: starting wrangler dev");
  const worker = await startWorker({
    vars: { ...SOAK_VARS, GEMINI_API_KEY: gemini.apiKey, GEMINI_API_BASE: gemini.url, ...google.workerVars() },
    testScheduled: true,
  });
  google.registerWorker(worker.url);
  const recorder = new Recorder();
  const admin = { client: new Client(worker.url), ip: "10.99.0.1", id: null };
  const soak = new Soak({ worker, google, recorder, admin, uploads: await makeUploadKinds() });
  const signedIn = await soak.req(admin, "sign-in", "POST", "/api/auth/dev-login", { body: { email: "admin@example.com" } });
  if (signedIn.status !== 200) throw new Error(`admin dev-login answered ${signedIn.status}: ${signedIn.text}`);
  admin.id = signedIn.body.user.id;
  const ctx = { gemini, google, worker, recorder, soak, admin, providerCalls: 0 };
  ctx.stop = async () => {
    await worker.stop();
    await gemini.close();
    await google.close();
  };
  return ctx;
}

// Counts the provider faults the fake really answered with, and forgets answered requests (their
// bodies carry reference images: a 10-minute run would otherwise keep every one).
export function drainProviderRecords(ctx) {
  const { gemini, recorder } = ctx;
  const waiting = [];
  for (const r of gemini.requests) {
    if (r.answeredStatus === undefined) {
      waiting.push(r);
      continue;
    }
    ctx.providerCalls++;
    if (r.scheduledStep === undefined) continue;
    const prompt = r.body.contents[0].parts.find((p) => typeof p.text === "string").text;
    const kind = faultKind(promptSchedule(prompt)[r.scheduledStep]);
    if (kind) recorder.fault(kind);
  }
  gemini.requests.splice(0, gemini.requests.length, ...waiting);
  gemini.images.length = 0;
  return waiting.length;
}

export async function runLoad(ctx, { users, lanes, seconds, log = () => {} }) {
  const started = Date.now();
  await ctx.soak.addUsers(users, 0.2);
  log(`soak: ${ctx.soak.users.length} users signed in in ${Date.now() - started} ms; load for ${seconds} s on ${lanes} lanes`);
  const timer = setInterval(() => drainProviderRecords(ctx), 2000);
  try {
    await ctx.soak.run({ lanes, deadline: Date.now() + seconds * 1000 });
  } finally {
    clearInterval(timer);
  }
}

const pool = async (ctx) => (await fetch(`${ctx.worker.url}/api/_debug/pool`)).json();

// Waits until nothing is left running: no open hold, no PENDING/PROCESSING image, no provider call in
// flight, no borrowed instance, three polls in a row. Queue messages left for deleted images end
// without a provider call; sweeps and cron ticks run every few polls so a job whose delivery trapped
// is swept once it is overdue, as the cron would in production.
export async function waitForQuiet(ctx, { timeoutMs = 150_000, log = () => {} } = {}) {
  const deadline = Date.now() + timeoutMs;
  let calm = 0;
  let last;
  for (let poll = 1; ; poll++) {
    const inFlight = drainProviderRecords(ctx);
    // The Worker may be writing while this reads: a read that fails only means "not quiet yet".
    let open = -1;
    let pending = -1;
    try {
      const s = readSnapshot(ctx.worker.stateDir);
      open = s.jobs.filter((j) => j.hold === "open").length;
      pending = s.images.filter((i) => i.status === "PENDING" || i.status === "PROCESSING").length;
    } catch (e) {
      log(`soak: state not readable yet: ${e.message}`);
    }
    const p = await pool(ctx);
    last = { open, pending, providerInFlight: inFlight, live: p.live, idle: p.idle, waiting: p.waiting };
    calm = open === 0 && pending === 0 && inFlight === 0 && p.live === p.idle && p.waiting === 0 ? calm + 1 : 0;
    if (calm >= 3) return { quiet: true, last };
    if (Date.now() > deadline) return { quiet: false, last };
    if (poll % 5 === 0) {
      log(`soak: waiting for quiet ${JSON.stringify(last)}`);
      await ctx.soak.sweep();
      await ctx.soak.cronTick();
    }
    await sleep(2000);
  }
}

// Every invariant over the quiet state; returns the violations (the Recorder's own included).
export async function check(ctx, { minUsers = 50, minInFlight = 8 } = {}) {
  const violations = [...ctx.recorder.violations];
  violations.push(...checkState(readSnapshot(ctx.worker.stateDir)));
  // Instances come back to the pool a moment after their reply: a few tries before judging.
  let p;
  for (let i = 0; i < 10; i++) {
    p = await pool(ctx);
    if (poolIsIdle(p, IDLE_CAP_BYTES).length === 0) break;
    await sleep(500);
  }
  violations.push(...poolIsIdle(p, IDLE_CAP_BYTES));
  // A soak that did not load the Worker as it claims proves nothing.
  if (ctx.soak.users.length < minUsers) violations.push({ invariant: "the soak ran enough users", users: ctx.soak.users.length, minUsers });
  if (ctx.recorder.peakInFlight < minInFlight) {
    violations.push({ invariant: "the soak kept enough requests in flight", peak: ctx.recorder.peakInFlight, minInFlight });
  }
  return violations;
}

// A violation, then the Worker's log lines that mention its image, user or key.
export function describe(v, logs) {
  const needle = v.imageId ?? v.key ?? v.requestId ?? null;
  const lines = needle ? logs.join("").split("\n").filter((l) => l.includes(needle)).slice(-6) : [];
  return `violation: ${JSON.stringify(v)}${lines.map((l) => `\n    log: ${l.slice(0, 400)}`).join("")}`;
}

export { summaryLine };
