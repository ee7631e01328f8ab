// Bad input gets the contract's error envelope, in the caller's language, and the Worker keeps serving.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./support/worker.js";

let worker;
before(async () => (worker = await startWorker()));
after(async () => worker?.stop());

const json = (body, headers = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", origin: worker.url, ...headers },
  body,
});

async function expectError(res, status, code) {
  assert.equal(res.status, status);
  assert.match(res.headers.get("content-type"), /application\/json/);
  const body = await res.json();
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, "string");
  assert.ok(body.error.message.length > 0);
  return body;
}

test("malformed JSON is 400", async () => {
  await expectError(await worker.fetch("/api/_debug/echo", json("{not json")), 400, "BAD_REQUEST");
  await expectError(await worker.fetch("/api/_debug/echo", json("[1,2]")), 400, "BAD_REQUEST");
  await expectError(await worker.fetch("/api/_debug/echo", json("[".repeat(5000))), 400, "BAD_REQUEST");
});

test("well-formed JSON is echoed", async () => {
  const r = await worker.fetch("/api/_debug/echo", json(JSON.stringify({ a: "ü", n: 3 })));
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { echo: { a: "ü", n: 3 } });
});

test("a body over the JSON limit is 413", async () => {
  const big = JSON.stringify({ pad: "x".repeat(70 * 1024) });
  await expectError(await worker.fetch("/api/_debug/echo", json(big)), 413, "PAYLOAD_TOO_LARGE");
});

test("a body over the largest route limit is 413 without being buffered", async () => {
  const huge = new Uint8Array(10 * 1024 * 1024 + 200 * 1024);
  await expectError(await worker.fetch("/api/_debug/echo", json(huge)), 413, "PAYLOAD_TOO_LARGE");
});

test("a non-JSON content type is 415", async () => {
  const r = await worker.fetch("/api/_debug/echo", { method: "POST", headers: { "content-type": "text/plain", origin: worker.url }, body: "{}" });
  await expectError(r, 415, "UNSUPPORTED_MEDIA_TYPE");
});

test("unknown route is 404 and wrong method is 405 with Allow", async () => {
  await expectError(await worker.fetch("/api/nope"), 404, "NOT_FOUND");
  const r = await worker.fetch("/api/health", { method: "DELETE" });
  await expectError(r, 405, "METHOD_NOT_ALLOWED");
  assert.equal(r.headers.get("allow"), "GET");
});

test("a D1 error is 500 with the request id and no raw error text", async () => {
  const r = await worker.fetch("/api/_debug/bad-sql");
  const body = await expectError(r, 500, "INTERNAL");
  assert.equal(body.error.requestId, r.headers.get("x-request-id"));
  assert.doesNotMatch(JSON.stringify(body), /no_such_table|SQLITE|D1_ERROR/i);
  assert.equal((await worker.fetch("/api/health")).status, 200);
});

test("messages follow Accept-Language", async () => {
  const es = await worker.fetch("/api/nope", { headers: { "accept-language": "es-MX,es;q=0.9,en;q=0.5" } });
  const body = await expectError(es, 404, "NOT_FOUND");
  assert.equal(body.error.message, "Ese recurso no existe.");
  const en = await worker.fetch("/api/nope", { headers: { "accept-language": "fr-FR" } });
  assert.equal((await en.json()).error.message, "No such endpoint.");
});
