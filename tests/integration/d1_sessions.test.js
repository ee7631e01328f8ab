// D1 read replication through the Sessions API (js-shim/d1_sessions.js), on with D1_READ_REPLICATION:
// every request runs in a D1 session started from the browser's bookmark cookie, so a person reads
// their own writes at once, and the bookmark cookie only ever moves forward. Miniflare has no replicas,
// so this checks the plumbing and read-your-writes, not replica lag.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./support/worker.js";
import { Client } from "./support/client.js";
import { multipart, png } from "./support/images.js";
import { bookmarkFrom, BOOKMARK_COOKIE, d1SessionFor } from "../../js-shim/d1_sessions.js";

let worker;
before(async () => {
  worker = await startWorker({ vars: { DEBUG_ROUTES: "true", D1_READ_REPLICATION: "true" } });
});
after(async () => worker?.stop());

test("read-your-writes through D1 sessions: an upload, a star and a delete are seen by the next GET", async () => {
  const client = new Client(worker.url);
  await client.devLogin("sessions@example.com");
  const { body, contentType } = multipart([{ name: "file", filename: "a.png", type: "image/png", data: png(8, 8) }]);
  const created = await client.json("/api/images", { method: "POST", headers: { "content-type": contentType }, body });
  assert.equal(created.status, 201);
  const id = created.body.image.id;
  const bookmark = client.cookies.get(BOOKMARK_COOKIE);
  if (bookmark !== undefined) assert.match(bookmark, /^[A-Za-z0-9._:-]{1,256}$/);
  assert.deepEqual((await client.json("/api/images")).body.items.map((i) => i.id), [id]);
  await client.json(`/api/images/${id}`, { method: "PATCH", body: { favorite: true } });
  assert.equal((await client.json("/api/images?favorite=true")).body.total, 1);
  assert.equal((await client.fetch(`/api/images/${id}`, { method: "DELETE" })).status, 204);
  assert.equal((await client.json(`/api/images/${id}`)).status, 404);
  assert.equal((await client.json("/api/images/stats")).body.total, 0);
});

test("a bookmark cookie of the wrong shape is ignored, not passed to D1", async () => {
  const client = new Client(worker.url);
  await client.devLogin("sessions-bad@example.com");
  client.cookies.set(BOOKMARK_COOKIE, "not a bookmark; <script>");
  const r = await client.json("/api/images");
  assert.equal(r.status, 200);
  const headers = new Headers({ cookie: `a=b; ${BOOKMARK_COOKIE}=${"x".repeat(300)}` });
  assert.equal(bookmarkFrom({ headers }), null);
  assert.equal(bookmarkFrom({ headers: new Headers({ cookie: `${BOOKMARK_COOKIE}=0000-ab.cd` }) }), "0000-ab.cd");
});

test("reads start from the bookmark; writes always start at the primary, whatever bookmark they carry", () => {
  const asked = [];
  const env = { D1_READ_REPLICATION: "true", DATABASE: { withSession: (from) => (asked.push(from), { getBookmark: () => null }) } };
  const request = (method, cookie) => ({ method, headers: new Headers(cookie ? { cookie: `${BOOKMARK_COOKIE}=${cookie}` } : {}) });
  d1SessionFor(request("GET"), env);
  d1SessionFor(request("GET", "0000-ab.cd"), env);
  d1SessionFor(request("POST", "0000-ab.cd"), env);
  d1SessionFor(request("DELETE"), env);
  assert.deepEqual(asked, ["first-unconstrained", "0000-ab.cd", "first-primary", "first-primary"]);
  assert.match(BOOKMARK_COOKIE, /^__Host-/);
});
