// Accounts end to end against the built Worker and a fake Google speaking Google's wire format:
// sign-in, callback failures, sessions, CSRF, admin, ledger invariants under concurrency, es messages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./support/worker.js";
import { Client, SESSION_COOKIE, googleSignIn, ledgerSum } from "./support/client.js";
import { startFakeGoogle } from "../fakes/google.js";

let worker, google, admin;

before(async () => {
  google = await startFakeGoogle({ jwksMaxAge: 3600 });
  worker = await startWorker({
    vars: {
      DEBUG_ROUTES: "true",
      ...google.workerVars(),
      ADMIN_EMAILS: "admin@example.com, Boss@Example.com",
    },
  });
  google.registerWorker(worker.url);
  admin = new Client(worker.url);
  await admin.devLogin("admin@example.com");
});
after(async () => {
  await worker?.stop();
  await google?.close();
});

async function findUser(email) {
  const r = await admin.json(`/api/admin/users?query=${encodeURIComponent(email)}`);
  assert.equal(r.status, 200);
  return r.body.items.find((u) => u.email === email);
}

test("Google sign-in creates the user with the signup bonus and lands on the requested page", async () => {
  google.setIdentity({ sub: "g-100", email: "Maria@Example.com", given_name: "María", family_name: "López", locale: "es-419" });
  const client = new Client(worker.url);
  const { login, callback } = await googleSignIn(client, "/gallery?type=GENERATED");
  const authorize = new URL(login.headers.get("location"));
  assert.equal(authorize.searchParams.get("code_challenge_method"), "S256");
  assert.match(authorize.searchParams.get("code_challenge"), /^[A-Za-z0-9_-]{43}$/);
  assert.ok(authorize.searchParams.get("state") && authorize.searchParams.get("nonce"));
  assert.equal(authorize.searchParams.get("redirect_uri"), `${worker.url}/api/auth/google/callback`);
  assert.equal(callback.status, 302);
  assert.equal(callback.headers.get("location"), "/gallery?type=GENERATED");
  const sessionCookie = callback.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  assert.match(sessionCookie, /HttpOnly/);
  assert.match(sessionCookie, /Secure/);
  assert.match(sessionCookie, /SameSite=Lax/);
  const me = await client.json("/api/me");
  assert.equal(me.status, 200);
  assert.equal(me.body.user.email, "maria@example.com");
  assert.equal(me.body.user.fullName, "María López");
  assert.equal(me.body.user.language, "es");
  assert.deepEqual(me.body.user.roles, ["USER"]);
  assert.equal(me.body.user.coins, 100);
  const tx = await client.json("/api/me/transactions");
  assert.deepEqual(tx.body.items.map((i) => [i.delta, i.reason, i.balanceAfter]), [[100, "signup_bonus", 100]]);
  // The token exchange carried the PKCE verifier matching the challenge.
  const exchange = google.tokenRequests.at(-1);
  assert.equal(exchange.grant_type, "authorization_code");
  assert.match(exchange.code_verifier, /^[A-Za-z0-9_-]{43}$/);

  // Signing in again finds the same user: no second bonus.
  const again = new Client(worker.url);
  await googleSignIn(again);
  const me2 = await again.json("/api/me");
  assert.equal(me2.body.user.id, me.body.user.id);
  assert.equal(me2.body.user.coins, 100);
});

test("an email in ADMIN_EMAILS becomes ADMIN at sign-in", async () => {
  google.setIdentity({ sub: "g-boss", email: "boss@example.com", given_name: "Big", family_name: "Boss" });
  const client = new Client(worker.url);
  await googleSignIn(client);
  assert.deepEqual((await client.json("/api/me")).body.user.roles, ["USER", "ADMIN"]);
});

const forgeries = {
  "wrong audience": (c) => { c.aud = "someone-else.apps.googleusercontent.com"; },
  "wrong issuer": (c) => { c.iss = "https://evil.example.com"; },
  expired: (c) => { c.iat -= 7200; c.exp = c.iat + 3600; },
  "issued in the future": (c) => { c.iat += 3600; c.exp += 3600; },
  "nonce mismatch": (c) => { c.nonce = "not-the-nonce"; },
  "unverified email": (c) => { c.email_verified = false; },
  "alg none": () => "none",
  "HS256 with the client secret": () => "hs256",
  "unknown kid": () => "unknown-kid",
  "tampered payload": () => "tampered",
};

