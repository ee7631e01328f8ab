// Debian's chromium (the `chromium` package; Playwright's own browser download cannot work here),
// driven by playwright-core. Each launch gets a fresh temporary profile (--user-data-dir) from
// Playwright, so no state leaks between runs.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
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

// A page that fails the test on any uncaught script error or console error from the app.
export async function newPage(browser, baseURL, { viewport = { width: 1280, height: 860 }, locale = "en-US" } = {}) {
  const context = await browser.newContext({ baseURL, viewport, locale, colorScheme: "light", reducedMotion: "reduce" });
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    // The browser logs every non-2xx fetch; those are expected (401 probes, 404 after delete).
    if (m.type() === "error" && !/Failed to load resource/.test(m.text())) page.errors.push(`console: ${m.text()}`);
  });
  return { context, page };
}

export async function screenshot(page, name) {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, animations: "disabled" });
  return file;
}
