// The soak's checks can fail: a short soak against a real Worker, then the persisted state is
// corrupted on purpose, one way per invariant (a direct D1 write that breaks a balance, an image row
// deleted under its R2 objects, a thumbnail's R2 entry removed, a settled hold reopened) and a 5xx
// nobody injected; the checker must report each of them, and nothing else beyond what it reported
// before the corruption. Part of `make test` (about half a minute on a quiet machine).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { check, runLoad, startSoak, waitForQuiet } from "./soak.js";
import { d1File, r2File, readSnapshot } from "./state.js";
import { uploadBody } from "./uploads.js";

let ctx;
after(() => ctx?.stop());

const key = (v) => `${v.invariant}|${v.userId ?? ""}|${v.imageId ?? ""}|${v.key ?? ""}|${v.path ?? ""}`;

test("every kind of corruption is reported as the invariant it breaks", async () => {
  ctx = await startSoak();
  await runLoad(ctx, { users: 6, lanes: 4, seconds: 8 });
  // What the corruption needs, whatever the random load happened to leave: two uploads, one generation,
  // by a user the load never touched (a loaded one may have used up its generations for the minute: 429).
  await ctx.soak.addUsers(1, 0);
  const owner = ctx.soak.users.at(-1);
  for (const i of [0, 1]) {
    const { body, contentType } = uploadBody(ctx.soak.uploads.good.file(i), "self-test");
    const r = await ctx.soak.req(owner, "upload-good", "POST", "/api/images", { body, headers: { "content-type": contentType } });
    assert.equal(r.status, 201, r.text);
  }
  await ctx.soak.grant(owner, 10);
  const generated = await ctx.soak.req(owner, "generate", "POST", "/api/images/generate", { body: { prompt: "self-test: a pear" } });
  assert.equal(generated.status, 202, generated.text);
  const quiet = await waitForQuiet(ctx, { timeoutMs: 60_000 });
  assert.ok(quiet.quiet, JSON.stringify(quiet.last));
  const limits = { minUsers: 6, minInFlight: 2 };
  const before = new Set((await check(ctx, limits)).map(key));

  const s = readSnapshot(ctx.worker.stateDir);
  const user = s.users.find((u) => u.email.startsWith("soak-"));
  const completed = s.images.filter((i) => i.status === "COMPLETED" && i.thumbnail_key);
  const settled = s.jobs.find((j) => j.hold === "settled" && s.images.some((i) => i.id === j.image_id && i.status === "COMPLETED"));
  assert.ok(user && completed.length >= 2 && settled, `the short soak made too little: ${completed.length} images, job ${JSON.stringify(settled)}`);
  const [orphaned, thumbless] = completed.filter((i) => i.id !== settled.image_id);

  const d1 = new DatabaseSync(d1File(ctx.worker.stateDir));
  d1.prepare("UPDATE users SET coins = coins + 7 WHERE id = ?").run(user.id);
  d1.prepare("DELETE FROM images WHERE id = ?").run(orphaned.id);
  d1.prepare("UPDATE generation_jobs SET hold = 'open' WHERE image_id = ?").run(settled.image_id);
  d1.close();
  const r2 = new DatabaseSync(r2File(ctx.worker.stateDir));
  r2.prepare("DELETE FROM _mf_objects WHERE key = ?").run(thumbless.thumbnail_key);
  r2.close();
  // A 500 that no fault explains (a query on a missing table, through the test-only route).
  await ctx.soak.req(ctx.admin, "debug", "GET", "/api/_debug/bad-sql");

  const found = (await check(ctx, limits)).filter((v) => !before.has(key(v)));
  const expected = [
    ["balance equals the sum of the ledger", user.id],
    ["every R2 object has a row", orphaned.storage_key],
    ["every R2 object has a row", orphaned.thumbnail_key],
    ["no hold is left open", settled.image_id],
    ["a completed image's coins are settled", settled.image_id],
    ["a completed image has its thumbnail in R2", thumbless.thumbnail_key],
    ["no 5xx without an injected fault", "/api/_debug/bad-sql"],
  ];
  const described = found.map((v) => [v.invariant, v.userId && v.invariant.startsWith("balance") ? v.userId : v.key ?? v.imageId ?? v.path]);
  for (const e of expected) assert.ok(described.some((d) => d[0] === e[0] && d[1] === e[1]), `not reported: ${e}\n${JSON.stringify(found, null, 1)}`);
  assert.equal(found.length, expected.length, JSON.stringify(found, null, 1));
});
