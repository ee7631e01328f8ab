// The Nano Banana family end to end: GET /api/config's models, a generation with each model against
// the fake Gemini (which validates each model's sizes, ratios, references, tools and thinking levels
// as Google does), the price of each size held and settled, grounding sources kept on the image,
// thought-only answers and finish reasons refunded, and every unsupported option refused before any
// coin moves. Each scenario ends with the coin audit (balance = sum of the ledger, no open hold).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./support/worker.js";
import { Client, ledgerSum } from "./support/client.js";
import { startFakeGemini, pngSize } from "../fakes/gemini.js";

const FLASH25 = "gemini-2.5-flash-image";
const FLASH31 = "gemini-3.1-flash-image-preview";
const PRO = "gemini-3-pro-image-preview";

let worker, gemini, admin;
let userCount = 0;

before(async () => {
  gemini = await startFakeGemini();  // answers at 1/16 of Gemini's pixel sizes
  worker = await startWorker({
    vars: {
      DEBUG_ROUTES: "true",
      GEMINI_API_KEY: gemini.apiKey,
      GEMINI_API_BASE: gemini.url,
      GENERATION_RETRY_BASE_SECONDS: "0",
      GENERATION_RETRY_MAX_SECONDS: "1",
    },
    logLevel: "log",
  });
  admin = new Client(worker.url);
  await admin.devLogin("admin@example.com");
});
after(async () => {
  await worker?.stop();
  await gemini?.close();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function newUser(coins = 200) {
  const client = new Client(worker.url);
  const user = await client.devLogin(`models-${++userCount}-${Date.now()}@example.com`);
  const r = await admin.json(`/api/admin/users/${user.id}/coins`, {
    method: "POST",
    body: { amount: coins - user.coins, reason: "test setup" },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { client, user };
}

const generate = (client, body, headers = {}) => client.json("/api/images/generate", { method: "POST", body, headers });

async function waitFor(client, id, timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await client.json(`/api/images/${id}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    if (["COMPLETED", "FAILED"].includes(r.body.image.status)) return r.body.image;
    if (Date.now() > deadline) throw new Error(`image ${id} still ${r.body.image.status}`);
    await sleep(200);
  }
}

async function assertCoinsConsistent(client, user, coins) {
  const r = await admin.json(`/api/_debug/users/${user.id}/generation-audit`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.coins, r.body.ledgerSum, "balance = sum of ledger");
  assert.deepEqual(r.body.openHolds, [], "no hold left open");
  assert.deepEqual(r.body.orphanObjects, [], "no orphaned R2 object");
  assert.equal(r.body.consistent, true);
  const me = await client.json("/api/me");
  assert.equal(me.body.user.coins, await ledgerSum(client));
  assert.equal(me.body.user.coins, coins);
}

async function holds(client) {
  const r = await client.json("/api/me/transactions?limit=100");
  assert.equal(r.status, 200);
  return r.body.items.filter((i) => i.reason !== "signup_bonus" && !i.reason.startsWith("admin_grant")).map((i) => [i.reason, i.delta]);
}

test("GET /api/config lists the three models, the default first, with their sizes, ratios and prices", async () => {
  const r = await new Client(worker.url).json("/api/config");
  assert.equal(r.status, 200);
  assert.equal(r.body.generationCost, 10);
  assert.deepEqual(r.body.models.map((m) => [m.id, m.name, m.default]), [
    [FLASH25, "Nano Banana", true], [FLASH31, "Nano Banana 2", false], [PRO, "Nano Banana Pro", false],
  ]);
  const [flash25, flash31, pro] = r.body.models;
  assert.deepEqual(flash25.imageSizes, ["1K"]);
  assert.deepEqual(flash25.costs, { "1K": 10 });
  assert.equal(flash25.maxReferences, 3);
  assert.equal(flash25.grounding, false);
  assert.equal(flash25.thinking, false);
  assert.deepEqual(flash31.imageSizes, ["0.5K", "1K", "2K", "4K"]);
  assert.deepEqual(flash31.costs, { "0.5K": 6, "1K": 10, "2K": 15, "4K": 25 });
  assert.ok(["1:4", "4:1", "1:8", "8:1"].every((ratio) => flash31.aspectRatios.includes(ratio)));
  assert.equal(flash31.aspectRatios.length, 14);
  assert.equal(flash31.maxReferences, 14);
  assert.equal(flash31.thinking, true);
  assert.deepEqual(pro.imageSizes, ["1K", "2K", "4K"]);
  assert.deepEqual(pro.costs, { "1K": 30, "2K": 30, "4K": 50 });
  assert.equal(pro.aspectRatios.length, 10);
  assert.equal(pro.grounding, true);
  assert.equal(pro.thinking, false);
});

test("Nano Banana (the default): no imageSize sent, 1K price, model and size on the image", async () => {
  const { client, user } = await newUser();
  const r = await generate(client, { prompt: "models: a plain pear", aspectRatio: "4:3" });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.equal(r.body.image.model, FLASH25);
  assert.equal(r.body.image.imageSize, "1K");
  assert.equal(r.body.image.grounding, null);
  assert.equal(r.body.image.coinsUsed, 10);
  const image = await waitFor(client, r.body.image.id);
  assert.equal(image.status, "COMPLETED", image.error);
  assert.deepEqual([image.width, image.height], [74, 54]);  // 1184x864 / 16
  const [sent] = gemini.requestsFor("models: a plain pear");
  assert.equal(sent.model, FLASH25);
  assert.deepEqual(sent.body.generationConfig, { responseModalities: ["IMAGE"], imageConfig: { aspectRatio: "4:3" } });
  assert.equal(sent.body.tools, undefined);
  assert.deepEqual(await holds(client), [["hold", -10]]);
  await assertCoinsConsistent(client, user, 190);
});

test("Nano Banana Pro at 4K with Search grounding: its price held, thoughts skipped, sources kept", async () => {
  const { client, user } = await newUser();
  const r = await generate(client, { prompt: "models: the Eiffel tower tonight", model: PRO, imageSize: "4K",
    aspectRatio: "16:9", grounding: true });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.equal(r.body.image.coinsUsed, 50);
  assert.equal((await client.json("/api/me")).body.user.coins, 150);
  const image = await waitFor(client, r.body.image.id);
  assert.equal(image.status, "COMPLETED", image.error);
  assert.equal(image.model, PRO);
  assert.equal(image.imageSize, "4K");
  assert.deepEqual([image.width, image.height], [344, 192]);  // 5504x3072 / 16
  assert.deepEqual(image.grounding, {
    queries: ["models: the Eiffel tower reference photos", "models: the Eiffel tower facts"],
    sources: [
      { title: "example.org", uri: "https://example.org/grounding/first" },
      { title: "Banana - Wikipedia", uri: "https://en.wikipedia.org/wiki/Banana" },
    ],
  });
  const [sent] = gemini.requestsFor("models: the Eiffel tower tonight");
  assert.equal(sent.model, PRO);
  assert.deepEqual(sent.body.generationConfig.imageConfig, { aspectRatio: "16:9", imageSize: "4K" });
  assert.deepEqual(sent.body.tools, [{ google_search: {} }]);
  // The stored image is the final one, not the model's draft (a thought part of 8x8).
  const bytes = Buffer.from(await (await client.fetch(image.url)).arrayBuffer());
  assert.deepEqual(pngSize(bytes), [344, 192]);
  assert.ok(gemini.images.some((png) => png.equals(bytes)));
  // The list and the detail agree.
  const list = await client.json("/api/images?type=GENERATED");
  assert.deepEqual(list.body.items.find((i) => i.id === image.id).grounding, image.grounding);
  assert.deepEqual(await holds(client), [["hold", -50]]);
  await assertCoinsConsistent(client, user, 150);
});

test("Nano Banana 2 at 512 px, 8:1, thinking minimal: imageSize 512 and the thinking level sent", async () => {
  const { client, user } = await newUser();
  const r = await generate(client, { prompt: "models: a long banner of bananas", model: FLASH31, imageSize: "0.5K",
    aspectRatio: "8:1", thinking: "minimal" });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.equal(r.body.image.coinsUsed, 6);
  const image = await waitFor(client, r.body.image.id);
  assert.equal(image.status, "COMPLETED", image.error);
  assert.deepEqual([image.width, image.height], [96, 12]);  // 1536x192 / 16
  assert.equal(image.imageSize, "0.5K");
  assert.equal(image.grounding, null);
  const [sent] = gemini.requestsFor("models: a long banner of bananas");
  assert.equal(sent.model, FLASH31);
  assert.deepEqual(sent.body.generationConfig, {
    responseModalities: ["IMAGE"], imageConfig: { aspectRatio: "8:1", imageSize: "512" }, thinkingConfig: { thinkingLevel: "minimal" },
  });
  await assertCoinsConsistent(client, user, 194);
});

test("each model's unsupported option is a 422 naming the field, and nothing is charged", async () => {
  const { client, user } = await newUser();
  const ids = ["a", "b", "c", "d"].map((c) => c.repeat(32));
  const cases = [
    [{ model: "gemini-9-image" }, "model"],
    [{ model: PRO, imageSize: "4k" }, "imageSize"],  // case-sensitive, as Gemini is
    [{ model: PRO, imageSize: "0.5K" }, "imageSize"],
    [{ imageSize: "2K" }, "imageSize"],  // the default model makes 1K only
    [{ model: PRO, aspectRatio: "8:1" }, "aspectRatio"],
    [{ grounding: true }, "grounding"],
    [{ model: PRO, thinking: "high" }, "thinking"],
    [{ model: FLASH31, thinking: "max" }, "thinking"],
    [{ referenceImageIds: ids }, "referenceImageIds"],
    [{ model: FLASH31, grounding: "yes" }, "grounding"],
  ];
  for (const [extra, field] of cases) {
    const r = await generate(client, { prompt: "models: refused", ...extra });
    assert.equal(r.status, 422, `${JSON.stringify(extra)} -> ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, "VALIDATION_FAILED");
    assert.deepEqual(Object.keys(r.body.error.fields), [field], JSON.stringify(extra));
  }
  assert.equal(gemini.requestsFor("models: refused").length, 0);
  assert.deepEqual(await holds(client), []);
  assert.equal((await client.json("/api/images")).body.items.length, 0);
  await assertCoinsConsistent(client, user, 200);
});

test("an Idempotency-Key replays only the same model and size", async () => {
  const { client, user } = await newUser();
  const headers = { "idempotency-key": `models-${Date.now()}` };
  const first = await generate(client, { prompt: "models: a kiwi", model: FLASH31, imageSize: "2K" }, headers);
  assert.equal(first.status, 202, JSON.stringify(first.body));
  const again = await generate(client, { prompt: "models: a kiwi", model: FLASH31, imageSize: "2K" }, headers);
  assert.equal(again.status, 202);
  assert.equal(again.body.image.id, first.body.image.id);
  const other = await generate(client, { prompt: "models: a kiwi", model: FLASH31, imageSize: "4K" }, headers);
  assert.equal(other.status, 409, JSON.stringify(other.body));
  await waitFor(client, first.body.image.id);
  await assertCoinsConsistent(client, user, 185);
});

test("a thinking model that answers only thoughts, or stops for safety, fails with a refund", async () => {
  const { client, user } = await newUser();
  const thoughts = await generate(client, { prompt: "models: only drafts [[gemini: thoughts]]", model: PRO, imageSize: "2K" });
  assert.equal(thoughts.status, 202, JSON.stringify(thoughts.body));
  const safety = await generate(client, { prompt: "models: unsafe [[gemini: safety]]", model: FLASH31, imageSize: "4K" });
  assert.equal(safety.status, 202, JSON.stringify(safety.body));
  const a = await waitFor(client, thoughts.body.image.id);
  const b = await waitFor(client, safety.body.image.id);
  assert.equal(a.status, "FAILED");
  assert.match(a.error, /image/i);
  assert.equal(b.status, "FAILED");
  assert.equal(gemini.requestsFor("models: only drafts").length, 1, "a final failure is not retried");
  assert.deepEqual((await holds(client)).sort(), [["hold", -25], ["hold", -30], ["refund", 25], ["refund", 30]]);
  await assertCoinsConsistent(client, user, 200);
});
