// Deploy configuration: staging and production bundle cleanly (`wrangler deploy --dry-run`, no upload,
// no account), dev login is on only in dev, every environment declares every binding itself, test-only
// settings stay at their defaults outside dev, and the retry budget matches the queue's.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT, wrangler } from "./support/worker.js";

// The harness built the module already; the [build] step in wrangler.toml must not rebuild it.
process.env.NB_WASM_PREBUILT = "1";

const ENVS = ["dev", "staging", "production"];
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*m/g, "");

// A small TOML reader for the subset wrangler.toml uses: [tables], [[arrays of tables]], and
// `key = value` with strings, numbers, booleans and one-line arrays. Anything else is kept as raw text.
function parseToml(text) {
  const root = {};
  let current = root;
  const walk = (keys) => {
    let node = root;
    for (const k of keys) {
      node[k] ??= {};
      node = Array.isArray(node[k]) ? node[k].at(-1) : node[k];
    }
    return node;
  };
  for (const [i, rawLine] of text.split("\n").entries()) {
    const line = stripComment(rawLine).trim();
    if (!line) continue;
    let m;
    if ((m = line.match(/^\[\[\s*([^\]]+?)\s*\]\]$/))) {
      const keys = m[1].split(".").map((k) => k.trim());
      const parent = walk(keys.slice(0, -1));
      const last = keys.at(-1);
      parent[last] ??= [];
      assert.ok(Array.isArray(parent[last]), `wrangler.toml:${i + 1}: ${m[1]} is both a table and an array`);
      parent[last].push((current = {}));
    } else if ((m = line.match(/^\[\s*([^\]]+?)\s*\]$/))) {
      current = walk(m[1].split(".").map((k) => k.trim()));
    } else if ((m = line.match(/^([A-Za-z0-9_-]+)\s*=\s*(.+)$/))) {
      current[m[1]] = parseValue(m[2]);
    } else {
      assert.fail(`wrangler.toml:${i + 1}: cannot read ${JSON.stringify(rawLine)}`);
    }
  }
  return root;
}

function stripComment(line) {
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === "#") {
      return line.slice(0, i);
    }
  }
  return line;
}

function parseValue(raw) {
  const v = raw.trim();
  if (/^"(?:[^"\\]|\\.)*"$/.test(v)) return JSON.parse(v);
  if (/^'[^']*'$/.test(v)) return v.slice(1, -1);
  if (v === "true" || v === "false") return v === "true";
  if (/^[+-]?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (/^\[.*\]$/.test(v)) {
    const inner = v.slice(1, -1).trim();
    if (inner === "") return [];
    const items = inner.match(/"(?:[^"\\]|\\.)*"|'[^']*'|[^,\s][^,]*/g) ?? [];
    return items.map((item) => parseValue(item));
  }
  return v;
}

let config;
let outRoot;
before(async () => {
  config = parseToml(await readFile(path.join(ROOT, "wrangler.toml"), "utf8"));
  outRoot = await mkdtemp(path.join(tmpdir(), "nb-deploy-"));
});
after(async () => outRoot && rm(outRoot, { recursive: true, force: true }));

async function dryRun(env) {
  const outdir = path.join(outRoot, env);
  let result;
  try {
    result = await wrangler(["deploy", "--dry-run", "--env", env, "--outdir", outdir]);
  } catch (e) {
    assert.fail(`wrangler deploy --dry-run --env ${env} failed (exit ${e.code}):\n${stripAnsi(`${e.stdout}\n${e.stderr}`)}`);
  }
  return { output: stripAnsi(result.stdout + result.stderr), outdir };
}

for (const env of ["staging", "production"]) {
  test(`wrangler deploy --dry-run --env ${env} succeeds without warnings`, async () => {
    const { output, outdir } = await dryRun(env);
    assert.match(output, /--dry-run: exiting now/);
    assert.doesNotMatch(output, /▲ \[WARNING\]|\[WARNING\]/, output);
    // Wrangler reads the same bindings this file checks below.
    for (const binding of ["DATABASE", "IMAGE_GENERATOR", "SESSIONS", "GENERATION_JOBS"]) {
      assert.match(output, new RegExp(`env\\.${binding} \\(`), `${binding} missing from the dry-run:\n${output}`);
    }
    // The vars wrangler would really deploy (inheritance and all): the test-only routes stay off.
    // (/api/_debug/* deletes users, redelivers jobs and traps instances on request.)
    const debugVar = output.match(/env\.DEBUG_ROUTES \(([^)]*)\)/);
    assert.ok(!debugVar || /^"?false"?$/.test(debugVar[1].trim()), `${env} deploys DEBUG_ROUTES=${debugVar?.[1]}:\n${output}`);
    assert.doesNotMatch(output, /DEBUG_ROUTES[^\n]*"?true"?/, `${env} deploys DEBUG_ROUTES on:\n${output}`);
    // The bundle carries the C++ module next to the shim.
    const files = await readdir(outdir);
    assert.ok(files.includes("worker.js"), files.join(", "));
    assert.ok(files.some((f) => f.endsWith(".wasm")), files.join(", "));
  });
}

