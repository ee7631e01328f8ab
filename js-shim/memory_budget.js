// A budget of bytes that callers take before wasm memory grows and give back after. First come, first
// served: a large request at the head of the line is not overtaken by small ones forever. Waiting is
// bounded; past the deadline the caller gets a BudgetBusy and answers "try again later" instead of
// pushing the isolate past its memory limit.
export class BudgetBusy extends Error {
  constructor(lane, bytes) {
    super(`memory budget "${lane}" has no ${bytes} bytes to spare`);
    this.kind = "unavailable";
  }
}

export class MemoryBudget {
  constructor(name, capBytes) {
    this.name = name;
    this.cap = capBytes;
    this.used = 0;
    this.waiters = [];
  }

  // Resolves once `bytes` are taken; rejects with BudgetBusy after timeoutMs, or at once when the
  // request could never fit.
  take(bytes, timeoutMs) {
    if (bytes > this.cap) return Promise.reject(new BudgetBusy(this.name, bytes));
    if (this.waiters.length === 0 && this.used + bytes <= this.cap) {
      this.used += bytes;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = { bytes, resolve, timer: null };
      waiter.timer = setTimeout(() => {
        // Already granted: in workerd a clearTimeout from another request's give() does not reach this
        // timer, so it can still fire. Without this check splice(-1, 1) would evict the last waiter.
        const at = this.waiters.indexOf(waiter);
        if (at < 0) return;
        this.waiters.splice(at, 1);
        reject(new BudgetBusy(this.name, bytes));
        this.#wake();  // a big waiter leaving may unblock smaller ones behind it
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  // Memory that already exists (an instance grew beyond what it had taken): counted at once, never
  // refused, so `used` stays the truth even when an estimate was low.
  force(bytes) {
    this.used += bytes;
  }

  give(bytes) {
    this.used -= bytes;
    this.#wake();
  }

  stats() {
    return { cap: this.cap, used: this.used, waiting: this.waiters.length };
  }

  #wake() {
    while (this.waiters.length && this.used + this.waiters[0].bytes <= this.cap) {
      const waiter = this.waiters.shift();
      clearTimeout(waiter.timer);
      this.used += waiter.bytes;
      waiter.resolve();
    }
  }
}
