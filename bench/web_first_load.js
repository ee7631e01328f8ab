// `make bench-web`: the web app's first load of a gallery holding 200 images, in Debian's chromium.
//   1. The app shell's weight: JS + CSS that index.html loads, raw and gzip -9 (target: <= 150 KB gzip),
//      plus index.html itself.
//   2. A cold first visit to /gallery (fresh browser context: empty cache, signed-in cookie only), for
//      each network profile: bytes transferred (Chromium's encodedDataLength, headers included, by
//      resource type), time to the first thumbnail drawn (the app's performance mark
//      "nb:first-thumbnail", set on the first gallery <img> load, relative to navigation start),
//      time to the grid's first page (DOM has cards), and how many thumbnails were fetched.
// The Worker runs under `wrangler dev` (tests/integration/support/worker.js); 200 PNGs are uploaded
// through the real API first (each gets its C++-made thumbnail). Results: bench/results/web_first_load.json.
// Knobs: BENCH_IMAGES=200 BENCH_RUNS=5 BENCH_IMAGE_SIZE=512 BENCH_PROFILES=loopback,fast4g
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { Client } from "../tests/integration/support/client.js";
import { ROOT, startWorker } from "../tests/integration/support/worker.js";
import { launchBrowser } from "../tests/e2e/support/browser.js";
import { gradientPng } from "../tests/e2e/support/png.js";

const int = (name, dflt) => {
  const v = Number(process.env[name] ?? dflt);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
};
const IMAGES = int("BENCH_IMAGES", 200);
const RUNS = int("BENCH_RUNS", 5);
const IMAGE_SIZE = int("BENCH_IMAGE_SIZE", 512);
const SHELL_TARGET_GZIP = 150 * 1024;
// Chromium's network emulation. fast4g: roughly a good mobile connection.
const PROFILES = {
  loopback: null,
  fast4g: { offline: false, latency: 60, downloadThroughput: (9 * 1024 * 1024) / 8, uploadThroughput: (1.5 * 1024 * 1024) / 8 },
};
const profileNames = (process.env.BENCH_PROFILES ?? "loopback,fast4g").split(",").map((s) => s.trim()).filter(Boolean);
for (const name of profileNames) if (!(name in PROFILES)) throw new Error(`unknown profile ${name}; known: ${Object.keys(PROFILES)}`);