for (const [name, forge] of Object.entries(forgeries)) {
  test(`callback refuses an ID token with ${name} and writes nothing`, async () => {
    const email = `forged-${name.replace(/\W+/g, "-")}@example.com`;
    google.setIdentity({ sub: `g-${email}`, email, given_name: "F" });
    google.setTokenOverrides(forge);
    const client = new Client(worker.url);
    const { callback } = await googleSignIn(client);
    assert.equal(callback.status, 401, name);
    const body = await callback.json();
    assert.equal(body.error.code, "UNAUTHENTICATED");
    assert.ok(!client.cookies.has(SESSION_COOKIE));
    assert.equal((await client.json("/api/me")).status, 401);
    assert.equal(await findUser(email), undefined);
    google.setTokenOverrides(null);
  });
}

test("a replayed state, a missing sign-in cookie and a refused code are clear errors", async () => {
  google.setIdentity({ sub: "g-replay", email: "replay@example.com" });
  const client = new Client(worker.url);
  const { callbackUrl, callback } = await googleSignIn(client);
  assert.equal(callback.status, 302);
  const replay = await new Client(worker.url).fetch(callbackUrl);
  assert.equal(replay.status, 400);
  assert.equal((await replay.json()).error.code, "BAD_REQUEST");

  // The browser that finishes is not the one that started (no nb_oauth cookie).
  const starter = new Client(worker.url);
  const login = await starter.fetch("/api/auth/google/login");
  const authorize = await fetch(login.headers.get("location"), { redirect: "manual" });
  const stranger = await new Client(worker.url).fetch(authorize.headers.get("location"));
  assert.equal(stranger.status, 400);

  google.setTokenError({ status: 400, error: "invalid_grant", error_description: "Bad Request" });
  const refused = await googleSignIn(new Client(worker.url));
  assert.equal(refused.callback.status, 401);

  // A browser navigation gets sent back to the app instead of raw JSON.
  const html = await new Client(worker.url).fetch("/api/auth/google/callback?code=x&state=y", { headers: { accept: "text/html" } });
  assert.equal(html.status, 302);
  assert.equal(html.headers.get("location"), "/?authError=state");
});

test("keys rotated at Google are picked up with one JWKS refetch", async () => {
  google.setIdentity({ sub: "g-rotate", email: "rotate@example.com" });
  await googleSignIn(new Client(worker.url));  // JWKS now cached in KV
  const before = google.jwksFetches;
  await googleSignIn(new Client(worker.url));
  assert.equal(google.jwksFetches, before, "a cached JWKS is not fetched again");
  google.rotateKeys();
  const { callback } = await googleSignIn(new Client(worker.url));
  assert.equal(callback.status, 302);
  assert.equal(google.jwksFetches, before + 1);
});

test("redirects after sign-in stay on this site", async () => {
  google.setIdentity({ sub: "g-redirect", email: "redirect@example.com" });
  for (const evil of ["https://evil.example.com/", "//evil.example.com", "/\\evil.example.com", "javascript:alert(1)"]) {
    const { callback } = await googleSignIn(new Client(worker.url), evil);
    assert.equal(callback.headers.get("location"), "/", evil);
  }
});

test("logout revokes the session server-side", async () => {
  const client = new Client(worker.url);
  await client.devLogin("leaver@example.com");
  const token = client.cookies.get(SESSION_COOKIE);
  const out = await client.fetch("/api/auth/logout", { method: "POST" });
  assert.equal(out.status, 204);
  assert.ok(!client.cookies.has(SESSION_COOKIE));
  const stolen = new Client(worker.url);
  stolen.cookies.set(SESSION_COOKIE, token);
  assert.equal((await stolen.json("/api/me")).status, 401);
});

