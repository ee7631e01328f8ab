// Child process of bench/run.js: one programmatic Miniflare instance (one workerd process) running
// every bench Worker, each from its `wrangler deploy --dry-run` bundle and on its own loopback
// "direct socket" (straight into that Worker, no Miniflare entry/proxy Worker in front).
//
//   node bench/lib/host.js SPEC.json     (cwd: the bench's temp dir; Miniflare wants its files there)
//
// SPEC: {persistRoot, inspector?, workers: [{name, bundleDir, config, env?, varsFrom?: {config, env?},
//   vars?: {NAME: "value"} (laid over the config's vars), ratelimitLimit?: N (keep the config's
//   rate-limit bindings, each allowing N calls per period)}]}.
// Prints one line {"ready": true, "urls": {name: url}, "inspector"?: url} on stdout, then serves until its stdin closes
// or says "quit", or it gets SIGTERM/SIGINT; it then prints {"logs": {...}} and disposes Miniflare
// (which stops workerd). Worker console output is counted, not printed.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { Log, LogLevel, Miniflare, convertV4MiniflareOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));

function bundleModules(dir) {
  const modules = [];
  for (const file of readdirSync(dir).sort()) {
    const full = path.join(dir, file);
    if (file.endsWith(".wasm")) modules.push({ type: "CompiledWasm", path: full, contents: readFileSync(full) });
    else if (file.endsWith(".js") || file.endsWith(".mjs")) modules.push({ type: "ESModule", path: full, contents: readFileSync(full, "utf8") });
  }
  // The entry module goes first.
  modules.sort((a, b) => (a.path.endsWith(`${path.sep}worker.js`) ? -1 : b.path.endsWith(`${path.sep}worker.js`) ? 1 : 0));
  return modules;
}

function workerOptions(w) {
  const { workerOptions: o } = unstable_getMiniflareWorkerOptions(w.config, w.env);
  const vars = { ...(w.varsFrom ? unstable_getMiniflareWorkerOptions(w.varsFrom.config, w.varsFrom.env).workerOptions.bindings : o.bindings), ...w.vars };
  // Left out unless asked for: a missing limiter fails closed, so only benches that sign in want them.
  const ratelimits = w.ratelimitLimit && o.ratelimits
    ? Object.fromEntries(Object.entries(o.ratelimits).map(([k, r]) => [k, { ...r, simple: { ...r.simple, limit: w.ratelimitLimit } }]))
    : undefined;
  return {
    name: w.name,
    compatibilityDate: o.compatibilityDate,
    compatibilityFlags: o.compatibilityFlags,
    modules: bundleModules(w.bundleDir),
    modulesRoot: w.bundleDir,
    bindings: vars,
    d1Databases: o.d1Databases,
    r2Buckets: o.r2Buckets,
    kvNamespaces: o.kvNamespaces,
    queueProducers: o.queueProducers,
    // No queue consumers or crons: the bench only sends fetches, and they would add background work.
    ...(ratelimits ? { ratelimits } : {}),
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
  };
}

const logs = { lines: 0, byLevel: {}, errors: [] };
const mf = new Miniflare(
  convertV4MiniflareOptions({
    log: new Log(LogLevel.WARN),
    logRequests: false,
    cf: false, // a placeholder Request.cf; never download one
    ...(spec.inspector ? { inspectorPort: 0, inspectorHost: "127.0.0.1" } : {}),
    resourcePersistencePath: spec.persistRoot,
    handleStructuredLogs: ({ level, message }) => {
      logs.lines++;
      logs.byLevel[level] = (logs.byLevel[level] ?? 0) + 1;
      if ((level === "error" || /"level":"error"/.test(message)) && logs.errors.length < 20) logs.errors.push(message);
    },
    workers: spec.workers.map(workerOptions),
  }),
);

let stopping = null;
function stop(code = 0) {
  stopping ??= (async () => {
    try {
      process.stdout.write(`${JSON.stringify({ logs })}\n`);
      await mf.dispose();
    } finally {
      process.exit(code);
    }
  })();
  return stopping;
}
process.on("SIGTERM", () => stop(0));
process.on("SIGINT", () => stop(0));
process.stdin.on("data", (d) => {
  if (String(d).includes("quit")) stop(0);
});
process.stdin.on("end", () => stop(0));
process.stdin.on("error", () => stop(0));

try {
  await mf.ready;
  const urls = {};
  for (const w of spec.workers) urls[w.name] = (await mf.unsafeGetDirectURL(w.name)).href.replace(/\/$/, "");
  const inspector = spec.inspector ? (await mf.getInspectorURL()).href : undefined;
  process.stdout.write(`${JSON.stringify({ ready: true, urls, inspector })}\n`);
} catch (e) {
  process.stderr.write(`host: Miniflare failed to start: ${e?.stack ?? e}\n`);
  await stop(1);
}