const DIST = path.join(ROOT, "web/dist");
const RESULTS = path.join(ROOT, "bench/results/web_first_load.json");
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ------------------------------------------------------------------------------------ shell size
async function shellSize() {
  const html = await readFile(path.join(DIST, "index.html"), "utf8");
  const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  if (!refs.length) throw new Error("web/dist/index.html references no /assets/*.js or *.css: run `make web`");
  // Everything in assets/ counts too (a lazily loaded chunk is still part of the app's code).
  const all = (await readdir(path.join(DIST, "assets"))).filter((f) => /\.(js|css)$/.test(f)).map((f) => `/assets/${f}`);
  const files = [];
  for (const ref of new Set([...refs, ...all])) {
    const bytes = await readFile(path.join(DIST, ref));
    files.push({ file: ref, initial: refs.includes(ref), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  const sum = (key, pred = () => true) => files.filter(pred).reduce((a, f) => a + f[key], 0);
  const htmlGzip = gzipSync(Buffer.from(html), { level: 9 }).length;
  return {
    files,
    jsCssRaw: sum("raw"),
    jsCssGzip: sum("gzip"),
    initialJsCssGzip: sum("gzip", (f) => f.initial),
    indexHtmlRaw: Buffer.byteLength(html),
    indexHtmlGzip: htmlGzip,
    targetGzip: SHELL_TARGET_GZIP,
    withinTarget: sum("gzip") <= SHELL_TARGET_GZIP,
  };
}

// ------------------------------------------------------------------------------------- seeding
async function seed(worker) {
  const client = new Client(worker.url);
  await client.devLogin("bench-gallery@example.com");
  const started = Date.now();
  let next = 0;
  const uploadOne = async (i) => {
    const hue = (i * 37) % 360;
    const c = (h) => [Math.round(128 + 127 * Math.cos(((h + 0) * Math.PI) / 180)), Math.round(128 + 127 * Math.cos(((h + 120) * Math.PI) / 180)), Math.round(128 + 127 * Math.cos(((h + 240) * Math.PI) / 180))];
    const form = new FormData();
    form.append("file", new Blob([gradientPng(IMAGE_SIZE, IMAGE_SIZE, c(hue), c(hue + 150))], { type: "image/png" }), `bench-${i}.png`);
    const r = await client.fetch("/api/images", { method: "POST", body: form });
    if (r.status !== 201) throw new Error(`upload ${i}: ${r.status} ${await r.text()}`);
  };
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < IMAGES) await uploadOne(next++);
  }));
  const list = await client.json("/api/images?limit=1");
  if (list.body?.total !== IMAGES) throw new Error(`expected ${IMAGES} images, the API lists ${list.body?.total}`);
  console.log(`seeded ${IMAGES} images of ${IMAGE_SIZE}x${IMAGE_SIZE} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return client;
}

// ---------------------------------------------------------------------------------- first load
async function firstLoad(browser, worker, client, profile) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
  await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: worker.url })));
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  if (profile) await cdp.send("Network.emulateNetworkConditions", profile);
  const requests = new Map();
  const bytesByType = {};
  let bytes = 0;
  let thumbnails = 0;
  cdp.on("Network.responseReceived", (e) => requests.set(e.requestId, { type: e.type, url: e.response.url }));
  cdp.on("Network.loadingFinished", (e) => {
    const r = requests.get(e.requestId);
    const type = (r?.type ?? "Other").toLowerCase();
    bytes += e.encodedDataLength;
    bytesByType[type] = (bytesByType[type] ?? 0) + e.encodedDataLength;
    if (r && /\/api\/images\/[^/]+\/(thumbnail|content)/.test(r.url)) thumbnails++;
  });

  await page.goto(`${worker.url}/gallery`, { waitUntil: "commit" });
  await page.waitForFunction(() => performance.getEntriesByName("nb:first-thumbnail").length > 0, null, { timeout: 60_000 });
  const timings = await page.evaluate(() => {
    const mark = performance.getEntriesByName("nb:first-thumbnail")[0];
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    // Where the time went: when each step's response ended (ms from navigation start).
    const resources = performance.getEntriesByType("resource");
    const end = (pred) => {
      const hits = resources.filter((r) => pred(new URL(r.name)));
      return hits.length ? Math.round(Math.min(...hits.map((r) => r.responseEnd))) : null;
    };
    const timeline = {
      html: Math.round(performance.getEntriesByType("navigation")[0]?.responseEnd ?? 0),
      js: end((u) => u.pathname.endsWith(".js")),
      css: end((u) => u.pathname.endsWith(".css")),
      me: end((u) => u.pathname === "/api/me"),
      list: end((u) => u.pathname === "/api/images"),
      stats: end((u) => u.pathname === "/api/images/stats"),
      firstThumbnailResponse: end((u) => /^\/api\/images\/[^/]+\/thumbnail$/.test(u.pathname)),
    };
    return { firstThumbnailMs: mark.startTime, firstContentfulPaintMs: paint?.startTime ?? null, timeline, cards: document.querySelectorAll(".grid:not(.skeleton) > .card").length };
  });
  // Let the lazy images that the first screen asked for finish, then count what crossed the wire.
  await page.waitForLoadState("networkidle");
  await new Promise((r) => setTimeout(r, 300));
  await context.close();
  return { ...timings, bytes, bytesByType, thumbnails };
}

// ------------------------------------------------------------------------------------------ main
const shell = await shellSize();
console.log(`app shell: JS+CSS ${kb(shell.jsCssRaw)} raw, ${kb(shell.jsCssGzip)} gzip -9 (target <= ${kb(SHELL_TARGET_GZIP)}: ${shell.withinTarget ? "met" : "MISSED"}); index.html ${kb(shell.indexHtmlGzip)} gzip`);

const worker = await startWorker({ vars: {} });
let browser;
const results = { date: new Date().toISOString(), images: IMAGES, imageSize: IMAGE_SIZE, runs: RUNS, shell, profiles: {} };
try {
  const client = await seed(worker);
  browser = await launchBrowser();
  await firstLoad(browser, worker, client, null); // warm the Worker (isolate, wasm instances); not counted
  for (const name of profileNames) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await firstLoad(browser, worker, client, PROFILES[name]));
    const summary = {
      firstThumbnailMs: { median: median(runs.map((r) => r.firstThumbnailMs)), min: Math.min(...runs.map((r) => r.firstThumbnailMs)), max: Math.max(...runs.map((r) => r.firstThumbnailMs)) },
      bytes: { median: median(runs.map((r) => r.bytes)), min: Math.min(...runs.map((r) => r.bytes)), max: Math.max(...runs.map((r) => r.bytes)) },
      thumbnails: median(runs.map((r) => r.thumbnails)),
      cardsOnFirstPage: runs[0].cards,
      // Median of each step over the runs.
      timeline: Object.fromEntries(Object.keys(runs[0].timeline).map((k) => [k, median(runs.map((r) => r.timeline[k] ?? NaN))])),
      bytesByType: runs[0].bytesByType,
      runs,
    };
    results.profiles[name] = summary;
    console.log(`${name}: first thumbnail ${summary.firstThumbnailMs.median.toFixed(0)} ms median (${summary.firstThumbnailMs.min.toFixed(0)}-${summary.firstThumbnailMs.max.toFixed(0)}), ` +
      `${kb(summary.bytes.median)} transferred (${summary.thumbnails} thumbnails, ${summary.cardsOnFirstPage} cards in the first page); by type: ` +
      Object.entries(summary.bytesByType).map(([k, v]) => `${k} ${kb(v)}`).join(", "));
    console.log(`  timeline (median ms, response end): ${Object.entries(summary.timeline).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  }
} finally {
  await browser?.close();
  await worker.stop();
}
await mkdir(path.dirname(RESULTS), { recursive: true });
await writeFile(RESULTS, JSON.stringify(results, null, 2));
console.log(`wrote ${path.relative(ROOT, RESULTS)}`);
if (!shell.withinTarget) process.exitCode = 1;
