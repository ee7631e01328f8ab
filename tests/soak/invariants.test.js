// The soak's checks, on hand-made snapshots: a consistent state passes, and each way of breaking it
// is reported as the invariant it breaks. (selftest.test.js does the same against a real Worker's
// persisted state.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { balanceMatchesLedger, checkState, jobsMatchOutcome, noOpenHolds, objectsMatchRows, poolIsIdle } from "./invariants.js";
import { Recorder } from "./recorder.js";

// Ana: 100 bonus, one completed generation (10), one failed and refunded, one upload.
function consistent() {
  return {
    users: [{ id: "u1", email: "ana@example.com", coins: 90 }],
    ledger: [
      { id: "l1", user_id: "u1", delta: 100, reason: "signup_bonus", image_id: null },
      { id: "l2", user_id: "u1", delta: -10, reason: "hold", image_id: "g1" },
      { id: "l3", user_id: "u1", delta: -10, reason: "hold", image_id: "g2" },
      { id: "l4", user_id: "u1", delta: 10, reason: "refund", image_id: "g2" },
    ],
    jobs: [
      { image_id: "g1", user_id: "u1", cost: 10, hold: "settled" },
      { image_id: "g2", user_id: "u1", cost: 10, hold: "refunded" },
    ],
    images: [
      { id: "g1", user_id: "u1", type: "GENERATED", status: "COMPLETED", storage_key: "k/g1", thumbnail_key: "k/g1t", size: 5, format: "png" },
      { id: "g2", user_id: "u1", type: "GENERATED", status: "FAILED", storage_key: null, thumbnail_key: null, size: null, format: null },
      { id: "p1", user_id: "u1", type: "UPLOADED", status: "COMPLETED", storage_key: "k/p1", thumbnail_key: "k/p1t", size: 7, format: "jpeg" },
    ],
    objects: [{ key: "k/g1", size: 5 }, { key: "k/g1t", size: 2 }, { key: "k/p1", size: 7 }, { key: "k/p1t", size: 3 }],
  };
}
const names = (violations) => violations.map((v) => v.invariant).sort();

test("a consistent state has no violation", () => {
  assert.deepEqual(checkState(consistent()), []);
});

test("a balance that is not the ledger's sum is reported with both figures", () => {
  const s = consistent();
  s.users[0].coins = 97;
  assert.deepEqual(balanceMatchesLedger(s), [{ invariant: "balance equals the sum of the ledger", userId: "u1",
    email: "ana@example.com", coins: 97, ledgerSum: 90 }]);
});

test("an open hold and a pending image after quiet are reported", () => {
  const s = consistent();
  s.jobs.push({ image_id: "g3", user_id: "u1", cost: 10, hold: "open" });
  s.images.push({ id: "g3", user_id: "u1", status: "PROCESSING" });
  assert.deepEqual(names(noOpenHolds(s)), ["no hold is left open", "no image is left pending"]);
});

test("a double charge, a missing or double refund and a settled-but-failed job are reported", () => {
  const s = consistent();
  s.ledger.push({ id: "l5", user_id: "u1", delta: -10, reason: "hold", image_id: "g1" });
  s.ledger.push({ id: "l6", user_id: "u1", delta: 10, reason: "refund", image_id: "g2" });
  assert.deepEqual(names(jobsMatchOutcome(s)), ["a generation is charged exactly once", "a generation is refunded exactly when it failed"]);
  const t = consistent();
  t.jobs[1].hold = "settled";
  assert.deepEqual(names(jobsMatchOutcome(t)), ["a failed image's coins are refunded", "a generation is refunded exactly when it failed"]);
  const u = consistent();
  u.ledger.push({ id: "l7", user_id: "u1", delta: -10, reason: "hold", image_id: "nojob" });
  assert.deepEqual(names(jobsMatchOutcome(u)), ["every hold and refund belongs to a generation"]);
});

test("a missing original or thumbnail, a wrong size and an orphan object are reported", () => {
  const s = consistent();
  s.objects = s.objects.filter((o) => o.key !== "k/g1t");
  s.objects.find((o) => o.key === "k/p1").size = 6;
  s.objects.push({ key: "k/orphan", size: 1 });
  s.images[2].thumbnail_key = null;  // a JPEG without a thumbnail
  s.objects = s.objects.filter((o) => o.key !== "k/p1t");
  assert.deepEqual(names(objectsMatchRows(s)), [
    "a completed image has its thumbnail in R2", "a completed image has its thumbnail in R2",
    "a completed image's original has its recorded size", "every R2 object has a row"]);
  const t = consistent();
  t.objects = t.objects.filter((o) => o.key !== "k/g1");
  assert.deepEqual(names(objectsMatchRows(t)), ["a completed image has its original in R2"]);
});

test("a busy pool or wasm memory over the idle cap is reported", () => {
  const idle = { live: 2, idle: 2, waiting: 0, wasmBytes: 4 << 20 };
  assert.deepEqual(poolIsIdle(idle, 16 << 20), []);
  assert.deepEqual(names(poolIsIdle({ ...idle, live: 3 }, 16 << 20)), ["the pool is back to idle"]);
  assert.deepEqual(names(poolIsIdle({ ...idle, waiting: 1 }, 16 << 20)), ["the pool is back to idle"]);
  assert.deepEqual(names(poolIsIdle({ ...idle, wasmBytes: 17 << 20 }, 16 << 20)), ["wasm memory is back under the idle cap"]);
});

test("a 5xx counts as a violation unless an injected fault explains it, and a dropped connection always does", async () => {
  const rec = new Recorder();
  const answer = (status) => async () => new Response(JSON.stringify({ error: { requestId: "r-1" } }),
    { status, headers: { "content-type": "application/json" } });
  await rec.call("read", "GET", "/api/me", answer(200));
  await rec.call("debug", "GET", "/api/_debug/trap", answer(500), { expectFault: "http-trap" });
  await rec.call("generate", "POST", "/api/images/generate", answer(503));
  await rec.call("read", "GET", "/api/me", async () => { throw new TypeError("fetch failed"); });
  assert.equal(rec.requests, 4);
  assert.deepEqual(rec.byClass, { read: 2, debug: 1, generate: 1 });
  assert.deepEqual(rec.faulted5xx, { "http-trap": 1 });
  assert.deepEqual(rec.violations.map((v) => [v.invariant, v.status ?? v.error]), [
    ["no 5xx without an injected fault", 503], ["every request is answered", "TypeError: fetch failed"]]);
  assert.equal(rec.violations[0].requestId, "r-1");
});
