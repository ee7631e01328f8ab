// Worker entry: hands each request, queue batch and cron tick to the C++ module, one pooled
// instance per request. Everything the product does is decided in C++; this file only moves bytes.
import appModule from "../build/wasm/app.opt.wasm";
import { InstancePool } from "./instance_pool.js";
import { WasmInstance } from "./wasm_instance.js";
import { internalErrorResponse, readRequestBody, toHttpResponse } from "./http_glue.js";

// JSPI is the async bridge: without it no binding call can return to C++. Fail at load, loudly.
if (typeof WebAssembly.Suspending !== "function" || typeof WebAssembly.promising !== "function") {
  throw new Error("This runtime lacks JSPI (WebAssembly.Suspending/promising); the C++ core cannot run.");
}

let pool = null;
function poolFor(env) {
  pool ??= new InstancePool(() => new WasmInstance(appModule, env), {
    max: Number(env.WASM_POOL_MAX ?? 16),
  });
  return pool;
}

export default {
  async fetch(request, env) {
    const requestId = crypto.randomUUID();
    try {
      const url = new URL(request.url);
      if (env.DEBUG_ROUTES === "true" && url.pathname === "/api/_debug/pool") {
        return Response.json({ ...(pool?.stats() ?? {}), max: pool?.max ?? 0 });
      }
      const { body, tooLarge, multipart } = await readRequestBody(request, env);
      const head = {
        method: request.method,
        url: url.pathname + url.search,
        origin: url.origin,
        headers: [...request.headers],
        requestId,
        bodyTooLarge: tooLarge,
        ...(multipart ? { multipart } : {}),
      };
      const reply = await poolFor(env).use((instance) => instance.request(head, body));
      return await toHttpResponse(reply, env, request);
    } catch (e) {
      console.error(JSON.stringify({ level: "error", requestId, error: String(e?.stack ?? e) }));
      return internalErrorResponse(requestId, request.headers.get("accept-language"));
    }
  },

  // Each message gets its own pooled instance: a batch's jobs (seconds each, mostly waiting on the image
  // provider) run side by side, and one that traps is retried alone instead of failing the batch.
  async queue(batch, env) {
    const pool = poolFor(env);
    await Promise.all(batch.messages.map(async (m) => {
      let d;
      try {
        const message = { id: m.id, attempts: m.attempts, body: m.body };
        [d] = await pool.use((instance) => instance.queue({ queue: batch.queue, messages: [message] }));
      } catch (e) {
        console.error(JSON.stringify({ level: "error", queueMessage: m.id, error: String(e?.stack ?? e) }));
      }
      if (d?.action === "ack") m.ack();
      else m.retry(d?.delaySeconds ? { delaySeconds: d.delaySeconds } : undefined);
    }));
  },

  async scheduled(controller, env) {
    await poolFor(env).use((instance) => instance.scheduled({ cron: controller.cron, scheduledTime: controller.scheduledTime }));
  },
};
