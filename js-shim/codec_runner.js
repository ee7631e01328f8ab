// The `thumbnail` import: one image in, one thumbnail out, in a codec.wasm instance made for this call
// alone and dropped after it. Third-party decoders run on untrusted bytes there, so:
// - its memory is imported with a hard maximum: the input, the module's base, and the working memory
//   the app's C++ plan declared (PlanThumbnail), taken from the isolate's codec lane first;
// - libjpeg's fatal errors trap (wasi-libc has no setjmp), and a trap is just an error reply: the
//   codec wrote its reason into a static record first, and the instance is discarded either way;
// - nothing of it outlives the call, so its memory is released however the decode ended.
import codecModule from "../build/wasm/codec.opt.wasm";
import { isolateMemory } from "./isolate_memory.js";
import { makeWasi } from "./wasi.js";

const PAGE = 65536;
export const CODEC_BASE_BYTES = 2 * 1024 * 1024;  // the module's --initial-memory: data + stack
const SLACK_BYTES = 1024 * 1024;  // page rounding, the result record, the encoded thumbnail
const decoder = new TextDecoder();

// nb::Status::Code -> the error kinds ports/host_errors.h turns back into a Status.
const KINDS = { 1: "not_found", 2: "invalid_argument", 3: "conflict", 4: "failed_precondition", 5: "out_of_range",
  7: "unavailable" };

function codecError(kind, message) {
  const error = new Error(message);
  error.kind = kind;
  return error;
}

const pagesFor = (bytes) => Math.ceil(bytes / PAGE);

export async function thumbnail(env, head, body) {
  const memory = isolateMemory(env);
  const working = Math.max(0, Math.floor(Number(head.workingBytes) || 0));
  const limit = pagesFor(CODEC_BASE_BYTES + body.length + PAGE + working + SLACK_BYTES) * PAGE;
  if (limit > memory.codec.cap) {
    throw codecError("failed_precondition", `a ${limit}-byte decode does not fit the codec lane`);
  }
  await memory.codec.take(limit, memory.settings.waitMs);
  const linear = new WebAssembly.Memory({ initial: pagesFor(CODEC_BASE_BYTES), maximum: limit / PAGE });
  memory.register(linear);
  memory.codecRuns++;
  try {
    return runCodec(linear, body, memory);
  } finally {
    memory.unregister(linear);
    memory.codec.give(limit);
  }
}

function runCodec(linear, body, memory) {
  const instance = new WebAssembly.Instance(codecModule, {
    env: { memory: linear },
    wasi_snapshot_preview1: makeWasi(() => linear),
  });
  const codec = instance.exports;
  codec._initialize();
  const input = codec.nb_codec_alloc(body.length);
  if (!input) throw codecError("failed_precondition", "no room for the input in the codec's memory");
  new Uint8Array(linear.buffer, input, body.length).set(body);
  let record;
  try {
    record = codec.nb_codec_thumbnail(input, body.length);
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    memory.codecTraps++;
    record = codec.nb_codec_result();  // a leaf function: safe to call on a trapped instance
  }
  const [code, messagePtr, messageLen, bytesPtr, bytesLen, width, height, typePtr, typeLen] = new Uint32Array(
    linear.buffer.slice(record, record + 40));
  const text = (ptr, len) => decoder.decode(new Uint8Array(linear.buffer, ptr, len));
  if (code !== 0) throw codecError(KINDS[code] ?? "internal", text(messagePtr, messageLen) || "codec failed");
  return {
    head: { width, height, contentType: text(typePtr, typeLen) },
    body: new Uint8Array(linear.buffer, bytesPtr, bytesLen).slice(),
  };
}
