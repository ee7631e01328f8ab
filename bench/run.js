// `make bench`: the foundation benchmark. One run reports, side by side,
//   1. the C++ module's size, raw and gzip -9 (target: gzip <= 300 KB);
//   2. instantiating it inside workerd (bench/instantiate/worker.js), median of batches;
//   3. GET /api/health p50/p99 latency and requests/s, C++ Worker vs the plain-JS Worker in
//      bench/js-baseline/, at each concurrency, with C++/JS ratios (target: C++ p50 <= 1.15x JS).
// Both Workers are `wrangler deploy --dry-run` bundles served by ONE programmatic Miniflare instance
// (bench/lib/host.js, a child process) on their own loopback direct sockets; runs alternate A-B-B-A.
// Writes bench/results/foundation.json. See docs/benchmarks.md. Knobs (environment variables):
//   BENCH_REQUESTS=2000 BENCH_CONCURRENCY=1,8 BENCH_WARMUP=300 BENCH_ROUNDS=4
//   BENCH_INSTANTIATE_SAMPLES=30 BENCH_INSTANTIATE_BATCH=100 BENCH_TIME_LIMIT_S=900 BENCH_STRICT=0
import { execFile, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { fetchOnce, makeAgent, median, percentile, runLoad, summarize } from "./lib/load.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const WASM = path.join(ROOT, "build/wasm/app.opt.wasm");
const WRANGLER = path.join(ROOT, "node_modules/wrangler/bin/wrangler.js");
const RESULTS = path.join(ROOT, "bench/results/foundation.json");

const int = (name, dflt) => {
  const v = Number(process.env[name] ?? dflt);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer`);
  return v;
};
const OPTS = {
  requests: int("BENCH_REQUESTS", 2000),
  concurrency: String(process.env.BENCH_CONCURRENCY ?? "1,8").split(",").map((s) => {
    const c = Number(s.trim());
    if (!Number.isInteger(c) || c <= 0 || c > 64) throw new Error("BENCH_CONCURRENCY: integers 1..64, comma-separated");
    return c;
  }),
  warmup: int("BENCH_WARMUP", 300),
  rounds: int("BENCH_ROUNDS", 4),
  instantiateSamples: int("BENCH_INSTANTIATE_SAMPLES", 30),
  instantiateBatch: Math.min(int("BENCH_INSTANTIATE_BATCH", 100), 200),
  timeLimitS: int("BENCH_TIME_LIMIT_S", 900),
  strict: process.env.BENCH_STRICT === "1",
};
const TARGETS = { gzipBytes: 300_000, p50Ratio: 1.15 };
const DEADLINE = Date.now() + OPTS.timeLimitS * 1000;
// Nothing leaves the machine: no telemetry, no update check, no Request.cf download by Miniflare.
const QUIET_ENV = { WRANGLER_SEND_METRICS: "false", WRANGLER_NO_UPDATE_CHECK: "true", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" };

// ------------------------------------------------------------------------------------ cleanup
const children = new Set();
let tmp = null;
let host = null;

function cleanupSync() {
  for (const child of children) {
    try {
      process.kill(child.detachedGroup ? -child.pid : child.pid, "SIGKILL");
    } catch {}
  }
  children.clear();
  if (tmp) {
    rmSync(tmp, { recursive: true, force: true });
    tmp = null;
  }
}
process.on("exit", cleanupSync);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    console.error(`\nbench: ${signal}, stopping`);
    cleanupSync();
    process.exit(130);
  });
}

function log(message) {
  process.stderr.write(`bench: ${message}\n`);
}

// ------------------------------------------------------------------------------------ helpers
function wrangler(args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [WRANGLER, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...QUIET_ENV, NB_WASM_PREBUILT: "1", ...extraEnv },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 180_000,
    }, (error, stdout, stderr) => {
      children.delete(child);
      if (error) reject(new Error(`wrangler ${args.join(" ")} failed:\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
    children.add(child);
  });
}

function gzip9Bytes(file) {
  const r = spawnSync("gzip", ["-9", "-c", file], { maxBuffer: 64 * 1024 * 1024 });
  if (r.status === 0) return { bytes: r.stdout.length, tool: "gzip -9" };
  return { bytes: gzipSync(readFileSync(file), { level: 9 }).length, tool: "zlib level 9" };
}

function readToml(file) {
  // Only the two top-level keys the bench compares; wrangler itself reads the real config.
  const text = readFileSync(file, "utf8");
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(text)?.[1];
  const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(text)?.[1]?.replace(/\s+/g, "") ?? "";
  return { date, flags };
}

