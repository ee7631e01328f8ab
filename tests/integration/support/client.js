// A browser-like client for the Worker: keeps cookies, sends a same-origin Origin on writes (as the
// web app's fetches do), and never follows redirects by itself so tests can inspect them. Every answer
// from the Worker is checked against the API contract (contract.js) before the test sees it.
import { checkResponse } from "./contract.js";

// The session cookie's name (src/auth/cookies.h kSessionCookie). Tests that handle the cookie by
// hand use this, never the literal.
export const SESSION_COOKIE = "__Host-nb_session";

export class Client {
  constructor(baseUrl, { origin = baseUrl, acceptLanguage } = {}) {
    this.baseUrl = baseUrl;
    this.origin = origin;
    this.acceptLanguage = acceptLanguage;
    this.cookies = new Map();
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  remember(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const maxAge = attrs.map((a) => a.trim().toLowerCase()).find((a) => a.startsWith("max-age="));
      if (value === "" || maxAge === "max-age=0") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async fetch(path, { method = "GET", headers = {}, body, origin } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    if (this.acceptLanguage) h["accept-language"] = this.acceptLanguage;
    const write = !["GET", "HEAD"].includes(method);
    if (write && origin !== null) h.origin = origin ?? this.origin;
    if (body !== undefined && typeof body !== "string" && !(body instanceof Uint8Array) && !(body instanceof FormData)) {
      body = JSON.stringify(body);
      h["content-type"] ??= "application/json";
    }
    const url = path.startsWith("http") ? path : this.baseUrl + path;
    const response = await fetch(url, { method, headers: h, body, redirect: "manual" });
    if (!url.startsWith(this.baseUrl)) return response;
    this.remember(response);
    return checkResponse(method, url, response);
  }

  async json(path, init) {
    const r = await this.fetch(path, init);
    const text = await r.text();
    return { status: r.status, headers: r.headers, body: text ? JSON.parse(text) : null };
  }

  async devLogin(email, extra = {}) {
    const r = await this.json("/api/auth/dev-login", { method: "POST", body: { email, ...extra } });
    if (r.status !== 200) throw new Error(`dev-login ${email}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.user;
  }
}

// Follows the whole Google sign-in dance against the fake: our login -> fake authorize -> our callback.
export async function googleSignIn(client, redirect = "/") {
  const login = await client.fetch(`/api/auth/google/login?redirect=${encodeURIComponent(redirect)}`);
  if (login.status !== 302) throw new Error(`login answered ${login.status}: ${await login.text()}`);
  const authorize = await fetch(login.headers.get("location"), { redirect: "manual" });
  if (authorize.status !== 302) throw new Error(`fake authorize answered ${authorize.status}: ${await authorize.text()}`);
  const callbackUrl = authorize.headers.get("location");
  const callback = await client.fetch(callbackUrl);
  return { login, callbackUrl, callback };
}

// Sums every ledger delta by walking /api/me/transactions pages.
export async function ledgerSum(client) {
  let sum = 0;
  let cursor = "";
  for (;;) {
    const r = await client.json(`/api/me/transactions?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    if (r.status !== 200) throw new Error(`transactions: ${r.status}`);
    for (const item of r.body.items) sum += item.delta;
    if (!r.body.nextCursor) return sum;
    cursor = r.body.nextCursor;
  }
}
