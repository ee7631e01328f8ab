// Plain-JS baseline for the benchmark: GET /api/health doing exactly the binding calls the C++ route
// makes through js-shim/bindings.js (src/services/health_check.cpp), with the same reply bytes, the
// same response headers and the same one JSON log line per request (src/app/app.cpp LogRequest), so
// that C++/JS compares the wasm + bridge path against no bridge at all.
const HEALTH_SQL = "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?";

async function checkD1(env) {
  // The shim runs every single statement with .all() (bindings.js d1, op "all").
  const { results } = await env.DATABASE.prepare(HEALTH_SQL).bind("users").all();
  if (!results?.length || results[0].n !== 1) throw new Error("migrations not applied");
}

// Reads only, like the C++ route since /api/health stopped writing (issue 12): an R2 head and a KV get
// of keys nothing writes.
async function checkR2(env) {
  await env.IMAGE_GENERATOR.head("health/read-probe");
}

async function checkKv(env) {
  await env.SESSIONS.get("health:read-probe", "arrayBuffer");
}

// Sequential, like the C++ route: D1, then R2, then KV; a failing check does not skip the others.
async function settle(check) {
  try {
    await check();
    return "ok";
  } catch (e) {
    return e;
  }
}

function reply(status, body, requestId) {
  return new Response(body, {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-request-id": requestId,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

export default {
  async fetch(request, env) {
    const started = Date.now();
    const requestId = crypto.randomUUID();
    const url = new URL(request.url);
    let status;
    let body;
    if (url.pathname === "/api/health" && request.method === "GET") {
      const checks = {
        d1: await settle(() => checkD1(env)),
        r2: await settle(() => checkR2(env)),
        kv: await settle(() => checkKv(env)),
      };
      for (const [check, result] of Object.entries(checks)) {
        if (result !== "ok") {
          console.log(JSON.stringify({ level: "error", requestId, health: check, detail: String(result?.message ?? result) }));
        }
      }
      const ok = Object.values(checks).every((r) => r === "ok");
      status = ok ? 200 : 503;
      // Key order as nlohmann::json dumps it (sorted), so both Workers answer the same bytes.
      body = JSON.stringify({
        checks: { d1: checks.d1 === "ok" ? "ok" : "error", kv: checks.kv === "ok" ? "ok" : "error", r2: checks.r2 === "ok" ? "ok" : "error" },
        ok,
      });
    } else {
      status = 404;
      body = JSON.stringify({ error: { code: "NOT_FOUND", message: "No such route.", requestId } });
    }
    console.log(JSON.stringify({
      level: status >= 500 ? "error" : "info",
      method: request.method,
      ms: Date.now() - started,
      path: url.pathname,
      requestId,
      status,
    }));
    return reply(status, body, requestId);
  },
};