function versionOf(pkg) {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version;
  } catch {
    return "?";
  }
}

function startHost(specFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "bench/lib/host.js"), specFile], {
      cwd: tmp,
      env: { ...process.env, ...QUIET_ENV },
      stdio: ["pipe", "pipe", "pipe"],
      detached: true, // own process group: workerd (its child) is killed with it
    });
    child.detachedGroup = true;
    children.add(child);
    const stderr = [];
    let buffer = "";
    const lines = [];
    const waiters = [];
    child.stderr.on("data", (d) => stderr.push(String(d)));
    child.stdout.on("data", (d) => {
      buffer += d;
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const msg = JSON.parse(line);
          const w = waiters.shift();
          if (w) w(msg);
          else lines.push(msg);
        } catch {}
      }
    });
    const next = (ms) =>
      new Promise((res, rej) => {
        if (lines.length) return res(lines.shift());
        const timer = setTimeout(() => rej(new Error(`host: no answer in ${ms} ms\n${stderr.join("")}`)), ms);
        waiters.push((m) => {
          clearTimeout(timer);
          res(m);
        });
      });
    const exited = new Promise((res) => child.once("exit", (code) => {
      children.delete(child);
      res(code);
    }));
    child.once("exit", (code) => reject(new Error(`host exited (${code}) before it was ready:\n${stderr.join("")}`)));
    next(120_000).then((msg) => {
      if (!msg.ready) return reject(new Error(`host: unexpected first line ${JSON.stringify(msg)}`));
      resolve({
        urls: msg.urls,
        pid: child.pid,
        stderr,
        async stop() {
          let logs = null;
          try {
            child.stdin.write("quit\n");
            logs = (await next(15_000)).logs ?? null;
          } catch {}
          const timer = setTimeout(() => {
            try {
              process.kill(-child.pid, "SIGKILL");
            } catch {}
          }, 15_000);
          await exited;
          clearTimeout(timer);
          try {
            process.kill(-child.pid, "SIGKILL"); // anything left in its group (workerd)
          } catch {}
          return logs;
        },
      });
    }, reject);
  });
}

// CPU time (user + system, ms) of workerd, the host's child: what the Workers (and the local D1/R2/KV
// simulators, identical for both) cost, independent of how busy the rest of the machine is.
function workerdPids(hostPid) {
  const pids = [];
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        if (Number(fields[1]) === hostPid && stat.includes("(workerd)")) pids.push(Number(entry));
      } catch {}
    }
  } catch {}
  return pids;
}
const CLK_TCK = 100; // Linux USER_HZ
function cpuMs(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      return NaN;
    }
  }
  return pids.length ? (ticks * 1000) / CLK_TCK : NaN;
}

// Busy CPU ms of the whole machine (/proc/stat), to tell how much of it other processes took.
function machineBusyMs() {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = f;
    return ((user + nice + system + irq + softirq + (steal ?? 0)) * 1000) / CLK_TCK;
  } catch {
    return NaN;
  }
}
function ownCpuMs(hostPid, workerd) {
  const self = process.cpuUsage();
  return (self.user + self.system) / 1000 + cpuMs([hostPid]) + cpuMs(workerd);
}

const fmt = (v, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : "-");
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ")).join("\n");
}

