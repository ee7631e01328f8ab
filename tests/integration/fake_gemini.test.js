// Self-test of tests/fakes/gemini.js: it refuses what Google's generateContent refuses (400
// INVALID_ARGUMENT in the google.rpc.Status envelope), so a Worker that sends a misspelt field, an
// unknown aspect ratio, the wrong modalities, an image type Gemini cannot read or an oversize body
// fails its tests instead of getting a picture. No Worker needed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startFakeGemini, makePng, pngSize, MAX_REQUEST_BYTES } from "../fakes/gemini.js";
import { GIF_1X1 } from "./support/images.js";

let gemini;
before(async () => (gemini = await startFakeGemini()));
after(async () => gemini?.close());

const PNG = makePng(8, 8).toString("base64");
// The shape src/generation/gemini_request.cpp writes.
const good = () => ({
  contents: [{ role: "user", parts: [{ text: "a banana" }, { inline_data: { mime_type: "image/png", data: PNG } }] }],
  generationConfig: { responseModalities: ["IMAGE"], imageConfig: { aspectRatio: "16:9" } },
});

async function call(body) {
  const r = await fetch(`${gemini.url}/v1beta/models/${gemini.model}:generateContent`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-goog-api-key": gemini.apiKey },
    body: typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

async function expectRefused(body, message) {
  const r = await call(body);
  assert.equal(r.status, 400, JSON.stringify(r.body).slice(0, 300));
  assert.equal(r.body.error.code, 400);
  assert.equal(r.body.error.status, "INVALID_ARGUMENT");
  assert.match(r.body.error.message, message);
}

test("the Worker's request shape gets an image in the requested ratio", async () => {
  const r = await call(good());
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const part = r.body.candidates[0].content.parts.find((p) => p.inlineData);
  assert.deepEqual(pngSize(Buffer.from(part.inlineData.data, "base64")), [84, 48]);  // 1344x768 / 16
});

test("proto3 JSON: lowerCamelCase and snake_case names are both accepted", async () => {
  const body = {
    contents: [{ parts: [{ text: "a banana" }, { inlineData: { mimeType: "image/jpeg", data: PNG } }] }],
    generation_config: { response_modalities: ["TEXT", "IMAGE"], image_config: { aspect_ratio: "1:1" } },
  };
  assert.equal((await call(body)).status, 200);
});

test("an aspect ratio Gemini does not offer is refused, not drawn as 1:1", async () => {
  for (const aspectRatio of ["7:5", "1:1 ", "16x9", "", 1]) {
    const body = good();
    body.generationConfig.imageConfig.aspectRatio = aspectRatio;
    await expectRefused(body, /aspect ratio/i);
  }
});

test("unknown or misspelt fields are refused at every level", async () => {
  const cases = [
    [(b) => (b.generation_confg = b.generationConfig), /Unknown name "generation_confg"/],
    [(b) => (b.generationConfig.responseModality = ["IMAGE"]), /Unknown name "responseModality"/],
    [(b) => (b.generationConfig.imageConfig.size = "2K"), /Unknown name "size"/],
    [(b) => (b.contents[0].parts[1].inline_data.mimetype = "image/png"), /Unknown name "mimetype"/],
    [(b) => (b.contents[0].parts[0].prompt = "x"), /Unknown name "prompt"/],
    [(b) => (b.contents[0].text = "x"), /Unknown name "text"/],
    [(b) => (b.generationConfig.response_modalities = ["IMAGE"]), /given twice/],
  ];
  for (const [mutate, message] of cases) {
    const body = good();
    mutate(body);
    await expectRefused(body, message);
  }
});

test("responseModalities must be known values and include IMAGE for an image model", async () => {
  for (const modalities of [["PICTURE"], ["image"], ["TEXT"], ["IMAGE", "AUDIO"], "IMAGE"]) {
    const body = good();
    body.generationConfig.responseModalities = modalities;
    await expectRefused(body, /modalit/i);
  }
});

test("reference images Gemini cannot read are refused", async () => {
  for (const [mime_type, data, message] of [
    ["image/gif", GIF_1X1.toString("base64"), /Unsupported MIME type: image\/gif/],
    ["application/octet-stream", PNG, /Unsupported MIME type/],
    ["image/png", "not base64!", /Base64 decoding failed/],
    ["image/png", "", /Base64 decoding failed/],
  ]) {
    const body = good();
    body.contents[0].parts[1].inline_data = { mime_type, data };
    await expectRefused(body, message);
  }
});

test("malformed requests are refused", async () => {
  await expectRefused("{not json", /Invalid JSON payload/);
  await expectRefused({}, /contents/);
  await expectRefused({ contents: [{ role: "user", parts: [] }] }, /parts/);
  await expectRefused({ contents: [{ role: "assistant", parts: [{ text: "x" }] }] }, /valid role/);
  await expectRefused({ contents: [{ parts: [{ text: "x", inline_data: { mime_type: "image/png", data: PNG } }] }] }, /exactly one/);
});

test("a body over 20 MiB is 400 INVALID_ARGUMENT, as Google answers, not 413", async () => {
  const body = good();
  body.contents[0].parts[1].inline_data.data = Buffer.alloc(Math.ceil(MAX_REQUEST_BYTES * 0.75) + 3, 1).toString("base64");
  await expectRefused(body, /payload size exceeds the limit: 20971520 bytes/);
});

// Each model of the Nano Banana family validates as Google does and answers in its own shapes.
async function callModel(model, body) {
  const r = await fetch(`${gemini.url}/v1beta/models/${model}:generateContent`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-goog-api-key": gemini.apiKey },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

test("per model: sizes (exact case), ratios, reference counts, the search tool and thinking levels", async () => {
  const ask = (generationConfig, extra = {}) => ({ contents: [{ parts: [{ text: "a banana" }] }], generationConfig, ...extra });
  const refused = async (model, body, message) => {
    const r = await callModel(model, body);
    assert.equal(r.status, 400, `${model}: ${JSON.stringify(body).slice(0, 200)}`);
    assert.match(r.body.error.message, message);
  };
  await refused("gemini-2.5-flash-image", ask({ imageConfig: { imageSize: "1K" } }), /imageSize/);
  await refused("gemini-3-pro-image-preview", ask({ imageConfig: { imageSize: "4k" } }), /Unsupported image size/);
  await refused("gemini-3-pro-image-preview", ask({ imageConfig: { imageSize: "512" } }), /Unsupported image size/);
  await refused("gemini-3-pro-image-preview", ask({ imageConfig: { aspectRatio: "8:1" } }), /Unsupported aspect ratio/);
  await refused("gemini-2.5-flash-image", ask({}, { tools: [{ google_search: {} }] }), /Search as a tool is not enabled/);
  await refused("gemini-3-pro-image-preview", ask({ thinkingConfig: { thinkingLevel: "high" } }), /Thinking level/);
  const refs = Array.from({ length: 4 }, () => ({ inline_data: { mime_type: "image/png", data: makePng(2, 2).toString("base64") } }));
  await refused("gemini-2.5-flash-image", { contents: [{ parts: [{ text: "x" }, ...refs] }] }, /at most 3/);
  assert.equal((await callModel("gemini-3-pro-image-preview", { contents: [{ parts: [{ text: "x" }, ...refs] }] })).status, 200);
  assert.equal((await callModel("gemini-9-image", ask({}))).status, 404);

  const ok = await callModel("gemini-3.1-flash-image-preview",
    ask({ imageConfig: { aspectRatio: "8:1", imageSize: "512" }, thinkingConfig: { thinkingLevel: "minimal" } }, { tools: [{ googleSearch: {} }] }));
  assert.equal(ok.status, 200, JSON.stringify(ok.body).slice(0, 300));
  const parts = ok.body.candidates[0].content.parts;
  assert.deepEqual(parts.map((p) => [Object.keys(p).sort().join(","), p.thought ?? false]), [
    ["text,thought", true], ["inlineData,thought", true], ["inlineData,thoughtSignature", false],
  ]);
  assert.deepEqual(pngSize(Buffer.from(parts[2].inlineData.data, "base64")), [96, 12]);  // 1536x192 / 16
  assert.ok(ok.body.candidates[0].groundingMetadata.groundingChunks.length >= 1);
  assert.equal(ok.body.modelVersion, "gemini-3.1-flash-image-preview");
});