test("tampered and unknown session cookies are signed out", async () => {
  const client = new Client(worker.url);
  await client.devLogin("tamper@example.com");
  const token = client.cookies.get(SESSION_COOKIE);
  for (const bad of [token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"), "x", "../../etc", token + "A"]) {
    const c = new Client(worker.url);
    c.cookies.set(SESSION_COOKIE, bad);
    assert.equal((await c.json("/api/me")).status, 401, bad);
  }
});

test("the session cookie is __Host-; two session cookies are answered from neither", async () => {
  const ana = new Client(worker.url);
  await ana.devLogin("two-cookies-ana@example.com");
  const eve = new Client(worker.url);
  await eve.devLogin("two-cookies-eve@example.com");
  const a = ana.cookies.get(SESSION_COOKIE);
  const e = eve.cookies.get(SESSION_COOKIE);
  assert.match(SESSION_COOKIE, /^__Host-/);
  for (const header of [`${SESSION_COOKIE}=${a}; ${SESSION_COOKIE}=${e}`, `${SESSION_COOKIE}=${e}; ${SESSION_COOKIE}=${a}`]) {
    const r = await fetch(`${worker.url}/api/me`, { headers: { cookie: header } });
    assert.equal(r.status, 401, header);
  }
  assert.equal((await ana.json("/api/me")).status, 200);
});

test("logout-everywhere revokes every session of the user, this one included", async () => {
  const laptop = new Client(worker.url);
  const phone = new Client(worker.url);
  const other = new Client(worker.url);
  await laptop.devLogin("everywhere@example.com");
  await phone.devLogin("everywhere@example.com");
  await other.devLogin("everywhere-other@example.com");
  const out = await phone.fetch("/api/auth/logout-everywhere", { method: "POST" });
  assert.equal(out.status, 204);
  assert.ok(!phone.cookies.has(SESSION_COOKIE));
  assert.equal((await laptop.json("/api/me")).status, 401);
  assert.equal((await phone.json("/api/me")).status, 401);
  assert.equal((await other.json("/api/me")).status, 200);
  await phone.devLogin("everywhere@example.com");
  assert.equal((await phone.json("/api/me")).status, 200);
  assert.equal((await new Client(worker.url).json("/api/auth/logout-everywhere", { method: "POST" })).status, 401);
});

test("a deleted user's session is dead", async () => {
  const client = new Client(worker.url);
  const user = await client.devLogin("gone@example.com");
  assert.equal((await admin.fetch(`/api/_debug/users/${user.id}`, { method: "DELETE" })).status, 204);
  assert.equal((await client.json("/api/me")).status, 401);
});

test("state-changing requests need a same-origin Origin or Sec-Fetch-Site", async () => {
  const client = new Client(worker.url);
  await client.devLogin("csrf@example.com");
  const noOrigin = await client.json("/api/me", { method: "PATCH", body: { firstName: "X" }, origin: null });
  assert.equal(noOrigin.status, 403);
  assert.equal(noOrigin.body.error.code, "FORBIDDEN");
  const evil = await client.json("/api/me", { method: "PATCH", body: { firstName: "X" }, origin: "https://evil.example.com" });
  assert.equal(evil.status, 403);
  const fetchMeta = await client.json("/api/me", {
    method: "PATCH", body: { firstName: "Y" }, origin: null, headers: { "sec-fetch-site": "same-origin" },
  });
  assert.equal(fetchMeta.status, 200);
  assert.equal((await client.json("/api/me")).body.user.firstName, "Y");
});

test("PATCH /api/me validates names and language and changes nothing on error", async () => {
  const client = new Client(worker.url);
  await client.devLogin("patch@example.com", { firstName: "Pat" });
  const long = await client.json("/api/me", { method: "PATCH", body: { firstName: "x".repeat(101), language: "fr" } });
  assert.equal(long.status, 422);
  assert.equal(long.body.error.code, "VALIDATION_FAILED");
  assert.ok(long.body.error.fields.firstName && long.body.error.fields.language);
  const me = (await client.json("/api/me")).body.user;
  assert.equal(me.firstName, "Pat");
  assert.equal(me.language, "en");
  const ok = await client.json("/api/me", { method: "PATCH", body: { firstName: "Ñandú", lastName: " Pérez ", language: "es" } });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.user.fullName, "Ñandú Pérez");
});

