// A fake Google OpenID Connect provider for integration tests. It speaks Google's wire format
// (authorization endpoint, token endpoint, JWKS, discovery, userinfo) on a loopback port, signs
// real RS256 id_tokens with 2048-bit RSA keys, and has knobs to forge bad tokens and failures.
// Node built-ins only.
//
//   const google = await startFakeGoogle();
//   google.setIdentity({ sub: "1234", email: "ana@example.com", name: "Ana" });
//   google.setTokenOverrides((claims) => { claims.aud = "someone-else"; });   // next id_token only
//   google.setTokenOverrides({ signWith: "none" });                          // forged alg
//   google.rotateKeys();                                                     // new signing key
//   ...
//   await google.close();
import { createServer } from "node:http";
import {
  createHash,
  createHmac,
  generateKeyPairSync,
  randomBytes,
  sign as cryptoSign,
  timingSafeEqual,
} from "node:crypto";

const DEFAULT_ISSUER = "https://accounts.google.com";
const DEFAULT_CLIENT_ID = "test-client.apps.googleusercontent.com";
const DEFAULT_CLIENT_SECRET = "test-secret";
const SCOPE_EMAIL = "https://www.googleapis.com/auth/userinfo.email";
const SCOPE_PROFILE = "https://www.googleapis.com/auth/userinfo.profile";
const SIGN_MODES = new Set(["rs256", "none", "hs256", "unknown-kid", "tampered", "rotated"]);

export const DEFAULT_IDENTITY = Object.freeze({
  sub: "110169484474386276334",
  email: "test.user@gmail.com",
  email_verified: true,
  given_name: "Test",
  family_name: "User",
  name: "Test User",
  picture: "https://lh3.googleusercontent.com/a/ACg8ocTestUserPicture=s96-c",
  locale: "en",
});

// ---------------------------------------------------------------------------------------------
// JWT helpers

const b64url = (buf) => Buffer.from(buf).toString("base64url");
const b64urlJson = (obj) => b64url(JSON.stringify(obj));

// A signing key: { kid, privateKey, publicKey } (KeyObjects). Google's kids are 40 hex chars.
export function generateSigningKey() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 0x10001 });
  return { kid: randomBytes(20).toString("hex"), privateKey, publicKey };
}

// A JWKS entry shaped like Google's (https://www.googleapis.com/oauth2/v3/certs).
export function publicJwk(key) {
  const { n, e } = key.publicKey.export({ format: "jwk" });
  return { kty: "RSA", alg: "RS256", use: "sig", kid: key.kid, n, e };
}

// at_hash per OIDC Core 3.1.3.6: base64url of the left half of SHA-256(access_token).
export function atHash(accessToken) {
  return b64url(createHash("sha256").update(accessToken, "ascii").digest().subarray(0, 16));
}

// Signs claims into a compact JWT.
//   options.key       { kid, privateKey } for RS256 (required unless signWith is "none"/"hs256")
//   options.signWith  "rs256" (default) | "none" | "hs256" | "tampered"
//   options.secret    HMAC secret for "hs256"
//   options.header    extra/overriding header fields (e.g. { kid: "other" })
//   options.tamper    fn(claims) that alters the payload after signing for "tampered"
//                     (default: swaps sub and email for an attacker's)
export function signIdToken(claims, options = {}) {
  const mode = (options.signWith ?? "rs256").toLowerCase();
  const key = options.key;
  let header;
  if (mode === "none") header = { alg: "none", ...(key ? { kid: key.kid } : {}), typ: "JWT" };
  else if (mode === "hs256") header = { alg: "HS256", ...(key ? { kid: key.kid } : {}), typ: "JWT" };
  else if (mode === "rs256" || mode === "tampered") {
    if (!key?.privateKey) throw new Error("signIdToken: RS256 needs options.key = { kid, privateKey }");
    header = { alg: "RS256", kid: key.kid, typ: "JWT" };
  } else throw new Error(`signIdToken: unknown signWith ${JSON.stringify(options.signWith)}`);
  Object.assign(header, options.header ?? {});
  return encodeJwt(header, claims, { mode, key, secret: options.secret, tamper: options.tamper });
}