// ------------------------------------------------------------------------------------ main
async function main() {
  const startedAt = new Date();
  let wasmStat;
  try {
    wasmStat = statSync(WASM);
  } catch {
    throw new Error(`${path.relative(ROOT, WASM)} is missing: run \`make bench\` (it builds it) or \`bash scripts/build-wasm.sh\``);
  }

  // 1. size
  const gz = gzip9Bytes(WASM);
  const size = { file: path.relative(ROOT, WASM), rawBytes: wasmStat.size, gzipBytes: gz.bytes, gzipTool: gz.tool, targetGzipBytes: TARGETS.gzipBytes };
  size.meetsTarget = size.gzipBytes <= TARGETS.gzipBytes;
  log(`wasm ${size.rawBytes} bytes raw, ${size.gzipBytes} bytes ${gz.tool}`);

  // Same runtime settings for both Workers, or the comparison is void.
  const app = readToml(path.join(ROOT, "wrangler.toml"));
  for (const other of ["bench/js-baseline/wrangler.toml", "bench/instantiate/wrangler.toml"]) {
    const o = readToml(path.join(ROOT, other));
    if (o.date !== app.date || o.flags !== app.flags) {
      throw new Error(`${other} has compatibility ${o.date} [${o.flags}] but wrangler.toml has ${app.date} [${app.flags}]: make them equal`);
    }
  }

  tmp = mkdtempSync(path.join(os.tmpdir(), "nb-bench-"));
  const state = path.join(tmp, "state");
  const workers = [
    { key: "cpp", name: "nb-bench-cpp", args: ["--env", "dev"], config: path.join(ROOT, "wrangler.toml"), env: "dev" },
    { key: "js", name: "nb-bench-js", args: ["--config", "bench/js-baseline/wrangler.toml"], config: path.join(ROOT, "bench/js-baseline/wrangler.toml") },
    { key: "inst", name: "nb-bench-instantiate", args: ["--config", "bench/instantiate/wrangler.toml"], config: path.join(ROOT, "bench/instantiate/wrangler.toml"),
      varsFrom: { config: path.join(ROOT, "wrangler.toml"), env: "dev" } },
  ];

  // 2. bundles, the way `wrangler deploy` would upload them
  log("bundling with wrangler deploy --dry-run");
  await Promise.all(workers.map((w) => {
    w.bundleDir = path.join(tmp, `bundle-${w.key}`);
    return wrangler(["deploy", "--dry-run", "--outdir", w.bundleDir, ...w.args]);
  }));
  const bundles = Object.fromEntries(workers.map((w) => [w.key, readdirSync(w.bundleDir).filter((f) => !f.endsWith(".map") && !f.endsWith(".md"))]));

  // 3. migrations into one persist dir (the two D1 databases have different ids)
  log("applying migrations");
  for (const w of workers.filter((x) => x.key !== "inst")) {
    await wrangler(["d1", "migrations", "apply", "DATABASE", "--local", ...w.args, "--persist-to", state]);
  }

  // 4. one Miniflare for all three Workers
  const specFile = path.join(tmp, "spec.json");
  writeFileSync(specFile, JSON.stringify({
    persistRoot: path.join(state, "v3"),
    workers: workers.map((w) => ({ name: w.name, bundleDir: w.bundleDir, config: w.config, env: w.env, varsFrom: w.varsFrom })),
  }));
  log("starting Miniflare");
  host = await startHost(specFile);
  const url = Object.fromEntries(workers.map((w) => [w.key, host.urls[w.name]]));
  const workerd = workerdPids(host.pid);

  // Both must answer the same thing before we time them.
  const first = {};
  for (const key of ["cpp", "js"]) {
    const r = await fetchOnce(`${url[key]}/api/health`);
    first[key] = r;
    if (r.status !== 200) throw new Error(`${key} /api/health answered ${r.status}: ${r.body}`);
  }
  if (first.cpp.body !== first.js.body) {
    throw new Error(`the two Workers answer different bodies:\n  cpp ${first.cpp.body}\n  js  ${first.js.body}`);
  }
  const headerNames = (r) => Object.keys(r.headers).filter((h) => !["date", "content-length", "connection", "keep-alive", "transfer-encoding"].includes(h)).sort().join(",");
  if (headerNames(first.cpp) !== headerNames(first.js)) {
    log(`warning: header sets differ: cpp [${headerNames(first.cpp)}] js [${headerNames(first.js)}]`);
  }
  const expectedBody = first.cpp.body;
  const check = (r) => r.status === 200 && r.body === expectedBody;

  // 5. instantiation inside workerd
  log("timing instantiation inside workerd");
  const inst = url.inst;
  const instantiateOnce = async (query) => {
    const r = await fetchOnce(`${inst}/?${query}`);
    if (r.status !== 200) throw new Error(`instantiate Worker (${query}) answered ${r.status}: ${r.body.slice(0, 2000)}`);
    return JSON.parse(r.body);
  };
  const coldR = await instantiateOnce("stage=full&k=1");
  const stages = ["instance", "initialize", "full"];
  const k = OPTS.instantiateBatch;
  for (let i = 0; i < 3; i++) for (const s of stages) await instantiateOnce(`stage=${s}&k=${k}`);
  const perInstance = Object.fromEntries(stages.map((s) => [s, []]));
  let memoryBytes = 0;
  for (let i = 0; i < OPTS.instantiateSamples; i++) {
    for (const s of i % 2 ? [...stages].reverse() : stages) {
      const r = await instantiateOnce(`stage=${s}&k=${k}`);
      perInstance[s].push(r.ms / r.k);
      memoryBytes = r.memoryBytes;
    }
  }
  const instantiate = {
    where: "workerd (Miniflare), bench-only Worker bench/instantiate/worker.js",
    clockResolutionMs: 1,
    batch: k,
    samples: OPTS.instantiateSamples,
    coldFirstFullMs: coldR.ms,
    initialMemoryBytes: memoryBytes,
    stages: Object.fromEntries(stages.map((s) => {
      const sorted = [...perInstance[s]].sort((a, b) => a - b);
      return [s, { medianMs: median(sorted), p10Ms: percentile(sorted, 10), p90Ms: percentile(sorted, 90) }];
    })),
  };

  // 6. GET /api/health, alternating C++ and JS runs (A B B A ...)
  const http = [];
  const httpStarted = Date.now();
  const busyBefore = machineBusyMs();
  const ownBefore = ownCpuMs(host.pid, workerd);
  const perRound = Math.ceil(OPTS.requests / OPTS.rounds);
  for (const c of OPTS.concurrency) {
    const agents = { cpp: makeAgent(c), js: makeAgent(c) };
    const target = (key) => `${url[key]}/api/health`;
    log(`concurrency ${c}: warm-up ${OPTS.warmup} requests each`);
    for (const key of ["cpp", "js"]) {
      const w = await runLoad({ url: target(key), count: OPTS.warmup, concurrency: c, agent: agents[key], check, deadline: DEADLINE });
      if (w.errors) throw new Error(`${key} warm-up: ${w.errors} errors, first: ${w.firstError}`);
    }
    const acc = { cpp: { latencies: [], wallMs: 0, cpuMs: 0, rounds: [] }, js: { latencies: [], wallMs: 0, cpuMs: 0, rounds: [] } };
    for (let round = 0; round < OPTS.rounds; round++) {
      for (const key of round % 2 ? ["js", "cpp"] : ["cpp", "js"]) {
        const cpuBefore = cpuMs(workerd);
        const r = await runLoad({ url: target(key), count: perRound, concurrency: c, agent: agents[key], check, deadline: DEADLINE });
        acc[key].cpuMs += cpuMs(workerd) - cpuBefore;
        if (r.errors) throw new Error(`${key} c=${c}: ${r.errors} errors, first: ${r.firstError}`);
        if (r.stoppedEarly) throw new Error(`${key} c=${c}: stopped early (${r.stoppedEarly}); raise BENCH_TIME_LIMIT_S or lower BENCH_REQUESTS`);
        acc[key].latencies.push(...r.latencies);
        acc[key].wallMs += r.wallMs;
        const s = summarize(r.latencies, r.wallMs);
        acc[key].rounds.push({ p50: s.p50, p99: s.p99, rps: s.rps });
        log(`  c=${c} round ${round + 1}/${OPTS.rounds} ${key.padEnd(3)} p50 ${fmt(s.p50)} ms  p99 ${fmt(s.p99)} ms  ${fmt(s.rps, 0)} req/s`);
      }
    }
    agents.cpp.destroy();
    agents.js.destroy();
    const side = (key) => ({
      ...summarize(acc[key].latencies, acc[key].wallMs),
      workerdCpuMsPerRequest: acc[key].cpuMs / acc[key].latencies.length,
      rounds: acc[key].rounds,
    });
    const cpp = side("cpp");
    const js = side("js");
    const ratio = { p50: cpp.p50 / js.p50, p99: cpp.p99 / js.p99, rps: cpp.rps / js.rps, workerdCpu: cpp.workerdCpuMsPerRequest / js.workerdCpuMsPerRequest };
    http.push({ concurrency: c, requests: cpp.count, cpp, js, ratio, meetsP50Target: ratio.p50 <= TARGETS.p50Ratio });
  }

  const httpWallMs = Date.now() - httpStarted;
  const foreignCpuShare = (machineBusyMs() - busyBefore - (ownCpuMs(host.pid, workerd) - ownBefore)) / (httpWallMs * os.cpus().length);
  const logs = await host.stop();
  host = null;

  // ---------------------------------------------------------------------------------- report
  const cpu = os.cpus();
  const result = {
    benchmark: "foundation",
    startedAt: startedAt.toISOString(),
    machine: {
      cores: cpu.length, cpu: cpu[0]?.model ?? "?", memoryBytes: os.totalmem(), platform: `${os.platform()} ${os.release()}`,
      otherProcessesCpuShareDuringHttp: foreignCpuShare,
    },
    versions: { node: process.versions.node, wrangler: versionOf("wrangler"), miniflare: versionOf("miniflare"), workerd: versionOf("workerd") },
    method: {
      runtime: "one programmatic Miniflare instance (one workerd process) running both Workers from `wrangler deploy --dry-run` bundles; each Worker on its own loopback direct socket",
      compatibilityDate: app.date,
      loadGenerator: "node:http keep-alive, closed loop, separate process from Miniflare",
      requestsPerWorkerPerConcurrency: OPTS.requests,
      rounds: OPTS.rounds,
      order: "A-B-B-A alternation of C++ and JS rounds",
      warmupPerWorker: OPTS.warmup,
      bundles,
    },
    targets: { gzipBytes: TARGETS.gzipBytes, cppP50OverJs: TARGETS.p50Ratio },
    size,
    instantiate,
    http,
    workerLogs: logs,
  };
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(result, null, 2)}\n`);

  const out = [];
  out.push("");
  out.push(`Foundation benchmark — ${cpu.length} cores (${result.machine.cpu}), node ${result.versions.node}, wrangler ${result.versions.wrangler}, workerd ${result.versions.workerd}`);
  out.push(`Other processes took ${fmt(100 * foreignCpuShare, 0)}% of the machine's CPU during the HTTP runs${foreignCpuShare > 0.1 ? ": latencies are noisy; trust workerd CPU ms/req more, or rerun on a quiet machine" : ""}.`);
  out.push("");
  out.push(table([
    ["wasm module", "bytes", "", "target", ""],
    ["raw", size.rawBytes, kib(size.rawBytes), "", ""],
    [`gzip (${gz.tool})`, size.gzipBytes, kib(size.gzipBytes), `<= ${TARGETS.gzipBytes}`, size.meetsTarget ? "OK" : "MISS"],
  ]));
  out.push("");
  out.push(`Instantiation inside workerd (median per instance over ${instantiate.samples} batches of ${k}; clock ticks 1 ms):`);
  out.push(table([
    ["stage", "median ms", "p10 ms", "p90 ms"],
    ...stages.map((s) => [
      { instance: "new WebAssembly.Instance", initialize: "+ _initialize", full: "+ nb_init (new WasmInstance)" }[s],
      fmt(instantiate.stages[s].medianMs, 3), fmt(instantiate.stages[s].p10Ms, 3), fmt(instantiate.stages[s].p90Ms, 3),
    ]),
  ]));
  out.push(`first instance in a fresh isolate (cold, full path): ${fmt(instantiate.coldFirstFullMs, 0)} ms; linear memory ${kib(memoryBytes)} per instance`);
  out.push("");
  out.push(`GET /api/health — ${OPTS.requests} requests per Worker per concurrency in ${OPTS.rounds} alternating rounds, after ${OPTS.warmup} warm-up:`);
  const rows = [["conc", "worker", "p50 ms", "p99 ms", "mean ms", "req/s", "workerd CPU ms/req"]];
  for (const h of http) {
    rows.push([h.concurrency, "C++", fmt(h.cpp.p50), fmt(h.cpp.p99), fmt(h.cpp.mean), fmt(h.cpp.rps, 0), fmt(h.cpp.workerdCpuMsPerRequest)]);
    rows.push([h.concurrency, "JS", fmt(h.js.p50), fmt(h.js.p99), fmt(h.js.mean), fmt(h.js.rps, 0), fmt(h.js.workerdCpuMsPerRequest)]);
    rows.push([h.concurrency, "C++/JS", `${fmt(h.ratio.p50)}x`, `${fmt(h.ratio.p99)}x`, "", `${fmt(h.ratio.rps)}x`, `${fmt(h.ratio.workerdCpu)}x`]);
  }
  out.push(table(rows));
  out.push("");
  for (const h of http) {
    out.push(`target C++ p50 <= ${TARGETS.p50Ratio}x JS at concurrency ${h.concurrency}: ${fmt(h.ratio.p50)}x ${h.meetsP50Target ? "OK" : "MISS"}`);
  }
  out.push(`results: ${path.relative(ROOT, RESULTS)}`);
  console.log(out.join("\n"));

  const missed = !size.meetsTarget || http.some((h) => !h.meetsP50Target);
  if (missed && OPTS.strict) process.exitCode = 1;
}

main()
  .catch(async (e) => {
    console.error(`bench: ${e?.stack ?? e}`);
    if (host) console.error(host.stderr.join("").slice(-4000));
    process.exitCode = 1;
  })
  .finally(async () => {
    if (host) {
      try {
        await host.stop();
      } catch {}
    }
    cleanupSync();
  });
