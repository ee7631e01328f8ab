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

const MULTIPART = /^\s*multipart\/form-data\s*(;|$)/i;
const NO_BYTES = new Uint8Array(0);

// A multipart/form-data body, already read under the cap, parsed by the runtime's own formData()
// (no hand-written parser). C++ gets the text fields and a description of every file in the head,
// and as the body the bytes of the file when there is exactly one; it decides what is acceptable.
export async function decodeMultipart(body, contentType) {
  let form;
  try {
    form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    return { multipart: { malformed: true }, body: NO_BYTES };
  }
  const fields = [];
  const files = [];
  for (const [field, value] of form) {
    if (typeof value === "string") fields.push([field, value]);
    else files.push({ field, name: value.name ?? "", type: value.type ?? "", size: value.size, file: value });
  }
  const only = files.length === 1 ? new Uint8Array(await files[0].file.arrayBuffer()) : NO_BYTES;
  return { multipart: { fields, files: files.map(({ file, ...described }) => described) }, body: only };
}

// The body as C++ receives it: raw bytes under the cap, or for multipart/form-data the decoded form.
export async function readRequestBody(request, env) {
  const { body, tooLarge } = await readBodyCapped(request, env);
  const contentType = request.headers.get("content-type") ?? "";
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  if (tooLarge || !hasBody || !MULTIPART.test(contentType)) return { body, tooLarge };
  return { ...(await decodeMultipart(body, contentType)), tooLarge };
}

export async function toHttpResponse(reply, env, request) {
  const method = request.method;
  const headers = new Headers(reply.headers);
  if (reply.object) {
    // Bytes already in R2 stream straight to the client, never through wasm memory. C++ decided the
    // status and headers (range, ETag, length) from the image's row; HEAD only checks the object exists.
    const { key, offset, length } = reply.object;
    const bucket = env.IMAGE_GENERATOR;
    const range = offset !== undefined ? { offset, length } : undefined;
    const object = method === "HEAD" ? await bucket.head(key) : await bucket.get(key, range ? { range } : undefined);
    // The row named bytes R2 no longer has (e.g. a delete raced this read).
    if (!object) return shimErrorResponse(404, "NOT_FOUND", headers.get("x-request-id"), request.headers.get("accept-language"));
    return new Response(method === "HEAD" ? null : object.body, { status: reply.status, headers });
  }
  const nullBody = reply.status === 204 || reply.status === 304 || method === "HEAD";
  return new Response(nullBody ? null : reply.body, { status: reply.status, headers });
}

// The few errors the shim answers itself, in the contract's envelope (same texts as messages.cpp).
const SHIM_MESSAGES = {
  INTERNAL: { en: "Something went wrong on our side.", es: "Algo salió mal de nuestro lado." },
  NOT_FOUND: { en: "Not found.", es: "No encontrado." },
};

export function shimErrorResponse(status, code, requestId, acceptLanguage) {
  const es = /^\s*es\b/i.test(acceptLanguage ?? "");
  const error = { code, message: SHIM_MESSAGES[code][es ? "es" : "en"] };
  if (status >= 500) error.requestId = requestId;
  return new Response(JSON.stringify({ error }), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-request-id": requestId ?? "",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

export function internalErrorResponse(requestId, acceptLanguage) {
  return shimErrorResponse(500, "INTERNAL", requestId, acceptLanguage);
}
