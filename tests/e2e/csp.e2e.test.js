// The web app under its Content-Security-Policy (web/public/_headers), in Chromium against the real
// Worker serving web/dist: every document carries the security headers the contract asks for, and
// every screen (signed out, signed in, admin, a deep link that only the single-page fallback serves)
// renders with no CSP violation reported by the browser (securitypolicyviolation events and console
// errors), no script error and no unexpected error answer.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "../integration/support/worker.js";
import { launchBrowser, newPage } from "./support/browser.js";
import { gradientPng } from "./support/png.js";

let worker;
let browser;

before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await worker?.stop();
});

// Collects every CSP violation the page reports, from its first script on.
async function cspWatchedPage(baseURL) {
  const opened = await newPage(browser, baseURL);
  const { page, context } = opened;
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.cspConsole = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) page.cspConsole.push(m.text());
  });
  return opened;
}

async function assertNoViolations(page, where) {
  const reported = await page.evaluate(() => window.__cspViolations ?? ["the violation listener is missing"]);
  assert.deepEqual(reported, [], `CSP violations on ${where}`);
  assert.deepEqual(page.cspConsole, [], `CSP console errors on ${where}`);
  assert.deepEqual(page.errors, [], `errors on ${where}`);
}

function assertDocumentHeaders(response, where) {
  assert.ok(response, `no response for ${where}`);
  const h = response.headers();
  assert.match(h["content-type"] ?? "", /text\/html/, where);
  const csp = h["content-security-policy"] ?? "";
  for (const directive of ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"]) {
    assert.ok(csp.split(";").map((d) => d.trim()).includes(directive), `${where}: CSP lacks ${directive}: ${csp}`);
  }
  assert.ok(!/unsafe-inline|unsafe-eval/.test(csp), `${where}: CSP allows inline or eval: ${csp}`);
  assert.equal(h["x-content-type-options"], "nosniff", where);
  assert.ok(h["referrer-policy"], `${where}: Referrer-Policy`);
  assert.match(h["permissions-policy"] ?? "", /camera=\(\)/, `${where}: Permissions-Policy`);
  assert.match(h["strict-transport-security"] ?? "", /max-age=\d{7,}/, `${where}: HSTS`);
}

// Visits path, waits for the screen's marker, checks headers and violations.
async function visit(page, path, marker) {
  const response = await page.goto(path);
  assertDocumentHeaders(response, path);
  await page.locator(marker).first().waitFor();
  await page.waitForLoadState("networkidle");
  await assertNoViolations(page, path);
}

async function devSignIn(page, email) {
  await page.goto("/sign-in");
  await page.locator("#dev-email").fill(email);
  await page.locator(".dev-form button[type=submit]").click();
  await page.locator("#app-header .coin-value").waitFor();
}

test("every document carries the CSP and the security headers, the fallback for deep links included", async () => {
  for (const path of ["/", "/index.html", "/gallery/img_does_not_exist", "/no/such/screen", "/coins?x=1"]) {
    const r = await fetch(worker.url + path, { headers: { accept: "text/html" } });
    assert.equal(r.status, 200, path);
    assertDocumentHeaders({ headers: () => Object.fromEntries(r.headers) }, path);
    const html = await r.text();
    assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/i.test(html), `${path}: an inline <script>`);
    assert.ok(!/\sstyle=|<style/i.test(html), `${path}: inline style in the document`);
  }
});

test("every screen renders under the CSP with no violation: signed out, signed in, admin", async () => {
  const { page, context } = await cspWatchedPage(worker.url);
  await visit(page, "/sign-in", "#dev-email");
  await assertNoViolations(page, "/sign-in");
  await devSignIn(page, "csp-person@example.com");
  await assertNoViolations(page, "after sign-in");

  // An image, so the gallery, its detail and the reference picker have something to draw.
  const uploaded = await context.request.post("/api/images", {
    headers: { origin: worker.url },
    multipart: { file: { name: "csp.png", mimeType: "image/png", buffer: gradientPng(120, 80) } },
  });
  assert.equal(uploaded.status(), 201);
  const { image } = await uploaded.json();

  await visit(page, "/gallery", ".app-main h1");
  await visit(page, `/gallery/${image.id}`, ".app-main h1");
  await visit(page, "/generate", ".app-main h1");
  await visit(page, "/upload", "#upload-input");
  await visit(page, "/coins", ".app-main h1");
  await visit(page, "/no/such/screen", ".app-main h1");
  // Client-side navigation between screens, as a person clicks through.
  for (const href of ["/gallery", "/generate", "/upload", "/coins"]) {
    const link = page.locator(`#app-header a[href="${href}"]`).first();
    if (await link.count()) {
      await link.click();
      await page.waitForLoadState("networkidle");
    }
  }
  await assertNoViolations(page, "client-side navigation");

  const admin = await cspWatchedPage(worker.url);
  await devSignIn(admin.page, "admin@example.com");
  await visit(admin.page, "/admin", "#admin-search");
  await admin.page.locator(".admin-audit h2").waitFor();
  await admin.page.locator("#admin-search").fill("csp-person");
  await admin.page.locator("#admin-search").press("Enter");
  await admin.page.locator("tr", { hasText: "csp-person@example.com" }).first().waitFor();
  await admin.page.waitForLoadState("networkidle");
  await assertNoViolations(admin.page, "/admin with results");
  await admin.context.close();
  await context.close();
});

test("the CSP is enforced: an injected inline script is blocked and reported", async () => {
  // Proves the listener above can fail: the same page, with an inline script added, reports it.
  const { page, context } = await cspWatchedPage(worker.url);
  await page.goto("/sign-in");
  await page.locator("#dev-email").waitFor();
  await page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__inlineRan = true";
    document.body.append(s);
  });
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__inlineRan ?? false), false);
  const reported = await page.evaluate(() => window.__cspViolations);
  assert.ok(reported.some((v) => v.startsWith("script-src")), JSON.stringify(reported));
  await context.close();
});
