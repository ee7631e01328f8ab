// Session lifetime: a short SESSION_TTL_SECONDS makes expiry observable in a test. Every claim is checked
// against times measured here, so a slow or loaded machine makes the test wait longer or try again; it
// never turns a correct product red or a broken one green.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./support/worker.js";
import { Client } from "./support/client.js";

const TTL_MS = 3000;
// workerd's Date.now() moves in steps (it is the time of the last I/O), so leave it some room.
const CLOCK_SLACK_MS = 250;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let worker;
before(async () => (worker = await startWorker({ vars: { SESSION_TTL_SECONDS: String(TTL_MS / 1000) } })));
after(async () => worker?.stop());

test("a session works until its TTL and an idle one expires after it", async () => {
  let client, signedIn;
  for (let attempt = 1; ; attempt++) {
    client = new Client(worker.url);
    const sent = Date.now();  // the session is made after this...
    await client.devLogin(`sleepy-${attempt}@example.com`);
    signedIn = Date.now();    // ...and before this
    const me = await client.json("/api/me");
    // An answer that arrived within the TTL of the login being sent was judged inside the lifetime.
    if (Date.now() < sent + TTL_MS - CLOCK_SLACK_MS) {
      assert.equal(me.status, 200, JSON.stringify(me.body));
      break;
    }
    // Too slow to tell (a loaded machine): try again with a fresh session rather than guess.
    assert.ok(attempt < 5, "five sign-ins in a row took longer than the session TTL to check");
  }
  // Idle past the TTL counted from the latest moment the session could have been made.
  await sleep(Math.max(0, signedIn + TTL_MS + CLOCK_SLACK_MS - Date.now()));
  const r = await client.json("/api/me");
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, "UNAUTHENTICATED");
});

test("dev-login does not exist outside DEV_LOGIN=true", async () => {
  const prod = await startWorker({ vars: { DEV_LOGIN: "false" } });
  try {
    const r = await new Client(prod.url).json("/api/auth/dev-login", { method: "POST", body: { email: "x@example.com" } });
    assert.equal(r.status, 404);
    const config = await new Client(prod.url).json("/api/config");
    assert.equal(config.body.devLogin, false);
  } finally {
    await prod.stop();
  }
});