test("DEBUG_ROUTES is never \"true\" in staging or production, in the file or the top level", () => {
  for (const env of ["staging", "production"]) {
    const value = config.env?.[env]?.vars?.DEBUG_ROUTES;
    assert.ok(value === undefined || value === "false", `${env}: DEBUG_ROUTES = ${JSON.stringify(value)}`);
  }
  assert.ok(config.vars?.DEBUG_ROUTES === undefined || config.vars.DEBUG_ROUTES === "false");
  // Nor is it turned on anywhere else the deploy reads vars from: a [vars]-like line for it outside dev.
  const lines = readFileSync(path.join(ROOT, "wrangler.toml"), "utf8").split("\n");
  let section = "";
  for (const line of lines) {
    const header = line.match(/^\s*\[+\s*([^\]]+?)\s*\]+/);
    if (header) section = header[1];
    if (/^\s*DEBUG_ROUTES\s*=/.test(line) && !section.startsWith("env.dev")) {
      assert.match(line, /=\s*"false"/, `wrangler.toml [${section}]: ${line.trim()}`);
    }
  }
});

test("DEV_LOGIN is \"true\" in dev only", () => {
  assert.equal(config.env?.dev?.vars?.DEV_LOGIN, "true");
  for (const env of ["staging", "production"]) {
    const value = config.env?.[env]?.vars?.DEV_LOGIN;
    assert.notEqual(value, "true", `${env} must not enable dev login`);
    assert.notEqual(value, true, `${env} must not enable dev login`);
  }
  // Top-level vars are what a deploy without --env would upload.
  assert.notEqual(config.vars?.DEV_LOGIN, "true");
});

const one = (list, pred, what) => {
  const found = (list ?? []).filter(pred);
  assert.equal(found.length, 1, `expected exactly one ${what}, found ${found.length}`);
  return found[0];
};

for (const env of ENVS) {
  test(`${env} declares DATABASE, IMAGE_GENERATOR, SESSIONS, GENERATION_JOBS and a consumer with a dead-letter queue`, () => {
    const e = config.env?.[env];
    assert.ok(e, `[env.${env}] missing`);
    const d1 = one(e.d1_databases, (b) => b.binding === "DATABASE", `[[env.${env}.d1_databases]] DATABASE`);
    assert.ok(d1.database_name && d1.database_id, `${env} DATABASE needs database_name and database_id`);
    assert.equal(d1.migrations_dir, "migrations");
    const r2 = one(e.r2_buckets, (b) => b.binding === "IMAGE_GENERATOR", `[[env.${env}.r2_buckets]] IMAGE_GENERATOR`);
    assert.ok(r2.bucket_name);
    const kv = one(e.kv_namespaces, (b) => b.binding === "SESSIONS", `[[env.${env}.kv_namespaces]] SESSIONS`);
    assert.ok(kv.id);
    const producer = one(e.queues?.producers, (b) => b.binding === "GENERATION_JOBS",
      `[[env.${env}.queues.producers]] GENERATION_JOBS`);
    assert.ok(producer.queue);
    const consumer = one(e.queues?.consumers, (c) => c.queue === producer.queue,
      `[[env.${env}.queues.consumers]] for ${producer.queue}`);
    assert.ok(consumer.dead_letter_queue, `${env} consumer needs a dead_letter_queue`);
    assert.notEqual(consumer.dead_letter_queue, producer.queue);
  });
}

test("no two environments share a Worker name or a resource", () => {
  const seen = new Map();
  const claim = (kind, value, env) => {
    const key = `${kind}=${value}`;
    assert.ok(!seen.has(key), `${env} and ${seen.get(key)} share ${key}`);
    seen.set(key, env);
  };
  for (const env of ENVS) {
    const e = config.env[env];
    claim("name", e.name ?? config.name, env);
    claim("database_id", e.d1_databases[0].database_id, env);
    claim("bucket", e.r2_buckets[0].bucket_name, env);
    claim("kv", e.kv_namespaces[0].id, env);
    for (const c of e.queues.consumers) {
      claim("queue", c.queue, env);
      claim("queue", c.dead_letter_queue, env);
    }
  }
});

// Settings that exist for tests and local runs only. In a deployed environment each must be unset (an
// empty value counts as unset, see README "Configuration") or equal to the product's own default:
// DEBUG_ROUTES mounts /api/_debug/* (grants, redeliveries, traps), and the endpoint overrides would send
// sign-ins or prompts (with the Gemini key) to whatever host they name.
const PRODUCT_DEFAULTS = {
  DEBUG_ROUTES: "false",  // GetBool: only "true" mounts the routes; js-shim/worker.js checks the same
  GOOGLE_AUTH_URL: "https://accounts.google.com/o/oauth2/v2/auth",  // src/auth/google_sign_in.cpp
  GOOGLE_TOKEN_URL: "https://oauth2.googleapis.com/token",
  GOOGLE_JWKS_URL: "https://www.googleapis.com/oauth2/v3/certs",
  GOOGLE_ISSUER: "https://accounts.google.com",
  GEMINI_API_BASE: "https://generativelanguage.googleapis.com",  // src/generation/gemini_client.h
};

