// Session lifetime: a short SESSION_TTL_SECONDS makes expiry observable in a test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./support/worker.js";
import { Client } from "./support/client.js";

let worker;
before(async () => (worker = await startWorker({ vars: { SESSION_TTL_SECONDS: "2" } })));
after(async () => worker?.stop());

test("an idle session expires", async () => {
  const client = new Client(worker.url);
  await client.devLogin("sleepy@example.com");
  assert.equal((await client.json("/api/me")).status, 200);
  await new Promise((r) => setTimeout(r, 3000));
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
