// Bench-only Worker: GET /?stage=S&k=K creates K instances of the C++ module back to back and
// answers the wall time in ms. workerd's clock here ticks in whole milliseconds, so bench/run.js asks
// for batches (k = 100 by default) and divides. Stages, each including the ones before it:
//   instance   new WebAssembly.Instance(module, imports), imports built as the shim builds them
//   initialize + exports._initialize()   (C++ static constructors)
//   full       new WasmInstance(module, env): the shim's real path, i.e. the above plus
//              WebAssembly.promising wrappers and nb_init(config JSON) -> App and ports in C++
import appModule from "../../build/wasm/app.opt.wasm";
import { bindingHandlers } from "../../js-shim/bindings.js";
import { makeWasi } from "../../js-shim/wasi.js";
import { WasmInstance } from "../../js-shim/wasm_instance.js";

// The import object shaped as wasm_instance.js builds it: the shim's WASI object, one
// WebAssembly.Suspending per binding handler the shim has, a plain function for every other nb_host
// import (result_body_len, result_take, ...). Derived from the shim and the module, so it follows both.
const NB_HOST_IMPORTS = WebAssembly.Module.imports(appModule).filter((i) => i.module === "nb_host" && i.kind === "function");
function shimImports(holder) {
  const nb_host = {};
  for (const { name } of NB_HOST_IMPORTS) {
    nb_host[name] = name in bindingHandlers ? new WebAssembly.Suspending(async () => 0) : () => 0;
  }
  return { wasi_snapshot_preview1: makeWasi(() => holder.memory), nb_host };
}

function makeOne(stage, env) {
  if (stage === "full") return new WasmInstance(appModule, env);
  const holder = {};
  const instance = new WebAssembly.Instance(appModule, shimImports(holder));
  holder.memory = instance.exports.memory;
  if (stage === "initialize") instance.exports._initialize();
  return instance;
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const stage = url.searchParams.get("stage") ?? "full";
    const k = Math.min(Math.max(Number(url.searchParams.get("k") ?? 100), 1), 200);
    if (!["instance", "initialize", "full"].includes(stage)) return new Response("bad stage", { status: 400 });
    const keep = [];
    try {
      const t0 = performance.now();
      for (let i = 0; i < k; i++) keep.push(makeOne(stage, env));
      const t1 = performance.now();
      const memoryBytes = (keep[0].memory ?? keep[0].exports.memory).buffer.byteLength;
      return Response.json({ stage, k, ms: t1 - t0, memoryBytes });
    } catch (e) {
      return Response.json({ error: String(e?.stack ?? e) }, { status: 500 });
    }
  },
};
