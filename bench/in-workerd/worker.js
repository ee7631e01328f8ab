// Bench-only Worker (never deployed), run by bench/run.js beside the two Workers under test, with the
// app's vars. It measures, inside workerd, what HTTP round trips cannot isolate:
//
// GET /instantiate?stage=S&k=K  creates K instances of the C++ module back to back; answers the wall
//   time in ms. Stages, each including the ones before it:
//     instance    new WebAssembly.Instance(module, imports), imports shaped as the shim builds them
//     initialize  + exports._initialize()   (C++ static constructors)
//     full        new WasmInstance(module, env, isolateMemory(env)): the shim's real path (the above
//                 plus the WebAssembly.promising wrappers and nb_init(config JSON) -> App and ports in C++)
//
// GET /codec-instantiate?stage=S&k=K  the same for the codec module (build/wasm/codec.opt.wasm), made
//   as js-shim/codec_runner.js makes one per thumbnail. Stages:
//     instance    new WebAssembly.Memory (CODEC_BASE_BYTES initial) + new WebAssembly.Instance
//     full        + exports._initialize(): everything a thumbnail pays before its input is copied in
//   The first call in an isolate (k=1) is the first-instance time of a fresh isolate: V8 compiles wasm
//   functions lazily, on their first call, so that one pays for compiling what it runs.
//
// GET /handler?worker=cpp|js&n=N[&path=/api/health]  runs N sequential GETs of `path` through the
//   Worker's own fetch handler (js-shim/worker.js, or bench/js-baseline/worker.js) in this isolate,
//   with in-memory D1/R2/KV stand-ins that answer at once: the Workers' own CPU per request —
//   request parsing, the pool, the JSPI bridge, JSON, C++, the reply — without sockets or the
//   storage simulators. path=/api/config (C++ only) makes no binding call: the bridge's fixed cost.
//
// GET /bridge?mode=promising|direct&n=N  drives one WasmInstance the way the shim does for
//   GET /api/config (a route with no binding call), N times: binary head in (js-shim/entry_wire.js),
//   nb_handle_request, binary reply head out. promising: through WebAssembly.promising, as the shim calls it (a JSPI stack per call);
//   direct: the raw export called synchronously (legal only because /api/config never suspends);
//   the difference is the price of entering C++ through JSPI.
//
// GET /reply?stage=request|response&n=N  the shim's own steps around C++ for GET /api/config on one
//   WasmInstance, N times: request = WasmInstance.request (head written, C++ through
//   WebAssembly.promising, reply head read, body copied out); response = that plus the Response built
//   from the reply and read back with text(), which every Worker pays (the JS baseline too).
//
// workerd's clock here ticks in whole milliseconds, so callers ask for batches and divide.
import appModule from "../../build/wasm/app.opt.wasm";
import codecModule from "../../build/wasm/codec.opt.wasm";
import { bindingHandlers } from "../../js-shim/bindings.js";
import { CODEC_BASE_BYTES } from "../../js-shim/codec_runner.js";
import { isolateMemory } from "../../js-shim/isolate_memory.js";
import { readReplyHead, requestHeadBound, writeRequestHead } from "../../js-shim/entry_wire.js";
import { makeWasi } from "../../js-shim/wasi.js";
import { WasmInstance } from "../../js-shim/wasm_instance.js";
import cppWorker from "../../js-shim/worker.js";
import jsWorker from "../js-baseline/worker.js";

// ------------------------------------------------------------------------------ instantiation
// Derived from the shim and the module, so it follows both: one WebAssembly.Suspending per binding
// handler the shim has, a plain function for every other nb_host import.
const NB_HOST_IMPORTS = WebAssembly.Module.imports(appModule).filter((i) => i.module === "nb_host" && i.kind === "function");
function shimImports(holder) {
  const nb_host = {};
  for (const { name } of NB_HOST_IMPORTS) {
    nb_host[name] = name in bindingHandlers ? new WebAssembly.Suspending(async () => 0) : () => 0;
  }
  return { wasi_snapshot_preview1: makeWasi(() => holder.memory), nb_host };
}

