// Issue 13 (and issue 12's upload limits) end to end on the real Worker (Miniflare's D1 with FTS5, R2,
// the rate-limiting binding): favourites, search, share links, bulk delete, the per-user counters behind
// `total`, stats and /api/me checked against a recount made from the images themselves, the upload rate
// limit and the storage quota, with parallel uploads racing for the last bytes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./support/worker.js";
import { Client } from "./support/client.js";
import { checkedFetch } from "./support/contract.js";
import { multipart, png } from "./support/images.js";
import { startFakeGemini } from "../fakes/gemini.js";

const QUOTA = 400_000;

let worker, gemini;
let userCount = 0;

before(async () => {
  gemini = await startFakeGemini();
  worker = await startWorker({
    vars: {
      DEBUG_ROUTES: "true",
      STORAGE_QUOTA_BYTES: String(QUOTA),
      GEMINI_API_KEY: gemini.apiKey,
      GEMINI_API_BASE: gemini.url,
      GENERATION_RETRY_BASE_SECONDS: "0",
      GENERATION_RETRY_MAX_SECONDS: "1",
      GENERATION_MAX_RUNNING: "8",
    },
  });
});
after(async () => {
  await worker?.stop();
  await gemini?.close();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function newUser(name = "g") {
  const client = new Client(worker.url);
  const user = await client.devLogin(`${name}-${++userCount}-${Date.now()}@example.com`);
  return { client, user };
}

// A small picture whose bytes differ per seed (so each upload is its own object).
const tiny = (seed) => png(8, 8, (x, y) => [(x * 31 + seed * 7) & 255, (y * 17 + seed) & 255, seed & 255]);
// A picture that does not compress: about width * height * 3 bytes.
const noisy = (w, h, seed) => png(w, h, (x, y) => {
  const v = Math.imul(x * 7919 + y * 104729 + seed * 1299709, 2654435761) >>> 0;
  return [v & 255, (v >>> 8) & 255, (v >>> 16) & 255];
});

function upload(client, bytes, fields = {}) {
  const parts = [{ name: "file", filename: "p.png", type: "image/png", data: bytes }];
  for (const [name, value] of Object.entries(fields)) parts.push({ name, value });
  const { body, contentType } = multipart(parts);
  return client.json("/api/images", { method: "POST", headers: { "content-type": contentType }, body });
}

async function uploaded(client, seed, fields) {
  const r = await upload(client, tiny(seed), fields);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.image;
}

async function listAll(client, query = "") {
  const items = [];
  let cursor = null;
  do {
    const r = await client.json(`/api/images?limit=100${query}${cursor ? `&cursor=${cursor}` : ""}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    items.push(...r.body.items);
    cursor = r.body.nextCursor;
  } while (cursor);
  return items;
}

async function objectsOf(userId) {
  const r = await worker.fetch(`/api/_debug/objects?prefix=${encodeURIComponent(`images/${userId}/`)}`);
  assert.equal(r.status, 200);
  return (await r.json()).objects;
}

// Stats, /api/me's storage and every filter's `total` against a recount made from the images and the
// R2 objects themselves.
async function assertCountersExact(client, userId) {
  const items = await listAll(client);
  const objects = await objectsOf(userId);
  const bytes = objects.reduce((sum, o) => sum + o.size, 0);
  const stats = (await client.json("/api/images/stats")).body;
  const by = (pred) => items.filter(pred).length;
  assert.equal(stats.total, items.length, "total");
  assert.deepEqual(stats.byType, { GENERATED: by((i) => i.type === "GENERATED"), UPLOADED: by((i) => i.type === "UPLOADED") });
  assert.deepEqual(stats.byStatus, {
    PENDING: by((i) => i.status === "PENDING"), PROCESSING: by((i) => i.status === "PROCESSING"),
    COMPLETED: by((i) => i.status === "COMPLETED"), FAILED: by((i) => i.status === "FAILED"),
  });
  assert.equal(stats.favorites, by((i) => i.favorite));
  assert.equal(stats.coinsSpent, items.filter((i) => i.status !== "FAILED").reduce((s, i) => s + i.coinsUsed, 0));
  assert.equal(stats.bytesStored, bytes, "bytesStored = the bytes in R2 (originals + thumbnails)");
  const me = (await client.json("/api/me")).body;
  assert.deepEqual(me.storage, { used: bytes, quota: QUOTA });
  for (const [query, pred] of [
    ["&favorite=true", (i) => i.favorite],
    ["&type=UPLOADED", (i) => i.type === "UPLOADED"],
    ["&status=COMPLETED&type=GENERATED", (i) => i.status === "COMPLETED" && i.type === "GENERATED"],
  ]) {
    const page = (await client.json(`/api/images?limit=1${query}`)).body;
    assert.equal(page.total, by(pred), query);
  }
}

async function waitFor(client, id, timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await client.json(`/api/images/${id}`);
    if (r.status === 404 || ["COMPLETED", "FAILED"].includes(r.body.image.status)) return r;
    if (Date.now() > deadline) throw new Error(`image ${id} still ${r.body.image.status}`);
    await sleep(200);
  }
}

test("favourites: star and unstar, filter, counters; others' ids 404 and change nothing", async () => {
  const { client, user } = await newUser("fav");
  const other = await newUser("fav-other");
  const a = await uploaded(client, 1);
  const b = await uploaded(client, 2);
  assert.equal(a.favorite, false);
  assert.equal(a.shareUrl, null);
  const starred = await client.json(`/api/images/${a.id}`, { method: "PATCH", body: { favorite: true } });
  assert.equal(starred.status, 200);
  assert.equal(starred.body.image.favorite, true);
  const favorites = await client.json("/api/images?favorite=true");
  assert.deepEqual(favorites.body.items.map((i) => i.id), [a.id]);
  assert.equal(favorites.body.total, 1);
  assert.equal((await client.json("/api/images?favorite=false")).body.total, 2);
  assert.equal((await client.json("/api/images?favorite=yes")).status, 400);
  const bad = await client.json(`/api/images/${b.id}`, { method: "PATCH", body: { favorite: "yes" } });
  assert.equal(bad.status, 422);
  assert.ok(bad.body.error.fields.favorite);
  const foreign = await other.client.json(`/api/images/${a.id}`, { method: "PATCH", body: { favorite: false } });
  assert.equal(foreign.status, 404);
  assert.equal((await client.json(`/api/images/${a.id}`)).body.image.favorite, true);
  await assertCountersExact(client, user.id);
});

test("search: any word order, case and accents, prefixes, with filters and keyset paging; hostile queries", async () => {
  const { client } = await newUser("search");
  const cafe = await uploaded(client, 10, { title: "Café au lait", description: "morning light" });
  const noir = await uploaded(client, 11, { title: "CAFE NOIR" });
  await uploaded(client, 12, { title: "Tea garden" });
  const other = await newUser("search-other");
  await uploaded(other.client, 13, { title: "cafe elsewhere" });
  const ids = async (q, extra = "") => {
    const r = await client.json(`/api/images?q=${encodeURIComponent(q)}${extra}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.total, null);
    return r.body.items.map((i) => i.id);
  };
  assert.deepEqual(await ids("cafe"), [noir.id, cafe.id]);
  assert.deepEqual(await ids("CAFÉ"), [noir.id, cafe.id]);
  assert.deepEqual(await ids("light café"), [cafe.id]);
  assert.deepEqual(await ids("caf"), [noir.id, cafe.id]);
  assert.deepEqual(await ids("tea"), await ids("GARDEN"));
  // Paging through matches.
  const first = await client.json(`/api/images?q=cafe&limit=1`);
  assert.deepEqual(first.body.items.map((i) => i.id), [noir.id]);
  const second = await client.json(`/api/images?q=cafe&limit=1&cursor=${first.body.nextCursor}`);
  assert.deepEqual(second.body.items.map((i) => i.id), [cafe.id]);
  assert.equal(second.body.nextCursor, null);
  // Combined with favourites and type.
  await client.json(`/api/images/${cafe.id}`, { method: "PATCH", body: { favorite: true } });
  assert.deepEqual(await ids("cafe", "&favorite=true&type=UPLOADED"), [cafe.id]);
  assert.deepEqual(await ids("cafe", "&type=GENERATED"), []);
  // Operators and quotes are words; none of these is a 500 or an FTS syntax error.
  for (const q of ['"', "*", "-", "NEAR", '"cafe', "cafe*", "cafe -noir", "NEAR(cafe noir)", "title:cafe", "a OR b", "^cafe", "(", "'"]) {
    const r = await client.json(`/api/images?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, `${q}: ${JSON.stringify(r.body)}`);
  }
  assert.deepEqual(await ids('"cafe'), [noir.id, cafe.id]);
  assert.deepEqual(await ids("cafe -noir"), [noir.id]);  // "-" is not NOT: "noir" is a word to find too
  const long = await client.json(`/api/images?q=${"a".repeat(10_000)}`);
  assert.equal(long.status, 422);
  assert.ok(long.body.error.fields.q);
});

test("share links: same link twice, public page and bytes without sign-in, revoke and delete kill it", async () => {
  const { client } = await newUser("share");
  const other = await newUser("share-other");
  const image = await uploaded(client, 20, { title: 'A <b>"bold"</b> title' });
  const shared = await client.json(`/api/images/${image.id}/share`, { method: "POST" });
  assert.equal(shared.status, 200, JSON.stringify(shared.body));
  const url = shared.body.shareUrl;
  assert.match(url, /^\/s\/[A-Za-z0-9_-]{32}$/);
  const again = await client.json(`/api/images/${image.id}/share`, { method: "POST" });
  assert.equal(again.body.shareUrl, url);
  assert.equal((await client.json(`/api/images/${image.id}`)).body.image.shareUrl, url);
  // Another user cannot share, revoke or learn the link.
  assert.equal((await other.client.json(`/api/images/${image.id}/share`, { method: "POST" })).status, 404);
  assert.equal((await other.client.json(`/api/images/${image.id}/share`, { method: "DELETE" })).status, 404);

  const token = url.slice(3);
  const page = await checkedFetch(`${worker.url}${url}`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type"), /^text\/html/);
  const csp = page.headers.get("content-security-policy");
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(page.headers.get("referrer-policy"), "no-referrer");
  assert.equal(page.headers.get("cache-control"), "no-cache");
  const html = await page.text();
  assert.ok(html.includes(`<meta property="og:image" content="${worker.url}/api/shared/${token}/content">`), html);
  assert.ok(html.includes('<meta name="twitter:card" content="summary_large_image">'));
  assert.ok(html.includes("A &lt;b&gt;&quot;bold&quot;&lt;/b&gt; title"));
  assert.ok(!/<script|<style|style=/i.test(html), "no script or inline style");
  assert.ok(!html.includes(image.id), "the owner's image id is not exposed");

  const publicJson = await checkedFetch(`${worker.url}/api/shared/${token}`);
  assert.equal(publicJson.status, 200);
  const body = await publicJson.json();
  assert.deepEqual(Object.keys(body.image).sort(), ["createdAt", "format", "height", "prompt", "thumbnailUrl", "title", "url", "width"]);
  const bytes = await checkedFetch(`${worker.url}/api/shared/${token}/content`);
  assert.equal(bytes.status, 200);
  assert.equal(bytes.headers.get("cache-control"), "public, max-age=60");
  assert.deepEqual(Buffer.from(await bytes.arrayBuffer()), tiny(20));
  assert.equal((await checkedFetch(`${worker.url}/api/shared/${token}/thumbnail`)).status, 200);

  // Wrong shapes and near-misses.
  for (const bad of [token.slice(1), token + "A", `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`, "x".repeat(32)]) {
    assert.equal((await checkedFetch(`${worker.url}/api/shared/${bad}`)).status, 404, bad);
    assert.equal((await checkedFetch(`${worker.url}/s/${bad}`)).status, 404, bad);
  }
  // Revoke: dead at once; sharing again gives a new link.
  assert.equal((await client.fetch(`/api/images/${image.id}/share`, { method: "DELETE" })).status, 204);
  assert.equal((await checkedFetch(`${worker.url}/api/shared/${token}/content`)).status, 404);
  assert.equal((await checkedFetch(`${worker.url}/s/${token}`)).status, 404);
  assert.equal((await client.json(`/api/images/${image.id}`)).body.image.shareUrl, null);
  const renewed = (await client.json(`/api/images/${image.id}/share`, { method: "POST" })).body.shareUrl;
  assert.notEqual(renewed, url);
  // Delete: dead at once.
  assert.equal((await client.fetch(`/api/images/${image.id}`, { method: "DELETE" })).status, 204);
  assert.equal((await checkedFetch(`${worker.url}/api/shared/${renewed.slice(3)}`)).status, 404);
});

test("bulk delete: own ids deleted with their objects, others' and unknown as notFound, idempotent, bad bodies 422", async () => {
  const { client, user } = await newUser("bulk");
  const other = await newUser("bulk-other");
  const mine = [];
  for (let i = 0; i < 4; i++) mine.push(await uploaded(client, 30 + i));
  const theirs = await uploaded(other.client, 40);
  const link = (await client.json(`/api/images/${mine[0].id}/share`, { method: "POST" })).body.shareUrl;
  const before = (await objectsOf(user.id)).length;
  assert.ok(before >= 4);

  const ids = [mine[0].id, mine[1].id, mine[0].id, theirs.id, "not-an-id", "0".repeat(32)];
  const r = await client.json("/api/images/bulk-delete", { method: "POST", body: { ids } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.deleted, [mine[0].id, mine[1].id]);
  assert.deepEqual(r.body.notFound, [theirs.id, "not-an-id", "0".repeat(32)]);
  assert.equal((await checkedFetch(`${worker.url}/api/shared/${link.slice(3)}`)).status, 404);
  assert.equal((await other.client.json(`/api/images/${theirs.id}`)).status, 200);
  const keys = (await objectsOf(user.id)).map((o) => o.key).join("\n");
  for (const gone of [mine[0], mine[1]]) assert.ok(!keys.includes(gone.id) && !keys.includes(gone.url), "objects removed");
  const again = await client.json("/api/images/bulk-delete", { method: "POST", body: { ids: [mine[0].id, mine[1].id] } });
  assert.deepEqual(again.body, { deleted: [], notFound: [mine[0].id, mine[1].id] });
  await assertCountersExact(client, user.id);

  for (const body of [{}, { ids: [] }, { ids: "x" }, { ids: [1] }, { ids: Array.from({ length: 101 }, (_, i) => String(i)) }]) {
    const bad = await client.json("/api/images/bulk-delete", { method: "POST", body });
    assert.equal(bad.status, 422, JSON.stringify(body));
    assert.ok(bad.body.error.fields.ids);
  }
  // 100 ids is fine (more than D1's 100 bound parameters in one statement with the user id).
  const hundred = Array.from({ length: 98 }, (_, i) => i.toString(16).padStart(32, "0")).concat([mine[2].id, mine[3].id]);
  const big = await client.json("/api/images/bulk-delete", { method: "POST", body: { ids: hundred } });
  assert.equal(big.status, 200, JSON.stringify(big.body));
  assert.deepEqual(big.body.deleted, [mine[2].id, mine[3].id]);
  assert.equal((await objectsOf(user.id)).length, 0);
  await assertCountersExact(client, user.id);
});

test("counters stay exact through generations completing and failing, deletes racing them, favourites", async () => {
  const { client, user } = await newUser("mixed");
  gemini.on("unsafe image", { finishReason: "IMAGE_SAFETY" });
  await uploaded(client, 50);
  const started = [];
  for (const prompt of ["success: a banana boat", "unsafe image please", "success: a pear", "success: a plum"]) {
    const r = await client.json("/api/images/generate", { method: "POST", body: { prompt } });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    started.push(r.body.image);
  }
  // Delete one while it runs, star another.
  await client.fetch(`/api/images/${started[3].id}`, { method: "DELETE" });
  await client.json(`/api/images/${started[0].id}`, { method: "PATCH", body: { favorite: true } });
  for (const image of started) await waitFor(client, image.id);
  await assertCountersExact(client, user.id);
  const stats = (await client.json("/api/images/stats")).body;
  assert.equal(stats.byStatus.FAILED, 1);
  assert.equal(stats.byType.GENERATED, 3);
  assert.ok(stats.bytesStored > 0);
});

test("storage quota: 403 QUOTA_EXCEEDED with nothing stored; parallel uploads cannot both take the last bytes", async () => {
  const { client, user } = await newUser("quota");
  const big = () => noisy(200, 200, Math.floor(Math.random() * 1e9)); // ~120 kB + thumbnail
  let stored = 0;
  for (;;) {
    const r = await upload(client, big());
    if (r.status === 403) {
      assert.equal(r.body.error.code, "QUOTA_EXCEEDED");
      break;
    }
    assert.equal(r.status, 201, JSON.stringify(r.body));
    stored++;
    assert.ok(stored < 10, "the quota never bit");
  }
  const objectsBefore = await objectsOf(user.id);
  const me = (await client.json("/api/me")).body;
  assert.ok(me.storage.used <= QUOTA);
  assert.equal(me.storage.used, objectsBefore.reduce((s, o) => s + o.size, 0));
  await assertCountersExact(client, user.id);

  // A fresh user, then 6 uploads at once where only a few fit: the sum never passes the quota and R2
  // holds exactly the objects of the rows.
  const racer = await newUser("quota-race");
  const results = await Promise.all(Array.from({ length: 6 }, () => upload(racer.client, big())));
  const ok = results.filter((r) => r.status === 201).length;
  for (const r of results) assert.ok([201, 403].includes(r.status), JSON.stringify(r.body));
  assert.ok(ok >= 1 && ok < 6, `${ok} of 6 stored`);
  await assertCountersExact(racer.client, racer.user.id);
  const used = (await racer.client.json("/api/me")).body.storage.used;
  assert.ok(used <= QUOTA, `${used} > ${QUOTA}`);
  assert.equal((await listAll(racer.client)).length, ok);
});

test("upload rate limit: 429 RATE_LIMITED with Retry-After, nothing stored for the refused upload", async () => {
  const { client, user } = await newUser("rate");
  let created = 0;
  let limited = null;
  for (let i = 0; i < 150 && !limited; i++) {
    const r = await upload(client, tiny(1000 + i));
    if (r.status === 429) limited = r;
    else {
      assert.equal(r.status, 201, JSON.stringify(r.body));
      created++;
    }
  }
  assert.ok(limited, "never rate limited");
  assert.equal(limited.body.error.code, "RATE_LIMITED");
  assert.ok(Number(limited.headers.get("retry-after")) > 0);
  assert.ok(created >= 1);
  assert.equal((await listAll(client)).length, created);
  // Per user: someone else still uploads.
  const other = await newUser("rate-other");
  assert.equal((await upload(other.client, tiny(5))).status, 201);
  await assertCountersExact(client, user.id);
});