for (const scope of ["staging", "production", "top level"]) {
  test(`${scope} leaves DEBUG_ROUTES, the Google endpoint overrides and GEMINI_API_BASE at their defaults`, () => {
    const vars = (scope === "top level" ? config.vars : config.env?.[scope]?.vars) ?? {};
    if (scope !== "top level") assert.ok(config.env?.[scope]?.vars, `[env.${scope}.vars] missing`);
    for (const [name, fallback] of Object.entries(PRODUCT_DEFAULTS)) {
      const value = vars[name];
      assert.ok(value === undefined || value === "" || value === fallback,
        `${scope}: ${name} = ${JSON.stringify(value)}; only unset or ${JSON.stringify(fallback)} is allowed outside dev`);
    }
  });
}

// Cloudflare Queues: a consumer without max_retries retries 3 times. The Worker fails and refunds on
// delivery GENERATION_MAX_ATTEMPTS (default 6, src/generation/generation_settings.h): if that is larger
// than the queue's deliveries, the last delivery goes to the dead-letter queue with the hold still open;
// if smaller, the job gives up while the queue would still retry.
const QUEUE_DEFAULT_MAX_RETRIES = 3;
const WORKER_DEFAULT_MAX_ATTEMPTS = 6;
for (const env of ENVS) {
  test(`${env}: GENERATION_MAX_ATTEMPTS equals the generation consumer's max_retries + 1`, () => {
    const e = config.env?.[env];
    assert.ok(e, `[env.${env}] missing`);
    const producer = one(e.queues?.producers, (b) => b.binding === "GENERATION_JOBS", `${env} GENERATION_JOBS producer`);
    const consumer = one(e.queues?.consumers, (c) => c.queue === producer.queue, `${env} consumer of ${producer.queue}`);
    const raw = e.vars?.GENERATION_MAX_ATTEMPTS;
    const attempts = raw === undefined || raw === "" ? WORKER_DEFAULT_MAX_ATTEMPTS : Number(raw);
    assert.ok(Number.isInteger(attempts), `${env}: GENERATION_MAX_ATTEMPTS = ${JSON.stringify(raw)} is not a whole number`);
    assert.equal(attempts, (consumer.max_retries ?? QUEUE_DEFAULT_MAX_RETRIES) + 1,
      `${env}: GENERATION_MAX_ATTEMPTS ${attempts} vs max_retries ${consumer.max_retries ?? `unset (${QUEUE_DEFAULT_MAX_RETRIES})`}`);
  });
}

// Uploads are limited per user and minute by the UPLOAD_RATE_LIMITER binding (src/app/images/image_routes.cpp).
// A binding missing from an environment fails closed: every upload there would answer 503.
for (const env of ENVS) {
  test(`${env}: UPLOAD_RATE_LIMITER is bound, per minute, and /s/* reaches the Worker`, () => {
    const limiter = (config.env?.[env]?.ratelimits ?? []).find((r) => r.name === "UPLOAD_RATE_LIMITER");
    assert.ok(limiter, `[[env.${env}.ratelimits]] UPLOAD_RATE_LIMITER missing`);
    // This file's small TOML reader keeps an inline table as its text: "{ limit = 60, period = 60 }".
    const simple = typeof limiter.simple === "string"
      ? Object.fromEntries([...limiter.simple.matchAll(/(\w+)\s*=\s*(\d+)/g)].map(([, k, v]) => [k, Number(v)]))
      : limiter.simple;
    assert.equal(simple?.period, 60);
    assert.ok(simple?.limit > 0);
    const ids = (config.env?.[env]?.ratelimits ?? []).map((r) => r.namespace_id);
    assert.equal(new Set(ids).size, ids.length, "namespace ids are distinct");
    assert.ok(config.assets.run_worker_first.includes("/s/*"), "share pages must not fall to the SPA's index.html");
  });
}

// A 2K/4K answer does not fit the buffered generation path (docs/models.md): offered in a deployment, it
// would be billed by Gemini, refused by the memory budget, retried and finally refunded. Deployed configs
// name their models explicitly and stop at 1K until answers stream.
for (const env of ["staging", "production"]) {
  test(`${env}: IMAGE_MODELS is explicit and offers no size above 1K`, () => {
    const raw = config.env?.[env]?.vars?.IMAGE_MODELS;
    assert.equal(typeof raw, "string", `[env.${env}.vars] IMAGE_MODELS missing`);
    const models = JSON.parse(raw);
    assert.ok(Array.isArray(models) && models.length > 0);
    for (const m of models) {
      const sizes = Object.keys(m.costs);
      assert.ok(sizes.length > 0, m.id);
      for (const size of sizes) assert.ok(["0.5K", "1K"].includes(size), `${env} offers ${m.id} at ${size}`);
    }
  });
}