test("errors speak the user's language", async () => {
  const client = new Client(worker.url);
  await client.devLogin("habla@example.com", { language: "es" });
  const r = await client.json("/api/me", { method: "PATCH", body: { language: "de" } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.message, "Algunos campos no son válidos.");
  assert.equal(r.body.error.fields.language, "Idioma no admitido.");
  const notAdmin = await client.json("/api/admin/users");
  assert.equal(notAdmin.body.error.message, "No tienes permiso para hacer eso.");
  const signedOut = await new Client(worker.url, { acceptLanguage: "es-ES,es;q=0.9" }).json("/api/me");
  assert.equal(signedOut.body.error.message, "Inicia sesión.");
});

test("admin routes are 403 for a USER and 401 signed out", async () => {
  const user = new Client(worker.url);
  const me = await user.devLogin("plain@example.com");
  const calls = [
    ["GET", "/api/admin/users", undefined],
    ["POST", `/api/admin/users/${me.id}/coins`, { amount: 5, reason: "self" }],
    ["PUT", `/api/admin/users/${me.id}/roles`, { roles: ["USER", "ADMIN"] }],
  ];
  for (const [method, path, body] of calls) {
    assert.equal((await user.json(path, { method, body })).status, 403, path);
    assert.equal((await new Client(worker.url).json(path, { method, body })).status, 401, path);
  }
  assert.equal((await user.json("/api/me")).body.user.coins, 100);
});

test("an admin grants and takes coins with a reason, recorded in the ledger", async () => {
  const user = new Client(worker.url);
  const me = await user.devLogin("granted@example.com");
  const grant = await admin.json(`/api/admin/users/${me.id}/coins`, { method: "POST", body: { amount: 25, reason: "welcome gift" } });
  assert.equal(grant.status, 200);
  assert.equal(grant.body.user.coins, 125);
  const take = await admin.json(`/api/admin/users/${me.id}/coins`, { method: "POST", body: { amount: -5, reason: "correction" } });
  assert.equal(take.body.user.coins, 120);
  const tx = (await user.json("/api/me/transactions")).body.items;
  assert.deepEqual(tx.map((t) => [t.delta, t.balanceAfter]), [[-5, 120], [25, 125], [100, 100]]);
  assert.match(tx[1].reason, /welcome gift/);
  assert.equal(await ledgerSum(user), 120);

  const bad = [
    { amount: 0, reason: "zero" }, { amount: 1.5, reason: "float" }, { amount: "5", reason: "string" },
    { amount: 5, reason: "" }, { amount: 5 }, { reason: "none" }, { amount: 1e12, reason: "huge" },
  ];
  for (const body of bad) {
    const r = await admin.json(`/api/admin/users/${me.id}/coins`, { method: "POST", body });
    assert.equal(r.status, 422, JSON.stringify(body));
  }
  const overdraft = await admin.json(`/api/admin/users/${me.id}/coins`, { method: "POST", body: { amount: -1000, reason: "too much" } });
  assert.equal(overdraft.status, 409);
  assert.equal((await user.json("/api/me")).body.user.coins, 120);
  assert.equal((await admin.json("/api/admin/users/ffffffffffffffffffffffffffffffff/coins", { method: "POST", body: { amount: 1, reason: "x" } })).status, 404);
  assert.equal((await admin.json("/api/admin/users/not-an-id/coins", { method: "POST", body: { amount: 1, reason: "x" } })).status, 404);
});

test("a retried grant with the same Idempotency-Key applies once", async () => {
  const user = new Client(worker.url);
  const me = await user.devLogin("idem@example.com");
  const send = () => admin.json(`/api/admin/users/${me.id}/coins`, {
    method: "POST", body: { amount: 7, reason: "retry me" }, headers: { "idempotency-key": "grant-42" },
  });
  const results = await Promise.all([send(), send(), send()]);
  for (const r of results) assert.equal(r.status, 200);
  assert.equal((await user.json("/api/me")).body.user.coins, 107);
  assert.equal(await ledgerSum(user), 107);
});

test("50 concurrent deductions against a balance covering exactly 10: exactly 10 succeed", async () => {
  const user = new Client(worker.url);
  const me = await user.devLogin("concurrent@example.com");  // 100 coins
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
    admin.json(`/api/admin/users/${me.id}/coins`, { method: "POST", body: { amount: -10, reason: `spend ${i}` } })));
  const ok = results.filter((r) => r.status === 200).length;
  const refused = results.filter((r) => r.status === 409).length;
  assert.equal(ok, 10);
  assert.equal(refused, 40);
  const balance = (await user.json("/api/me")).body.user.coins;
  assert.equal(balance, 0);
  assert.equal(await ledgerSum(user), balance);
});

