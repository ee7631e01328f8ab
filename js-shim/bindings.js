import { thumbnail } from "./codec_runner.js";

// What each nb_host import does with the Worker's bindings. Every handler takes the parsed JSON head
// and the raw body bytes and returns {head, body?}; thrown errors become {"error": {kind, message}}.
const EMPTY = new Uint8Array(0);

// One D1 result as C++ reads it (bindings/wasm/wasm_database.cpp): column names once, then each row's
// cells in that order, instead of an object per row repeating every name. JSON.stringify keeps the
// integer/fraction distinction in the text (3 vs 2.5), which is what types the cells on the C++ side.
// Rows of one result share their shape, so Object.values lines up with the first row's keys.
function d1Result(r) {
  const rows = r.results ?? [];
  const columns = rows.length ? Object.keys(rows[0]) : [];
  const cells = rows.map((row) => {
    const values = Object.values(row);
    for (let c = 0; c < values.length; c++) checkCell(values[c], columns[c]);
    return values;
  });
  return { columns, rows: cells, changes: r.meta?.changes ?? 0, lastRowId: r.meta?.last_row_id ?? 0 };
}

// D1 numbers are doubles: an integer beyond 2^53 has already lost precision, so refuse it. A BLOB
// (bytes in any form) has no cell type on the C++ side: bytes live in R2.
function checkCell(value, column) {
  if (typeof value === "number") {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      throw hostError("out_of_range", `column ${column} holds an integer beyond 2^53`);
    }
  } else if (value !== null && typeof value === "object") {
    throw hostError("invalid_argument", `column ${column} is a BLOB; store bytes in R2`);
  }
}

export function hostError(kind, message) {
  const error = new Error(message);
  error.kind = kind;
  return error;
}

async function d1(env, head) {
  const db = env.DATABASE;
  const statements = head.stmts.map((s) => db.prepare(s.sql).bind(...s.params));
  const raw = head.op === "batch" ? await db.batch(statements) : [await statements[0].all()];
  // D1's own count of rows read (what it bills): summed per request by wasm_instance.js, shown to the
  // tests and the gallery bench as x-d1-rows-read when DEBUG_ROUTES is on. C++ ignores the field.
  const rowsRead = raw.reduce((sum, r) => sum + (r.meta?.rows_read ?? 0), 0);
  return { head: { results: raw.map(d1Result), rowsRead } };
}

function objectInfo(o) {
  return {
    key: o.key,
    size: o.size,
    etag: o.etag,
    uploadedMs: o.uploaded ? o.uploaded.getTime() : 0,
    contentType: o.httpMetadata?.contentType ?? "",
    custom: o.customMetadata ?? {},
  };
}

// R2 answers an unsatisfiable range with an error whose text mentions the range.
function r2Range(range, size) {
  if (!range) return undefined;
  if (range.suffix !== undefined) {
    if (range.suffix <= 0) throw hostError("out_of_range", "empty suffix range");
    return { suffix: range.suffix };
  }
  const offset = range.offset ?? 0;
  if (offset < 0 || offset >= size) throw hostError("out_of_range", "range starts past the end");
  const length = range.length === undefined ? undefined : Math.min(range.length, size - offset);
  if (length !== undefined && length <= 0) throw hostError("out_of_range", "empty range");
  return length === undefined ? { offset } : { offset, length };
}