function makeOne(stage, env) {
  if (stage === "full") return new WasmInstance(appModule, env, isolateMemory(env));
  const holder = {};
  const instance = new WebAssembly.Instance(appModule, shimImports(holder));
  holder.memory = instance.exports.memory;
  if (stage === "initialize") instance.exports._initialize();
  return instance;
}

function instantiate(url, env) {
  const stage = url.searchParams.get("stage") ?? "full";
  const k = Math.min(Math.max(Number(url.searchParams.get("k") ?? 100), 1), 200);
  if (!["instance", "initialize", "full"].includes(stage)) return new Response("bad stage", { status: 400 });
  const keep = [];
  const t0 = performance.now();
  for (let i = 0; i < k; i++) keep.push(makeOne(stage, env));
  const t1 = performance.now();
  const memoryBytes = (keep[0].memory ?? keep[0].exports.memory).buffer.byteLength;
  return Response.json({ stage, k, ms: t1 - t0, memoryBytes });
}

// Codec instances as js-shim/codec_runner.js makes them; the maximum is a typical thumbnail's (base +
// a 3 MB input + 16 MB working), which does not change what instantiation costs.
const PAGE = 65536;
function makeCodec(stage) {
  const linear = new WebAssembly.Memory({ initial: Math.ceil(CODEC_BASE_BYTES / PAGE), maximum: Math.ceil((CODEC_BASE_BYTES + 20 * 1024 * 1024) / PAGE) });
  const instance = new WebAssembly.Instance(codecModule, { env: { memory: linear }, wasi_snapshot_preview1: makeWasi(() => linear) });
  if (stage === "full") instance.exports._initialize();
  return linear;
}

function codecInstantiate(url) {
  const stage = url.searchParams.get("stage") ?? "full";
  const k = Math.min(Math.max(Number(url.searchParams.get("k") ?? 100), 1), 200);
  if (!["instance", "full"].includes(stage)) return new Response("bad stage", { status: 400 });
  let memoryBytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < k; i++) memoryBytes = makeCodec(stage).buffer.byteLength;
  const t1 = performance.now();
  return Response.json({ stage, k, ms: t1 - t0, memoryBytes });
}

// ------------------------------------------------------------------------------ handler microbench
// Just enough of each binding for /api/health, answering like the real ones (shapes from
// js-shim/bindings.js). Every call is async, so the C++ side still suspends and resumes through JSPI.
function memoryEnv(vars) {
  const objects = new Map();
  const kv = new Map();
  const r2Object = (key, bytes, options = {}) => ({
    key,
    size: bytes.byteLength,
    etag: "0123456789abcdef",
    uploaded: new Date(),
    httpMetadata: options.httpMetadata ?? {},
    customMetadata: options.customMetadata ?? {},
    async arrayBuffer() {
      return bytes.slice().buffer;
    },
    async text() {
      return new TextDecoder().decode(bytes);
    },
  });
  const toBytes = (v) => (typeof v === "string" ? new TextEncoder().encode(v) : new Uint8Array(v));
  return {
    ...vars,
    DATABASE: {
      prepare(sql) {
        return {
          bind(...params) {
            return {
              async all() {
                if (!/sqlite_master/.test(sql) || params[0] !== "users") throw new Error(`memory D1: unexpected ${sql}`);
                return { results: [{ n: 1 }], meta: { changes: 0, last_row_id: 0 } };
              },
            };
          },
        };
      },
      async batch() {
        throw new Error("memory D1: batch not needed by /api/health");
      },
    },
    IMAGE_GENERATOR: {
      async put(key, value, options) {
        const bytes = toBytes(value);
        objects.set(key, { bytes, options });
        return r2Object(key, bytes, options);
      },
      async get(key) {
        const o = objects.get(key);
        return o ? r2Object(key, o.bytes, o.options) : null;
      },
      async head(key) {
        const o = objects.get(key);
        return o ? r2Object(key, o.bytes, o.options) : null;
      },
      async delete(keys) {
        for (const k of Array.isArray(keys) ? keys : [keys]) objects.delete(k);
      },
    },
    SESSIONS: {
      async put(key, value) {
        kv.set(key, toBytes(value));
      },
      async get(key, type) {
        const v = kv.get(key);
        if (v === undefined) return null;
        return type === "arrayBuffer" ? v.slice().buffer : new TextDecoder().decode(v);
      },
      async delete(key) {
        kv.delete(key);
      },
    },
    GENERATION_JOBS: { async send() {} },
  };
}

