// The invariants the soak checks once the Worker is quiet, as pure functions of a snapshot of D1 and
// R2 (state.js) and of /api/_debug/pool. Each returns violations: { invariant, ...context }, where the
// context names the user, image, job or key so a failure can be chased in the logs.

// For every user, coins == the sum of their ledger deltas: a coin is never made or lost outside
// the ledger (a debit without its row, a refund paid twice, a grant that skipped the ledger).
export function balanceMatchesLedger({ users, ledger }) {
  const sums = new Map();
  for (const row of ledger) sums.set(row.user_id, (sums.get(row.user_id) ?? 0) + row.delta);
  const out = [];
  for (const u of users) {
    const sum = sums.get(u.id) ?? 0;
    if (u.coins !== sum) {
      out.push({ invariant: "balance equals the sum of the ledger", userId: u.id, email: u.email, coins: u.coins, ledgerSum: sum });
    }
  }
  return out;
}

// Once quiet, no generation still holds coins and no image is still waiting: a hold left open is
// coins taken from the user for a job nobody will finish.
export function noOpenHolds({ jobs, images }) {
  const out = [];
  for (const j of jobs) {
    if (j.hold === "open") {
      const image = images.find((i) => i.id === j.image_id);
      out.push({ invariant: "no hold is left open", userId: j.user_id, imageId: j.image_id, cost: j.cost,
        attempts: j.attempts, claimedAt: j.claimed_at, deadlineAt: j.deadline_at, imageStatus: image?.status ?? "deleted" });
    }
  }
  for (const i of images) {
    if (i.status === "PENDING" || i.status === "PROCESSING") {
      out.push({ invariant: "no image is left pending", userId: i.user_id, imageId: i.id, status: i.status });
    }
  }
  return out;
}

// Each generation's coins moved exactly as its outcome says: one hold of -cost; a refund of +cost
// exactly when the job was refunded; COMPLETED <-> settled, FAILED <-> refunded; a deleted image's
// job settled or refunded, never both.
export function jobsMatchOutcome({ jobs, images, ledger }) {
  const byImage = new Map();
  for (const row of ledger) {
    if (!row.image_id) continue;
    if (!byImage.has(row.image_id)) byImage.set(row.image_id, []);
    byImage.get(row.image_id).push(row);
  }
  const imagesById = new Map(images.map((i) => [i.id, i]));
  const out = [];
  for (const j of jobs) {
    const rows = (byImage.get(j.image_id) ?? []).filter((r) => r.user_id === j.user_id);
    const holds = rows.filter((r) => r.reason === "hold");
    const refunds = rows.filter((r) => r.reason === "refund");
    const context = { userId: j.user_id, imageId: j.image_id, hold: j.hold, cost: j.cost,
      ledger: rows.map((r) => `${r.reason}:${r.delta}`).join(" ") };
    if (holds.length !== 1 || holds[0].delta !== -j.cost) {
      out.push({ invariant: "a generation is charged exactly once", ...context });
    }
    const refunded = j.hold === "refunded";
    if (refunds.length !== (refunded ? 1 : 0) || (refunded && refunds[0].delta !== j.cost)) {
      out.push({ invariant: "a generation is refunded exactly when it failed", ...context });
    }
    if (rows.length !== holds.length + refunds.length) {
      out.push({ invariant: "a generation's ledger holds only its hold and refund", ...context });
    }
    const image = imagesById.get(j.image_id);
    if (image && image.status === "COMPLETED" && j.hold !== "settled") {
      out.push({ invariant: "a completed image's coins are settled", ...context, imageStatus: image.status });
    }
    if (image && image.status === "FAILED" && j.hold !== "refunded") {
      out.push({ invariant: "a failed image's coins are refunded", ...context, imageStatus: image.status });
    }
  }
  const jobIds = new Set(jobs.map((j) => j.image_id));
  for (const row of ledger) {
    if ((row.reason === "hold" || row.reason === "refund") && !jobIds.has(row.image_id)) {
      out.push({ invariant: "every hold and refund belongs to a generation", userId: row.user_id, ledgerId: row.id,
        reason: row.reason, delta: row.delta, imageId: row.image_id });
    }
  }
  return out;
}

// Formats whose thumbnails the Worker makes (src/services/image_service.h): a COMPLETED image in one
// of them without a thumbnail object means a write was lost between R2 and D1.
const THUMBNAIL_FORMATS = new Set(["png", "jpeg", "webp"]);

// Every COMPLETED row has its original (of the recorded size) and its thumbnail in R2, and every R2
// object belongs to a row: nothing a user paid for is missing, nothing is stored that no row can
// delete (an orphan is storage billed forever and never shown).
export function objectsMatchRows({ images, objects }) {
  const stored = new Map(objects.map((o) => [o.key, o]));
  const referenced = new Set();
  const out = [];
  for (const i of images) {
    if (i.storage_key) referenced.add(i.storage_key);
    if (i.thumbnail_key) referenced.add(i.thumbnail_key);
    if (i.status !== "COMPLETED") continue;
    const context = { userId: i.user_id, imageId: i.id, type: i.type, format: i.format };
    if (!i.storage_key || !stored.has(i.storage_key)) {
      out.push({ invariant: "a completed image has its original in R2", ...context, key: i.storage_key });
    } else if (i.size != null && stored.get(i.storage_key).size !== i.size) {
      out.push({ invariant: "a completed image's original has its recorded size", ...context, key: i.storage_key,
        rowSize: i.size, objectSize: stored.get(i.storage_key).size });
    }
    if (i.thumbnail_key ? !stored.has(i.thumbnail_key) : THUMBNAIL_FORMATS.has(i.format)) {
      out.push({ invariant: "a completed image has its thumbnail in R2", ...context, key: i.thumbnail_key });
    }
  }
  for (const o of objects) {
    if (!referenced.has(o.key)) out.push({ invariant: "every R2 object has a row", key: o.key, size: o.size });
  }
  return out;
}

// After the load, the pool holds no borrowed instance, nobody waits, and the isolate's wasm memory
// is back under the idle cap: a leak here is an isolate that dies of memory a day later.
export function poolIsIdle(pool, idleCapBytes) {
  const out = [];
  if (pool.live !== pool.idle || pool.waiting !== 0) {
    out.push({ invariant: "the pool is back to idle", live: pool.live, idle: pool.idle, waiting: pool.waiting });
  }
  if (!(pool.wasmBytes <= idleCapBytes)) {
    out.push({ invariant: "wasm memory is back under the idle cap", wasmBytes: pool.wasmBytes, idleCapBytes });
  }
  return out;
}

export function checkState(snapshot) {
  return [...balanceMatchesLedger(snapshot), ...noOpenHolds(snapshot), ...jobsMatchOutcome(snapshot), ...objectsMatchRows(snapshot)];
}
