// Plain-JS baseline for the benchmark: GET /api/health doing exactly the binding calls the C++ route
// makes through js-shim/bindings.js (src/services/health_check.cpp), with the same reply bytes, the
// same response headers and the same one JSON log line per request (src/app/app.cpp LogRequest), so
// that C++/JS compares the wasm + bridge path against no bridge at all.
const HEALTH_SQL = "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?";
const KV_MIN_TTL_SECONDS = 60;

async function checkD1(env) {
  // The shim runs every single statement with .all() (bindings.js d1, op "all").
  const { results } = await env.DATABASE.prepare(HEALTH_SQL).bind("users").all();
  if (!results?.length || results[0].n !== 1) throw new Error("migrations not applied");
}

async function checkR2(env, probeId) {
  const key = `health/${probeId}`;
  const payload = `health ${probeId}`;
  await env.IMAGE_GENERATOR.put(key, payload, {
    httpMetadata: { contentType: "text/plain" },
    customMetadata: {},
  });
  let got;
  let readError;
  try {
    const o = await env.IMAGE_GENERATOR.get(key);
    got = o === null ? null : await o.text();
  } catch (e) {
    readError = e;
  }
  await env.IMAGE_GENERATOR.delete([key]);
  if (readError) throw readError;
  if (got !== payload) throw new Error("R2 read back different bytes");
}

async function checkKv(env, probeId) {
  const key = `health:${probeId}`;
  await env.SESSIONS.put(key, probeId, { expirationTtl: KV_MIN_TTL_SECONDS });
  let got;
  let readError;
  try {
    got = await env.SESSIONS.get(key);
  } catch (e) {
    readError = e;
  }
  await env.SESSIONS.delete(key);
  if (readError) throw readError;
  if (got !== probeId) throw new Error("KV read back a different value");
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
        r2: await settle(() => checkR2(env, requestId)),
        kv: await settle(() => checkKv(env, requestId)),
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
