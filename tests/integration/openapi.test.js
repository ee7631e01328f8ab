// The API contract (api/openapi.json): the document is valid OpenAPI 3.1, every schema in it compiles
// under Ajv's strict mode, the response check used by every integration test (support/contract.js)
// does refuse what the document does not describe, every documented operation is routed by the
// Worker, and the Worker serves the document itself at GET /api/openapi.json.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Validator } from "@seriousme/openapi-schema-validator";
import { checkResponse, compileAll, ContractError, document, documentText, operationFor } from "./support/contract.js";
import { Client } from "./support/client.js";
import { startWorker } from "./support/worker.js";

const BASE = "http://worker.test";
const ID = "0123456789abcdef0123456789abcdef";
const user = {
  id: ID, email: "ada@example.com", firstName: "Ada", lastName: "L", fullName: "Ada L", roles: ["USER"],
  language: "en", coins: 100, createdAt: "2026-12-02T12:00:00.000Z",
};
const json = (body, status = 200, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
const envelope = (code, extra = {}) => ({ error: { code, message: "text", ...extra } });

async function refused(method, path, response, ...patterns) {
  await assert.rejects(checkResponse(method, BASE + path, response), (e) => {
    assert.ok(e instanceof ContractError, `expected a ContractError, got ${e}`);
    for (const pattern of patterns) assert.match(e.message, pattern);
    return true;
  });
}

test("the document is valid OpenAPI 3.1", async () => {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(document));
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  assert.equal(validator.version, "3.1");
});

test("every schema the document uses compiles under Ajv's strict mode, with every $ref resolved", () => {
  assert.ok(compileAll() > 100);
});

test("a response that matches the document passes and stays readable", async () => {
  const storage = { used: 0, quota: 1073741824 };
  const checked = await checkResponse("GET", `${BASE}/api/me`, json({ user, storage }));
  assert.deepEqual(await checked.json(), { user, storage });
  const unauthenticated = await checkResponse("GET", `${BASE}/api/me`, json(envelope("UNAUTHENTICATED"), 401));
  assert.equal(unauthenticated.status, 401);
  const bytes = await checkResponse("GET", `${BASE}/api/images/${ID}/content`, new Response(new Uint8Array([1, 2, 3]), {
    status: 200,
    headers: { "content-type": "image/png", "cache-control": "private, max-age=31536000, immutable", "content-disposition": 'inline; filename="a.png"' },
  }));
  assert.deepEqual([...new Uint8Array(await bytes.arrayBuffer())], [1, 2, 3]);
  // Static files of the web app are not the API's.
  const page = new Response("<!doctype html>", { headers: { "content-type": "text/html" } });
  assert.equal(await checkResponse("GET", `${BASE}/gallery`, page), page);
});

test("deliberately wrong responses fail the check, naming method, path, status and why", async () => {
  // Wrong shape: a field missing, another of the wrong type, one extra.
  await refused("GET", "/api/me", json({ user: { ...user, email: undefined, coins: "100", extra: 1 } }),
    /GET \/api\/me answered 200: the body does not match the schema/, /\/user must have required property 'email'/,
    /\/user\/coins must be integer/, /\/user must NOT have additional properties/);
  // A status the operation does not list.
  await refused("GET", "/api/me", json(envelope("CONFLICT"), 409), /GET \/api\/me answered 409: status 409 is not among the documented ones/);
  // An error code that is not the one its status implies.
  await refused("GET", `/api/images/${ID}`, json(envelope("CONFLICT"), 404), /\(\/api\/images\/\{id\}\) answered 404[\s\S]*\/error\/code must be equal to constant/);
  // INTERNAL without the request id.
  await refused("GET", "/api/config", json(envelope("INTERNAL"), 500), /must have required property 'requestId'/);
  // An undocumented content type.
  await refused("GET", "/api/config", new Response("<html>", { headers: { "content-type": "text/html" } }), /content type "text\/html" is not documented/);
  // A body that is not JSON where JSON is documented.
  await refused("GET", "/api/config", new Response("{", { headers: { "content-type": "application/json" } }), /the body is not JSON/);
  // A required header missing, and one with the wrong form.
  await refused("POST", "/api/images/generate", json(envelope("RATE_LIMITED"), 429), /required header Retry-After is missing/);
  await refused("POST", "/api/images/generate", json(envelope("RATE_LIMITED"), 429, { "retry-after": "soon" }), /header Retry-After: \["soon"\] does not match/);
  // A body where the document says there is none.
  await refused("DELETE", `/api/images/${ID}`, new Response("{}", { status: 200 }), /status 200 is not among/);
  await refused("GET", "/api/auth/google/login", new Response("moved", { status: 302, headers: { location: "https://accounts.example/", "set-cookie": "nb_oauth=x; Path=/api/auth/google; Max-Age=600; HttpOnly; Secure; SameSite=Lax" } }),
    /has no body/);
  // Paths and methods outside the document.
  await refused("GET", "/api/nope", json({ ok: true }), /GET \/api\/nope answered 200: the document does not list this path; expected 404/);
  await refused("DELETE", "/api/config", json(envelope("NOT_FOUND"), 404), /does not list this path with this method; expected 405/);
});