// Encodes with a header that is already final (the caller may have forged it).
function encodeJwt(header, claims, { mode, key, secret, tamper }) {
  const signingInput = `${b64urlJson(header)}.${b64urlJson(claims)}`;
  if (mode === "none") return `${signingInput}.`;
  if (mode === "hs256") {
    if (secret == null) throw new Error("signIdToken: hs256 needs options.secret");
    return `${signingInput}.${b64url(createHmac("sha256", secret).update(signingInput).digest())}`;
  }
  const signature = b64url(cryptoSign("sha256", Buffer.from(signingInput), key.privateKey));
  if (mode !== "tampered") return `${signingInput}.${signature}`;
  const altered = structuredClone(claims);
  if (tamper) tamper(altered);
  else {
    altered.sub = `9${altered.sub ?? ""}`;
    altered.email = "attacker@example.com";
  }
  return `${b64urlJson(header)}.${b64urlJson(altered)}.${signature}`;
}

export function decodeJwt(token) {
  const [h, p, s] = token.split(".");
  return {
    header: JSON.parse(Buffer.from(h, "base64url").toString("utf8")),
    payload: JSON.parse(Buffer.from(p, "base64url").toString("utf8")),
    signature: s,
  };
}

export function pkceChallenge(verifier) {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

// ---------------------------------------------------------------------------------------------
// The fake provider

// options: { issuer, clientId, clientSecret, jwksMaxAge (seconds, default 21600), redirectUris
//   (the registered list; more with allowRedirectUri/registerWorker. Like Google, a redirect_uri that is
//   not registered is refused, so every test proves the Worker sends its own callback URL), requirePkce (default true), codeTtlMs
//   (default 600000), tokenTtl (id_token lifetime, default 3600), now (() => epoch seconds),
//   identity (initial identity) }
export async function startFakeGoogle(options = {}) {
  const issuer = options.issuer ?? DEFAULT_ISSUER;
  const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
  const clientSecret = options.clientSecret ?? DEFAULT_CLIENT_SECRET;
  const jwksMaxAge = options.jwksMaxAge ?? 21600;
  const requirePkce = options.requirePkce ?? true;
  const codeTtlMs = options.codeTtlMs ?? 600_000;
  const tokenTtl = options.tokenTtl ?? 3600;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const redirectUris = new Set(options.redirectUris ?? []);

  const published = [generateSigningKey()]; // keys listed in the JWKS, oldest first
  let signingKey = published[0];
  let pendingKey = null; // the key the next rotateKeys() publishes ("rotated" mode signs with it)
  let strayKey = null; // never published ("unknown-kid" mode)
  const nextKey = () => (pendingKey ??= generateSigningKey());

  let identity = normalizeIdentity(options.identity ?? DEFAULT_IDENTITY);
  let overrides = null; // { mutate, signWith, tamper, once }
  let tokenError = null;
  let authError = null;
  const codes = new Map(); // code -> grant
  const accessTokens = new Map(); // access_token -> { identity, scopes, expiresAt }

  const state = {
    jwksFetches: 0,
    tokenRequests: [], // parsed form bodies of POST /token, in order
    authRequests: [], // query params of GET /o/oauth2/v2/auth, in order
    idTokens: [], // every id_token issued, in order
    requests: [], // { method, path } of everything
  };

  // -- endpoints ------------------------------------------------------------------------------

  function handleAuth(req, res, url) {
    const q = Object.fromEntries(url.searchParams);
    state.authRequests.push(q);
    const fail = (code, msg) => text(res, 400, `Error 400: ${code}\n\n${msg}\n`);

    if (!q.client_id) return fail("invalid_request", "Missing required parameter: client_id");
    if (q.client_id !== clientId) return fail("invalid_client", "The OAuth client was not found.");
    if (!q.redirect_uri) return fail("invalid_request", "Missing required parameter: redirect_uri");
    let redirect;
    try {
      redirect = new URL(q.redirect_uri);
      if (!/^https?:$/.test(redirect.protocol) || redirect.hash) throw new Error();
    } catch {
      return fail("invalid_request", `Invalid parameter value for redirect_uri: ${q.redirect_uri}`);
    }
    if (!redirectUris.has(q.redirect_uri)) {
      return fail("redirect_uri_mismatch", `You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy.\nredirect_uri=${q.redirect_uri}`);
    }
    if (!q.response_type) return fail("invalid_request", "Required parameter is missing: response_type");
    if (q.response_type !== "code") return fail("unsupported_response_type", `Invalid response_type: ${q.response_type}`);
    const scopes = (q.scope ?? "").split(/\s+/).filter(Boolean);
    if (scopes.length === 0) return fail("invalid_request", "Missing required parameter: scope");
    const bad = scopes.find((s) => !["openid", "email", "profile"].includes(s) && !s.startsWith("https://www.googleapis.com/auth/"));
    if (bad) return fail("invalid_scope", `Some requested scopes were invalid. {invalid=[${bad}]}`);
    if (!scopes.includes("openid")) return fail("invalid_scope", "The 'openid' scope is required for OpenID Connect sign-in.");
    if (q.code_challenge_method !== undefined && q.code_challenge_method !== "S256") {
      return fail("invalid_request", `Invalid code_challenge_method: ${q.code_challenge_method}`);
    }
    if (q.code_challenge === undefined && (requirePkce || q.code_challenge_method)) {
      return fail("invalid_request", "Missing required parameter: code_challenge");
    }
    if (q.code_challenge !== undefined) {
      if (q.code_challenge_method === undefined) {
        return fail("invalid_request", "Missing required parameter: code_challenge_method (only S256 is accepted)");
      }
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(q.code_challenge)) {
        return fail("invalid_request", "Invalid code_challenge");
      }
    }
    const prompts = (q.prompt ?? "").split(/\s+/).filter(Boolean);
    if (prompts.some((p) => !["none", "consent", "select_account"].includes(p)) || (prompts.includes("none") && prompts.length > 1)) {
      return fail("invalid_request", `Invalid parameter value for prompt: ${q.prompt}`);
    }
    if (q.access_type !== undefined && !["online", "offline"].includes(q.access_type)) {
      return fail("invalid_request", `Invalid access_type: ${q.access_type}`);
    }

    const back = new URL(redirect);
    if (authError) {
      const e = authError;
      authError = null;
      if (q.state !== undefined) back.searchParams.set("state", q.state);
      back.searchParams.set("error", e);
      return redirectTo(res, back);
    }
    const code = `4/0A${randomBytes(48).toString("base64url")}`;
    const grantedScope = expandScopes(scopes);
    codes.set(code, {
      clientId: q.client_id,
      redirectUri: q.redirect_uri,
      nonce: q.nonce,
      codeChallenge: q.code_challenge,
      scopes: grantedScope,
      offline: q.access_type === "offline",
      identity: structuredClone(identity),
      expiresAt: Date.now() + codeTtlMs,
    });
    if (q.state !== undefined) back.searchParams.set("state", q.state);
    back.searchParams.set("code", code);
    back.searchParams.set("scope", grantedScope.join(" "));
    back.searchParams.set("authuser", "0");
    if (identity.hd) back.searchParams.set("hd", identity.hd);
    back.searchParams.set("prompt", prompts.includes("consent") ? "consent" : "none");
    return redirectTo(res, back);
  }

  async function handleToken(req, res) {
    const raw = await readBody(req);
    const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    let body;
    if (type === "application/json") {
      try {
        body = JSON.parse(raw);
      } catch {
        body = {};
      }
    } else {
      body = Object.fromEntries(new URLSearchParams(raw));
    }
    state.tokenRequests.push(body);

    if (tokenError) {
      const e = tokenError;
      tokenError = null;
      return googleError(res, e.status, e.error, e.error_description);
    }

    // client_secret_basic as well as client_secret_post, like Google.
    let id = body.client_id;
    let secret = body.client_secret;
    const auth = req.headers.authorization ?? "";
    if (/^basic /i.test(auth)) {
      const decoded = Buffer.from(auth.slice(6).trim(), "base64").toString("utf8");
      const i = decoded.indexOf(":");
      if (i >= 0) {
        id = decodeURIComponent(decoded.slice(0, i));
        secret = decodeURIComponent(decoded.slice(i + 1));
      }
    }

    if (!body.grant_type) return googleError(res, 400, "unsupported_grant_type", "Invalid grant_type: ");
    if (body.grant_type !== "authorization_code") {
      return googleError(res, 400, "unsupported_grant_type", `Invalid grant_type: ${body.grant_type}`);
    }
    if (!id) return googleError(res, 400, "invalid_request", "Could not determine client ID from request.");
    if (id !== clientId) return googleError(res, 401, "invalid_client", "The OAuth client was not found.");
    if (!secret) return googleError(res, 400, "invalid_request", "client_secret is missing.");
    if (!safeEqual(secret, clientSecret)) return googleError(res, 401, "invalid_client", "Unauthorized");
    if (!body.code) return googleError(res, 400, "invalid_request", "Missing required parameter: code");

    const grant = codes.get(body.code);
    if (!grant) return googleError(res, 400, "invalid_grant", "Bad Request");
    codes.delete(body.code); // single-use: any attempt that presents a live code burns it
    if (grant.expiresAt < Date.now() || grant.clientId !== id) return googleError(res, 400, "invalid_grant", "Bad Request");
    if (body.redirect_uri !== grant.redirectUri) {
      return googleError(res, 400, "redirect_uri_mismatch", "Bad Request");
    }
    if (grant.codeChallenge !== undefined) {
      if (!body.code_verifier) return googleError(res, 400, "invalid_grant", "Missing code verifier.");
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(body.code_verifier) || pkceChallenge(body.code_verifier) !== grant.codeChallenge) {
        return googleError(res, 400, "invalid_grant", "Invalid code verifier.");
      }
    }

    const accessToken = `ya29.a0${randomBytes(90).toString("base64url")}`;
    accessTokens.set(accessToken, { identity: grant.identity, scopes: grant.scopes, expiresAt: Date.now() + 3599_000 });
    const idToken = mintIdToken(grant, accessToken);
    state.idTokens.push(idToken);
    const out = { access_token: accessToken, expires_in: 3599 };
    if (grant.offline) out.refresh_token = `1//0${randomBytes(60).toString("base64url")}`;
    out.scope = grant.scopes.join(" ");
    out.token_type = "Bearer";
    out.id_token = idToken;
    return googleJson(res, 200, out);
  }

  function handleJwks(req, res) {
    state.jwksFetches++;
    const body = JSON.stringify({ keys: published.map(publicJwk) }, null, 2);
    res.writeHead(200, {
      "content-type": "application/json; charset=UTF-8",
      "cache-control": `public, max-age=${jwksMaxAge}, must-revalidate, no-transform`,
      expires: new Date(Date.now() + jwksMaxAge * 1000).toUTCString(),
      vary: "Origin, X-Origin, Referer",
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
  }

  function handleUserinfo(req, res) {
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "");
    const t = m && accessTokens.get(m[1].trim());
    if (!t || t.expiresAt < Date.now()) {
      res.setHeader("www-authenticate", 'Bearer realm="https://accounts.google.com/", error="invalid_token"');
      return googleJson(res, 401, { error: "invalid_request", error_description: "Invalid Credentials" });
    }
    const c = identityClaims(t.identity, t.scopes);
    delete c.at_hash;
    return googleJson(res, 200, c);
  }

  function handleDiscovery(req, res) {
    return googleJson(res, 200, {
      issuer,
      authorization_endpoint: api.authUrl,
      device_authorization_endpoint: `${api.url}/device/code`,
      token_endpoint: api.tokenUrl,
      userinfo_endpoint: api.userinfoUrl,
      revocation_endpoint: `${api.url}/revoke`,
      jwks_uri: api.jwksUrl,
      response_types_supported: ["code", "token", "id_token", "code token", "code id_token", "token id_token", "code token id_token", "none"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "email", "profile"],
      token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
      claims_supported: ["aud", "email", "email_verified", "exp", "family_name", "given_name", "iat", "iss", "name", "picture", "sub"],
      code_challenge_methods_supported: ["plain", "S256"],
      grant_types_supported: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:jwt-bearer"],
    });
  }

  // -- id_token -------------------------------------------------------------------------------

  function identityClaims(who, scopes) {
    const c = { sub: who.sub };
    if (who.hd) c.hd = who.hd;
    if (scopes.includes(SCOPE_EMAIL)) {
      c.email = who.email;
      c.email_verified = who.email_verified;
    }
    if (scopes.includes(SCOPE_PROFILE)) {
      for (const k of ["name", "picture", "given_name", "family_name", "locale"]) if (who[k] !== undefined) c[k] = who[k];
    }
    return c;
  }

  function mintIdToken(grant, accessToken) {
    const iat = now();
    const { sub, ...rest } = identityClaims(grant.identity, grant.scopes);
    // Google's claim order.
    const claims = { iss: issuer, azp: grant.clientId, aud: grant.clientId, sub };
    if (rest.hd) claims.hd = rest.hd;
    if ("email" in rest) {
      claims.email = rest.email;
      claims.email_verified = rest.email_verified;
    }
    claims.at_hash = atHash(accessToken);
    if (grant.nonce !== undefined) claims.nonce = grant.nonce;
    for (const k of ["name", "picture", "given_name", "family_name", "locale"]) if (k in rest) claims[k] = rest[k];
    claims.iat = iat;
    claims.exp = iat + tokenTtl;
    return forge(claims);
  }

  // Applies the pending overrides (if any) and signs.
  function forge(claims) {
    const o = overrides;
    if (o?.once) overrides = null;
    let mode = (o?.signWith ?? "rs256").toLowerCase();
    const header = { alg: "RS256", kid: signingKey.kid, typ: "JWT" };
    const initial = { ...header };
    const ret = o?.mutate ? o.mutate(claims, header) : undefined;
    const retMode = typeof ret === "string" ? ret : ret?.signWith;
    if (retMode) mode = retMode.toLowerCase();
    if (!SIGN_MODES.has(mode)) throw new Error(`fake google: unknown signWith ${JSON.stringify(mode)}`);
    const key = mode === "unknown-kid" ? (strayKey ??= generateSigningKey()) : mode === "rotated" ? nextKey() : signingKey;
    // The mode decides alg and kid unless the mutator forged them itself.
    const modeAlg = mode === "none" ? "none" : mode === "hs256" ? "HS256" : "RS256";
    if (header.alg === initial.alg) header.alg = modeAlg;
    if (header.kid === initial.kid) header.kid = key.kid;
    const encodeMode = mode === "none" || mode === "hs256" || mode === "tampered" ? mode : "rs256";
    return encodeJwt(header, claims, { mode: encodeMode, key, secret: clientSecret, tamper: o?.tamper });
  }

  // -- server ---------------------------------------------------------------------------------

  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    state.requests.push({ method: req.method, path: url.pathname });
    const route = `${req.method} ${url.pathname}`;
    Promise.resolve()
      .then(() => {
        switch (route) {
          case "GET /o/oauth2/v2/auth":
            return handleAuth(req, res, url);
          case "POST /token":
            return handleToken(req, res);
          case "GET /oauth2/v3/certs":
            return handleJwks(req, res);
          case "GET /v1/userinfo":
          case "POST /v1/userinfo":
          case "GET /oauth2/v3/userinfo":
            return handleUserinfo(req, res);
          case "GET /.well-known/openid-configuration":
            return handleDiscovery(req, res);
        }
        const known = ["/o/oauth2/v2/auth", "/token", "/oauth2/v3/certs", "/.well-known/openid-configuration"];
        if (known.includes(url.pathname)) return text(res, 405, "Method Not Allowed\n");
        return text(res, 404, "Not Found\n");
      })
      .catch((err) => {
        if (!res.headersSent) text(res, 500, `fake google: ${err.stack ?? err}\n`);
        else res.destroy(err);
      });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${server.address().port}`;

  const api = {
    url,
    authUrl: `${url}/o/oauth2/v2/auth`,
    tokenUrl: `${url}/token`,
    jwksUrl: `${url}/oauth2/v3/certs`,
    userinfoUrl: `${url}/v1/userinfo`,
    discoveryUrl: `${url}/.well-known/openid-configuration`,
    issuer,
    clientId,
    clientSecret,

    get jwksFetches() {
      return state.jwksFetches;
    },
    set jwksFetches(v) {
      state.jwksFetches = v;
    },
    get tokenRequests() {
      return state.tokenRequests;
    },
    get authRequests() {
      return state.authRequests;
    },
    get idTokens() {
      return state.idTokens;
    },
    get requests() {
      return state.requests;
    },
    get identity() {
      return structuredClone(identity);
    },
    // Kid of the key that signs normal tokens, of every key in the JWKS, and of the next key.
    get currentKid() {
      return signingKey.kid;
    },
    get publishedKids() {
      return published.map((k) => k.kid);
    },
    get nextKid() {
      return nextKey().kid;
    },
    get jwks() {
      return { keys: published.map(publicJwk) };
    },

    // Who the following sign-ins are (sticky until changed; captured when /auth issues a code).
    setIdentity(who) {
      identity = normalizeIdentity(who);
    },

    // Forge the next id_token (or every one, with { once: false }). Either form:
    //   setTokenOverrides((claims, header) => { ... })           mutate claims/header in place
    //   setTokenOverrides(fn, { signWith, tamper, once })
    //   setTokenOverrides({ mutate, signWith, tamper, once })
    // signWith: "none" | "hs256" | "unknown-kid" | "tampered" | "rotated" | "rs256" (default).
    // fn may also return a signWith string (or { signWith }). Pass null to clear.
    setTokenOverrides(fnOrOptions, opts = {}) {
      if (fnOrOptions == null && Object.keys(opts).length === 0) {
        overrides = null;
        return;
      }
      const o = typeof fnOrOptions === "function" ? { ...opts, mutate: fnOrOptions } : { ...(fnOrOptions ?? {}), ...opts };
      if (o.signWith !== undefined && !SIGN_MODES.has(String(o.signWith).toLowerCase())) {
        throw new Error(`fake google: unknown signWith ${JSON.stringify(o.signWith)}`);
      }
      overrides = { mutate: o.mutate, signWith: o.signWith, tamper: o.tamper, once: o.once ?? true };
    },

    // Make the next POST /token fail like Google does.
    setTokenError({ status = 400, error = "invalid_grant", error_description = "Bad Request" } = {}) {
      tokenError = { status, error, error_description };
    },

    // Make the next /auth redirect back with ?error=... (e.g. the user pressed Cancel).
    setAuthError(error = "access_denied") {
      authError = error;
    },

    // Publish a new RSA key (the one "rotated" mode has been signing with) and sign with it from
    // now on. The JWKS lists old and new keys, unless { retireOld: true }.
    rotateKeys({ retireOld = false } = {}) {
      const k = nextKey();
      pendingKey = null;
      if (retireOld) published.length = 0;
      published.push(k);
      signingKey = k;
      return k.kid;
    },

    // A raw token signed by this provider's current key (or per options, see signIdToken).
    signIdToken(claims, opts = {}) {
      const mode = (opts.signWith ?? "rs256").toLowerCase();
      const key = opts.key ?? (mode === "unknown-kid" ? (strayKey ??= generateSigningKey()) : mode === "rotated" ? nextKey() : signingKey);
      const signWith = mode === "unknown-kid" || mode === "rotated" ? "rs256" : mode;
      return signIdToken(claims, { secret: clientSecret, ...opts, signWith, key });
    },

    // Google-shaped claims for an identity (default: the current one), ready for signIdToken.
    claimsFor(who = identity, { nonce, accessToken = "ya29.fake", aud = clientId } = {}) {
      const iat = now();
      const c = identityClaims(normalizeIdentity(who), [SCOPE_EMAIL, SCOPE_PROFILE, "openid"]);
      const { sub, ...rest } = c;
      return {
        iss: issuer,
        azp: aud,
        aud,
        sub,
        ...rest,
        at_hash: atHash(accessToken),
        ...(nonce !== undefined ? { nonce } : {}),
        iat,
        exp: iat + tokenTtl,
      };
    },

    // Registers one more redirect URI (an OAuth client's "Authorized redirect URIs").
    allowRedirectUri(uri) {
      redirectUris.add(uri);
    },
    // Registers a Worker's Google callback (src/app/auth/auth_routes.cpp: origin + /api/auth/google/callback).
    registerWorker(workerUrl) {
      redirectUris.add(`${workerUrl}/api/auth/google/callback`);
    },

    // The Worker vars that point its sign-in at this fake instead of Google.
    workerVars() {
      return {
        GOOGLE_CLIENT_ID: this.clientId,
        GOOGLE_CLIENT_SECRET: this.clientSecret,
        GOOGLE_AUTH_URL: this.authUrl,
        GOOGLE_TOKEN_URL: this.tokenUrl,
        GOOGLE_JWKS_URL: this.jwksUrl,
        GOOGLE_ISSUER: this.issuer,
      };
    },

    // Forget overrides, queued errors, issued codes and the recorded requests/counters.
    reset() {
      overrides = null;
      tokenError = null;
      authError = null;
      codes.clear();
      state.jwksFetches = 0;
      state.tokenRequests.length = 0;
      state.authRequests.length = 0;
      state.idTokens.length = 0;
      state.requests.length = 0;
    },

    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}

// ---------------------------------------------------------------------------------------------
// Plumbing

function normalizeIdentity(who) {
  if (!who || typeof who !== "object") throw new TypeError("fake google: identity must be an object");
  const out = { ...who, email_verified: who.email_verified ?? true };
  if (out.sub === undefined) {
    const digits = BigInt(`0x${createHash("sha256").update(String(out.email ?? "anon")).digest("hex").slice(0, 15)}`);
    out.sub = `1${digits.toString().padStart(20, "0").slice(0, 20)}`;
  }
  out.sub = String(out.sub);
  if (out.name === undefined && (out.given_name || out.family_name)) {
    out.name = [out.given_name, out.family_name].filter(Boolean).join(" ");
  }
  return out;
}

// Google answers openid+email+profile with the userinfo URLs added.
function expandScopes(scopes) {
  const set = new Set();
  for (const s of scopes) {
    if (s === "email") set.add(SCOPE_EMAIL);
    else if (s === "profile") set.add(SCOPE_PROFILE);
    else set.add(s);
  }
  const order = [SCOPE_EMAIL, SCOPE_PROFILE, "openid"];
  return [...set].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
}

function safeEqual(a, b) {
  const x = Buffer.from(String(a));
  const y = Buffer.from(String(b));
  return x.length === y.length && timingSafeEqual(x, y);
}

function readBody(req, limit = 1 << 20) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size > limit) {
        reject(new Error("body too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const NO_STORE = {
  "cache-control": "no-cache, no-store, max-age=0, must-revalidate",
  pragma: "no-cache",
  expires: "Mon, 01 Jan 1990 00:00:00 GMT",
};

function googleJson(res, status, obj) {
  const body = JSON.stringify(obj, null, 2);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...NO_STORE, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function googleError(res, status, error, error_description) {
  return googleJson(res, status, { error, error_description });
}

function text(res, status, body) {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...NO_STORE, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function redirectTo(res, location) {
  res.writeHead(302, { location: location.toString(), ...NO_STORE, "content-length": 0 });
  res.end();
}
