// The shim's memory accounting on its own, with fake instances (no Worker): the budget is first come
// first served with a bounded wait, the pool takes memory before it runs a request, drops instances
// that grew past the threshold, keeps idle memory under its cap, gives idle memory up to a borrower,
// and counts growth nobody reserved.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BudgetBusy, MemoryBudget } from "../../js-shim/memory_budget.js";
import { InstancePool, PoolBusy } from "../../js-shim/instance_pool.js";
import { IsolateMemory } from "../../js-shim/isolate_memory.js";

const MiB = 1024 * 1024;

test("the budget serves waiters in order, and a wait past its deadline is BudgetBusy", async () => {
  const budget = new MemoryBudget("t", 10);
  await budget.take(8, 1000);
  const order = [];
  const big = budget.take(6, 1000).then(() => order.push("big"));
  const small = budget.take(1, 1000).then(() => order.push("small"));  // fits now, but waits its turn
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(order, []);
  budget.give(8);
  await Promise.all([big, small]);
  assert.deepEqual(order, ["big", "small"]);
  assert.equal(budget.used, 7);
  await assert.rejects(budget.take(5, 30), BudgetBusy);
  await assert.rejects(budget.take(11, 10_000), BudgetBusy);  // can never fit: refused at once
  assert.equal(budget.used, 7);
  assert.equal(budget.waiters.length, 0);
});

test("a waiter that times out does not block a smaller one behind it", async () => {
  const budget = new MemoryBudget("t", 10);
  await budget.take(5, 1000);
  const big = budget.take(8, 30);
  const small = budget.take(4, 1000);
  await assert.rejects(big, BudgetBusy);
  await small;
  assert.equal(budget.used, 9);
});

// A stand-in for WasmInstance: a WebAssembly.Memory that grows by what the request says.
class FakeInstance {
  constructor(pages) {
    this.memory = new WebAssembly.Memory({ initial: pages });
    this.held = 0;
  }
  memoryBytes() {
    return this.memory.buffer.byteLength;
  }
  grow(bytes) {
    this.memory.grow(Math.ceil(bytes / 65536));
  }
}

function setup({ total = 40 * MiB, idle = 8 * MiB, keepBelow = 6 * MiB, waitMs = 200, max = 8, maxWaiters, poolWaitMs } = {}) {
  const isolate = new IsolateMemory({ total, codecLane: 0, idleBytes: idle, keepBelowBytes: keepBelow, waitMs });
  const pool = new InstancePool(() => new FakeInstance(64), { max, memory: isolate, newInstanceBytes: 4 * MiB, maxWaiters, waitMs: poolWaitMs });
  return { isolate, pool };
}

test("an instance that grew past the threshold is dropped after its request, and the peak is exact", async () => {
  const { isolate, pool } = setup();
  await pool.use((i) => i.grow(12 * MiB), { expectBytes: 12 * MiB });
  assert.equal(pool.stats().idle, 0);
  assert.equal(pool.stats().dropped, 1);
  assert.equal(isolate.app.used, 0);
  assert.equal(isolate.stats().wasmBytes, 0);
  assert.equal(isolate.peak, 16 * MiB);  // 4 MiB at birth + 12 MiB grown
  await pool.use(() => {});
  assert.equal(pool.stats().idle, 1);
  assert.equal(isolate.app.used, 4 * MiB);  // an idle instance holds what it is
});

test("idle instances stay under the idle cap and give their memory up to a borrower", async () => {
  const { isolate, pool } = setup({ total: 20 * MiB, idle: 8 * MiB });
  await Promise.all([1, 2, 3].map(() => pool.use(() => new Promise((r) => setTimeout(r, 10)))));
  assert.equal(pool.stats().idle, 2);  // 3 x 4 MiB made, 8 MiB may idle
  assert.equal(isolate.app.used, 8 * MiB);
  // 14 MiB more than an idle instance has: only fits once the other idle one is dropped.
  await pool.use((i) => i.grow(14 * MiB), { expectBytes: 14 * MiB });
  assert.equal(pool.stats().idle, 0);
  assert.equal(isolate.app.used, 0);
  assert.ok(isolate.peak <= 20 * MiB, `${isolate.peak}`);
});

test("a borrower that cannot get its memory in time gets BudgetBusy and nothing runs", async () => {
  const { isolate, pool } = setup({ total: 20 * MiB, waitMs: 50 });
  let release;
  const holder = pool.use(() => new Promise((r) => (release = r)), { expectBytes: 14 * MiB });
  await new Promise((r) => setTimeout(r, 10));
  let ran = false;
  await assert.rejects(pool.use(() => (ran = true), { expectBytes: 8 * MiB }), BudgetBusy);
  assert.equal(ran, false);
  release();
  await holder;
  assert.equal(pool.stats().waiting, 0);
  await pool.use(() => (ran = true), { expectBytes: 8 * MiB });
  assert.equal(ran, true);
  assert.ok(isolate.peak <= 20 * MiB);
});

