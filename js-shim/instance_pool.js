// A bounded pool of WasmInstances: each request borrows one exclusively (see wasm_instance.js), so
// concurrency is at most `max` and memory is bounded. A trapped instance, or one whose memory has
// grown past the cap, is dropped rather than reused.
export class InstancePool {
  constructor(create, { max = 16, maxMemoryBytes = 64 * 1024 * 1024 } = {}) {
    this.create = create;
    this.max = max;
    this.maxMemoryBytes = maxMemoryBytes;
    this.idle = [];
    this.live = 0;
    this.waiters = [];
    this.created = 0;
  }

  async use(fn) {
    const instance = await this.#acquire();
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
    return { live: this.live, idle: this.idle.length, waiting: this.waiters.length, created: this.created };
  }

  #acquire() {
    if (this.idle.length) return Promise.resolve(this.idle.pop());
    if (this.live < this.max) return Promise.resolve(this.#spawn());
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  #spawn() {
    this.live++;
    this.created++;
    try {
      return this.create();
    } catch (e) {
      this.live--;
      throw e;
    }
  }

  #release(instance, healthy) {
    if (!healthy || instance.memoryBytes() > this.maxMemoryBytes) {
      this.live--;
      instance = null;
    }
    const waiter = this.waiters.shift();
    if (!waiter) {
      if (instance) this.idle.push(instance);
      return;
    }
    try {
      waiter.resolve(instance ?? this.#spawn());
    } catch (e) {
      waiter.reject(e);
    }
  }
}
