// Turning Worker Requests into bytes for C++ and C++ replies into Responses.
const DEFAULT_MAX_UPLOAD = 10 * 1024 * 1024;
const MULTIPART_SLACK = 64 * 1024;

// The largest body any route accepts; C++ applies each route's own limit below it. Bigger bodies are
// not buffered at all: C++ is told and answers 413 in the caller's language.
export async function readBodyCapped(request, env) {
  if (request.method === "GET" || request.method === "HEAD" || !request.body) {
    return { body: new Uint8Array(0), tooLarge: false };
  }
  const cap = Number(env.MAX_UPLOAD_BYTES || DEFAULT_MAX_UPLOAD) + MULTIPART_SLACK;
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > cap) return { body: new Uint8Array(0), tooLarge: true };
  const chunks = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > cap) {
      await reader.cancel();
      return { body: new Uint8Array(0), tooLarge: true };
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    body.set(c, offset);
    offset += c.length;
  }
  return { body, tooLarge: false };
}

export async function toHttpResponse(reply, env, method) {
  const headers = new Headers(reply.headers);
  if (reply.object) {
    // Bytes already in R2 stream straight to the client, never through wasm memory.
    const range = reply.object.offset !== undefined ? { offset: reply.object.offset, length: reply.object.length } : undefined;
    const object = await env.IMAGE_GENERATOR.get(reply.object.key, range ? { range } : undefined);
    if (!object) return new Response(null, { status: 404, headers });
    return new Response(method === "HEAD" ? null : object.body, { status: reply.status, headers });
  }
  const nullBody = reply.status === 204 || reply.status === 304 || method === "HEAD";
  return new Response(nullBody ? null : reply.body, { status: reply.status, headers });
}

export function internalErrorResponse(requestId, acceptLanguage) {
  const es = /^\s*es\b/i.test(acceptLanguage ?? "");
  const body = {
    error: {
      code: "INTERNAL",
      message: es ? "Algo salió mal de nuestro lado." : "Something went wrong on our side.",
      requestId,
    },
  };
  return new Response(JSON.stringify(body), {
    status: 500,
    headers: { "content-type": "application/json; charset=utf-8", "x-request-id": requestId, "cache-control": "no-store" },
  });
}