async function r2(env, head, body) {
  const bucket = env.IMAGE_GENERATOR;
  switch (head.op) {
    case "put": {
      const o = await bucket.put(head.key, body, {
        httpMetadata: head.contentType ? { contentType: head.contentType } : undefined,
        customMetadata: head.custom ?? {},
      });
      return { head: { object: objectInfo(o) } };
    }
    case "get": {
      let range;
      if (head.range) {
        const meta = await bucket.head(head.key);
        if (!meta) return { head: { found: false } };
        range = r2Range(head.range, meta.size);
      }
      const o = await bucket.get(head.key, range ? { range } : undefined);
      if (!o) return { head: { found: false } };
      const bytes = new Uint8Array(await o.arrayBuffer());
      const rangeOffset = range ? (range.suffix !== undefined ? o.size - bytes.length : range.offset) : 0;
      return { head: { found: true, object: objectInfo(o), rangeOffset }, body: bytes };
    }
    case "head": {
      const o = await bucket.head(head.key);
      return { head: o ? { found: true, object: objectInfo(o) } : { found: false } };
    }
    case "delete":
      await bucket.delete(head.keys);
      return { head: {} };
    case "list": {
      const listed = await bucket.list({
        prefix: head.prefix,
        limit: head.limit,
        cursor: head.cursor,
        include: ["httpMetadata", "customMetadata"],
      });
      return {
        head: { objects: listed.objects.map(objectInfo), cursor: listed.truncated ? listed.cursor : null },
      };
    }
  }
  throw hostError("invalid_argument", `unknown R2 op ${head.op}`);
}

async function kv(env, head, body) {
  const store = env.SESSIONS;
  switch (head.op) {
    case "get": {
      const value = await store.get(head.key, "arrayBuffer");
      return value === null ? { head: { found: false } } : { head: { found: true }, body: new Uint8Array(value) };
    }
    case "put":
      await store.put(head.key, body, head.ttl ? { expirationTtl: head.ttl } : undefined);
      return { head: {} };
    case "delete":
      await store.delete(head.key);
      return { head: {} };
  }
  throw hostError("invalid_argument", `unknown KV op ${head.op}`);
}

async function outboundFetch(_env, head, body) {
  let response;
  try {
    response = await fetch(head.url, {
      method: head.method,
      headers: head.headers,
      body: head.method === "GET" || head.method === "HEAD" ? undefined : body,
      signal: AbortSignal.timeout(head.timeoutMs ?? 30000),
      redirect: "manual",
    });
  } catch (e) {
    throw hostError("unavailable", `fetch ${new URL(head.url).host} failed: ${e.name}`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { head: { status: response.status, headers: [...response.headers] }, body: bytes };
}

const subtle = () => crypto.subtle;

async function cryptoCall(_env, head, body) {
  switch (head.op) {
    case "sha256":
      return { head: {}, body: new Uint8Array(await subtle().digest("SHA-256", body)) };
    case "hmac-sha256": {
      const key = await subtle().importKey("raw", body.subarray(0, head.firstLength),
        { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      return { head: {}, body: new Uint8Array(await subtle().sign("HMAC", key, body.subarray(head.firstLength))) };
    }
    case "verify-rs256": {
      let key;
      try {
        key = await subtle().importKey("jwk", { kty: "RSA", n: head.n, e: head.e, alg: "RS256", ext: true },
          { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
      } catch (e) {
        throw hostError("invalid_argument", `bad RSA key: ${e.message}`);
      }
      const valid = await subtle().verify("RSASSA-PKCS1-v1_5", key, body.subarray(head.firstLength),
        body.subarray(0, head.firstLength));
      return { head: { valid } };
    }
  }
  throw hostError("invalid_argument", `unknown crypto op ${head.op}`);
}

// A limiter missing from the environment's config fails closed: better a refused sign-in than none.
async function ratelimit(env, head) {
  const limiter = env[head.limiter];
  if (!limiter) throw hostError("unavailable", `no rate limiter binding ${head.limiter}`);
  const { success } = await limiter.limit({ key: head.key });
  return { head: { allowed: success } };
}

// A Queues producer binding: head.body is the JSON message, sent as JSON so the consumer gets it
// parsed. A missing binding is "unavailable": the caller refunds instead of losing the job.
async function queue(env, head) {
  const producer = env[head.queue];
  if (!producer) throw hostError("unavailable", `no queue binding ${head.queue}`);
  try {
    await producer.send(head.body, { contentType: "json", delaySeconds: head.delaySeconds ?? 0 });
  } catch (e) {
    throw hostError("unavailable", `queue ${head.queue} refused the message: ${e?.message ?? e}`);
  }
  return { head: {} };
}

export const bindingHandlers = { d1, r2, kv, fetch: outboundFetch, crypto: cryptoCall, ratelimit, queue, thumbnail };
export { EMPTY };
