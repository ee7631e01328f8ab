// Turning Worker Requests into bytes for C++ and C++ replies into Responses.
const DEFAULT_MAX_UPLOAD = 10 * 1024 * 1024;
const MULTIPART_SLACK = 64 * 1024;

// The largest body any route accepts; C++ applies each route's own limit below it. Bigger bodies are
// not buffered at all: C++ is told and answers 413 in the caller's language.
function bodyCap(env) {
  return Number(env.MAX_UPLOAD_BYTES || DEFAULT_MAX_UPLOAD) + MULTIPART_SLACK;
}

function declaredTooLarge(request, cap) {
  return Number(request.headers.get("content-length") ?? NaN) > cap;
}

// Content-Length as a usable byte count, or null when absent or not a non-negative integer.
function declaredLength(request) {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  return Number.isSafeInteger(declared) && declared >= 0 ? declared : null;
}

function hasBody(request) {
  return request.method !== "GET" && request.method !== "HEAD" && Boolean(request.body);
}

export async function readBodyCapped(request, env) {
  if (!hasBody(request)) return { body: new Uint8Array(0), tooLarge: false };
  const cap = bodyCap(env);
  if (declaredTooLarge(request, cap)) return { body: new Uint8Array(0), tooLarge: true };
  // With a declared length the chunks go straight into one buffer of that size (one copy, not two).
  const declared = declaredLength(request);
  let buffer = declared === null ? null : new Uint8Array(declared);
  const chunks = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.length > cap) {
      await reader.cancel();
      return { body: new Uint8Array(0), tooLarge: true };
    }
    if (buffer && total + value.length > buffer.length) {  // longer than declared: collect instead
      chunks.push(buffer.subarray(0, total));
      buffer = null;
    }
    if (buffer) buffer.set(value, total);
    else chunks.push(value);
    total += value.length;
  }
  if (buffer) return { body: buffer.subarray(0, total), tooLarge: false };
  const body = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    body.set(c, offset);
    offset += c.length;
  }
  return { body, tooLarge: false };
}

const MULTIPART = /^\s*multipart\/form-data\s*(;|$)/i;
const MAX_FORM_TEXT_BYTES = 64 * 1024;
const MAX_FORM_PARTS = 32;
const NO_BYTES = new Uint8Array(0);

// The request's bytes, failing the stream once more than `cap` have passed.
function cappedStream(body, cap, state) {
  let total = 0;
  return body.pipeThrough(new TransformStream({
    transform(chunk, controller) {
      total += chunk.length;
      if (total > cap) {
        state.tooLarge = true;
        controller.error(new Error("body over the cap"));
        return;
      }
      controller.enqueue(chunk);
    },
  }));
}

// A multipart/form-data body parsed by the runtime's own formData() (no hand-written parser) while it
// streams in under the cap. C++ gets the text fields and a description of every file in the head, and
// as the body the file itself (a Blob) when there is exactly one: the shim streams it into wasm memory,
// so the only whole copy of an upload on the JS side is the runtime's File.
export async function decodeMultipart(request, env) {
  const state = { tooLarge: false };
  let form;
  try {
    const stream = cappedStream(request.body, bodyCap(env), state);
    form = await new Response(stream, { headers: { "content-type": request.headers.get("content-type") } }).formData();
  } catch {
    if (state.tooLarge) return { body: NO_BYTES, tooLarge: true };
    return { multipart: { malformed: true }, body: NO_BYTES, tooLarge: false };
  }
  const fields = [];
  const files = [];
  let textBytes = 0;
  for (const [field, value] of form) {
    // Text fields travel in the JSON head (control characters grow sixfold there), so they are capped:
    // a form of a few titles and descriptions never comes near this.
    textBytes += field.length + (typeof value === "string" ? value.length : (value.name ?? "").length);
    if (textBytes > MAX_FORM_TEXT_BYTES) return { body: NO_BYTES, tooLarge: true };
    if (fields.length + files.length >= MAX_FORM_PARTS) return { multipart: { malformed: true }, body: NO_BYTES, tooLarge: false };
    if (typeof value === "string") fields.push([field, value]);
    else files.push({ field, name: value.name ?? "", type: value.type ?? "", size: value.size, file: value });
  }
  const only = files.length === 1 ? files[0].file : NO_BYTES;
  return { multipart: { fields, files: files.map(({ file, ...described }) => described) }, body: only, tooLarge: false };
}

// What reading this request's body may hold on the JS heap at once, taken from the isolate's body
// budget before a byte is read: the declared length (the cap when none is declared); twice that for a
// form, which the runtime buffers before it builds the File. 0 when nothing will be read.
export function bodyReservation(request, env) {
  const cap = bodyCap(env);
  if (!hasBody(request) || declaredTooLarge(request, cap)) return 0;
  const bytes = declaredLength(request) ?? cap;
  return MULTIPART.test(request.headers.get("content-type") ?? "") ? 2 * bytes : bytes;
}

// The body as C++ receives it: raw bytes under the cap, or for multipart/form-data the decoded form
// (its one file as a Blob).
export async function readRequestBody(request, env) {
  if (hasBody(request) && MULTIPART.test(request.headers.get("content-type") ?? "")) {
    if (declaredTooLarge(request, bodyCap(env))) return { body: NO_BYTES, tooLarge: true };
    return decodeMultipart(request, env);
  }
  return readBodyCapped(request, env);
}

export async function toHttpResponse(reply, env, request) {
  const method = request.method;
  if (reply.object) {
    const headers = new Headers(reply.headers);
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
  // The pairs as they are: the Response builds its own Headers from them, so a Headers made here
  // first would be built and copied twice.
  return new Response(nullBody ? null : reply.body, { status: reply.status, headers: reply.headers });
}

// The few errors the shim answers itself, in the contract's envelope (same texts as messages.cpp).
const SHIM_MESSAGES = {
  INTERNAL: { en: "Something went wrong on our side.", es: "Algo salió mal de nuestro lado." },
  NOT_FOUND: { en: "Not found.", es: "No encontrado." },
  SERVICE_UNAVAILABLE: {
    en: "The service is temporarily unavailable.",
    es: "El servicio no está disponible temporalmente.",
  },
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

// The isolate's memory budget stayed full for the whole wait: nothing ran, try again shortly.
export function busyResponse(requestId, acceptLanguage) {
  const response = shimErrorResponse(503, "SERVICE_UNAVAILABLE", requestId, acceptLanguage);
  response.headers.set("retry-after", "5");
  return response;
}
