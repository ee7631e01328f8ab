// GET /api/health and /api/config through the built Worker: real D1, R2 and KV round trips from C++.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./support/worker.js";
import { Client } from "./support/client.js";

let worker;
before(async () => (worker = await startWorker()));
after(async () => worker?.stop());

test("health answers 200 with every check ok", async () => {
  const r = await worker.fetch("/api/health");
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { ok: true, checks: { d1: "ok", r2: "ok", kv: "ok" } });
  assert.match(r.headers.get("x-request-id"), /^[0-9a-f-]{36}$/);
});

test("config follows the contract", async () => {
  const r = await worker.fetch("/api/config");
  assert.equal(r.status, 200);
  const c = await r.json();
  assert.equal(c.generationCost, 10);
  assert.equal(c.maxUploadBytes, 10485760);
  assert.deepEqual(c.languages, ["en", "es"]);
  assert.equal(c.devLogin, true);
  assert.equal(c.googleLogin, false);
  assert.ok(c.aspectRatios.includes("16:9") && c.aspectRatios.includes("1:1"));
});

test("D1, KV and R2 round trips return the request's own value", async () => {
  const r = await worker.fetch("/api/_debug/roundtrip?tag=hello-%C3%B1");
  assert.equal(r.status, 200);
  const body = await r.json();
  assert.deepEqual(body, { tag: "hello-ñ", kv: "hello-ñ", d1: "hello-ñ", r2: "hello-ñ", stackIntact: true });
});

test("integers beyond 2^53 are refused, not rounded", async () => {
  const read = await worker.fetch("/api/_debug/bigint");
  assert.equal(read.status, 500);
  const readBody = await read.json();
  assert.equal(readBody.error.code, "INTERNAL");
  assert.ok(readBody.error.requestId);
  const bind = await worker.fetch("/api/_debug/bind-bigint");
  assert.equal(bind.status, 400);
});

test("an INTEGER round-trips D1 exactly as an int64 through the typed rows, up to 2^53 - 1", async () => {
  for (const value of ["9007199254740991", "-9007199254740990", "9007199254740990", "0", "1700000000123"]) {
    const r = await worker.fetch(`/api/_debug/typed-row?value=${value}`);
    assert.equal(r.status, 200, value);
    const text = await r.text();
    // Compared as text, not as JavaScript numbers, so not even the test's own parsing can round.
    assert.match(text, new RegExp(`"value":${value}[,}]`), text);
    assert.match(text, new RegExp(`"below":${(BigInt(value) - 1n).toString()}[,}]`), text);
    const body = JSON.parse(text);
    assert.equal(body.type, "integer", "SQLite stored the bound value as an INTEGER");
    assert.equal(body.real, 2.5);
    assert.equal(body.nothingIsNull, true);
    assert.equal(body.realAsIntegerRefused, true);
  }
  // One past the safe range: refused on bind, never rounded into D1; and a result cell beyond it
  // (-(2^53 - 1) - 1, computed by SQLite) is refused on the way back, not rounded.
  assert.equal((await worker.fetch("/api/_debug/typed-row?value=9007199254740992")).status, 400);
  assert.equal((await worker.fetch("/api/_debug/typed-row?value=-9007199254740991")).status, 500);
});

test("health is read-only for anyone; the write round trip is admins' GET /api/admin/health", async () => {
  // Signed out: the admin check answers 401 and the public one still 200 (its reads: D1, R2 head, KV get).
  assert.equal((await worker.fetch("/api/admin/health")).status, 401);
  const user = new Client(worker.url);
  await user.devLogin("health-user@example.com");
  assert.equal((await user.fetch("/api/admin/health")).status, 403);
  const admin = new Client(worker.url);
  await admin.devLogin("admin@example.com");
  const r = await admin.fetch("/api/admin/health");
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { ok: true, checks: { d1: "ok", r2: "ok", kv: "ok" } });
  assert.equal(r.headers.get("cache-control"), "no-store");
});

test("reads issued together cross the bridge once and keep each result its own, in order", async () => {
  const r = await worker.fetch("/api/_debug/read-batch?tag=t%C3%B1");
  assert.equal(r.status, 200);
  const body = await r.json();
  assert.deepEqual(body.queries[0], { rows: 1, tag: "tñ" });
  assert.match(body.queries[1].error, /no_such_table|no such table/);
  assert.deepEqual(body.queries[2], { rows: 1, n: 7 });
  assert.deepEqual(body.objectHeads, [null, { size: Buffer.byteLength("r2 tñ") }]);
  assert.deepEqual(body.kvGets, ["kv tñ", null]);
});