test("growth beyond the reservation is counted, not hidden", async () => {
  const { isolate, pool } = setup();
  await pool.use((i) => {
    i.grow(3 * MiB);  // reserved nothing for it
    isolate.settle(i);
    assert.equal(isolate.app.used, 7 * MiB);
  });
  assert.equal(isolate.app.used, 0);  // dropped: 7 MiB > keepBelow
});

test("the pool's waiters are bounded: past the bound, PoolBusy at once and nothing runs", async () => {
  const { isolate, pool } = setup({ max: 2, maxWaiters: 3, poolWaitMs: 5_000 });
  let release;
  const gate = new Promise((r) => (release = r));
  const ran = [];
  const holders = [1, 2].map((i) => pool.use(async () => { ran.push(i); await gate; }));
  const waiting = [3, 4, 5].map((i) => pool.use(async () => { ran.push(i); }));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(pool.stats().waiting, 3);
  const refused = pool.use(async () => ran.push(6));
  await assert.rejects(refused, PoolBusy);
  await assert.rejects(pool.use(async () => ran.push(7)), (e) => e instanceof PoolBusy && e.kind === "unavailable");
  assert.equal(pool.stats().refused, 2);
  release();
  await Promise.all([...holders, ...waiting]);
  assert.deepEqual(ran.sort(), [1, 2, 3, 4, 5]);
  assert.deepEqual([pool.stats().live, pool.stats().waiting], [pool.stats().idle, 0]);
  // Every refused borrower gave its memory back: only the idle instances hold any.
  assert.equal(isolate.app.used, pool.idle.reduce((sum, i) => sum + i.memoryBytes(), 0));
});

test("a waiter past the pool's deadline gets PoolBusy and leaves the line", async () => {
  const { isolate, pool } = setup({ max: 1, poolWaitMs: 50 });
  let release;
  const gate = new Promise((r) => (release = r));
  const holder = pool.use(() => gate);
  const started = Date.now();
  let ran = false;
  await assert.rejects(pool.use(async () => { ran = true; }), PoolBusy);
  assert.ok(Date.now() - started >= 45);
  assert.equal(pool.stats().waiting, 0);
  assert.equal(ran, false);
  release();
  await holder;
  // The slot the timed-out waiter would have had is free for the next borrower.
  await pool.use(async () => { ran = true; });
  assert.equal(ran, true);
  assert.equal(pool.stats().live, pool.stats().idle);
  assert.equal(isolate.app.used, pool.idle.reduce((sum, i) => sum + i.memoryBytes(), 0));
});

test("a failed request drops its instance", async () => {
  const { isolate, pool } = setup();
  await assert.rejects(pool.use(() => { throw new Error("trap"); }), /trap/);
  assert.deepEqual([pool.stats().live, pool.stats().idle, isolate.app.used], [0, 0, 0]);
});

test("a burst larger than both the slots and the memory completes: no borrower waits on another", async () => {
  // 40 borrowers, 6 slots, memory for 4 new instances at once: borrowers that hold an instance must
  // never wait for memory held by borrowers that wait for an instance (the deadlock this order avoids).
  const { isolate, pool } = setup({ total: 24 * MiB, idle: 8 * MiB, max: 6, waitMs: 5_000 });
  const done = await Promise.all(Array.from({ length: 40 }, (_, i) =>
    pool.use(() => new Promise((r) => setTimeout(() => r(i), 2)), { expectBytes: 1 * MiB })));
  assert.equal(done.length, 40);
  assert.equal(pool.stats().waiting, 0);
  assert.ok(isolate.peak <= 24 * MiB, `${isolate.peak}`);
  assert.equal(isolate.app.used, pool.stats().idle * 4 * MiB);
});

// In workerd, clearTimeout only reaches timers of the request that calls it: when one request's give()
// grants another request's waiter, that waiter's timer is not cancelled and still fires. It must then do
// nothing, not evict whichever waiter is last in line (splice(-1, 1)).
test("a granted waiter's timer that still fires evicts nobody", async () => {
  const realClear = globalThis.clearTimeout;
  globalThis.clearTimeout = () => {};  // as in workerd across requests
  try {
    const budget = new MemoryBudget("t", 10);
    await budget.take(10, 1000);
    const granted = budget.take(4, 40);  // its timer fires at 40 ms, after it was granted
    await new Promise((r) => setTimeout(r, 5));
    budget.give(4);
    await granted;
    const innocent = budget.take(6, 1000);  // waits behind the 6 still taken... and must keep waiting
    let outcome = "waiting";
    innocent.then(() => (outcome = "granted"), () => (outcome = "evicted"));
    await new Promise((r) => setTimeout(r, 80));  // the granted waiter's stale timer has fired
    assert.equal(outcome, "waiting");
    assert.equal(budget.waiters.length, 1);
    budget.give(6);
    await innocent;
    assert.equal(outcome, "granted");
  } finally {
    globalThis.clearTimeout = realClear;
  }
});
