// Self-test of tests/fakes/google.js: the fake Google OIDC provider speaks Google's wire format and
// its forging knobs produce tokens a correct verifier must reject. No Worker needed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, createPublicKey, randomBytes, verify } from "node:crypto";
import { startFakeGoogle, signIdToken, generateSigningKey, decodeJwt, pkceChallenge } from "../fakes/google.js";

const REDIRECT = "http://127.0.0.1:8787/api/auth/google/callback";
let google;
before(async () => (google = await startFakeGoogle({ redirectUris: [REDIRECT] })));
after(async () => google?.close());

const newVerifier = () => randomBytes(32).toString("base64url");

async function authorize({ verifier = newVerifier(), nonce = randomBytes(12).toString("base64url"), params = {} } = {}) {
  const state = randomBytes(12).toString("base64url");
  const q = new URLSearchParams({
    response_type: "code",
    client_id: google.clientId,
    redirect_uri: REDIRECT,
    scope: "openid email profile",
    state,
    nonce,
    code_challenge: pkceChallenge(verifier),
    code_challenge_method: "S256",
    ...params,
  });
  const r = await fetch(`${google.authUrl}?${q}`, { redirect: "manual" });
  return { r, state, nonce, verifier };
}

async function codeFrom(opts) {
  const a = await authorize(opts);
  assert.equal(a.r.status, 302, await a.r.clone().text());
  const loc = new URL(a.r.headers.get("location"));
  return { ...a, loc, code: loc.searchParams.get("code") };
}

function exchange(code, verifier, extra = {}) {
  return fetch(google.tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      client_id: google.clientId,
      client_secret: google.clientSecret,
      code_verifier: verifier,
      ...extra,
    }),
  });
}

async function signInToken(opts) {
  const { code, verifier, nonce } = await codeFrom(opts);
  const r = await exchange(code, verifier);
  assert.equal(r.status, 200);
  const body = await r.json();
  return { ...body, nonce };
}

// A strict RS256 verifier against the live JWKS, as the Worker should be.
async function verifyAgainstJwks(token) {
  const [h, p, s] = token.split(".");
  const header = JSON.parse(Buffer.from(h, "base64url"));
  if (header.alg !== "RS256") return false;
  const { keys } = await (await fetch(google.jwksUrl)).json();
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk) return false;
  const key = createPublicKey({ key: jwk, format: "jwk" });
  return verify("sha256", Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url"));
}

async function expectTokenError(r, status, error, description) {
  assert.equal(r.status, status);
  assert.equal(r.headers.get("cache-control"), "no-cache, no-store, max-age=0, must-revalidate");
  const body = await r.json();
  assert.equal(body.error, error);
  if (description) assert.equal(body.error_description, description);
}

test("authorize -> token -> RS256 id_token that verifies against the JWKS", async () => {
  google.reset();
  google.setIdentity({ sub: "1234567890", email: "ana@example.com", given_name: "Ana", family_name: "Pérez", locale: "es", picture: "https://lh3.googleusercontent.com/a/x" });
  const { state, loc, code, verifier, nonce } = await codeFrom();
  assert.equal(loc.origin + loc.pathname, REDIRECT);
  assert.deepEqual([...loc.searchParams.keys()], ["state", "code", "scope", "authuser", "prompt"]);
  assert.equal(loc.searchParams.get("state"), state);
  assert.match(code, /^4\/0A/);
  assert.equal(loc.searchParams.get("authuser"), "0");
  assert.equal(loc.searchParams.get("prompt"), "none");
  assert.ok(loc.searchParams.get("scope").split(" ").includes("openid"));

  const r = await exchange(code, verifier);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("cache-control"), "no-cache, no-store, max-age=0, must-revalidate");
  const body = await r.json();
  assert.deepEqual(Object.keys(body), ["access_token", "expires_in", "scope", "token_type", "id_token"]);
  assert.equal(body.expires_in, 3599);
  assert.equal(body.token_type, "Bearer");

  assert.equal(await verifyAgainstJwks(body.id_token), true);
  const { header, payload } = decodeJwt(body.id_token);
  assert.deepEqual(header, { alg: "RS256", kid: google.currentKid, typ: "JWT" });
  assert.equal(payload.iss, "https://accounts.google.com");
  assert.equal(payload.aud, google.clientId);
  assert.equal(payload.azp, google.clientId);
  assert.equal(payload.sub, "1234567890");
  assert.equal(payload.email, "ana@example.com");
  assert.equal(payload.email_verified, true);
  assert.equal(payload.nonce, nonce);
  assert.equal(payload.name, "Ana Pérez");
  assert.equal(payload.locale, "es");
  assert.equal(payload.exp - payload.iat, 3600);
  assert.equal(payload.hd, undefined);
  const half = createHash("sha256").update(body.access_token).digest().subarray(0, 16).toString("base64url");
  assert.equal(payload.at_hash, half);

  assert.deepEqual(google.tokenRequests.at(-1), {
    grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: google.clientId,
    client_secret: google.clientSecret, code_verifier: verifier,
  });
});

test("JWKS has Google's shape and cache headers", async () => {
  const before = google.jwksFetches;
  const r = await fetch(google.jwksUrl);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("cache-control"), "public, max-age=21600, must-revalidate, no-transform");
  const { keys } = await r.json();
  assert.equal(keys.length, 1);
  assert.deepEqual(Object.keys(keys[0]).sort(), ["alg", "e", "kid", "kty", "n", "use"]);
  assert.equal(keys[0].kty, "RSA");
  assert.equal(keys[0].alg, "RS256");
  assert.equal(keys[0].e, "AQAB");
  assert.equal(Buffer.from(keys[0].n, "base64url").length, 256);
  assert.equal(google.jwksFetches, before + 1);
});

