// Races between people: two admins demoting each other at the same moment, and a generation's coin
// hold against an admin taking the same coins. Each ends one way only; the invariants (at least one
// admin; balance = ledger sum, never negative, every hold resolved) hold whatever the interleaving.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./support/worker.js";
import { Client, ledgerSum } from "./support/client.js";

const ADMINS = ["ann@example.com", "ben@example.com", "boss@example.com"];
let worker;
before(async () => {
  // dev has no Gemini key here: generations use the offline placeholder drawer.
  worker = await startWorker({ vars: { DEBUG_ROUTES: "true", ADMIN_EMAILS: ADMINS.join(",") } });
});
after(async () => worker?.stop());

const setRoles = (by, id, roles) => by.json(`/api/admin/users/${id}/roles`, { method: "PUT", body: { roles } });

test("two admins demoting each other at once: exactly one succeeds and one admin is left", async () => {
  const [ann, ben, boss] = ADMINS.map(() => new Client(worker.url));
  const ids = {};
  for (const [client, email] of [[ann, ADMINS[0]], [ben, ADMINS[1]], [boss, ADMINS[2]]]) ids[email] = (await client.devLogin(email)).id;
  // boss steps down first, so ann and ben are the only admins in every round.
  assert.equal((await setRoles(boss, ids[ADMINS[2]], ["USER"])).status, 200);
  const adminIds = async (by) => (await by.json("/api/admin/users?limit=100")).body.items.filter((u) => u.roles.includes("ADMIN")).map((u) => u.id);

  for (let round = 0; round < 8; round++) {
    const [a, b] = await Promise.all([setRoles(ann, ids[ADMINS[1]], ["USER"]), setRoles(ben, ids[ADMINS[0]], ["USER"])]);
    const outcome = JSON.stringify([a.status, a.body?.error?.code, b.status, b.body?.error?.code]);
    const won = [a, b].filter((r) => r.status === 200);
    assert.equal(won.length, 1, `round ${round}: ${outcome}`);
    const lost = a.status === 200 ? b : a;
    // The loser either was already demoted when its request was checked (403), or its demotion would
    // have left no admin (409 last_admin). Never a 200, never a 5xx.
    assert.ok((lost.status === 403 && lost.body.error.code === "FORBIDDEN") || (lost.status === 409 && lost.body.error.code === "CONFLICT"), `round ${round}: ${outcome}`);
    const winner = a.status === 200 ? ann : ben;
    const winnerEmail = a.status === 200 ? ADMINS[0] : ADMINS[1];
    assert.deepEqual(await adminIds(winner), [ids[winnerEmail]], `round ${round}: ${outcome}`);
    // Restore the other for the next round.
    const loserEmail = winnerEmail === ADMINS[0] ? ADMINS[1] : ADMINS[0];
    assert.equal((await setRoles(winner, ids[loserEmail], ["USER", "ADMIN"])).status, 200);
  }
});

test("a generation hold racing an admin's coin take on the same coins: exactly one gets them", async () => {
  const boss = new Client(worker.url);
  const bossId = (await boss.devLogin("racer-admin@example.com")).id;
  const ann = new Client(worker.url);
  await ann.devLogin(ADMINS[0]);
  if (!(await ann.json("/api/me")).body.user.roles.includes("ADMIN")) {
    // The previous test may have left ben as the admin; either admin can promote our racer.
    const ben = new Client(worker.url);
    await ben.devLogin(ADMINS[1]);
    assert.equal((await setRoles(ben, bossId, ["USER", "ADMIN"])).status, 200);
  } else {
    assert.equal((await setRoles(ann, bossId, ["USER", "ADMIN"])).status, 200);
  }
  const cost = (await boss.json("/api/config")).body.generationCost;
  const people = await Promise.all(Array.from({ length: 8 }, async (_, i) => {
    const client = new Client(worker.url);
    const user = await client.devLogin(`race-${i}-${Date.now()}@example.com`);
    // Exactly one generation's worth of coins left.
    const set = await boss.json(`/api/admin/users/${user.id}/coins`, { method: "POST", body: { amount: cost - user.coins, reason: "race setup" } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    return { client, user };
  }));

  const results = await Promise.all(people.map(({ client, user }) => Promise.all([
    client.json("/api/images/generate", { method: "POST", body: { prompt: `race ${user.id}` } }),
    boss.json(`/api/admin/users/${user.id}/coins`, { method: "POST", body: { amount: -cost, reason: "race take" } }),
  ])));
  let generationsWon = 0;
  for (const [i, [gen, take]] of results.entries()) {
    const { client, user } = people[i];
    const outcome = JSON.stringify([gen.status, gen.body?.error?.code, take.status, take.body?.error?.code]);
    if (gen.status === 202) {
      generationsWon++;
      assert.equal(take.status, 409, outcome);
      assert.equal(take.body.error.code, "CONFLICT");
      let image = gen.body.image;
      for (let n = 0; n < 150 && !["COMPLETED", "FAILED"].includes(image.status); n++) {
        await new Promise((r) => setTimeout(r, 200));
        image = (await client.json(`/api/images/${image.id}`)).body.image;
      }
      assert.equal(image.status, "COMPLETED", outcome);
    } else {
      assert.equal(gen.status, 402, outcome);
      assert.equal(gen.body.error.code, "INSUFFICIENT_COINS");
      assert.equal(take.status, 200, outcome);
      assert.equal((await client.json("/api/images")).body.total, 0, "a refused generation leaves no image");
    }
    const me = (await client.json("/api/me")).body.user;
    assert.equal(me.coins, 0, outcome);
    assert.equal(await ledgerSum(client), 0);
    const audit = (await boss.json(`/api/_debug/users/${user.id}/generation-audit`)).body;
    assert.equal(audit.consistent, true, JSON.stringify(audit));
    assert.deepEqual(audit.openHolds, []);
  }
  console.log(`# ${generationsWon} of ${people.length} races went to the generation`);
});
