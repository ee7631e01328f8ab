// A fake Gemini API for integration tests: POST /v1beta/models/{model}:generateContent on a loopback
// port, speaking Google's wire format — real PNG bytes in candidates[].content.parts[].inlineData,
// usageMetadata and modelVersion; promptFeedback.blockReason and finishReason refusals; HTTP errors in
// the google.rpc.Status envelope {"error":{code,message,status,details}} with RetryInfo. Node built-ins only.
//
//   const gemini = await startFakeGemini();
//   worker vars: { GEMINI_API_BASE: gemini.url, GEMINI_API_KEY: gemini.apiKey }
//   gemini.script({ status: 429, retryDelay: "1s" }, { image: true });  // the next two answers, in order
//   gemini.setDefault({ status: 500 });                                  // every answer after the script
//   gemini.script({ hangMs: 3000 });                                     // an image, three seconds late
//   gemini.on("cat", { finishReason: "IMAGE_SAFETY" });                   // next answer to a prompt with "cat"
//   gemini.always("dog", { status: 500 });                               // every answer to prompts with "dog"
//   prompt "a boat [[gemini: 500, 429, hang:4000, safety]]"              // a schedule the prompt carries (below)
//   gemini.requests  -> [{ path, headers, body, receivedAt }]           // every request, parsed
//   await gemini.close();
import { createServer } from "node:http";
import { createHash } from "node:crypto";
import { rgbPng } from "../support/png.js";

export const DEFAULT_MODEL = "gemini-2.5-flash-image";
export const DEFAULT_API_KEY = "fake-gemini-key";

// What gemini-2.5-flash-image returns for each aspectRatio (ai.google.dev image generation docs).
export const GEMINI_SIZES = Object.freeze({
  "1:1": [1024, 1024], "2:3": [832, 1248], "3:2": [1248, 832], "3:4": [864, 1184], "4:3": [1184, 864],
  "4:5": [896, 1152], "5:4": [1152, 896], "9:16": [768, 1344], "16:9": [1344, 768], "21:9": [1536, 672],
});

// The Gemini 3 image models' 1K sizes (ai.google.dev image generation docs); 2K doubles, 4K quadruples
// and Nano Banana 2's 512 px halves them.
const GEMINI3_1K = {
  "1:1": [1024, 1024], "2:3": [848, 1264], "3:2": [1264, 848], "3:4": [896, 1200], "4:3": [1200, 896],
  "4:5": [928, 1152], "5:4": [1152, 928], "9:16": [768, 1376], "16:9": [1376, 768], "21:9": [1584, 672],
};
// Each model as Google validates and answers it: imageConfig.imageSize values (exact case; null: the
// field does not exist), aspect ratios, inline images per request, the google_search tool,
// thinkingConfig.thinkingLevel values, and whether answers carry thought parts.
export const MODELS = Object.freeze({
  "gemini-2.5-flash-image": {
    sizes: null, ratios: GEMINI_SIZES, maxImages: 3, search: false, thinkingLevels: [], thinks: false,
  },
  "gemini-3.1-flash-image-preview": {
    sizes: { "512": 0.5, "1K": 1, "2K": 2, "4K": 4 },
    ratios: { ...GEMINI3_1K, "1:4": [512, 2048], "4:1": [2048, 512], "1:8": [384, 3072], "8:1": [3072, 384] },
    maxImages: 14, search: true, thinkingLevels: ["minimal", "high"], thinks: true,
  },
  "gemini-3-pro-image-preview": {
    sizes: { "1K": 1, "2K": 2, "4K": 4 }, ratios: GEMINI3_1K, maxImages: 14, search: true, thinkingLevels: [], thinks: true,
  },
});

// The pixels `model` answers for an imageConfig: [width, height].
export function pixelsFor(model, ratio = "1:1", imageSize = undefined) {
  const spec = MODELS[model];
  const [w, h] = spec.ratios[ratio];
  const factor = spec.sizes && imageSize ? spec.sizes[imageSize] : 1;
  return [Math.round(w * factor), Math.round(h * factor)];
}