// ------------------------------------------------------------------------------ bridge microbench
let bridgeInstance = null;

async function bridge(url, env) {
  const mode = url.searchParams.get("mode") ?? "promising";
  if (mode !== "promising" && mode !== "direct") return new Response("mode=promising|direct", { status: 400 });
  const n = Math.min(Math.max(Number(url.searchParams.get("n") ?? 200), 1), 5000);
  bridgeInstance ??= new WasmInstance(appModule, env, isolateMemory(env));
  const inst = bridgeInstance;
  const call = mode === "promising" ? inst.handleRequest : inst.exports.nb_handle_request;
  let status = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const head = { method: "GET", url: "/api/config", origin: "http://bench.local", headers: [], requestId: crypto.randomUUID(), bodyTooLarge: false };
    const hp = inst.exports.nb_alloc(requestHeadBound(head));
    const hl = writeRequestHead(head, new Uint8Array(inst.memory.buffer), hp);
    inst.exports.nb_request_body(0);
    const view = await call(hp, hl, 0);
    const dv = new DataView(inst.memory.buffer);
    status = readReplyHead(new Uint8Array(inst.memory.buffer), dv.getUint32(view, true), dv.getUint32(view + 4, true)).status;
  }
  const t1 = performance.now();
  return Response.json({ mode, n, ms: t1 - t0, status });
}

async function replySteps(url, env) {
  const stage = url.searchParams.get("stage") ?? "request";
  if (stage !== "request" && stage !== "response") return new Response("stage=request|response", { status: 400 });
  const n = Math.min(Math.max(Number(url.searchParams.get("n") ?? 200), 1), 5000);
  bridgeInstance ??= new WasmInstance(appModule, env, isolateMemory(env));
  let status = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const head = { method: "GET", url: "/api/config", origin: "http://bench.local", headers: [], requestId: crypto.randomUUID(), bodyTooLarge: false };
    const reply = await bridgeInstance.request(head, { body: new Uint8Array(0) });
    status = reply.status;
    if (stage === "response") await new Response(reply.body, { status: reply.status, headers: reply.headers }).text();
  }
  const t1 = performance.now();
  return Response.json({ stage, n, ms: t1 - t0, status });
}

let env2 = null;
const HANDLERS = { cpp: cppWorker, js: jsWorker };
const EXPECTED = '{"checks":{"d1":"ok","kv":"ok","r2":"ok"},"ok":true}';

async function handler(url, env) {
  const which = url.searchParams.get("worker");
  const worker = HANDLERS[which];
  if (!worker) return new Response("worker=cpp|js", { status: 400 });
  const n = Math.min(Math.max(Number(url.searchParams.get("n") ?? 200), 1), 5000);
  const path = url.searchParams.get("path") ?? "/api/health";
  const expected = path === "/api/health" ? EXPECTED : null;
  const vars = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === "string"));
  env2 ??= memoryEnv(vars); // one env for the whole isolate: js-shim/worker.js keeps one pool
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = await worker.fetch(new Request(`http://bench.local${path}`), env2);
    const body = await r.text();
    if (r.status !== 200 || (expected && body !== expected)) return Response.json({ error: `${which} ${path} answered ${r.status} ${body}` }, { status: 500 });
  }
  const t1 = performance.now();
  return Response.json({ worker: which, path, n, ms: t1 - t0 });
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    try {
      if (url.pathname === "/instantiate") return instantiate(url, env);
      if (url.pathname === "/codec-instantiate") return codecInstantiate(url);
      if (url.pathname === "/handler") return await handler(url, env);
      if (url.pathname === "/bridge") return await bridge(url, env);
      if (url.pathname === "/reply") return await replySteps(url, env);
      return new Response("not found", { status: 404 });
    } catch (e) {
      return Response.json({ error: String(e?.stack ?? e) }, { status: 500 });
    }
  },
};
