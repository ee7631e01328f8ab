// The JSPI bridge under load and failure: concurrent suspending requests keep their own stacks, a trap
// costs one instance and one 500, and the pool stays bounded.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./support/worker.js";

let worker;
before(async () => (worker = await startWorker()));
after(async () => worker?.stop());

test("60 concurrent requests that each suspend six times all get their own answers", async () => {
  const tags = Array.from({ length: 60 }, (_, i) => `req-${i}-${Math.random().toString(36).slice(2)}`);
  const bodies = await Promise.all(
    tags.map(async (tag) => {
      const r = await worker.fetch(`/api/_debug/roundtrip?tag=${tag}`);
      assert.equal(r.status, 200);
      return r.json();
    }),
  );
  bodies.forEach((b, i) => {
    assert.deepEqual(b, { tag: tags[i], kv: tags[i], d1: tags[i], r2: tags[i], stackIntact: true });
  });
});

test("a trap answers 500 JSON with a request id and the next request succeeds", async () => {
  const r = await worker.fetch("/api/_debug/trap");
  assert.equal(r.status, 500);
  const body = await r.json();
  assert.equal(body.error.code, "INTERNAL");
  assert.equal(body.error.requestId, r.headers.get("x-request-id"));
  assert.doesNotMatch(JSON.stringify(body), /unreachable|RuntimeError|wasm/);
  const next = await worker.fetch("/api/health");
  assert.equal(next.status, 200);
});

test("traps interleaved with concurrent work do not disturb other requests", async () => {
  const work = Array.from({ length: 30 }, (_, i) =>
    worker.fetch(i % 3 === 0 ? "/api/_debug/trap" : `/api/_debug/roundtrip?tag=t${i}`).then(async (r) => ({
      i,
      status: r.status,
      body: await r.json(),
    })),
  );
  for (const { i, status, body } of await Promise.all(work)) {
    if (i % 3 === 0) assert.equal(status, 500);
    else assert.deepEqual(body, { tag: `t${i}`, kv: `t${i}`, d1: `t${i}`, r2: `t${i}`, stackIntact: true });
  }
});

test("the instance pool stays bounded after bursts and traps", async () => {
  await Promise.all(Array.from({ length: 80 }, (_, i) => worker.fetch(`/api/_debug/roundtrip?tag=b${i}`)));
  const stats = await (await worker.fetch("/api/_debug/pool")).json();
  assert.ok(stats.live <= stats.max, JSON.stringify(stats));
  assert.ok(stats.idle <= stats.max);
  assert.equal(stats.waiting, 0);
});

// Trap recovery, instance by instance, on a pool of one (WASM_POOL_MAX=1) so requests run one after
// another. Each answer names its instance (GET /api/_debug/instance); a trap records its own before it
// traps (/api/_debug/trap?tag=). The pool may also drop and replace instances for its own reasons
// (memory), so the count of instances created is checked against the instance changes actually seen.
test("every trapped instance is replaced, never serves again, and `created` counts the replacements", async () => {
  const single = await startWorker({ vars: { DEBUG_ROUTES: "true", WASM_POOL_MAX: "1" } });
  try {
    const instance = async () => {
      const r = await single.fetch("/api/_debug/instance");
      assert.equal(r.status, 200);
      return (await r.json()).instanceId;
    };
    const trapped = async (tag) => {
      const r = await single.fetch(`/api/_debug/traps?point=${encodeURIComponent(`http:${tag}`)}`);
      assert.equal(r.status, 200);
      return (await r.json()).instances;
    };
    const seen = [await instance()];
    const before = await (await single.fetch("/api/_debug/pool")).json();
    const TRAPS = 3;
    const trappedIds = [];
    for (let i = 0; i < TRAPS; i++) {
      const tag = `serial-${i}-${Date.now()}`;
      const r = await single.fetch(`/api/_debug/trap?tag=${tag}`);
      assert.equal(r.status, 500);
      const ids = await trapped(tag);
      assert.equal(ids.length, 1, `trap ${tag} recorded ${JSON.stringify(ids)}`);
      trappedIds.push(ids[0]);
      seen.push(ids[0]);
      const next = await instance();
      assert.notEqual(next, ids[0], "the request after a trap ran on the trapped instance");
      seen.push(next);
    }
    const after = await (await single.fetch("/api/_debug/pool")).json();
    assert.equal(new Set(trappedIds).size, TRAPS, "an instance trapped twice: it was reused after its first trap");
    // Each change of instance between consecutive answers is one instance created, and nothing else is.
    const changes = seen.slice(1).filter((id, i) => id !== seen[i]).length;
    assert.ok(changes >= TRAPS);
    assert.equal(after.created - before.created, changes, JSON.stringify({ before, after, seen }));
    assert.equal(after.live, 1);
    // A burst after the traps never lands on a trapped instance.
    const burst = await Promise.all(Array.from({ length: 12 }, instance));
    for (const id of burst) assert.ok(!trappedIds.includes(id), `trapped instance ${id} served again`);
  } finally {
    await single.stop();
  }
});
