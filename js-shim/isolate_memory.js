// The isolate's wasm memory, as one account. A Worker isolate has 128 MB for its JS heap and every
// instance's linear memory together, and linear memory never shrinks, so the shim keeps the sum of all
// instances' memory under a budget (96 MB by default) and short when idle (16 MB):
// - the app lane: pooled app instances, each holding what it has grown to plus what its request is
//   expected to bring in (the body, big binding replies);
// - the codec lane: throwaway codec.wasm instances, one per thumbnail, each holding its input plus the
//   working memory its C++ plan declared, which is also the hard maximum of its memory.
// Two lanes so that a request holding app memory while it waits for a thumbnail can never deadlock
// against other requests doing the same: codec runs hold nothing else and always finish.
import { MemoryBudget } from "./memory_budget.js";

const MiB = 1024 * 1024;

export function memorySettings(env) {
  const number = (name, fallback) => {
    const v = Number(env?.[name]);
    return Number.isFinite(v) && v > 0 ? v : fallback;
  };
  const total = number("WASM_MEMORY_BUDGET_BYTES", 96 * MiB);
  return {
    total,
    codecLane: Math.floor(total / 2),  // fits the largest plan (32 MB) with a 10 MB input
    idleBytes: number("WASM_IDLE_BYTES", 16 * MiB),
    // An app instance that grew past this during a request is dropped afterwards (a fresh one is
    // well under a millisecond to make) rather than kept at its high-water mark forever.
    keepBelowBytes: number("WASM_KEEP_BELOW_BYTES", 8 * MiB),
    waitMs: number("WASM_BUDGET_WAIT_MS", 20_000),
    // Request bodies on the JS heap while they are read and copied into wasm (the rest of the 128 MB
    // after the wasm budget is the JS heap's own).
    bodyBytes: number("JS_BODY_BUDGET_BYTES", 24 * MiB),
  };
}

export class IsolateMemory {
  constructor(settings) {
    this.settings = settings;
    this.app = new MemoryBudget("app", settings.total - settings.codecLane);
    this.codec = new MemoryBudget("codec", settings.codecLane);
    this.bodies = new MemoryBudget("bodies", settings.bodyBytes);
    this.memories = new Set();
    this.peak = 0;
    this.codecRuns = 0;
    this.codecTraps = 0;  // runs that ended in a trap (libjpeg's fatal errors): absorbed, never fatal
  }

  // Every live WebAssembly.Memory, app or codec, is registered while it lives. Each only grows while
  // registered, so the sum's highest point is always just before an unregister or now: sampling
  // there makes `peak` exact, not an estimate.
  register(memory) {
    this.memories.add(memory);
    this.sample();
  }

  unregister(memory) {
    this.sample();
    this.memories.delete(memory);
  }

  // Counts an app instance's growth nobody reserved (an estimate ran low) against the app lane, so
  // the budget stays the truth. `instance` has memoryBytes() and `held`, the bytes it holds.
  settle(instance) {
    const bytes = instance.memoryBytes();
    if (bytes > instance.held) {
      this.app.force(bytes - instance.held);
      instance.held = bytes;
    }
  }

  sample() {
    let sum = 0;
    for (const m of this.memories) sum += m.buffer.byteLength;
    if (sum > this.peak) this.peak = sum;
    return sum;
  }

  stats() {
    return {
      wasmBytes: this.sample(),
      peakWasmBytes: this.peak,
      app: this.app.stats(),
      bodies: this.bodies.stats(),
      codec: { ...this.codec.stats(), runs: this.codecRuns, traps: this.codecTraps },
    };
  }
}

let shared = null;
export function isolateMemory(env) {
  shared ??= new IsolateMemory(memorySettings(env));
  return shared;
}