test("a demotion sticks against ADMIN_EMAILS, and every change lands in the admin audit", async () => {
  const adminId = (await admin.json("/api/me")).body.user.id;
  const boss = new Client(worker.url);
  const bossUser = await boss.devLogin("boss@example.com");  // in ADMIN_EMAILS
  assert.deepEqual(bossUser.roles, ["USER", "ADMIN"]);
  const down = await admin.json(`/api/admin/users/${bossUser.id}/roles`, { method: "PUT", body: { roles: ["USER"] } });
  assert.equal(down.status, 200);
  const again = await new Client(worker.url).devLogin("boss@example.com");
  assert.deepEqual(again.roles, ["USER"], "ADMIN_EMAILS does not undo an admin's demotion");
  assert.equal((await boss.json("/api/admin/audit")).status, 403, "the demoted account is no admin");
  const grant = await admin.json(`/api/admin/users/${bossUser.id}/coins`, { method: "POST", body: { amount: 7, reason: "audit me" } });
  assert.equal(grant.status, 200);
  const up = await admin.json(`/api/admin/users/${bossUser.id}/roles`, { method: "PUT", body: { roles: ["USER", "ADMIN"] } });
  assert.equal(up.status, 200);

  const audit = await admin.json("/api/admin/audit?limit=3");
  assert.equal(audit.status, 200, JSON.stringify(audit.body));
  assert.deepEqual(audit.body.items.map((e) => [e.action, e.actorId, e.targetUserId]), [
    ["roles.update", adminId, bossUser.id],
    ["coins.grant", adminId, bossUser.id],
    ["roles.update", adminId, bossUser.id],
  ]);
  assert.deepEqual([audit.body.items[2].before, audit.body.items[2].after], [{ roles: ["USER", "ADMIN"] }, { roles: ["USER"] }]);
  assert.equal(audit.body.items[1].after.coins - audit.body.items[1].before.coins, 7);
  assert.equal((await new Client(worker.url).json("/api/admin/audit")).status, 401);
});

test("roles: an admin promotes and demotes, but the last admin cannot be demoted", async () => {
  const user = new Client(worker.url);
  const me = await user.devLogin("promote@example.com");
  const up = await admin.json(`/api/admin/users/${me.id}/roles`, { method: "PUT", body: { roles: ["USER", "ADMIN"] } });
  assert.equal(up.status, 200);
  assert.deepEqual(up.body.user.roles, ["USER", "ADMIN"]);
  assert.equal((await user.json("/api/admin/users")).status, 200);
  const down = await admin.json(`/api/admin/users/${me.id}/roles`, { method: "PUT", body: { roles: ["USER"] } });
  assert.deepEqual(down.body.user.roles, ["USER"]);
  const bad = await admin.json(`/api/admin/users/${me.id}/roles`, { method: "PUT", body: { roles: ["ROOT"] } });
  assert.equal(bad.status, 422);

  // Demote every admin but one, then try the last.
  const admins = (await admin.json("/api/admin/users?limit=100")).body.items.filter((u) => u.roles.includes("ADMIN"));
  const self = (await admin.json("/api/me")).body.user;
  for (const a of admins.filter((a) => a.id !== self.id)) {
    assert.equal((await admin.json(`/api/admin/users/${a.id}/roles`, { method: "PUT", body: { roles: ["USER"] } })).status, 200);
  }
  const last = await admin.json(`/api/admin/users/${self.id}/roles`, { method: "PUT", body: { roles: ["USER"] } });
  assert.equal(last.status, 409);
  assert.deepEqual((await admin.json("/api/me")).body.user.roles, ["USER", "ADMIN"]);
});

test("admin search pages with a keyset cursor", async () => {
  for (let i = 0; i < 5; i++) await new Client(worker.url).devLogin(`page-${i}@example.com`);
  const first = await admin.json("/api/admin/users?query=page-&limit=2");
  assert.equal(first.body.items.length, 2);
  const second = await admin.json(`/api/admin/users?query=page-&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
  const third = await admin.json(`/api/admin/users?query=page-&limit=2&cursor=${encodeURIComponent(second.body.nextCursor)}`);
  const emails = [...first.body.items, ...second.body.items, ...third.body.items].map((u) => u.email);
  assert.equal(new Set(emails).size, 5);
  assert.equal(third.body.nextCursor, null);
  assert.equal((await admin.json("/api/admin/users?cursor=garbage")).status, 400);
  assert.equal((await admin.json("/api/admin/users?limit=0")).status, 400);
});

test("dev-login validates its input", async () => {
  const c = new Client(worker.url);
  for (const body of [{}, { email: "no-at-sign" }, { email: 5 }, { email: "a@b.c", firstName: "x".repeat(101) }]) {
    const r = await c.json("/api/auth/dev-login", { method: "POST", body });
    assert.equal(r.status, 422, JSON.stringify(body));
  }
  assert.ok(!c.cookies.has(SESSION_COOKIE));
});

test("sign-in endpoints are rate limited with Retry-After", async () => {
  let limited;
  for (let i = 0; i < 80 && !limited; i++) {
    const r = await new Client(worker.url).fetch("/api/auth/google/login");
    if (r.status === 429) limited = r;
  }
  assert.ok(limited, "no 429 within 80 attempts");
  assert.equal((await limited.json()).error.code, "RATE_LIMITED");
  assert.ok(Number(limited.headers.get("retry-after")) > 0);
});
