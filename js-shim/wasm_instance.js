// One instance of the C++ module with its own linear memory and shadow stack. It serves one request
// at a time: JSPI suspends the wasm stack but not clang's shadow stack in linear memory, so two
// requests interleaving in one instance would overwrite each other's frames.
import { bindingHandlers, EMPTY } from "./bindings.js";
import { makeWasi } from "./wasi.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class WasmInstance {
  constructor(module, env) {
    this.env = env;
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

  // Runs one HTTP request through C++; returns {status, headers, body | object}.
  async request(head, body) {
    const [hp, hl] = this.#copyIn(encoder.encode(JSON.stringify(head)));
    const [bp, bl] = this.#copyIn(body);
    const reply = this.#readReply(await this.handleRequest(hp, hl, bp, bl));
    return { ...JSON.parse(decoder.decode(reply.headBytes)), body: reply.body };
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

  #hostImports() {
    const imports = {};
    for (const [name, handler] of Object.entries(bindingHandlers)) {
      imports[name] = new WebAssembly.Suspending(async (hp, hl, bp, bl) => {
        // Copy out before the first await: memory may grow (and its buffer detach) later.
        const mem = new Uint8Array(this.memory.buffer);
        const head = JSON.parse(decoder.decode(mem.subarray(hp, hp + hl)));
        const body = mem.slice(bp, bp + bl);
        let reply;
        try {
          reply = await handler(this.env, head, body);
        } catch (e) {
          reply = { head: { error: { kind: e.kind ?? "io", message: String(e?.message ?? e) } } };
        }
        this.pending = { head: encoder.encode(JSON.stringify(reply.head)), body: reply.body ?? EMPTY };
        return this.pending.head.length;
      });
    }
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
