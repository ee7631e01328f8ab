// Debian's chromium (the `chromium` package; Playwright's own browser download cannot work here),
// driven by playwright-core. Each launch gets a fresh temporary profile (--user-data-dir) from
// Playwright, so no state leaks between runs.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { ROOT } from "../../integration/support/worker.js";

export const CHROMIUM = process.env.NB_CHROMIUM ?? "/usr/bin/chromium";
export const ARTIFACTS = path.join(ROOT, "tests/artifacts");

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/setup.sh (installs Debian's chromium)`);
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync",
    ],
  });
}

// The error answers the app provokes on purpose, as [status, method, path pattern]. Anything else that is
// not 2xx/3xx, and every 5xx whatever the path, lands in page.errors (tests end with
// assert.deepEqual(page.errors, [])): an API 500 behind a screen that still renders fails the test.
export const EXPECTED_ERRORS = Object.freeze([
  [401, "GET", /^\/api\/me$/],  // the app's "am I signed in?" probe while signed out
]);

function isExpected(list, status, method, pathname) {
  return list.some(([s, m, p]) => s === status && m === method && p.test(pathname));
}

// One error answer a test provokes on purpose (a refused upload, a probe after a delete): allowed once,
// and still owed (pendingExpectedErrors) until it happens, so the expectation cannot go stale.
export function expectErrorOnce(page, status, method, pattern) {
  page.expectOnce.push([status, method, pattern]);
}
export const pendingExpectedErrors = (page) => page.expectOnce.map(([s, m, p]) => `${s} ${m} ${p}`);

// A page that fails the test on any uncaught script error, console error from the app, or unexpected
// error answer.
export async function newPage(browser, baseURL, { viewport = { width: 1280, height: 860 }, locale = "en-US" } = {}) {
  const context = await browser.newContext({ baseURL, viewport, locale, colorScheme: "light", reducedMotion: "reduce" });
  const page = await context.newPage();
  watch(page);
  return { context, page };
}

// Wires the checks into a page (also for pages opened with context.newPage()).
export function watch(page) {
  page.errors = [];
  page.expectOnce = [];
  page.on("pageerror", (e) => page.errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    // The browser also logs each error answer as "Failed to load resource"; the response listener below
    // judges those one by one.
    if (m.type() === "error" && !/Failed to load resource/.test(m.text())) page.errors.push(`console: ${m.text()}`);
  });
  page.on("response", (r) => {
    const status = r.status();
    if (status < 400) return;
    const { pathname } = new URL(r.url());
    const method = r.request().method();
    if (status >= 500) return page.errors.push(`response: ${status} ${method} ${pathname}`);
    const once = page.expectOnce.findIndex(([s, m, p]) => s === status && m === method && p.test(pathname));
    if (once >= 0) page.expectOnce.splice(once, 1);
    else if (!isExpected(EXPECTED_ERRORS, status, method, pathname)) page.errors.push(`response: ${status} ${method} ${pathname}`);
  });
  return page;
}

export async function screenshot(page, name) {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, animations: "disabled" });
  return file;
}

// Polls fn until it returns a truthy value (returned) or the time is up (fails with the last value).
export async function eventually(fn, { timeout = 20_000, interval = 150, what = "condition" } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}
