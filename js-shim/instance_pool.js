// A bounded pool of WasmInstances: each request borrows one exclusively (see wasm_instance.js), so
// concurrency is at most `max`. Memory is bounded too, through the isolate's app lane (see
// isolate_memory.js): a borrower takes what it expects its request to add before it runs, an instance
// that grew past `keepBelowBytes` is dropped after its request instead of being kept at its
// high-water mark, idle instances together stay under `idleBytes`, and a trapped instance is never
// reused. Borrowers waiting for an instance are bounded in number (maxWaiters) and in time (waitMs):
// past either they get PoolBusy (a BudgetBusy, so the Worker answers 503 with Retry-After) instead of
// piling up, each holding its request body, until the isolate runs out of memory or the client leaves.
import { BudgetBusy } from "./memory_budget.js";

export class PoolBusy extends BudgetBusy {
  constructor(reason) {
    super("pool", 0);
    this.message = `instance pool busy: ${reason}`;
  }
}

export class InstancePool {
  // create(): a new WasmInstance; memory: the IsolateMemory; newInstanceBytes: what one costs at birth;
  // maxWaiters / waitMs: how many borrowers may wait for an instance, and for how long.
  constructor(create, { max = 16, memory, newInstanceBytes = 5 * 1024 * 1024, maxWaiters = 64, waitMs = 10_000 }) {
    this.create = create;
    this.max = max;
    this.maxWaiters = maxWaiters;
    this.waitMs = waitMs;
    this.refused = 0;
    this.memory = memory;
    this.newInstanceBytes = newInstanceBytes;
    this.idle = [];
    this.live = 0;
    this.waiters = [];
    this.created = 0;
    this.dropped = 0;
  }

  // expectBytes: how much this use may grow the instance (e.g. the request body it copies in).
  // Rejects with BudgetBusy when that memory does not free up in time; nothing ran then.
  async use(fn, { expectBytes = 0 } = {}) {
    const instance = await this.#acquire(expectBytes);
    let healthy = false;
    try {
      const result = await fn(instance);
      healthy = true;
      return result;
    } finally {
      this.#release(instance, healthy);
    }
  }

  stats() {
    return { live: this.live, idle: this.idle.length, waiting: this.waiters.length, created: this.created,
      dropped: this.dropped, refused: this.refused };
  }

  // Memory first, then an instance: a borrower waiting for memory holds nothing, and one waiting for
  // an instance holds only memory, while instances come back from requests that need no more memory
  // to finish. The other order deadlocks: instances held by borrowers who all wait for memory held by
  // each other's instances. The reservation covers a new instance; a reused one gives that part back.
  async #acquire(expectBytes) {
    const { app, settings } = this.memory;
    const reserve = this.newInstanceBytes + expectBytes;
    this.#trimIdleFor(reserve);
    await app.take(reserve, settings.waitMs);
    let instance;
    try {
      instance = await this.#slot();
    } catch (e) {
      app.give(reserve);  // nothing ran: the memory goes back
      throw e;
    }
    if (instance) {
      app.give(this.newInstanceBytes);
      instance.held += expectBytes;
      return instance;
    }
    try {
      instance = this.create();
    } catch (e) {
      app.give(reserve);
      this.live--;
      this.#handOver(null);
      throw e;
    }
    this.created++;
    instance.held = reserve;
    this.memory.register(instance.memory);
    this.memory.settle(instance);  // count what it really is at birth
    return instance;
  }

  // An idle instance, or null once a new one may be made (this.live counts it already).
  #slot() {
    if (this.idle.length) return Promise.resolve(this.idle.pop());
    if (this.live < this.max) {
      this.live++;
      return Promise.resolve(null);
    }
    if (this.waiters.length >= this.maxWaiters) {
      this.refused++;
      return Promise.reject(new PoolBusy(`${this.waiters.length} borrowers already wait`));
    }
    return new Promise((resolve, reject) => {
      const waiter = (instance) => {
        clearTimeout(timer);
        resolve(instance);
      };
      // Past the deadline the waiter leaves the line; a slot handed over later goes to the next one.
      const timer = setTimeout(() => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        this.refused++;
        reject(new PoolBusy(`no instance within ${this.waitMs} ms`));
      }, this.waitMs);
      this.waiters.push(waiter);
    });
  }

  // Idle instances give their memory up before a borrower has to wait for memory.
  #trimIdleFor(bytes) {
    const { app } = this.memory;
    while (this.idle.length && app.used + bytes > app.cap) {
      const instance = this.idle.shift();
      this.live--;
      this.#drop(instance);
    }
  }

  #idleBytes() {
    return this.idle.reduce((sum, i) => sum + i.memoryBytes(), 0);
  }

  #drop(instance) {
    this.memory.unregister(instance.memory);
    this.memory.app.give(instance.held);
    instance.held = 0;
    this.dropped++;
  }

  #release(instance, healthy) {
    const { app, settings } = this.memory;
    this.memory.settle(instance);
    const bytes = instance.memoryBytes();
    // A waiting borrower takes it as it is; otherwise it idles only under the idle cap and while no
    // one waits for the memory it would sit on.
    const wanted = this.waiters.length > 0 || (this.#idleBytes() + bytes <= settings.idleBytes && app.waiters.length === 0);
    if (!healthy || bytes > settings.keepBelowBytes || !wanted) {
      this.live--;
      this.#drop(instance);
      instance = null;
    } else {
      app.give(instance.held - bytes);  // it keeps only what it is
      instance.held = bytes;
    }
    this.#handOver(instance);
  }

  // The freed slot (an instance, or room for a new one) goes to the next waiter, else back to idle.
  #handOver(instance) {
    const waiter = this.waiters.shift();
    if (!waiter) {
      if (instance) this.idle.push(instance);
      return;
    }
    if (!instance) this.live++;
    waiter(instance);
  }
}