test("a wrong code verifier is invalid_grant", async () => {
  const { code } = await codeFrom();
  await expectTokenError(await exchange(code, newVerifier()), 400, "invalid_grant", "Invalid code verifier.");
});

test("codes are single-use", async () => {
  const { code, verifier } = await codeFrom();
  assert.equal((await exchange(code, verifier)).status, 200);
  await expectTokenError(await exchange(code, verifier), 400, "invalid_grant", "Bad Request");
  await expectTokenError(await exchange("4/0Anever-issued", verifier), 400, "invalid_grant", "Bad Request");
});

test("a wrong client secret is 401 invalid_client", async () => {
  const { code, verifier } = await codeFrom();
  await expectTokenError(await exchange(code, verifier, { client_secret: "nope" }), 401, "invalid_client", "Unauthorized");
});

test("a redirect_uri mismatch is refused", async () => {
  const { code, verifier } = await codeFrom();
  await expectTokenError(await exchange(code, verifier, { redirect_uri: "http://127.0.0.1:9/evil" }), 400, "redirect_uri_mismatch");
});

test("authorize refuses a redirect_uri that is not registered, even one differing only in its query", async () => {
  for (const redirect_uri of [`${REDIRECT}?next=1`, REDIRECT.replace("8787", "8788"), `${REDIRECT}/`]) {
    const { r } = await authorize({ params: { redirect_uri } });
    assert.equal(r.status, 400, redirect_uri);
    assert.match(await r.text(), /redirect_uri_mismatch/);
  }
  const unregistered = await startFakeGoogle();  // nothing registered: nothing is accepted
  try {
    const r = await fetch(`${unregistered.authUrl}?${new URLSearchParams({ client_id: unregistered.clientId, redirect_uri: REDIRECT,
      response_type: "code", scope: "openid" })}`, { redirect: "manual" });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /redirect_uri_mismatch/);
  } finally {
    await unregistered.close();
  }
});

test("setTokenError fails the next token request once", async () => {
  const { code, verifier } = await codeFrom();
  google.setTokenError();
  await expectTokenError(await exchange(code, verifier), 400, "invalid_grant", "Bad Request");
  assert.equal((await exchange(code, verifier)).status, 200); // the code survived the injected failure
});

test("the auth endpoint validates its parameters", async () => {
  for (const params of [
    { client_id: "" },
    { client_id: "other.apps.googleusercontent.com" },
    { response_type: "token" },
    { code_challenge_method: "plain" },
    { scope: "email profile" },
  ]) {
    const { r } = await authorize({ params });
    assert.equal(r.status, 400, JSON.stringify(params));
    assert.match(r.headers.get("content-type"), /^text\/plain/);
    assert.match(await r.text(), /^Error 40\d: /);
  }
});

test("forged tokens fail verification; claim overrides land in the token", async () => {
  google.setTokenOverrides((claims) => {
    claims.aud = "someone-else.apps.googleusercontent.com";
    delete claims.nonce;
    claims.email_verified = false;
  });
  const forged = decodeJwt((await signInToken()).id_token).payload;
  assert.equal(forged.aud, "someone-else.apps.googleusercontent.com");
  assert.equal(forged.nonce, undefined);
  assert.equal(forged.email_verified, false);
  // once only
  assert.equal(decodeJwt((await signInToken()).id_token).payload.aud, google.clientId);

  for (const signWith of ["none", "hs256", "unknown-kid", "tampered", "rotated"]) {
    google.setTokenOverrides({ signWith });
    const token = (await signInToken()).id_token;
    assert.equal(await verifyAgainstJwks(token), false, signWith);
  }
  const none = (google.setTokenOverrides({ signWith: "none" }), (await signInToken()).id_token);
  assert.equal(decodeJwt(none).header.alg, "none");
  assert.ok(none.endsWith("."));
  assert.equal(await verifyAgainstJwks((await signInToken()).id_token), true);
});

test("a token signed with the upcoming key verifies once rotateKeys() publishes it", async () => {
  google.setTokenOverrides({ signWith: "rotated" });
  const early = (await signInToken()).id_token;
  assert.equal(await verifyAgainstJwks(early), false);
  const oldKid = google.currentKid;
  const newKid = google.rotateKeys();
  assert.equal(decodeJwt(early).header.kid, newKid);
  assert.deepEqual(google.publishedKids, [oldKid, newKid]);
  assert.equal(await verifyAgainstJwks(early), true);
  const fresh = (await signInToken()).id_token;
  assert.equal(decodeJwt(fresh).header.kid, newKid);
  assert.equal(await verifyAgainstJwks(fresh), true);
});

test("signIdToken signs raw tokens", async () => {
  const key = generateSigningKey();
  const token = signIdToken({ sub: "1", aud: "x" }, { key });
  const [h, p, s] = token.split(".");
  assert.equal(verify("sha256", Buffer.from(`${h}.${p}`), key.publicKey, Buffer.from(s, "base64url")), true);
  const own = google.signIdToken(google.claimsFor(undefined, { nonce: "n1" }));
  assert.equal(await verifyAgainstJwks(own), true);
  assert.equal(decodeJwt(own).payload.nonce, "n1");
});
