// Generation end to end against the built Worker (queue producer and consumer in one wrangler dev) and
// a fake Gemini speaking Google's wire format. After every scenario the coin invariants are audited:
// balance = sum of the ledger, no hold left open, status agrees with hold, no orphaned R2 object.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./support/worker.js";
import { Client, googleSignIn, ledgerSum } from "./support/client.js";
import { startFakeGemini, pngSize } from "../fakes/gemini.js";
import { startFakeGoogle } from "../fakes/google.js";

let worker, gemini, admin;
let userCount = 0;

before(async () => {
  gemini = await startFakeGemini();
  worker = await startWorker({
    vars: {
      DEBUG_ROUTES: "true",
      GEMINI_API_KEY: gemini.apiKey,
      GEMINI_API_BASE: gemini.url,
      // Retries in seconds, not minutes; GENERATION_MAX_ATTEMPTS stays 6 = dev's max_retries + 1.
      GENERATION_RETRY_BASE_SECONDS: "0",
      GENERATION_RETRY_MAX_SECONDS: "1",
      GENERATION_MAX_RUNNING: "3",
    },
    logLevel: "log",  // the queue worker's JSON events (generation_worker.cpp) are what the tests wait on
  });
  admin = new Client(worker.url);
  await admin.devLogin("admin@example.com");
});
after(async () => {
  if (process.env.NB_GEN_LOG) (await import("node:fs")).writeFileSync(process.env.NB_GEN_LOG, worker?.logs.join("") ?? "");
  await worker?.stop();
  await gemini?.close();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function newUser({ coins = 100, language = "en" } = {}) {
  const client = new Client(worker.url);
  const user = await client.devLogin(`gen-${++userCount}-${Date.now()}@example.com`, { language });
  if (coins !== user.coins) {
    const r = await admin.json(`/api/admin/users/${user.id}/coins`, {
      method: "POST",
      body: { amount: coins - user.coins, reason: "test setup" },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  return { client, user };
}

function generate(client, body, headers = {}) {
  return client.json("/api/images/generate", { method: "POST", body, headers });
}

async function waitFor(client, id, done = (image) => ["COMPLETED", "FAILED"].includes(image.status), timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await client.json(`/api/images/${id}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    if (done(r.body.image)) return r.body.image;
    if (Date.now() > deadline) {
      const related = worker.logs.join("").split("\n").filter((l) => !/ GET \/api\//.test(l)).slice(-40);
      throw new Error(`image ${id} still ${r.body.image.status}\n${related.join("\n")}`);
    }
    await sleep(200);
  }
}

async function waitUntil(predicate, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

// The JSON events the C++ queue worker prints (generation_worker.cpp Log) for one image, in order:
// generation_completed, generation_retry_scheduled, generation_duplicate_delivery, ... Tests wait on
// these instead of sleeping, so "it did not happen" is only asserted once "it was handled" is seen.
function events(imageId, name) {
  const out = [];
  for (const line of worker.logs.join("").split("\n")) {
    const at = line.indexOf('{"');
    if (at < 0 || !line.includes(imageId)) continue;
    try {
      const e = JSON.parse(line.slice(at));
      if (e.imageId === imageId && (!name || e.event === name)) out.push(e);
    } catch {}
  }
  return out;
}

async function waitForEvents(imageId, name, count, timeoutMs = 30_000) {
  await waitUntil(() => events(imageId, name).length >= count, `${count} ${name} event(s) for ${imageId}`, timeoutMs);
  return events(imageId, name);
}

// Returns once the queue has delivered every message due within GENERATION_RETRY_MAX_SECONDS (1 s) of
// now: a copy of a finished marker job, sent with a 3 s delay, is delivered after any of them and logs
// generation_duplicate_delivery when it is. Tests assert that something did NOT happen after this,
// instead of after a fixed sleep that a slow machine could outlast.
let marker;
async function queueSettled() {
  if (!marker) {
    const { client } = await newUser();
    const r = await generate(client, { prompt: "queue marker: a pebble" });
    assert.equal(r.status, 202);
    marker = await waitFor(client, r.body.image.id);
    assert.equal(marker.status, "COMPLETED");
  }
  const seen = events(marker.id, "generation_duplicate_delivery").length;
  const sent = await admin.json(`/api/_debug/generation/${marker.id}/redeliver?delaySeconds=3`, { method: "POST" });
  assert.equal(sent.status, 202);
  await waitForEvents(marker.id, "generation_duplicate_delivery", seen + 1);
}

async function debugState(id) {
  const r = await admin.json(`/api/_debug/generation/${id}`);
  assert.equal(r.status, 200);
  return r.body;
}

async function transactions(client) {
  const r = await client.json("/api/me/transactions?limit=100");
  assert.equal(r.status, 200);
  return r.body.items;
}

// The invariants every scenario ends with, from the server's audit and from the public API.
async function assertCoinsConsistent(client, user, { coins } = {}) {
  const r = await admin.json(`/api/_debug/users/${user.id}/generation-audit`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const audit = r.body;
  assert.equal(audit.coins, audit.ledgerSum, "balance = sum of ledger");
  assert.deepEqual(audit.openHolds, [], "no hold left open");
  assert.deepEqual(audit.danglingHolds, []);
  assert.deepEqual(audit.statusMismatches, []);
  assert.deepEqual(audit.ledgerMismatches, []);
  assert.deepEqual(audit.orphanObjects, [], "no orphaned R2 object");
  assert.deepEqual(audit.missingObjects, []);
  assert.equal(audit.consistent, true);
  const me = await client.json("/api/me");
  assert.equal(me.body.user.coins, await ledgerSum(client));
  if (coins !== undefined) assert.equal(me.body.user.coins, coins);
  return audit;
}

test("a generation is charged, queued, made by Gemini and stored with its thumbnail", async () => {
  const { client, user } = await newUser();
  const r = await generate(client, { prompt: "  success: a nano banana dish  ", aspectRatio: "16:9", title: "Banana" });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  const pending = r.body.image;
  assert.equal(pending.type, "GENERATED");
  assert.equal(pending.status, "PENDING");
  assert.equal(pending.prompt, "success: a nano banana dish");
  assert.equal(pending.aspectRatio, "16:9");
  assert.equal(pending.title, "Banana");
  assert.equal(pending.coinsUsed, 10);
  assert.equal(pending.url, null);
  assert.equal((await client.json("/api/me")).body.user.coins, 90);

  const image = await waitFor(client, pending.id);
  assert.equal(image.status, "COMPLETED", image.error);
  assert.equal(image.width, 84);  // Gemini's 1344x768 for 16:9, scaled down by the fake
  assert.equal(image.height, 48);
  assert.equal(image.format, "png");
  assert.ok(image.url && image.thumbnailUrl);

  const sent = gemini.requestsFor("success: a nano banana dish");
  assert.equal(sent.length, 1);
  assert.equal(sent[0].headers["x-goog-api-key"], gemini.apiKey);
  assert.equal(sent[0].query, "");
  assert.deepEqual(sent[0].body.generationConfig, { responseModalities: ["IMAGE"], imageConfig: { aspectRatio: "16:9" } });
  assert.deepEqual(sent[0].body.contents[0].parts, [{ text: "success: a nano banana dish" }]);

  const content = await client.fetch(image.url);
  assert.equal(content.status, 200);
  const bytes = Buffer.from(await content.arrayBuffer());
  assert.deepEqual(pngSize(bytes), [84, 48]);
  assert.ok(gemini.images.some((png) => png.equals(bytes)), "the stored bytes are the model's");
  const thumb = await client.fetch(image.thumbnailUrl);
  assert.equal(thumb.status, 200);

  const state = await debugState(pending.id);
  assert.equal(state.job.hold, "settled");
  assert.equal(state.image.metadata.model, "gemini-2.5-flash-image");
  assert.equal(state.image.metadata.modelVersion, "gemini-2.5-flash-image");
  assert.equal(state.image.metadata.usage.candidatesTokenCount, 1290);
  assert.equal(typeof state.image.metadata.latencyMs, "number");
  assert.equal(state.image.metadata.placeholder, undefined);

  const items = await transactions(client);
  assert.deepEqual(items.map((i) => [i.reason, i.delta, i.imageId]), [["hold", -10, pending.id], ["signup_bonus", 100, null]]);
  const audit = await assertCoinsConsistent(client, user, { coins: 90 });
  assert.equal(audit.objects.length, 2);  // the original and its thumbnail
});

test("an edit sends both reference images to Gemini", async () => {
  const { client, user } = await newUser();
  const ids = [];
  for (const prompt of ["reference one: a cat", "reference two: a sofa"]) {
    const r = await generate(client, { prompt, aspectRatio: prompt.includes("one") ? "1:1" : "4:3" });
    assert.equal(r.status, 202);
    assert.equal((await waitFor(client, r.body.image.id)).status, "COMPLETED");
    ids.push(r.body.image.id);
  }
  const originals = [];
  for (const id of ids) {
    const c = await client.fetch(`/api/images/${id}/content`);
    originals.push(Buffer.from(await c.arrayBuffer()));
  }
  const r = await generate(client, { prompt: "edit: put the cat on the sofa", referenceImageIds: ids });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.deepEqual(r.body.image.parentImageIds, ids);
  const edited = await waitFor(client, r.body.image.id);
  assert.equal(edited.status, "COMPLETED", edited.error);
  // No ratio given: the fake, like Gemini, matches the first reference (1:1 -> 64x64).
  assert.deepEqual([edited.width, edited.height], [64, 64]);

  const [sent] = gemini.requestsFor("edit: put the cat on the sofa");
  const parts = sent.body.contents[0].parts;
  assert.equal(parts.length, 3);
  assert.equal(parts[0].text, "edit: put the cat on the sofa");
  for (let i = 0; i < 2; i++) {
    assert.equal(parts[i + 1].inline_data.mime_type, "image/png");
    assert.ok(Buffer.from(parts[i + 1].inline_data.data, "base64").equals(originals[i]), `reference ${i + 1} bytes`);
  }
  assert.equal(sent.body.generationConfig.imageConfig, undefined);
  await assertCoinsConsistent(client, user, { coins: 70 });
});

test("429 with RetryInfo is retried after the delay and charged once", async () => {
  const { client, user } = await newUser();
  gemini.on("quota scenario", { status: 429, retryDelay: "2s" });
  const r = await generate(client, { prompt: "quota scenario: a lighthouse" });
  assert.equal(r.status, 202);
  const image = await waitFor(client, r.body.image.id);
  assert.equal(image.status, "COMPLETED", image.error);
  const sent = gemini.requestsFor("quota scenario");
  assert.equal(sent.length, 2);
  assert.equal(sent[0].answeredStatus, 429);
  assert.ok(sent[1].receivedAt - sent[0].receivedAt >= 1900, `retried after ${sent[1].receivedAt - sent[0].receivedAt} ms`);
  const items = await transactions(client);
  assert.deepEqual(items.map((i) => i.reason), ["hold", "signup_bonus"]);
  assert.equal((await debugState(image.id)).image.metadata.attempts, 2);
  await assertCoinsConsistent(client, user, { coins: 90 });
});

test("safety blocks fail the image with a reason in the user's language and refund", async () => {
  const { client, user } = await newUser({ language: "es" });
  gemini.on("unsafe image", { finishReason: "IMAGE_SAFETY" });
  gemini.on("blocked prompt", { blockReason: "PROHIBITED_CONTENT" });
  const a = await generate(client, { prompt: "unsafe image please" });
  const b = await generate(client, { prompt: "blocked prompt please" });
  assert.equal(a.status, 202);
  assert.equal(b.status, 202);
  const failed = await waitFor(client, a.body.image.id);
  assert.equal(failed.status, "FAILED");
  assert.equal(failed.error, "Los filtros de seguridad del modelo bloquearon la imagen. Te devolvimos las monedas.");
  assert.equal(failed.coinsUsed, 0);
  assert.equal(failed.url, null);
  const blocked = await waitFor(client, b.body.image.id);
  assert.equal(blocked.error, "Los filtros de seguridad del modelo bloquearon la descripción. Te devolvimos las monedas.");
  assert.equal((await debugState(a.body.image.id)).image.metadata.errorKey, "generation.image_blocked");
  // Final on the first answer: never retried.
  assert.equal(gemini.requestsFor("unsafe image").length, 1);
  const items = await transactions(client);
  assert.equal(items.filter((i) => i.reason === "refund").length, 2);
  assert.equal(items.filter((i) => i.reason === "hold").length, 2);
  await assertCoinsConsistent(client, user, { coins: 100 });
});

test("500 forever is retried up to the last attempt, then FAILED and refunded once", async () => {
  const { client, user } = await newUser();
  gemini.always("broken backend", { status: 500 });
  const r = await generate(client, { prompt: "broken backend: a bridge" });
  assert.equal(r.status, 202);
  const image = await waitFor(client, r.body.image.id, undefined, 60_000);
  assert.equal(image.status, "FAILED");
  assert.match(image.error, /unavailable/i);
  assert.equal(gemini.requestsFor("broken backend").length, 6);  // GENERATION_MAX_ATTEMPTS
  // Deliveries 1-5 each scheduled a retry; the sixth failed the job and scheduled none.
  assert.deepEqual(events(image.id, "generation_retry_scheduled").map((e) => e.attempt), [1, 2, 3, 4, 5]);
  // No late retry and no dead-letter comeback: nothing more arrives for this job.
  await queueSettled();
  assert.deepEqual(events(image.id, "generation_duplicate_delivery"), []);
  assert.equal(gemini.requestsFor("broken backend").length, 6);
  assert.deepEqual(events(image.id, "generation_retry_scheduled").map((e) => e.attempt), [1, 2, 3, 4, 5]);
  const items = await transactions(client);
  assert.deepEqual(items.map((i) => [i.reason, i.delta]), [["refund", 10], ["hold", -10], ["signup_bonus", 100]]);
  await assertCoinsConsistent(client, user, { coins: 100 });
});

test("duplicate queue deliveries never call Gemini twice, charge twice or touch a finished image", async () => {
  const { client, user } = await newUser();
  // A copy arriving after the job finished.
  const r = await generate(client, { prompt: "duplicate after: a kite" });
  const done = await waitFor(client, r.body.image.id);
  assert.equal(done.status, "COMPLETED");
  assert.equal((await admin.json(`/api/_debug/generation/${done.id}/redeliver`, { method: "POST" })).status, 202);
  // A copy arriving while the first delivery is still waiting on Gemini.
  gemini.on("duplicate during", { hangMs: 2500 });
  const r2 = await generate(client, { prompt: "duplicate during: a drum" });
  await waitUntil(() => gemini.requestsFor("duplicate during").length === 1, "the first delivery to reach Gemini");
  assert.equal((await admin.json(`/api/_debug/generation/${r2.body.image.id}/redeliver`, { method: "POST" })).status, 202);
  const second = await waitFor(client, r2.body.image.id);
  assert.equal(second.status, "COMPLETED");
  // Each copy ends as one acknowledged duplicate (the "during" copy is put back while the original holds
  // the claim, then finds the job settled); a copy put back again would log a second one.
  for (const id of [done.id, second.id]) await waitForEvents(id, "generation_duplicate_delivery", 1);
  await queueSettled();
  for (const id of [done.id, second.id]) {
    assert.deepEqual(events(id, "generation_duplicate_delivery").map((e) => e.hold), ["settled"], id);
    assert.equal(events(id, "generation_completed").length, 1);
  }

  assert.equal(gemini.requestsFor("duplicate after").length, 1);
  assert.equal(gemini.requestsFor("duplicate during").length, 1);
  const after1 = (await client.json(`/api/images/${done.id}`)).body.image;
  assert.equal(after1.updatedAt, done.updatedAt);
  assert.equal(after1.url, done.url);
  const after2 = (await client.json(`/api/images/${second.id}`)).body.image;
  assert.equal(after2.updatedAt, second.updatedAt);
  assert.deepEqual((await transactions(client)).map((i) => i.reason), ["hold", "hold", "signup_bonus"]);
  await assertCoinsConsistent(client, user, { coins: 80 });
});

test("Idempotency-Key replays the same image and refuses a different body", async () => {
  const { client, user } = await newUser();
  const body = { prompt: "idempotent: a teapot", aspectRatio: "1:1" };
  const first = await generate(client, body, { "idempotency-key": "req-1" });
  assert.equal(first.status, 202);
  const replay = await generate(client, body, { "idempotency-key": "req-1" });
  assert.equal(replay.status, 202);
  assert.equal(replay.body.image.id, first.body.image.id);
  const concurrent = await Promise.all(Array.from({ length: 5 }, () => generate(client, body, { "idempotency-key": "req-1" })));
  for (const c of concurrent) assert.equal(c.body.image.id, first.body.image.id);

  const conflict = await generate(client, { ...body, prompt: "idempotent: a kettle" }, { "idempotency-key": "req-1" });
  assert.equal(conflict.status, 409);
  assert.equal(conflict.body.error.code, "CONFLICT");
  assert.equal((await generate(client, body, { "idempotency-key": "x".repeat(129) })).status, 400);

  await waitFor(client, first.body.image.id);
  const late = await generate(client, body, { "idempotency-key": "req-1" });
  assert.equal(late.body.image.status, "COMPLETED");
  assert.equal(gemini.requestsFor("idempotent: a teapot").length, 1);
  await assertCoinsConsistent(client, user, { coins: 90 });
});

test("a replay after the image was deleted never charges again; a replay is answered before reference checks", async () => {
  const { client, user } = await newUser();
  // A reference, then an edit of it under a key.
  const ref = await generate(client, { prompt: "replay ref: a lamp", aspectRatio: "1:1" });
  assert.equal(ref.status, 202);
  assert.equal((await waitFor(client, ref.body.image.id)).status, "COMPLETED");
  const body = { prompt: "replay edit: the lamp at night", referenceImageIds: [ref.body.image.id] };
  const first = await generate(client, body, { "idempotency-key": "del-1" });
  assert.equal(first.status, 202, JSON.stringify(first.body));
  assert.equal((await waitFor(client, first.body.image.id)).status, "COMPLETED");

  // The reference is deleted: the replay still answers the original image, not a 422.
  assert.equal((await client.fetch(`/api/images/${ref.body.image.id}`, { method: "DELETE" })).status, 204);
  const replay = await generate(client, body, { "idempotency-key": "del-1" });
  assert.equal(replay.status, 202, JSON.stringify(replay.body));
  assert.equal(replay.body.image.id, first.body.image.id);

  // The image itself is deleted: the key still stands for it; 409 and nothing charged.
  assert.equal((await client.fetch(`/api/images/${first.body.image.id}`, { method: "DELETE" })).status, 204);
  for (let i = 0; i < 3; i++) {
    const again = await generate(client, body, { "idempotency-key": "del-1" });
    assert.equal(again.status, 409, JSON.stringify(again.body));
    assert.equal(again.body.error.code, "CONFLICT");
  }
  assert.equal(gemini.requestsFor("replay edit: the lamp at night").length, 1);
  await assertCoinsConsistent(client, user, { coins: 80 });
});

test("10 concurrent generations against coins for 3: exactly 3 accepted", async () => {
  const { client, user } = await newUser({ coins: 30 });
  const answers = await Promise.all(
    Array.from({ length: 10 }, (_, i) => generate(client, { prompt: `concurrent ${i}: a bee` })));
  const accepted = answers.filter((a) => a.status === 202);
  const refused = answers.filter((a) => a.status === 402);
  assert.equal(accepted.length, 3, JSON.stringify(answers.map((a) => a.status)));
  assert.equal(refused.length, 7);
  for (const a of refused) assert.equal(a.body.error.code, "INSUFFICIENT_COINS");
  for (const a of accepted) assert.equal((await waitFor(client, a.body.image.id)).status, "COMPLETED");
  const list = await client.json("/api/images?type=GENERATED");
  assert.equal(list.body.total, 3);
  await assertCoinsConsistent(client, user, { coins: 0 });
});

test("the running-jobs limit answers 429 with Retry-After; nothing is charged", async () => {
  const { client, user } = await newUser();
  gemini.always("long job", { hangMs: 2500 });
  const started = [];
  for (let i = 0; i < 3; i++) started.push(await generate(client, { prompt: `long job ${i}` }));
  for (const s of started) assert.equal(s.status, 202);
  const refused = await generate(client, { prompt: "long job 4" });
  assert.equal(refused.status, 429);
  assert.equal(refused.body.error.code, "RATE_LIMITED");
  assert.ok(Number(refused.headers.get("retry-after")) > 0);
  assert.equal((await client.json("/api/me")).body.user.coins, 70);
  for (const s of started) assert.equal((await waitFor(client, s.body.image.id)).status, "COMPLETED");
  gemini.always("long job", { image: true });
  await assertCoinsConsistent(client, user, { coins: 70 });
});

test("the per-minute generation limit answers 429 with Retry-After; nothing is charged", async () => {
  // GENERATION_RATE_LIMITER allows 30 requests a minute per user in dev. Invalid bodies count too
  // (the limit comes first) and charge nothing, so the user's balance shows what was spent.
  const { client, user } = await newUser();
  let limited;
  for (let i = 0; i < 45 && !limited; i++) {
    const r = await generate(client, { prompt: "   " });
    if (r.status === 429) limited = r;
    else assert.equal(r.status, 422, JSON.stringify(r.body));
  }
  assert.ok(limited, "no 429 within 45 requests");
  assert.equal(limited.body.error.code, "RATE_LIMITED");
  assert.ok(Number(limited.headers.get("retry-after")) > 0);
  const valid = await generate(client, { prompt: "a valid prompt, still over the limit" });
  assert.equal(valid.status, 429);
  const other = await newUser();  // the limit is per user
  const theirs = await generate(other.client, { prompt: "someone else is not limited" });
  assert.equal(theirs.status, 202);
  await waitFor(other.client, theirs.body.image.id);
  await assertCoinsConsistent(client, user, { coins: 100 });
  await assertCoinsConsistent(other.client, other.user, { coins: 90 });
});

test("the sweeper fails and refunds a stuck job once; the late answer is thrown away", async () => {
  const { client, user } = await newUser();
  gemini.on("stuck job", { hangMs: 5000 });
  const r = await generate(client, { prompt: "stuck job: a clock" });
  await waitUntil(() => gemini.requestsFor("stuck job").length === 1, "the job to reach Gemini");
  const processing = await waitFor(client, r.body.image.id, (image) => image.status === "PROCESSING");
  assert.equal(processing.status, "PROCESSING");

  const now = Date.now() + 11 * 60_000;  // past GENERATION_STUCK_SECONDS (10 min)
  const swept = await admin.json(`/api/_debug/generation-sweep?now=${now}`, { method: "POST" });
  assert.equal(swept.status, 200);
  // The sweeper is global, but every earlier scenario ended with no open hold (assertCoinsConsistent),
  // so this job is the only one overdue.
  assert.deepEqual(swept.body, { overdue: 1, refunded: 1, errors: 0 });
  const again = await admin.json(`/api/_debug/generation-sweep?now=${now}`, { method: "POST" });
  assert.deepEqual(again.body, { overdue: 0, refunded: 0, errors: 0 });
  const failed = (await client.json(`/api/images/${r.body.image.id}`)).body.image;
  assert.equal(failed.status, "FAILED");
  assert.equal(failed.error, "The generation took too long and was stopped. Your coins were refunded.");
  assert.equal((await client.json("/api/me")).body.user.coins, 100);

  // Gemini answers late: the delivery stores the image, loses the race and deletes what it wrote.
  await waitForEvents(r.body.image.id, "generation_completion_lost", 1, 20_000);
  assert.equal(events(r.body.image.id, "generation_completed").length, 0);
  const still = (await client.json(`/api/images/${r.body.image.id}`)).body.image;
  assert.equal(still.status, "FAILED");
  assert.equal(still.url, null);
  assert.equal(gemini.requestsFor("stuck job").length, 1);
  assert.deepEqual((await transactions(client)).map((i) => i.reason), ["refund", "hold", "signup_bonus"]);
  const audit = await assertCoinsConsistent(client, user, { coins: 100 });
  assert.deepEqual(audit.objects, []);
});

test("bad requests are 4xx in the envelope and charge nothing", async () => {
  const { client, user } = await newUser();
  const other = await newUser();
  const theirs = await generate(other.client, { prompt: "someone else's" });
  gemini.on("pending reference", { hangMs: 1500 });
  const pendingRef = await generate(client, { prompt: "pending reference" });
  const cases = [
    [{}, "prompt"],
    [{ prompt: "   " }, "prompt"],
    [{ prompt: "x".repeat(5001) }, "prompt"],
    [{ prompt: "ok", aspectRatio: "7:5" }, "aspectRatio"],
    [{ prompt: "ok", referenceImageIds: ["a".repeat(32), "b".repeat(32), "c".repeat(32), "d".repeat(32)] }, "referenceImageIds"],
    [{ prompt: "ok", referenceImageIds: [theirs.body.image.id] }, "referenceImageIds"],
    [{ prompt: "ok", referenceImageIds: [pendingRef.body.image.id] }, "referenceImageIds"],
    [{ prompt: "ok", title: 5 }, "title"],
  ];
  for (const [body, field] of cases) {
    const r = await generate(client, body);
    assert.equal(r.status, 422, JSON.stringify([body, r.body]));
    assert.equal(r.body.error.code, "VALIDATION_FAILED");
    assert.ok(r.body.error.fields[field], `${field} named for ${JSON.stringify(body).slice(0, 80)}`);
  }
  assert.equal((await client.json("/api/images/generate", { method: "POST", body: "not json", headers: { "content-type": "application/json" } })).status, 400);
  const anonymous = new Client(worker.url);
  assert.equal((await generate(anonymous, { prompt: "x" })).status, 401);
  await waitFor(client, pendingRef.body.image.id);
  await waitFor(other.client, theirs.body.image.id);
  await assertCoinsConsistent(client, user, { coins: 90 });  // only the pending reference was charged
});

test("without a Gemini key the dev environment draws an offline placeholder", async () => {
  const offline = await startWorker({ vars: { DEBUG_ROUTES: "true" } });
  try {
    const before = gemini.requests.length;
    const client = new Client(offline.url);
    await client.devLogin("offline@example.com");
    const r = await client.json("/api/images/generate", { method: "POST", body: { prompt: "offline: a red balloon", aspectRatio: "3:2" } });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    let image;
    for (let i = 0; i < 150; i++) {
      image = (await client.json(`/api/images/${r.body.image.id}`)).body.image;
      if (image.status === "COMPLETED" || image.status === "FAILED") break;
      await sleep(200);
    }
    assert.equal(image.status, "COMPLETED", image.error);
    assert.deepEqual([image.width, image.height], [1248, 832]);  // Gemini's size for 3:2
    const state = (await new Client(offline.url).json(`/api/_debug/generation/${image.id}`)).body;
    assert.equal(state.image.metadata.placeholder, true);
    assert.equal(state.image.metadata.model, "placeholder");
    assert.equal(gemini.requests.length, before);
    assert.equal((await client.json("/api/me")).body.user.coins, 90);
  } finally {
    await offline.stop();
  }
});

test("staging without a Gemini key answers 503 and charges nothing", async () => {
  const google = await startFakeGoogle();
  const staging = await startWorker({
    env: "staging",
    vars: {
      ...google.workerVars(),
    },
  });
  try {
    google.registerWorker(staging.url);
    google.setIdentity({ sub: "g-staging-1", email: "staging.user@example.com" });
    const client = new Client(staging.url);
    const { callback } = await googleSignIn(client);
    assert.equal(callback.status, 302);
    const r = await client.json("/api/images/generate", { method: "POST", body: { prompt: "a staging banana" } });
    assert.equal(r.status, 503);
    assert.equal(r.body.error.code, "SERVICE_UNAVAILABLE");
    assert.match(r.body.error.message, /Nothing was charged/);
    const me = await client.json("/api/me");
    assert.equal(me.body.user.coins, 100);
    assert.deepEqual((await client.json("/api/me/transactions")).body.items.map((i) => i.reason), ["signup_bonus"]);
    assert.equal((await client.json("/api/images")).body.total, 0);
  } finally {
    await staging.stop();
    await google.close();
  }
});