const STATUS_NAMES = {
  400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED",
};
const STATUS_MESSAGES = {
  400: "Request contains an invalid argument.",
  403: "The caller does not have permission",
  404: "models/unknown is not found for API version v1beta, or is not supported for generateContent.",
  429: "You exceeded your current quota, please check your plan and billing details.",
  500: "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
  503: "The model is overloaded. Please try again later.",
  504: "Deadline expired before operation could complete.",
};

// ---------------------------------------------------------------------------------------------
// PNG encoding: 8-bit RGB, filter 0 rows (tests/support/png.js writes the file).


// A width x height gradient coloured by `seed` (e.g. a hash of the prompt): real, decodable PNG bytes.
export function makePng(width, height, seed = 0) {
  const row = 1 + width * 3;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    raw[y * row] = 0;
    for (let x = 0; x < width; x++) {
      const o = y * row + 1 + x * 3;
      raw[o] = (Math.floor((x * 255) / width) + seed) & 255;
      raw[o + 1] = Math.floor((y * 255) / height) & 255;
      raw[o + 2] = (seed * 37 + 80) & 255;
    }
  }
  return rgbPng(width, height, raw);
}

// Width and height from a PNG's IHDR, or null.
export function pngSize(bytes) {
  if (bytes.length < 24 || bytes.readUInt32BE(0) !== 0x89504e47) return null;
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

function nearestRatio(width, height) {
  let best = "1:1";
  let bestDistance = Infinity;
  for (const [ratio, [w, h]] of Object.entries(GEMINI_SIZES)) {
    const d = Math.abs(Math.log(w / h) - Math.log(width / height));
    if (d < bestDistance) [best, bestDistance] = [ratio, d];
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Answers in Google's shapes.

export function errorBody(code, { status = STATUS_NAMES[code] ?? "UNKNOWN", message = STATUS_MESSAGES[code] ?? "error",
  details = [] } = {}) {
  return { error: { code, message, status, details } };
}

export function quotaDetails(retryDelay) {
  const details = [
    {
      "@type": "type.googleapis.com/google.rpc.QuotaFailure",
      violations: [{
        quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests",
        quotaId: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
        quotaDimensions: { location: "global", model: DEFAULT_MODEL },
        quotaValue: "10",
      }],
    },
    { "@type": "type.googleapis.com/google.rpc.Help", links: [{ description: "Learn more about Gemini API quotas", url: "https://ai.google.dev/gemini-api/docs/rate-limits" }] },
  ];
  if (retryDelay) details.push({ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay });
  return details;
}

function usage(imageTokens) {
  return {
    promptTokenCount: 12,
    candidatesTokenCount: imageTokens,
    totalTokenCount: 12 + imageTokens,
    promptTokensDetails: [{ modality: "TEXT", tokenCount: 12 }],
    ...(imageTokens ? { candidatesTokensDetails: [{ modality: "IMAGE", tokenCount: imageTokens }] } : {}),
  };
}

function candidateAnswer(parts, finishReason, imageTokens, model) {
  return {
    candidates: [{ content: { parts, role: "model" }, finishReason, index: 0 }],
    usageMetadata: usage(imageTokens),
    modelVersion: model,
    responseId: createHash("sha256").update(String(Math.random())).digest("base64url").slice(0, 22),
  };
}

// candidates[].groundingMetadata as a grounded answer carries it: the searches, the pages (chunks),
// the supports tying text to chunks and the search entry point Google asks to be shown.
export function groundingFor(prompt) {
  const words = prompt.replace(/\[\[.*?\]\]/g, "").trim().split(/\s+/).slice(0, 4).join(" ") || "image";
  return {
    webSearchQueries: [`${words} reference photos`, `${words} facts`],
    groundingChunks: [
      { web: { uri: "https://example.org/grounding/first", title: "example.org" } },
      { web: { uri: "https://en.wikipedia.org/wiki/Banana", title: "Banana - Wikipedia" } },
    ],
    groundingSupports: [{ segment: { startIndex: 0, endIndex: 4, text: "A ba" }, groundingChunkIndices: [0, 1] }],
    searchEntryPoint: { renderedContent: "<style>.container{}</style><div class=\"container\">Google</div>" },
  };
}

// ---------------------------------------------------------------------------------------------
// What Google refuses. generateContent parses the body as proto3 JSON: an unknown or misspelt field,
// an enum value it does not know and a wrong type are each 400 INVALID_ARGUMENT "Invalid JSON payload
// received. ...", never silently ignored. Field names are accepted in lowerCamelCase or snake_case
// (proto3 JSON). Sources: ai.google.dev/api/generate-content (GenerateContentRequest, Content, Part,
// Blob, GenerationConfig, ImageConfig) and the image-understanding MIME types.

export const MAX_REQUEST_BYTES = 20 * 1024 * 1024;  // "Request payload size exceeds the limit: 20971520 bytes."
// Inline image types Gemini reads (image/gif is not one of them).
export const INPUT_MIME_TYPES = Object.freeze(["image/png", "image/jpeg", "image/webp", "image/heic", "image/heif"]);
const MODALITIES = ["TEXT", "IMAGE", "AUDIO"];  // GenerationConfig.Modality
const ROLES = ["user", "model"];

const snake = (name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const FIELDS = {
  googleSearch: ["timeRangeFilter", "searchTypes"],
  request: ["contents", "generationConfig", "safetySettings", "systemInstruction", "tools", "toolConfig", "cachedContent"],
  content: ["role", "parts"],
  part: ["text", "inlineData", "fileData", "thought", "thoughtSignature", "videoMetadata"],
  blob: ["mimeType", "data"],
  generationConfig: ["stopSequences", "responseMimeType", "responseSchema", "responseJsonSchema", "responseModalities",
    "candidateCount", "maxOutputTokens", "temperature", "topP", "topK", "seed", "presencePenalty", "frequencyPenalty",
    "responseLogprobs", "logprobs", "enableEnhancedCivicAnswers", "speechConfig", "thinkingConfig", "imageConfig",
    "mediaResolution"],
  imageConfig: ["aspectRatio", "imageSize"],
  thinkingConfig: ["thinkingLevel", "thinkingBudget", "includeThoughts"],
  tool: ["googleSearch", "googleSearchRetrieval", "codeExecution", "functionDeclarations", "urlContext"],
};

class Refusal extends Error {}
const refuse = (message) => { throw new Refusal(message); };

// Reads obj[name] under either spelling; refuses both at once and any key not in `allowed`.
function fieldsOf(obj, kind, at) {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
    refuse(`Invalid JSON payload received. Expected an object at '${at || "(root)"}'.`);
  }
  const out = {};
  for (const [key, value] of Object.entries(obj)) {
    const name = FIELDS[kind].find((f) => f === key || snake(f) === key);
    if (!name) refuse(`Invalid JSON payload received. Unknown name "${key}"${at ? ` at '${at}'` : ""}: Cannot find field.`);
    if (name in out) refuse(`Invalid JSON payload received. Field "${name}" given twice${at ? ` at '${at}'` : ""}.`);
    out[name] = value;
  }
  return out;
}

// Returns null for a request Google would take, else the message of its 400 INVALID_ARGUMENT.
export function refusalFor(bodyBytes, parsed, { model = DEFAULT_MODEL } = {}) {
  const spec = MODELS[model];
  try {
    if (bodyBytes > MAX_REQUEST_BYTES) refuse(`Request payload size exceeds the limit: ${MAX_REQUEST_BYTES} bytes.`);
    if (parsed === undefined) refuse("Invalid JSON payload received. Unexpected token.");
    const request = fieldsOf(parsed, "request", "");
    if (!Array.isArray(request.contents) || request.contents.length === 0) refuse("* GenerateContentRequest.contents: contents is not specified");
    request.contents.forEach((c, i) => {
      const content = fieldsOf(c, "content", `contents[${i}]`);
      if (content.role !== undefined && !ROLES.includes(content.role)) refuse(`Please use a valid role: ${ROLES.join(", ")}.`);
      if (!Array.isArray(content.parts) || content.parts.length === 0) refuse(`* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`);
      content.parts.forEach((p, j) => {
        const at = `contents[${i}].parts[${j}]`;
        const part = fieldsOf(p, "part", at);
        const data = Object.keys(part).filter((k) => ["text", "inlineData", "fileData"].includes(k));
        if (data.length !== 1) refuse(`Invalid JSON payload received. A part needs exactly one of text, inline_data, file_data at '${at}'.`);
        if (part.text !== undefined && typeof part.text !== "string") refuse(`Invalid value at '${at}.text' (TYPE_STRING)`);
        if (part.inlineData !== undefined) {
          const blob = fieldsOf(part.inlineData, "blob", `${at}.inline_data`);
          if (!INPUT_MIME_TYPES.includes(blob.mimeType)) refuse(`Unsupported MIME type: ${blob.mimeType}`);
          if (typeof blob.data !== "string" || blob.data === "" || Buffer.from(blob.data, "base64").toString("base64") !== blob.data) {
            refuse(`Invalid value at '${at}.inline_data.data' (TYPE_BYTES), Base64 decoding failed`);
          }
        }
      });
    });
    if (request.generationConfig !== undefined) {
      const config = fieldsOf(request.generationConfig, "generationConfig", "generation_config");
      if (config.responseModalities !== undefined) {
        if (!Array.isArray(config.responseModalities)) refuse("Invalid value at 'generation_config.response_modalities' (type.googleapis.com/google.ai.generativelanguage.v1beta.GenerationConfig.Modality)");
        config.responseModalities.forEach((m, k) => {
          if (!MODALITIES.includes(m)) refuse(`Invalid value at 'generation_config.response_modalities[${k}]' (type.googleapis.com/google.ai.generativelanguage.v1beta.GenerationConfig.Modality), ${JSON.stringify(m)}`);
        });
        // An image model answers images: without IMAGE, or with AUDIO, it refuses the modalities.
        if (/-image/.test(model) && (!config.responseModalities.includes("IMAGE") || config.responseModalities.includes("AUDIO"))) {
          refuse(`Model does not support the requested response modalities: ${config.responseModalities.map((m) => m.toLowerCase()).join(",")}`);
        }
      }
      if (config.imageConfig !== undefined) {
        const image = fieldsOf(config.imageConfig, "imageConfig", "generation_config.image_config");
        if (image.aspectRatio !== undefined && !Object.hasOwn(spec.ratios, image.aspectRatio)) {
          refuse(`Unsupported aspect ratio: ${JSON.stringify(image.aspectRatio)}. Supported: ${Object.keys(spec.ratios).join(", ")}.`);
        }
        if (image.imageSize !== undefined) {
          if (!spec.sizes) refuse(`Invalid JSON payload received. Unknown name "imageSize" at 'generation_config.image_config': image_size is not supported by ${model}.`);
          if (!Object.hasOwn(spec.sizes, image.imageSize)) {
            refuse(`Unsupported image size: ${JSON.stringify(image.imageSize)}. Supported: ${Object.keys(spec.sizes).join(", ")} (upper-case K).`);
          }
        }
      }
      if (config.thinkingConfig !== undefined) {
        const thinking = fieldsOf(config.thinkingConfig, "thinkingConfig", "generation_config.thinking_config");
        if (thinking.thinkingLevel !== undefined && !spec.thinkingLevels.includes(thinking.thinkingLevel)) {
          refuse(`Thinking level ${JSON.stringify(thinking.thinkingLevel)} is not supported for ${model}.`);
        }
      }
    }
    const images = request.contents.flatMap((c) => c.parts ?? []).filter((p) => p.inlineData ?? p.inline_data).length;
    if (images > spec.maxImages) refuse(`Too many images in the request: ${images}, at most ${spec.maxImages} for ${model}.`);
    if (request.tools !== undefined) {
      if (!Array.isArray(request.tools)) refuse("Invalid value at 'tools' (type.googleapis.com/google.ai.generativelanguage.v1beta.Tool)");
      request.tools.forEach((t, k) => {
        const tool = fieldsOf(t, "tool", `tools[${k}]`);
        if (tool.googleSearch === undefined || Object.keys(tool).length !== 1) refuse(`Tool at 'tools[${k}]' is not supported by ${model}.`);
        if (!spec.search) refuse(`Search as a tool is not enabled for ${model}.`);
        fieldsOf(tool.googleSearch, "googleSearch", `tools[${k}].google_search`);
      });
    }
    return null;
  } catch (e) {
    if (e instanceof Refusal) return e.message;
    throw e;
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res, status, body, headers = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers });
  res.end(text);
}

// ---------------------------------------------------------------------------------------------
// A fault schedule carried by the prompt itself: "[[gemini: 500, 429, image]]" anywhere in the prompt
// makes the n-th request with that exact prompt get the n-th step, and an image once the list is used
// up. The caller needs no handle on the fake (a soak from another process, a queue redelivery that
// comes back later), and every retry of one job walks its own list. Steps:
//   image | 500 | 503 | 429 (with a 1 s RetryInfo) | 400 | safety (finishReason IMAGE_SAFETY)
//   | blocked (promptFeedback SAFETY) | text (words, no image) | hang:<ms> (an image, <ms> late)
//   | thoughts (a thinking model's drafts only, no final image)
const SCHEDULE_MARKER = /\[\[gemini:([^\]]*)\]\]/;

export function scheduleStep(token) {
  const t = token.trim().toLowerCase();
  if (t === "image") return { image: true };
  if (/^(400|500|503)$/.test(t)) return { status: Number(t) };
  if (t === "429") return { status: 429, retryDelay: "1s" };
  if (t === "safety") return { finishReason: "IMAGE_SAFETY" };
  if (t === "blocked") return { blockReason: "SAFETY" };
  if (t === "text") return { text: "I can only describe it: a quiet harbour at dawn." };
  if (t === "thoughts") return { thoughtsOnly: true };
  const hang = /^hang:(\d+)$/.exec(t);
  if (hang) return { hangMs: Number(hang[1]) };
  throw new Error(`fake gemini: unknown schedule step ${JSON.stringify(t)}`);
}

// The steps of a prompt's schedule, or null when it carries none.
export function promptSchedule(prompt) {
  const m = SCHEDULE_MARKER.exec(prompt);
  return m ? m[1].split(",").filter((s) => s.trim() !== "").map(scheduleStep) : null;
}

// options.apiKey, options.model (the default model of modelVersion in refusals), options.models (the
// models served; default every one of MODELS), options.scale (divides Gemini's pixel sizes; 1 = real
// size, default 16).
export async function startFakeGemini(options = {}) {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const model = options.model ?? DEFAULT_MODEL;
  const scale = options.scale ?? 16;
  const scriptQueue = [];
  const byPrompt = [];  // [{ needle, steps: [], sticky }]
  let fallback = { image: true };
  const requests = [];
  const images = [];  // every PNG returned, in order, as Buffers
  const pending = new Set();
  const scheduled = new Map();  // prompt -> requests answered from its schedule so far

  // The image answer for a request: the requested ratio, else the first reference's, else 1:1, at the
  // requested size. Thinking models first send their thoughts (text and a draft image, thought: true)
  // and sign the final image (thoughtSignature); a request with the google_search tool gets
  // groundingMetadata.
  function imageFor(parsed, extraText, answeringModel, step = {}) {
    const parts = parsed.contents?.[0]?.parts ?? [];
    const prompt = parts.find((p) => typeof p.text === "string")?.text ?? "";
    const config = parsed.generationConfig ?? parsed.generation_config ?? {};
    const imageConfig = config.imageConfig ?? config.image_config ?? {};
    let ratio = imageConfig.aspectRatio ?? imageConfig.aspect_ratio;
    if (!ratio) {
      const ref = parts.find((p) => p.inline_data ?? p.inlineData);
      const size = ref ? pngSize(Buffer.from((ref.inline_data ?? ref.inlineData).data, "base64")) : null;
      ratio = size ? nearestRatio(size[0], size[1]) : "1:1";
    }
    // refusalFor turned away any other ratio or size
    const [w, h] = pixelsFor(answeringModel, ratio, imageConfig.imageSize ?? imageConfig.image_size);
    const seed = createHash("sha256").update(prompt).update(String(images.length)).digest()[0];
    const png = step.png ?? makePng(Math.max(1, Math.round(w / scale)), Math.max(1, Math.round(h / scale)), seed);
    images.push(png);
    const out = [];
    const spec = MODELS[answeringModel];
    if (spec.thinks) {
      out.push({ text: "**Planning the composition**\nA first sketch, then the details.", thought: true });
      out.push({ inlineData: { mimeType: "image/png", data: makePng(8, 8, seed ^ 0x55).toString("base64") }, thought: true });
    }
    if (extraText) out.push({ text: extraText });
    const final = { inlineData: { mimeType: "image/png", data: png.toString("base64") } };
    if (spec.thinks) final.thoughtSignature = createHash("sha256").update(png).digest("base64");
    out.push(final);
    const answerBody = candidateAnswer(out, "STOP", 1290, answeringModel);
    const tools = parsed.tools ?? [];
    if (tools.some((t) => t.google_search ?? t.googleSearch)) {
      answerBody.candidates[0].groundingMetadata = groundingFor(prompt);
    }
    return answerBody;
  }

  // Turns one scripted step into [status, body, headers].
  function answer(step, parsed, answeringModel) {
    if (step.raw) return [step.raw.status, step.raw.body, step.raw.headers ?? {}];
    if (step.status && step.status !== 200) {
      const details = step.status === 429 ? quotaDetails(step.retryDelay) : step.details ?? [];
      return [step.status, errorBody(step.status, { details, message: step.message, status: step.statusName }), step.headers ?? {}];
    }
    if (step.blockReason) {
      return [200, { promptFeedback: { blockReason: step.blockReason }, usageMetadata: usage(0), modelVersion: answeringModel }, {}];
    }
    if (step.finishReason) return [200, candidateAnswer([], step.finishReason, 0, answeringModel), {}];
    if (step.text) return [200, candidateAnswer([{ text: step.text }], "STOP", 20, answeringModel), {}];
    if (step.thoughtsOnly) {
      // A thinking model that stopped after its drafts: thought parts only, no final image.
      const draft = makePng(8, 8, 7).toString("base64");
      return [200, candidateAnswer([{ text: "Thinking about the light.", thought: true },
        { inlineData: { mimeType: "image/png", data: draft }, thought: true }], "STOP", 300, answeringModel), {}];
    }
    return [200, imageFor(parsed, step.withText, answeringModel, step), {}];
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://fake");
    let body;
    try {
      body = await readBody(req);
    } catch {
      return;  // the caller gave up (its timeout) before sending the whole body: nobody to answer
    }
    let parsed;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {}
    const record = { method: req.method, path: url.pathname, query: url.search, headers: req.headers, body: parsed,
      bytes: body.length, receivedAt: Date.now() };
    requests.push(record);

    // The same refusals Google gives for a malformed call, before any scripted answer is used.
    const asked = /^\/v1beta\/models\/([^/:]+):generateContent$/.exec(url.pathname)?.[1];
    if (req.method !== "POST" || !asked || !Object.hasOwn(MODELS, asked) || (options.models && !options.models.includes(asked))) {
      return send(res, 404, errorBody(404, { message: `${url.pathname} is not found` }));
    }
    record.model = asked;
    if (url.searchParams.has("key")) {
      return send(res, 400, errorBody(400, { message: "Do not send the API key in the URL (test rule)." }));
    }
    if (req.headers["x-goog-api-key"] !== apiKey) {
      return send(res, 400, errorBody(400, {
        message: "API key not valid. Please pass a valid API key.",
        details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com",
          metadata: { service: "generativelanguage.googleapis.com" } }],
      }));
    }
    const refusal = refusalFor(body.length, parsed, { model: asked });
    if (refusal) {
      record.answeredStatus = 400;
      record.refusal = refusal;
      return send(res, 400, errorBody(400, { message: refusal }));
    }
    const parts = parsed.contents[0].parts;
    if (!parts.some((p) => typeof p.text === "string")) {
      record.answeredStatus = 400;
      return send(res, 400, errorBody(400, { message: "The image model needs a text prompt (test rule)." }));
    }

    const prompt = parts.find((p) => typeof p.text === "string").text;
    const mine = byPrompt.find((e) => prompt.includes(e.needle) && (e.steps.length || e.sticky));
    let step;
    if (mine) step = mine.steps.length ? mine.steps.shift() : mine.sticky;
    else if (SCHEDULE_MARKER.test(prompt)) {
      let steps;
      try {
        steps = promptSchedule(prompt);
      } catch (e) {
        // A test's typo: answered loudly (and recorded) rather than crashing the fake's process.
        record.answeredStatus = 400;
        record.refusal = e.message;
        return send(res, 400, errorBody(400, { message: e.message }));
      }
      const n = scheduled.get(prompt) ?? 0;
      scheduled.set(prompt, n + 1);
      step = steps[n] ?? { image: true };
      record.scheduledStep = n;
    } else step = scriptQueue.length ? scriptQueue.shift() : fallback;
    if (step.hangMs) {
      await new Promise((resolve) => {
        const t = setTimeout(resolve, step.hangMs);
        pending.add({ t, resolve });
      });
    }
    const [status, answerBody, headers] = answer(step, parsed, asked);
    record.answeredStatus = status;
    if (!res.destroyed) send(res, status, answerBody, headers);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    model,
    requests,
    images,
    // Answers for the next requests, in order; then the default applies again.
    script(...steps) {
      scriptQueue.push(...steps);
    },
    setDefault(step) {
      fallback = step;
    },
    // Answers for the next requests whose prompt contains `needle`, before any other script.
    on(needle, ...steps) {
      const entry = byPrompt.find((e) => e.needle === needle);
      if (entry) entry.steps.push(...steps);
      else byPrompt.push({ needle, steps: [...steps], sticky: null });
    },
    // The answer to every request whose prompt contains `needle` once its `on` steps are used up.
    always(needle, step) {
      const entry = byPrompt.find((e) => e.needle === needle);
      if (entry) entry.sticky = step;
      else byPrompt.push({ needle, steps: [], sticky: step });
    },
    reset() {
      scriptQueue.length = 0;
      byPrompt.length = 0;
      fallback = { image: true };
      requests.length = 0;
      images.length = 0;
      scheduled.clear();
    },
    // Requests whose prompt (first text part) contains `needle`.
    requestsFor(needle) {
      return requests.filter((r) => (r.body?.contents?.[0]?.parts ?? []).some((p) => typeof p.text === "string" && p.text.includes(needle)));
    },
    async close() {
      for (const p of pending) {
        clearTimeout(p.t);
        p.resolve();
      }
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
