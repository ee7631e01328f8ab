// `make bench-gallery` (issue 13): what a gallery request costs when the gallery is large. One user
// with BENCH_BIG_IMAGES (100,000) images and one with 10, rows inserted straight into the local D1
// (the migration's triggers keep the counters and the search index, as the Worker's writes do), then,
// side by side in one run (the two users alternate request by request, the order flipped every round):
//   list     GET /api/images?limit=40
//   filtered GET /api/images?limit=40&type=UPLOADED&status=COMPLETED
//   favorite GET /api/images?limit=40&favorite=true
//   search   GET /api/images?limit=40&q=lighthouse   (1 image in 10 has the word)
//   stats    GET /api/images/stats
//   me       GET /api/me
// For each: p50/p90 latency and D1's own rows_read per request (the shim's x-d1-rows-read, summed over
// every statement of the request from D1's result meta; DEBUG_ROUTES only). Sequential keep-alive
// requests against `wrangler dev` (Miniflare's D1 is SQLite on this machine: latencies are local, rows
// read are what D1 would bill). Writes bench/results/gallery.json and prints a table.
// Knobs: BENCH_BIG_IMAGES=100000 BENCH_SAMPLES=200 (per kind and user) BENCH_WARMUP=20 BENCH_ROUNDS=4
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, applyMigrations, startWorker, wrangler } from "../tests/integration/support/worker.js";
import { getOnce, makeAgent } from "./lib/load.js";

