// Issue 9's memory bound on the real Worker: a burst of heavy uploads and generations at once, and the
// sum of every wasm instance's linear memory (app instances and throwaway codec instances) stays under
// the 96 MB budget at its highest point, while every image still gets its thumbnail. Miniflare enforces
// no memory limit at all, so this test is what stands in for Cloudflare's 128 MB isolate.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./support/worker.js";
import { Client } from "./support/client.js";
import { imageSize, multipart } from "./support/images.js";
import { photoJpeg, photoPng } from "../support/photos.js";
import { startFakeGemini } from "../fakes/gemini.js";

const MiB = 1024 * 1024;
const BUDGET = 96 * MiB;
const IDLE = 16 * MiB;

let worker, gemini;

before(async () => {
  gemini = await startFakeGemini({ scale: 1 });  // Gemini's real 1024 x 1024 answers
  worker = await startWorker({
    vars: { DEBUG_ROUTES: "true", GEMINI_API_KEY: gemini.apiKey, GEMINI_API_BASE: gemini.url },
  });
});
after(async () => {
  await worker?.stop();
  await gemini?.close();
});

async function pool() {
  const r = await worker.fetch("/api/_debug/pool");
  assert.equal(r.status, 200);
  return r.json();
}

function upload(client, bytes, filename, type) {
  const { body, contentType } = multipart([{ name: "file", filename, type, data: bytes }]);
  return client.json("/api/images", { method: "POST", headers: { "content-type": contentType }, body });
}

async function waitForImage(client, id, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const image = (await client.json(`/api/images/${id}`)).body.image;
    if (!["PENDING", "PROCESSING"].includes(image.status)) return image;
    if (Date.now() > deadline) throw new Error(`image ${id} still ${image.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// The thumbnail is a real JPEG of the expected size, fetched through the API.
async function assertThumbnail(client, image, what) {
  assert.ok(image.thumbnailUrl, `${what}: no thumbnail (${JSON.stringify(image)})`);
  const r = await client.fetch(image.thumbnailUrl);
  assert.equal(r.status, 200, what);
  const size = imageSize(new Uint8Array(await r.arrayBuffer()));
  assert.equal(size.format, "jpeg", what);
  assert.equal(Math.max(size.width, size.height), Math.min(384, Math.max(image.width, image.height)), what);
}

test("8 x 40 MP JPEG, 4 x 16 MP progressive JPEG, 4 x 4000^2 PNG and 4 generations at once: all thumbnailed, peak <= 96 MB", async () => {
  const big = photoJpeg(7296, 5472, { quality: 96, grain: 30, maxBytes: 10_000_000 });  // ~9.4 MB
  const progressive = photoJpeg(4896, 3264, { quality: 90, progressive: true });
  const png = photoPng(4000, 4000, { grain: 0 });
  assert.ok(big.length > 9_000_000, `the 40 MP JPEG weighs ${big.length}`);

  const uploaders = [new Client(worker.url), new Client(worker.url), new Client(worker.url)];
  for (const [i, c] of uploaders.entries()) await c.devLogin(`mem-${i}@example.com`);
  const generators = [new Client(worker.url), new Client(worker.url)];
  for (const [i, c] of generators.entries()) await c.devLogin(`gen-${i}@example.com`);
  const before = await pool();

  const uploads = [
    ...Array.from({ length: 8 }, (_, i) => ({ client: uploaders[0], bytes: big, name: `big-${i}.jpg`, type: "image/jpeg", w: 7296, h: 5472 })),
    ...Array.from({ length: 4 }, (_, i) => ({ client: uploaders[1], bytes: progressive, name: `prog-${i}.jpg`, type: "image/jpeg", w: 4896, h: 3264 })),
    ...Array.from({ length: 4 }, (_, i) => ({ client: uploaders[2], bytes: png, name: `png-${i}.png`, type: "image/png", w: 4000, h: 4000 })),
  ];
  const started = Date.now();
  const [uploaded, generated] = await Promise.all([
    Promise.all(uploads.map((u) => upload(u.client, u.bytes, u.name, u.type).then((r) => ({ ...u, r })))),
    Promise.all(Array.from({ length: 4 }, (_, i) =>
      generators[i % 2].json("/api/images/generate", { method: "POST", body: { prompt: `memory burst ${i}` } }))),
  ]);
  for (const u of uploaded) {
    assert.equal(u.r.status, 201, `${u.name}: ${JSON.stringify(u.r.body)}`);
    assert.deepEqual([u.r.body.image.width, u.r.body.image.height], [u.w, u.h], u.name);
    await assertThumbnail(u.client, u.r.body.image, u.name);
  }
  for (const [i, g] of generated.entries()) {
    assert.equal(g.status, 202, JSON.stringify(g.body));
    const image = await waitForImage(generators[i % 2], g.body.image.id);
    assert.equal(image.status, "COMPLETED", image.error);
    await assertThumbnail(generators[i % 2], image, `generation ${i}`);
  }
  const after = await pool();
  console.log(`# burst of ${uploads.length} uploads + 4 generations in ${Date.now() - started} ms; pool before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
  assert.equal(after.codec.runs - before.codec.runs, uploads.length + 4, "one codec run per image");
  assert.ok(after.peakWasmBytes > IDLE, `the burst should have used real memory: ${after.peakWasmBytes}`);
  assert.ok(after.peakWasmBytes <= BUDGET, `peak wasm memory ${after.peakWasmBytes} > ${BUDGET}`);
  assert.ok(after.wasmBytes <= IDLE, `idle wasm memory ${after.wasmBytes} > ${IDLE}`);
  assert.equal(after.waiting, 0);
});
