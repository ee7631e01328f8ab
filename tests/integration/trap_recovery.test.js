// A trap inside background work (a queue delivery, a cron tick) must not lose money: the instance is
// dropped like any trapped one, and the coins held for the generation still come back. Fault injection
// is DEBUG_ROUTES-only (src/util/debug_trap.h): POST /api/_debug/traps arms a point, and the point
// records which instance trapped there.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./support/worker.js";
import { Client } from "./support/client.js";
import { startFakeGemini } from "../fakes/gemini.js";

const STUCK_SECONDS = 3;
let worker, gemini, admin;

before(async () => {
  gemini = await startFakeGemini();
  worker = await startWorker({
    vars: {
      DEBUG_ROUTES: "true",
      GEMINI_API_KEY: gemini.apiKey,
      GEMINI_API_BASE: gemini.url,
      GENERATION_RETRY_BASE_SECONDS: "0",
      GENERATION_RETRY_MAX_SECONDS: "1",
      // A job with no progress for 3 s is the sweeper's; the default lease (300 s) keeps the trapped
      // delivery's claim, so only the sweeper can finish this job.
      GENERATION_STUCK_SECONDS: String(STUCK_SECONDS),
    },
    testScheduled: true,
  });
  admin = new Client(worker.url);
  await admin.devLogin("admin@example.com");
});
after(async () => {
  await worker?.stop();
  await gemini?.close();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitUntil(predicate, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${worker.logs.join("").slice(-3000)}`);
    await sleep(100);
  }
}

async function arm(point, mode) {
  const r = await admin.json("/api/_debug/traps", { method: "POST", body: { point, mode } });
  assert.equal(r.status, 204, JSON.stringify(r.body));
}
async function trappedAt(point) {
  const r = await admin.json(`/api/_debug/traps?point=${encodeURIComponent(point)}`);
  assert.equal(r.status, 200);
  return r.body.instances;
}
const pool = async () => (await worker.fetch("/api/_debug/pool")).json();
// wrangler dev --test-scheduled runs one cron tick per request here.
const cronTick = () => worker.fetch("/cdn-cgi/handler/scheduled?cron=*/5+*+*+*+*");

test("a trap mid-generation and a trap in the next cron tick: the coins still come back, once", async () => {
  const client = new Client(worker.url);
  const user = await client.devLogin(`trapped-${Date.now()}@example.com`);
  const before = await pool();

  gemini.on("trap in a job", { hangMs: 1500 });
  const r = await client.json("/api/images/generate", { method: "POST", body: { prompt: "trap in a job: a kettle" } });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  const id = r.body.image.id;
  // Armed while the delivery waits on Gemini: it holds the claim and the coins when it traps.
  await waitUntil(() => gemini.requestsFor("trap in a job").length === 1, "the delivery to reach Gemini");
  const claimedBy = gemini.requestsFor("trap in a job")[0].receivedAt;
  await arm(`job:${id}`, "always");
  await waitUntil(async () => (await trappedAt(`job:${id}`)).length === 1, "the delivery to trap");
  assert.equal((await client.json("/api/me")).body.user.coins, 90, "still held after the trap");

  // Past the job's deadline, a cron tick would sweep it; this one traps first.
  await sleep(Math.max(0, claimedBy + STUCK_SECONDS * 1000 + 500 - Date.now()));
  await arm("cron", "once");
  await cronTick();
  assert.equal((await trappedAt("cron")).length, 1, "the tick trapped");
  const held = (await client.json(`/api/images/${id}`)).body.image;
  assert.notEqual(held.status, "FAILED", "nothing swept by the trapped tick");
  assert.equal((await client.json("/api/me")).body.user.coins, 90);

  // The next tick runs on a healthy instance and refunds.
  await cronTick();
  const failed = (await client.json(`/api/images/${id}`)).body.image;
  assert.equal(failed.status, "FAILED");
  assert.equal(failed.error, "The generation took too long and was stopped. Your coins were refunded.");
  assert.equal((await client.json("/api/me")).body.user.coins, 100);
  const reasons = (await client.json("/api/me/transactions")).body.items.map((i) => i.reason);
  assert.deepEqual(reasons, ["refund", "hold", "signup_bonus"]);
  const audit = (await admin.json(`/api/_debug/users/${user.id}/generation-audit`)).body;
  assert.equal(audit.consistent, true, JSON.stringify(audit));
  assert.deepEqual(audit.openHolds, []);
  assert.equal(gemini.requestsFor("trap in a job").length, 1, "the trapped claim was not taken over");

  // Both trapped instances are gone: replaced, and never serving again.
  const trapped = [...(await trappedAt(`job:${id}`)), ...(await trappedAt("cron"))];
  const after = await pool();
  assert.ok(after.created - before.created >= trapped.length, JSON.stringify({ before, after }));
  const answers = await Promise.all(Array.from({ length: 12 }, () => worker.fetch("/api/_debug/instance").then((x) => x.json())));
  for (const { instanceId } of answers) assert.ok(!trapped.includes(instanceId), `trapped instance ${instanceId} served again`);
});
