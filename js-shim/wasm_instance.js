// One instance of the C++ module with its own linear memory and shadow stack. It serves one request
// at a time: JSPI suspends the wasm stack but not clang's shadow stack in linear memory, so two
// requests interleaving in one instance would overwrite each other's frames.
import { bindingHandlers, EMPTY } from "./bindings.js";
import { readReplyHead, requestHeadBound, writeRequestHead } from "./entry_wire.js";
import { makeWasi } from "./wasi.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Binding replies larger than this are admitted through the isolate's memory budget before they are
// copied in; C++ may hold about two copies of one while it works on it (e.g. a Gemini answer's
// base64 text and the bytes decoded from it).
const BIG_REPLY_BYTES = 64 * 1024;
const REPLY_COPIES = 2;
const REPLY_SLACK = 256 * 1024;

export class WasmInstance {
  // memory: the IsolateMemory whose app lane this instance's growth is taken from.
  constructor(module, env, memory) {
    this.database = null; // the current request's D1 session, when read replication is on
    this.d1RowsRead = 0; // D1 rows read by the current request (x-d1-rows-read, DEBUG_ROUTES only)
    this.env = env;
    this.isolate = memory;
    this.held = 0;  // bytes of the app lane this instance holds (set by the pool)
    this.pending = { head: EMPTY, body: EMPTY };
    const imports = {
      wasi_snapshot_preview1: makeWasi(() => this.memory),
      nb_host: this.#hostImports(),
    };
    this.instance = new WebAssembly.Instance(module, imports);
    this.exports = this.instance.exports;
    this.memory = this.exports.memory;
    this.exports._initialize();
    this.handleRequest = WebAssembly.promising(this.exports.nb_handle_request);
    this.handleQueue = WebAssembly.promising(this.exports.nb_handle_queue);
    this.handleScheduled = WebAssembly.promising(this.exports.nb_handle_scheduled);
    const vars = {};
    for (const [k, v] of Object.entries(env)) if (typeof v === "string") vars[k] = v;
    const [ptr, len] = this.#copyIn(encoder.encode(JSON.stringify(vars)));
    if (this.exports.nb_init(ptr, len) !== 0) throw new Error("nb_init rejected the configuration");
  }

  memoryBytes() {
    return this.memory.buffer.byteLength;
  }

  // Covers `extra` more bytes on top of what the instance is now, for a binding reply already in hand.
  // Never waits: a request in flight waiting for memory that only other requests in flight hold is a
  // livelock (each would throw away a paid Gemini answer after the deadline). The bytes exist either
  // way, so they are counted at once and new admissions wait instead; queue jobs are admitted with room
  // for a typical answer (worker.js), so this is the exception, not the rule.
  reserve(extra) {
    this.isolate.settle(this);
    const need = this.memoryBytes() + extra - this.held;
    if (need <= 0) return;
    this.isolate.app.force(need);
    this.held += need;
  }

  // Runs one HTTP request through C++; returns {status, headers, body | object}. `head` is
  // {method, url, origin, requestId, bodyTooLarge, headers, multipartJson?}, written straight into
  // linear memory in the binary layout of entry_wire.js. `intake.body` is a Uint8Array or a Blob (an
  // uploaded file), written straight into the buffer C++ will own; the shim then lets go of it
  // (intake.body = null) and calls bodyCopied(), so the JS copy can be collected and its budget given
  // back while C++ works.
  async request(head, intake, bodyCopied = () => {}) {
    this.d1RowsRead = 0;
    let body = intake.body;
    intake.body = null;
    const bound = requestHeadBound(head);
    const hp = this.exports.nb_alloc(bound);
    if (!hp) throw new Error(`nb_alloc(${bound}) failed: the instance is out of memory`);
    const hl = writeRequestHead(head, new Uint8Array(this.memory.buffer), hp);
    const length = body.byteLength ?? body.size;
    const bp = this.exports.nb_request_body(length);
    // Address 0 is C++'s null: writing the body there would overwrite whatever the instance keeps at
    // the bottom of its memory and run the request on garbage.
    if (length && !bp) throw new Error(`nb_request_body(${length}) failed: the instance is out of memory`);
    if (body instanceof Uint8Array) {
      if (length) new Uint8Array(this.memory.buffer, bp, length).set(body);
    } else {
      // Chunk by chunk from the runtime's copy: no whole-file copy on the JS heap. No wasm runs in
      // this instance meanwhile, so the buffer cannot move under us.
      let offset = 0;
      for await (const chunk of body.stream()) {
        if (offset + chunk.length > length) throw new Error(`upload grew past its size ${length} while read`);
        new Uint8Array(this.memory.buffer, bp + offset, chunk.length).set(chunk);
        offset += chunk.length;
      }
      if (offset !== length) throw new Error(`upload changed size while read (${offset} of ${length})`);
    }
    body = null;
    bodyCopied();
    const view = await this.handleRequest(hp, hl, length);
    const mem = new Uint8Array(this.memory.buffer);
    const dv = new DataView(this.memory.buffer);
    const replyHeadPtr = dv.getUint32(view, true);
    const replyHeadLen = dv.getUint32(view + 4, true);
    const bodyPtr = dv.getUint32(view + 8, true);
    const bodyLen = dv.getUint32(view + 12, true);
    const reply = readReplyHead(mem, replyHeadPtr, replyHeadLen);
    // slice(): the reply must own its bytes; the next request reuses this memory.
    reply.body = mem.slice(bodyPtr, bodyPtr + bodyLen);
    reply.d1RowsRead = this.d1RowsRead;
    return reply;
  }

