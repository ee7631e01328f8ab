// Worker entry: hands each request, queue batch and cron tick to the C++ module, one pooled
// instance per request. Everything the product does is decided in C++; this file only moves bytes,
// and keeps the isolate's wasm memory inside its budget (isolate_memory.js).
import appModule from "../build/wasm/app.opt.wasm";
import { InstancePool } from "./instance_pool.js";
import { isolateMemory } from "./isolate_memory.js";
import { BudgetBusy } from "./memory_budget.js";
import { d1SessionFor } from "./d1_sessions.js";
import { WasmInstance } from "./wasm_instance.js";
import { bodyReservation, busyResponse, internalErrorResponse, readRequestBody, toHttpResponse } from "./http_glue.js";

// JSPI is the async bridge: without it no binding call can return to C++. Fail at load, loudly.
if (typeof WebAssembly.Suspending !== "function" || typeof WebAssembly.promising !== "function") {
  throw new Error("This runtime lacks JSPI (WebAssembly.Suspending/promising); the C++ core cannot run.");
}

// What a request may add to its instance beyond the body it copies in: its reply, JSON, D1 rows.
const REQUEST_SLACK = 1024 * 1024;
// A queue job (a generation) brings in Gemini's answer: about 2 MB of base64 for a 1K image, held
// twice while C++ decodes it. Admitted up front, so the reply needs no memory it would wait for.
const QUEUE_JOB_BYTES = 6 * 1024 * 1024;
// A message that found no memory comes back after this, not at once.
const BUSY_RETRY_SECONDS = 5;

let pool = null;
function poolFor(env) {
  const memory = isolateMemory(env);
  pool ??= new InstancePool(() => new WasmInstance(appModule, env, memory), {
    max: Number(env.WASM_POOL_MAX ?? 16),
    memory,
    // A backstop against a stuck pool, not a load shedder: the memory budget (WASM_BUDGET_WAIT_MS)
    // sheds load first, so a borrower may wait three times as long for an instance before a 503.
    maxWaiters: Number(env.WASM_POOL_MAX_WAITERS ?? 64),
    waitMs: Number(env.WASM_POOL_WAIT_MS ?? 3 * memory.settings.waitMs),
  });
  return pool;
}

export default {
  async fetch(request, env) {
    const requestId = crypto.randomUUID();
    const language = request.headers.get("accept-language");
    let releaseBody = () => {};
    try {
      const url = new URL(request.url);
      if (env.DEBUG_ROUTES === "true" && url.pathname === "/api/_debug/pool") {
        const memory = isolateMemory(env).stats();
        return Response.json({ ...(pool?.stats() ?? {}), max: pool?.max ?? 0, ...memory });
      }
      // The body's JS-side bytes are admitted before a byte is read and given back once they are in
      // wasm memory (or the request is over): eight 10 MB uploads at once read one after another,
      // not all at once on the heap.
      const memory = isolateMemory(env);
      const reserved = bodyReservation(request, env);
      await memory.bodies.take(reserved, memory.settings.waitMs);
      let held = reserved;
      releaseBody = () => {
        memory.bodies.give(held);
        held = 0;
      };
      const intake = await readRequestBody(request, env);
      const { tooLarge, multipart } = intake;
      const head = {
        method: request.method,
        url: url.pathname + url.search,
        origin: url.origin,
        headers: [...request.headers],
        requestId,
        bodyTooLarge: tooLarge,
        multipartJson: multipart ? JSON.stringify(multipart) : undefined,
      };
      const expectBytes = (intake.body.byteLength ?? intake.body.size) + REQUEST_SLACK;
      const d1 = d1SessionFor(request, env);
      const reply = await poolFor(env).use(async (instance) => {
        instance.database = d1?.database ?? null;
        try {
          return await instance.request(head, intake, releaseBody);
        } finally {
          instance.database = null;
        }
      }, { expectBytes });
      if (d1) reply.headers = d1.finish(reply.headers);
      if (env.DEBUG_ROUTES === "true") reply.headers = [...reply.headers, ["x-d1-rows-read", String(reply.d1RowsRead ?? 0)]];
      return await toHttpResponse(reply, env, request);
    } catch (e) {
      if (e instanceof BudgetBusy) {
        // Logged with the request id, so a 503 from a full pool or budget can be told from one of C++'s.
        console.error(JSON.stringify({ level: "warn", event: "busy", requestId, reason: String(e.message) }));
        return busyResponse(requestId, language);
      }
      console.error(JSON.stringify({ level: "error", requestId, error: String(e?.stack ?? e) }));
      return internalErrorResponse(requestId, language);
    } finally {
      releaseBody();
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
          { expectBytes: QUEUE_JOB_BYTES });
      } catch (e) {
        if (e instanceof BudgetBusy) d = { action: "retry", delaySeconds: BUSY_RETRY_SECONDS };
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
