// Worker entry: hands each request, queue batch and cron tick to the C++ module, one pooled
// instance per request. Everything the product does is decided in C++; this file only moves bytes,
// and keeps the isolate's wasm memory inside its budget (isolate_memory.js).
import appModule from "../build/wasm/app.opt.wasm";
import { InstancePool } from "./instance_pool.js";
import { isolateMemory } from "./isolate_memory.js";
import { BudgetBusy } from "./memory_budget.js";
import { WasmInstance } from "./wasm_instance.js";
import { busyResponse, internalErrorResponse, readRequestBody, toHttpResponse } from "./http_glue.js";

// JSPI is the async bridge: without it no binding call can return to C++. Fail at load, loudly.
if (typeof WebAssembly.Suspending !== "function" || typeof WebAssembly.promising !== "function") {
  throw new Error("This runtime lacks JSPI (WebAssembly.Suspending/promising); the C++ core cannot run.");
}

// What a request may add to its instance beyond the body it copies in: its reply, JSON, D1 rows.
const REQUEST_SLACK = 1024 * 1024;

let pool = null;
function poolFor(env) {
  const memory = isolateMemory(env);
  pool ??= new InstancePool(() => new WasmInstance(appModule, env, memory), {
    max: Number(env.WASM_POOL_MAX ?? 16),
    memory,
  });
  return pool;
}

export default {
  async fetch(request, env) {
    const requestId = crypto.randomUUID();
    const language = request.headers.get("accept-language");
    try {
      const url = new URL(request.url);
      if (env.DEBUG_ROUTES === "true" && url.pathname === "/api/_debug/pool") {
        const memory = isolateMemory(env).stats();
        return Response.json({ ...(pool?.stats() ?? {}), max: pool?.max ?? 0, ...memory });
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
      const expectBytes = (body.byteLength ?? body.size) + REQUEST_SLACK;
      const reply = await poolFor(env).use((instance) => instance.request(head, body), { expectBytes });
      return await toHttpResponse(reply, env, request);
    } catch (e) {
      if (e instanceof BudgetBusy) return busyResponse(requestId, language);
      console.error(JSON.stringify({ level: "error", requestId, error: String(e?.stack ?? e) }));
      return internalErrorResponse(requestId, language);
    }
  },

  // Each message gets its own pooled instance: a batch's jobs (seconds each, mostly waiting on the image
  // provider) run side by side, and one that traps is retried alone instead of failing the batch. One
  // that finds no memory (BudgetBusy) is retried too.
  async queue(batch, env) {
    const pool = poolFor(env);
    await Promise.all(batch.messages.map(async (m) => {
      let d;
      try {
        const message = { id: m.id, attempts: m.attempts, body: m.body };
        [d] = await pool.use((instance) => instance.queue({ queue: batch.queue, messages: [message] }),
          { expectBytes: REQUEST_SLACK });
      } catch (e) {
        console.error(JSON.stringify({ level: "error", queueMessage: m.id, error: String(e?.stack ?? e) }));
      }
      if (d?.action === "ack") m.ack();
      else m.retry(d?.delaySeconds ? { delaySeconds: d.delaySeconds } : undefined);
    }));
  },

  async scheduled(controller, env) {
    await poolFor(env).use((instance) => instance.scheduled({ cron: controller.cron, scheduledTime: controller.scheduledTime }),
      { expectBytes: REQUEST_SLACK });
  },
};