  // A queue batch; returns one {id, action, delaySeconds?} per message.
  async queue(batch) {
    const [hp, hl] = this.#copyIn(encoder.encode(JSON.stringify(batch)));
    return JSON.parse(decoder.decode(this.#readReply(await this.handleQueue(hp, hl)).headBytes));
  }

  async scheduled(event) {
    const [hp, hl] = this.#copyIn(encoder.encode(JSON.stringify(event)));
    await this.handleScheduled(hp, hl);
  }

  #copyIn(bytes) {
    const ptr = this.exports.nb_alloc(bytes.length);
    if (!ptr) throw new Error(`nb_alloc(${bytes.length}) failed: the instance is out of memory`);
    new Uint8Array(this.memory.buffer, ptr, bytes.length).set(bytes);
    return [ptr, bytes.length];
  }

  #readReply(viewPtr) {
    const dv = new DataView(this.memory.buffer);
    const [hp, hl, bp, bl] = [0, 4, 8, 12].map((o) => dv.getUint32(viewPtr + o, true));
    // slice(): the reply must own its bytes; the next call reuses this memory.
    return {
      headBytes: new Uint8Array(this.memory.buffer, hp, hl).slice(),
      body: new Uint8Array(this.memory.buffer, bp, bl).slice(),
    };
  }

  // One binding call: its reply, or its error as {"error": {kind, message}} in the reply head.
  async #call(handler, head, body) {
    try {
      // A request's D1 session (d1_sessions.js) stands in for env.DATABASE while it runs.
      const env = this.database ? Object.create(this.env, { DATABASE: { value: this.database } }) : this.env;
      const reply = await handler(env, head, body);
      if (reply.head?.rowsRead) this.d1RowsRead += reply.head.rowsRead;
      const size = reply.body?.length ?? 0;
      if (size > BIG_REPLY_BYTES) this.reserve(size * REPLY_COPIES + REPLY_SLACK);
      return reply;
    } catch (e) {
      return { head: { error: { kind: e.kind ?? "io", message: String(e?.message ?? e) } } };
    }
  }

  #hostImports() {
    const imports = {};
    for (const [name, handler] of Object.entries(bindingHandlers)) {
      imports[name] = new WebAssembly.Suspending(async (hp, hl, bp, bl) => {
        // The head is parsed before the first await. The body is a view, not a copy: this instance
        // is suspended until the handler settles, so nothing can grow (and detach) its memory or
        // overwrite those bytes meanwhile, and every handler is done with them when it settles.
        const mem = new Uint8Array(this.memory.buffer);
        const head = JSON.parse(decoder.decode(mem.subarray(hp, hp + hl)));
        const reply = await this.#call(handler, head, mem.subarray(bp, bp + bl));
        this.pending = { head: encoder.encode(JSON.stringify(reply.head)), body: reply.body ?? EMPTY };
        return this.pending.head.length;
      });
    }
    // Several calls started at once, one suspension for all (bindings/wasm/host_abi.h): each call's
    // error stays its own, and the reply bodies come back concatenated in order.
    imports.together = new WebAssembly.Suspending(async (hp, hl, bp, bl) => {
      const mem = new Uint8Array(this.memory.buffer);
      const calls = JSON.parse(decoder.decode(mem.subarray(hp, hp + hl)));
      let offset = bp;
      const replies = await Promise.all(calls.map((call) => {
        const handler = bindingHandlers[call.port];
        const body = mem.subarray(offset, offset + (call.bodyLen ?? 0));
        offset += call.bodyLen ?? 0;
        if (!handler || offset > bp + bl) {
          return { head: { error: { kind: "invalid_argument", message: `bad together call to ${call.port}` } } };
        }
        return this.#call(handler, call.head, body);
      }));
      const bodies = replies.map((r) => r.body ?? EMPTY);
      const total = bodies.reduce((n, b) => n + b.length, 0);
      const body = total ? new Uint8Array(total) : EMPTY;
      let at = 0;
      for (const b of bodies) {
        body.set(b, at);
        at += b.length;
      }
      const head = replies.map((r, i) => ({ head: r.head, bodyLen: bodies[i].length }));
      this.pending = { head: encoder.encode(JSON.stringify(head)), body };
      return this.pending.head.length;
    });
    imports.result_body_len = () => this.pending.body.length;
    imports.result_take = (headPtr, bodyPtr) => {
      const mem = new Uint8Array(this.memory.buffer);
      mem.set(this.pending.head, headPtr);
      mem.set(this.pending.body, bodyPtr);
      this.pending = { head: EMPTY, body: EMPTY };
    };
    return imports;
  }
}
