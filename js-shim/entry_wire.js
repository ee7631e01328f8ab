// The binary request and reply heads of every HTTP request, written into and read out of the
// instance's linear memory in place: the shim's half of src/http/entry_wire.h, which defines the
// layout (u32 little-endian lengths before UTF-8 strings). JSON here cost a stringify, an encode, a
// decode and a parse per request on this side alone, for a handful of short strings.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const BODY_TOO_LARGE = 1;
const HAS_MULTIPART = 2;
const HAS_OFFSET = 1;
const HAS_LENGTH = 2;

// The most bytes a string can take: UTF-8 is at most 3 bytes per UTF-16 unit, plus its length.
const strBound = (s) => 4 + 3 * s.length;

// Bytes to allocate for writeRequestHead(head): an upper bound, not the exact size.
export function requestHeadBound(head) {
  let n = 1 + strBound(head.method) + strBound(head.url) + strBound(head.origin) + strBound(head.requestId) + 4;
  for (const [name, value] of head.headers) n += strBound(name) + strBound(value);
  if (head.multipartJson !== undefined) n += strBound(head.multipartJson);
  return n;
}

// Most of a head is ASCII (methods, paths, header names, ids): copied a unit at a time, which beats a
// call into the runtime's encoder for a string this short; the rest goes through encodeInto.
function writeStr(mem, dv, pos, s) {
  const start = pos + 4;
  const n = s.length;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    mem[start + i] = c;
  }
  let written = i;
  if (i < n) written += encoder.encodeInto(s.slice(i), mem.subarray(start + i)).written;
  dv.setUint32(pos, written, true);
  return start + written;
}

// Writes head = {method, url, origin, requestId, bodyTooLarge, headers: [[name, value]...],
// multipartJson?} at mem[pos...] (room for requestHeadBound(head) bytes); returns the bytes written.
export function writeRequestHead(head, mem, pos) {
  const dv = new DataView(mem.buffer, mem.byteOffset, mem.byteLength);
  const start = pos;
  mem[pos++] = (head.bodyTooLarge ? BODY_TOO_LARGE : 0) | (head.multipartJson !== undefined ? HAS_MULTIPART : 0);
  pos = writeStr(mem, dv, pos, head.method);
  pos = writeStr(mem, dv, pos, head.url);
  pos = writeStr(mem, dv, pos, head.origin);
  pos = writeStr(mem, dv, pos, head.requestId);
  dv.setUint32(pos, head.headers.length, true);
  pos += 4;
  for (const [name, value] of head.headers) {
    pos = writeStr(mem, dv, pos, name);
    pos = writeStr(mem, dv, pos, value);
  }
  if (head.multipartJson !== undefined) pos = writeStr(mem, dv, pos, head.multipartJson);
  return pos - start;
}

// A string of reply bytes; ASCII ones (nearly every header) without a call into the runtime.
function readStr(mem, pos, len) {
  if (len <= 64) {
    let s = "";
    for (let i = 0; i < len; i++) {
      const c = mem[pos + i];
      if (c >= 0x80) return decoder.decode(mem.subarray(pos, pos + len));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decoder.decode(mem.subarray(pos, pos + len));
}

// Reads the reply head at mem[pos, pos + len): {status, headers: [[name, value]...], object?}. The
// strings are copies, so the memory may be reused once this returns. Throws on a malformed head.
export function readReplyHead(mem, pos, len) {
  const end = pos + len;
  const dv = new DataView(mem.buffer, mem.byteOffset, mem.byteLength);
  const need = (n) => {
    if (pos + n > end) throw new Error("reply head is truncated");
  };
  const u32 = () => {
    need(4);
    const v = dv.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const str = () => {
    const n = u32();
    need(n);
    const s = readStr(mem, pos, n);
    pos += n;
    return s;
  };
  const status = u32();
  const count = u32();
  const headers = new Array(count);
  for (let i = 0; i < count; i++) headers[i] = [str(), str()];
  need(1);
  const reply = { status, headers };
  if (mem[pos++] === 1) {
    const key = str();
    need(17);
    const which = mem[pos];
    const offset = dv.getFloat64(pos + 1, true);
    const length = dv.getFloat64(pos + 9, true);
    pos += 17;
    reply.object = { key };
    if (which & HAS_OFFSET) reply.object.offset = offset;
    if (which & HAS_LENGTH) reply.object.length = length;
  }
  if (pos !== end) throw new Error("reply head has trailing bytes");
  return reply;
}

// The reverse directions, which only C++ needs in production: for the tests' round trips.
export function readRequestHead(mem, pos, len) {
  const end = pos + len;
  const dv = new DataView(mem.buffer, mem.byteOffset, mem.byteLength);
  const u32 = () => {
    if (pos + 4 > end) throw new Error("request head is truncated");
    const v = dv.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const str = () => {
    const n = u32();
    if (pos + n > end) throw new Error("request head is truncated");
    const s = decoder.decode(mem.subarray(pos, pos + n));
    pos += n;
    return s;
  };
  const flags = mem[pos++];
  const head = { method: str(), url: str(), origin: str(), requestId: str(), bodyTooLarge: (flags & BODY_TOO_LARGE) !== 0 };
  const count = u32();
  head.headers = Array.from({ length: count }, () => [str(), str()]);
  if (flags & HAS_MULTIPART) head.multipartJson = str();
  if (pos !== end) throw new Error("request head has trailing bytes");
  return head;
}

export function encodeReplyHead({ status, headers, object }) {
  const parts = [];
  const u32 = (v) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    parts.push(b);
  };
  const str = (s) => {
    const b = encoder.encode(s);
    u32(b.length);
    parts.push(b);
  };
  u32(status);
  u32(headers.length);
  for (const [name, value] of headers) {
    str(name);
    str(value);
  }
  parts.push(Uint8Array.of(object ? 1 : 0));
  if (object) {
    str(object.key);
    const tail = new Uint8Array(17);
    const dv = new DataView(tail.buffer);
    tail[0] = (object.offset !== undefined ? HAS_OFFSET : 0) | (object.length !== undefined ? HAS_LENGTH : 0);
    dv.setFloat64(1, object.offset ?? 0, true);
    dv.setFloat64(9, object.length ?? 0, true);
    parts.push(tail);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