const int = (name, dflt, min = 1) => {
  const v = Number(process.env[name] ?? dflt);
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer >= ${min}`);
  return v;
};
const OPTS = {
  big: int("BENCH_BIG_IMAGES", 100_000),
  small: 10,
  samples: int("BENCH_SAMPLES", 200),
  warmup: int("BENCH_WARMUP", 20, 0),
  rounds: int("BENCH_ROUNDS", 4),
};
const PAGE = 40;
const RESULTS = path.join(ROOT, "bench/results/gallery.json");
const log = (...a) => console.log(`[bench-gallery ${new Date().toISOString().slice(11, 19)}]`, ...a);

// Images for a user, made by SQL: GENERATED and UPLOADED, mostly COMPLETED, 1 in 20 starred, titles
// and prompts from a small vocabulary ("lighthouse" in 1 of 10).
function seedSql(userId, email, count, idBase) {
  const now = Date.UTC(2026, 0, 1);
  return `
INSERT INTO users (id, email, first_name, created_at, updated_at) VALUES ('${userId}', '${email}', 'Bench', ${now}, ${now});
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
INSERT INTO images (id, user_id, type, status, title, prompt, storage_key, thumbnail_key, content_type, width, height,
                    size, thumbnail_size, format, sha256, metadata, coins_used, parent_image_ids, created_at, updated_at, favorite)
SELECT printf('%032x', ${idBase} + i), '${userId}',
       CASE WHEN i % 3 = 0 THEN 'UPLOADED' ELSE 'GENERATED' END,
       CASE WHEN i % 25 = 0 THEN 'FAILED' ELSE 'COMPLETED' END,
       'Image ' || i || ' ' || CASE i % 10 WHEN 0 THEN 'lighthouse' WHEN 1 THEN 'banana' WHEN 2 THEN 'café' WHEN 3 THEN 'forest'
         WHEN 4 THEN 'harbour' WHEN 5 THEN 'mountain' WHEN 6 THEN 'city' WHEN 7 THEN 'river' WHEN 8 THEN 'desert' ELSE 'garden' END,
       CASE WHEN i % 3 = 0 THEN NULL ELSE 'a painting of a ' || CASE i % 7 WHEN 0 THEN 'red' WHEN 1 THEN 'blue' ELSE 'golden' END || ' scene, number ' || i END,
       'images/${userId}/' || i || '.png', 'images/${userId}/' || i || '.thumb.jpg', 'image/png', 1024, 1024,
       1500000 + (i % 1000), 40000, 'png', printf('%064x', i), '{}',
       CASE WHEN i % 3 = 0 OR i % 25 = 0 THEN 0 ELSE 10 END, '[]',
       ${now} + i * 1000, ${now} + i * 1000, CASE WHEN i % 20 = 0 THEN 1 ELSE 0 END
FROM n;
`;
}

const KINDS = {
  list: `/api/images?limit=${PAGE}`,
  filtered: `/api/images?limit=${PAGE}&type=UPLOADED&status=COMPLETED`,
  favorite: `/api/images?limit=${PAGE}&favorite=true`,
  search: `/api/images?limit=${PAGE}&q=lighthouse`,
  stats: "/api/images/stats",
  me: "/api/me",
};

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (values) => {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p90: pct(s, 90), min: s[0], max: s[s.length - 1] };
};

async function main() {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), "nb-bench-gallery-"));
  let worker = null;
  try {
    log(`migrating and seeding: ${OPTS.big} + ${OPTS.small} images`);
    await applyMigrations(stateDir);
    const sqlFile = path.join(stateDir, "seed.sql");
    writeFileSync(sqlFile, seedSql("b".repeat(32), "big@bench.example", OPTS.big, 0) + seedSql("5".repeat(32), "small@bench.example", OPTS.small, 10_000_000));
    const t0 = Date.now();
    await wrangler(["d1", "execute", "DATABASE", "--local", "--env", "dev", "--persist-to", stateDir, "--file", sqlFile, "--yes"]);
    const seedSeconds = (Date.now() - t0) / 1000;
    // The database file's size per image: what one more image costs D1's 10 GB (docs/scaling.md).
    const sqliteFiles = readdirSync(stateDir, { recursive: true }).filter((f) => String(f).endsWith(".sqlite"));
    const dbBytes = sqliteFiles.reduce((sum, f) => sum + statSync(path.join(stateDir, String(f))).size, 0);
    log(`seeded in ${seedSeconds.toFixed(1)} s; starting the Worker`);
    worker = await startWorker({ stateDir, vars: { DEBUG_ROUTES: "true" } });

    const agent = makeAgent(1);
    const users = {};
    for (const [key, email] of [["big", "big@bench.example"], ["small", "small@bench.example"]]) {
      const r = await fetch(`${worker.url}/api/auth/dev-login`, {
        method: "POST", headers: { "content-type": "application/json", origin: worker.url }, body: JSON.stringify({ email }),
      });
      if (r.status !== 200) throw new Error(`dev-login ${email}: ${r.status} ${await r.text()}`);
      const cookie = r.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
      users[key] = { cookie };
    }
    const once = async (user, kind) => {
      const r = await getOnce(agent, worker.url + KINDS[kind], 30_000, { cookie: users[user].cookie });
      if (r.status !== 200) throw new Error(`${kind} (${user}): ${r.status} ${r.body.slice(0, 300)}`);
      return { ms: r.ms, rowsRead: Number(r.headers["x-d1-rows-read"]), body: r.body };
    };
    // Sanity: the big gallery is what we think it is.
    const stats = JSON.parse((await once("big", "stats")).body);
    if (stats.total !== OPTS.big) throw new Error(`big user has ${stats.total} images, not ${OPTS.big}`);

    log(`warm-up: ${OPTS.warmup} of each`);
    for (const kind of Object.keys(KINDS)) for (let i = 0; i < OPTS.warmup; i++) for (const u of ["big", "small"]) await once(u, kind);

    const acc = {};
    for (const kind of Object.keys(KINDS)) acc[kind] = { big: { ms: [], rows: [] }, small: { ms: [], rows: [] } };
    const perRound = Math.ceil(OPTS.samples / OPTS.rounds);
    for (let round = 0; round < OPTS.rounds; round++) {
      for (const kind of Object.keys(KINDS)) {
        for (let i = 0; i < perRound; i++) {
          for (const u of (round + i) % 2 ? ["small", "big"] : ["big", "small"]) {
            const r = await once(u, kind);
            acc[kind][u].ms.push(r.ms);
            acc[kind][u].rows.push(r.rowsRead);
          }
        }
      }
      log(`round ${round + 1}/${OPTS.rounds} done`);
    }
    agent.destroy();

    const results = {};
    for (const [kind, byUser] of Object.entries(acc)) {
      const big = summary(byUser.big.ms);
      const small = summary(byUser.small.ms);
      results[kind] = {
        path: KINDS[kind],
        big: { p50: big.p50, p90: big.p90, rowsRead: summary(byUser.big.rows).p50 },
        small: { p50: small.p50, p90: small.p90, rowsRead: summary(byUser.small.rows).p50 },
        p50Ratio: big.p50 / small.p50,
      };
    }
    const out = {
      benchmark: "gallery",
      startedAt: new Date().toISOString(),
      machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? "?", loadavg: os.loadavg() },
      options: { ...OPTS, pageSize: PAGE },
      seedSeconds,
      databaseBytes: dbBytes,
      databaseBytesPerImage: dbBytes / (OPTS.big + OPTS.small),
      results,
    };
    mkdirSync(path.dirname(RESULTS), { recursive: true });
    writeFileSync(RESULTS, JSON.stringify(out, null, 2) + "\n");
    const f = (v) => v.toFixed(2);
    console.log(`\n| request | p50 big (ms) | p50 small (ms) | big/small | rows read big | rows read small |`);
    console.log(`| --- | ---: | ---: | ---: | ---: | ---: |`);
    for (const [kind, r] of Object.entries(results)) {
      console.log(`| ${kind} \`${r.path}\` | ${f(r.big.p50)} | ${f(r.small.p50)} | ${f(r.p50Ratio)} | ${r.big.rowsRead} | ${r.small.rowsRead} |`);
    }
    log(`database: ${(dbBytes / 1e6).toFixed(1)} MB, ${(dbBytes / (OPTS.big + OPTS.small)).toFixed(0)} bytes per image`);
    log(`wrote ${path.relative(ROOT, RESULTS)}`);
  } finally {
    await worker?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