test("requests are matched to operations the way the router matches routes", () => {
  assert.equal(operationFor("GET", "/api/images/stats").template, "/api/images/stats");
  assert.equal(operationFor("GET", `/api/images/${ID}`).template, "/api/images/{id}");
  // POST /api/images/generate is literal; GET falls through to the image by id, as in the router.
  assert.equal(operationFor("POST", "/api/images/generate").template, "/api/images/generate");
  assert.equal(operationFor("GET", "/api/images/generate").template, "/api/images/{id}");
  assert.equal(operationFor("HEAD", "/api/config").method, "get");
  assert.deepEqual(Object.keys(operationFor("PUT", "/api/config").only), ["405"]);
  assert.deepEqual(Object.keys(operationFor("GET", "/api/nope").only), ["404"]);
});

let worker;
before(async () => (worker = await startWorker()));
after(async () => worker?.stop());

test("GET /api/openapi.json serves the repository's document, cacheable, with a strong ETag", async () => {
  const r = await worker.fetch("/api/openapi.json");
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("content-type"), "application/json; charset=utf-8");
  assert.equal(r.headers.get("cache-control"), "public, max-age=300");
  const etag = `"${createHash("sha256").update(documentText).digest("hex")}"`;
  assert.equal(r.headers.get("etag"), etag);
  assert.equal(await r.text(), documentText);

  const again = await worker.fetch("/api/openapi.json", { headers: { "if-none-match": etag } });
  assert.equal(again.status, 304);
  assert.equal(again.headers.get("etag"), etag);
  assert.equal(await again.text(), "");
  const stale = await worker.fetch("/api/openapi.json", { headers: { "if-none-match": '"0"' } });
  assert.equal(stale.status, 200);
});

// Every documented operation reaches a route: the Worker never answers it with its route-not-found
// 404 or a 405. (Each answer is checked against the document on the way, like any other.)
test("every operation in the document is routed by the Worker", async () => {
  const client = new Client(worker.url);
  const notFound = await client.json("/api/no-such-route");
  assert.equal(notFound.status, 404);
  const routeNotFound = notFound.body.error.message;
  let checked = 0;
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of ["get", "post", "put", "patch", "delete", "head"].filter((m) => item[m])) {
      if (template === "/api/_debug/trap") continue; // routed, but it drops the instance on purpose
      const path = template.replaceAll("{id}", ID);
      const write = !["get", "head"].includes(method);
      const r = await client.fetch(path, { method: method.toUpperCase(), ...(write ? { body: {} } : {}) });
      const text = method === "head" ? "" : await r.text();
      assert.notEqual(r.status, 405, `${method.toUpperCase()} ${template}: 405`);
      // The route-not-found answer is JSON; a routed HTML page's own 404 (/s/{token}) is not it.
      if (r.status === 404 && text && (r.headers.get("content-type") ?? "").includes("json")) {
        assert.notEqual(JSON.parse(text).error.message, routeNotFound, `${method.toUpperCase()} ${template} is not routed`);
      }
      checked++;
    }
  }
  assert.ok(checked >= 30, `only ${checked} operations`);
});
