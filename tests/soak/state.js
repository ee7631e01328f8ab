// A snapshot of what the Worker stored, read straight from Miniflare's persisted state
// (wrangler dev --persist-to <dir>): D1 is a SQLite file under v3/d1/, and R2 keeps each bucket's
// object index in a SQLite file under v3/r2/ (table _mf_objects; the bytes are blobs beside it).
// Reading the files, not the Worker's own debug routes, keeps the checker independent of the code
// it checks: a bug in the Worker's queries cannot hide itself. The soak reads only once the Worker
// is quiet (no request, job or cron tick running), so the files are not changing underneath.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";

function sqliteFiles(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(sqliteFiles(full));
    else if (name.endsWith(".sqlite")) out.push(full);
  }
  return out;
}

function hasTable(file, table) {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
  } finally {
    db.close();
  }
}

// The one file holding `table` under v3/<kind>/, or an error that says what was found instead.
function findDatabase(stateDir, kind, table) {
  const files = sqliteFiles(path.join(stateDir, "v3", kind)).filter((f) => hasTable(f, table));
  if (files.length !== 1) {
    throw new Error(`state: expected one ${kind} database with table ${table} under ${stateDir}, found ${files.length}`);
  }
  return files[0];
}

export function d1File(stateDir) {
  return findDatabase(stateDir, "d1", "users");
}

export function r2File(stateDir) {
  return findDatabase(stateDir, "r2", "_mf_objects");
}

// { users, ledger, jobs, images, objects }: plain rows, numbers as numbers.
export function readSnapshot(stateDir) {
  const d1 = new DatabaseSync(d1File(stateDir), { readOnly: true });
  let snapshot;
  try {
    snapshot = {
      users: d1.prepare("SELECT id, email, coins, roles FROM users").all(),
      ledger: d1.prepare("SELECT id, user_id, delta, reason, image_id FROM coin_ledger").all(),
      jobs: d1.prepare("SELECT image_id, user_id, cost, hold, attempts, claimed_at, deadline_at FROM generation_jobs").all(),
      images: d1.prepare(
        "SELECT id, user_id, type, status, storage_key, thumbnail_key, size, format FROM images").all(),
    };
  } finally {
    d1.close();
  }
  const r2 = new DatabaseSync(r2File(stateDir), { readOnly: true });
  try {
    snapshot.objects = r2.prepare("SELECT key, size FROM _mf_objects").all();
  } finally {
    r2.close();
  }
  return snapshot;
}
