// Issue 13 in Chromium: a person stars, searches, shares and bulk-deletes, mostly from the keyboard;
// the share link opens signed out in a fresh browser context (no cookies) as a small page with the
// picture, its title and its OpenGraph tags, and stops working the moment it is revoked.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "../integration/support/worker.js";
import { expectErrorOnce, launchBrowser, newPage, screenshot, watch, eventually } from "./support/browser.js";
import { gradientPng } from "./support/png.js";

let worker, browser, user;


async function upload(context, title, colour) {
  const r = await context.request.post("/api/images", {
    headers: { origin: worker.url },
    multipart: { file: { name: `${title}.png`, mimeType: "image/png", buffer: gradientPng(96, 64, colour) }, title },
  });
  assert.equal(r.status(), 201, await r.text());
  return (await r.json()).image;
}

const cardIds = (page) => page.locator(".grid .card").evaluateAll((cards) => cards.map((c) => c.dataset.imageId));

before(async () => {
  worker = await startWorker();
  browser = await launchBrowser();
  user = await newPage(browser, worker.url);
});
after(async () => {
  await browser?.close();
  await worker?.stop();
});

test("star, search, share (opened signed out, then revoked) and bulk delete, from the keyboard", async () => {
  const { context, page } = user;
  // Not "/": the gallery's boot warms its lists, which signed out are 401s (app.e2e starts here too).
  await page.goto("/upload");
  await page.locator("#dev-email").fill("gallery-e2e@example.com");
  await page.locator(".dev-form button[type=submit]").click();
  await page.locator("#app-header .coin-value").waitFor();

  const lighthouse = await upload(context, "Lighthouse at dawn", [255, 200, 80]);
  const cafe = await upload(context, "Café terrace", [80, 120, 200]);
  const forest = await upload(context, "Forest path", [40, 160, 90]);

  await page.goto("/gallery");
  await eventually(async () => (await cardIds(page)).length === 3, { what: "three cards" });
  // Storage used of the quota, from /api/me.
  await eventually(() => page.locator(".stat-meter meter").count(), { what: "storage meter" });

  // Star the lighthouse from the keyboard.
  const star = page.locator(`.card[data-image-id="${lighthouse.id}"] .star-button`);
  await star.focus();
  await page.keyboard.press("Enter");
  await eventually(async () => (await page.locator(`.card[data-image-id="${lighthouse.id}"] .star-button`).getAttribute("aria-pressed")) === "true",
    { what: "starred" });
  await page.locator("#filter-favorite").focus();
  await page.keyboard.press("Space");
  await eventually(async () => JSON.stringify(await cardIds(page)) === JSON.stringify([lighthouse.id]), { what: "favourites only" });
  assert.match(new URL(page.url()).search, /favorite=true/);
  await page.keyboard.press("Space");
  await eventually(async () => (await cardIds(page)).length === 3, { what: "all again" });

  // Search, accent-insensitive.
  await page.locator("#filter-q").fill("cafe");
  await page.keyboard.press("Enter");
  await eventually(async () => JSON.stringify(await cardIds(page)) === JSON.stringify([cafe.id]), { what: "search result" });
  await screenshot(page, "gallery-search");
  await page.locator("#filter-q").fill("");
  await page.keyboard.press("Enter");
  await eventually(async () => (await cardIds(page)).length === 3, { what: "search cleared" });

  // Share the café from its detail view.
  await page.goto(`/gallery/${cafe.id}`);
  await page.locator(".dialog-detail button:has-text('Share')").click();
  const link = await eventually(async () => (await page.locator("#share-link").count()) && page.locator("#share-link").inputValue(),
    { what: "share link" });
  assert.match(link, new RegExp(`^${worker.url}/s/[A-Za-z0-9_-]{32}$`));
  assert.equal(await page.locator(".share-preview-title").textContent(), "Café terrace");
  await screenshot(page, "gallery-share-dialog");

  // Signed out, in a fresh context: the page, its picture, its tags, no script errors or CSP reports.
  const stranger = await browser.newContext({ baseURL: worker.url });
  const strangerPage = watch(await stranger.newPage());
  const cspViolations = [];
  strangerPage.on("console", (m) => /Content Security Policy/i.test(m.text()) && cspViolations.push(m.text()));
  const response = await strangerPage.goto(link);
  assert.equal(response.status(), 200);
  assert.equal(await strangerPage.locator("h1").textContent(), "Café terrace");
  await eventually(() => strangerPage.locator("img.shared-image").evaluate((img) => img.complete && img.naturalWidth === 96),
    { what: "shared picture loaded" });
  const ogImage = await strangerPage.locator('meta[property="og:image"]').getAttribute("content");
  assert.match(ogImage, new RegExp(`^${worker.url}/api/shared/[A-Za-z0-9_-]{32}/content$`));
  assert.equal(await strangerPage.locator('meta[name="twitter:card"]').getAttribute("content"), "summary_large_image");
  const text = await strangerPage.locator("body").textContent();
  assert.ok(!text.includes("gallery-e2e@example.com"), "no owner data");
  assert.deepEqual(cspViolations, []);
  assert.deepEqual(strangerPage.errors, []);
  await screenshot(strangerPage, "share-page");

  // Revoke: the same link is dead at once for the stranger.
  await page.locator(".dialog-share button:has-text('Stop sharing')").click();
  await page.locator(".dialog-share").waitFor({ state: "detached" });
  expectErrorOnce(strangerPage, 404, "GET", /^\/s\//);
  assert.equal((await strangerPage.goto(link)).status(), 404);
  await stranger.close();
  await page.keyboard.press("Escape");
  await eventually(async () => new URL(page.url()).pathname === "/gallery", { what: "detail closed" });

  // Select two cards from the keyboard and delete them; the confirmation names the count.
  await eventually(async () => (await cardIds(page)).length === 3, { what: "cards" });
  for (const image of [cafe, forest]) {
    await page.locator(`#select-${image.id}`).focus();
    await page.keyboard.press("Space");
  }
  await eventually(async () => (await page.locator(".selection-count").textContent()) === "2 images selected", { what: "2 selected" });
  await page.locator(".selection-bar button:has-text('Delete selected')").click();
  const confirm = page.locator("dialog.dialog-small");
  await confirm.waitFor();
  assert.match(await confirm.textContent(), /Delete 2 images\?/);
  await confirm.locator("button:has-text('Delete 2 images')").click();
  await eventually(async () => JSON.stringify(await cardIds(page)) === JSON.stringify([lighthouse.id]), { what: "two deleted" });
  assert.equal(await page.locator(".selection-bar").isHidden(), true);
  const stats = await (await context.request.get("/api/images/stats")).json();
  assert.equal(stats.total, 1);

  // Spanish: the same controls, translated.
  await context.request.patch("/api/me", { headers: { origin: worker.url }, data: { language: "es" } });
  await page.reload();
  await page.locator("#filter-q").waitFor();
  assert.equal(await page.locator("label[for=filter-favorite]").textContent(), "Solo favoritas");
  assert.equal(await page.locator(`.card[data-image-id="${lighthouse.id}"] .star-button`).getAttribute("aria-label"), "Quitar de favoritas");
  assert.deepEqual(page.errors, []);
});
