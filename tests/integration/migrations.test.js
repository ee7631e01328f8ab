// Migrations applied twice: the second run applies nothing and leaves data and the Worker intact.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { applyMigrations, wrangler } from "./support/worker.js";

test("applying migrations twice is harmless", async () => {
  const stateDir = await mkdtemp(path.join(tmpdir(), "nb-mig-"));
  try {
    const first = await applyMigrations(stateDir);
    assert.match(first.stdout, /0001_initial\.sql/);
    const exec = (sql) =>
      wrangler(["d1", "execute", "DATABASE", "--local", "--env", "dev", "--persist-to", stateDir, "--json", "--command", sql]);
    await exec("INSERT INTO users (id, email, first_name, last_name, roles, language, coins, created_at, updated_at) VALUES ('u1', 'a@example.com', 'A', 'B', 'USER', 'en', 5, 0, 0)");
    const second = await applyMigrations(stateDir);
    assert.match(second.stdout + second.stderr, /No migrations to apply/i);
    const rows = JSON.parse((await exec("SELECT coins FROM users WHERE id = 'u1'")).stdout);
    assert.equal(rows[0].results[0].coins, 5);
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }
});
