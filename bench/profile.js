// `node bench/profile.js` (after `make bench` built the module): where the C++ Worker's CPU goes on
// GET /api/health, next to the plain-JS baseline. Same setup as bench/run.js (one Miniflare, every
// Worker from its dry-run bundle) plus workerd's V8 inspector. Two views, each Worker profiled twice,
// alternating:
//   handler  the bench-only Worker (bench/in-workerd) calling each fetch handler in-process with
//            in-memory D1/R2/KV: the Workers' own CPU and nothing else;
//   http     each Worker's own isolate while it serves real GET /api/health over loopback with the
//            local D1/R2/KV (the simulators run in other isolates and are not sampled).
// Every sample is charged to the frame it was taken in (self time): a js-shim/*.js or baseline
// function, a C++ function (wasm), runtime JS (cloudflare-internal:*, node-internal:*), a native
// runtime call (put, get, decode, ...), "(program)" (the runtime outside any JS frame) or GC.
// The profiler samples wall time while the isolate is busy, so a loaded machine inflates every row.
//   BENCH_PROFILE_REQUESTS=1000 BENCH_PROFILE_INTERVAL_US=50
//   BENCH_PROFILE_HTTP=0   the handler view only (no loopback runs)
//   BENCH_PROFILE_NAMED=1  profile a copy of the module that keeps its function names: relinked from
//                          build/wasm's objects without --strip-debug, then wasm-opt as in
//                          scripts/build-wasm.sh plus -g, so wasm frames show C++ functions
// Writes bench/results/profile.json and prints the tables.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT, cleanupSync, log, prepare, startHost, tempDir } from "./lib/harness.js";
import { fetchOnce, makeAgent, runLoad, summarize } from "./lib/load.js";

const REQUESTS = Number(process.env.BENCH_PROFILE_REQUESTS ?? 1000);
const INTERVAL_US = Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 50);
const NAMED = process.env.BENCH_PROFILE_NAMED === "1";
const HTTP_VIEW = process.env.BENCH_PROFILE_HTTP !== "0";
const RESULTS = path.join(ROOT, "bench/results/profile.json");

// Minimal Chrome DevTools Protocol client (Node 22 has a global WebSocket).
async function cdp(wsUrl) {
  const ws = new WebSocket(wsUrl);
  await new Promise((res, rej) => {
    ws.onopen = res;
    ws.onerror = () => rej(new Error(`inspector: cannot connect to ${wsUrl}`));
  });
  let nextId = 1;
  const pending = new Map();
  ws.onmessage = (event) => {
    const msg = JSON.parse(String(event.data));
    const p = msg.id && pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
    else p.resolve(msg.result);
  };
  return {
    send(method, params = {}) {
      const id = nextId++;
      ws.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, method });
        setTimeout(() => pending.has(id) && (pending.delete(id), reject(new Error(`${method}: no answer`))), 120_000);
      });
    },
    close: () => ws.close(),
  };
}

// One inspector session per isolate for the whole run: workerd serves one session per target.
const sessions = new Map();
async function profiled(wsUrl, work) {
  if (!sessions.has(wsUrl)) {
    const session = await cdp(wsUrl);
    await session.send("Profiler.enable");
    await session.send("Profiler.setSamplingInterval", { interval: INTERVAL_US });
    sessions.set(wsUrl, session);
  }
  const session = sessions.get(wsUrl);
  await session.send("Profiler.start");
  const result = await work();
  const { profile } = await session.send("Profiler.stop");
  return { profile, result };
}

// The same module with a name section (see BENCH_PROFILE_NAMED above). clang's driver would run
// wasm-opt (which drops names) after linking, so ask it for the wasm-ld line (-###) and run that.
function namedWasm() {
  const buildDir = path.join(ROOT, "build/wasm");
  const link = readFileSync(path.join(buildDir, "CMakeFiles/app.dir/link.txt"), "utf8").trim();
  const linked = path.join(tempDir(), "named.wasm");
  const optimized = path.join(tempDir(), "named.opt.wasm");
  const args = link.split(/\s+/).filter((a) => a !== "-Wl,--strip-debug");
  args[args.indexOf("-o") + 1] = linked;
  const dry = spawnSync(args[0], [...args.slice(1), "-###"], { cwd: buildDir });
  const plan = `${dry.stdout}${dry.stderr}`;
  const ldLine = plan.split("\n").find((l) => /wasm-ld/.test(l));
  if (!ldLine) throw new Error(`cannot find the wasm-ld command in:\n${plan}`);
  const ld = [...ldLine.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
  execFileSync(ld[0], ld.slice(1), { cwd: buildDir, stdio: "inherit" });
  execFileSync("wasm-opt", ["-Oz", "-g", "--enable-sign-ext", "--enable-bulk-memory", "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int", "--strip-dwarf", "--strip-producers", linked, "-o", optimized], { stdio: "inherit" });
  return optimized;
}

function demangle(names) {
  try {
    return execFileSync("c++filt", [], { input: names.join("\n") }).toString().split("\n");
  } catch {
    return names;
  }
}

// Shortens a demangled C++ name: no template arguments, no parameter list.
function shortCpp(name) {
  let out = "";
  let depth = 0;
  for (const ch of name) {
    if (ch === "<") depth++;
    if (depth === 0) out += ch;
    if (ch === ">") depth--;
  }
  return out.replace(/\(.*$/, "").replace(/nlohmann::json_abi_v[\d_]+::/g, "nlohmann::").replace(/std::__2::/g, "std::");
}

// Line ranges of the original files inside an esbuild bundle ("// js-shim/bindings.js" markers,
// relative to the wrangler config's folder).
function bundleFileMap(bundleJs, configDir) {
  const lines = readFileSync(bundleJs, "utf8").split("\n");
  const marks = [];
  lines.forEach((line, i) => {
    const m = /^\/\/ ([\w./-]+\.m?js)$/.exec(line);
    if (m) marks.push({ line: i, file: path.join(configDir, m[1]) });
  });
  return (lineNumber) => {
    let file = "bundle glue";
    for (const m of marks) if (m.line <= lineNumber) file = m.file;
    return file;
  };
}

function analyze(profile, fileOf, requests) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const dt = timeDeltas[i + 1] ?? 0; // the time until the next sample belongs to this one
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + dt);
  }
  const categories = new Map();
  const functions = new Map();
  const wasmFunctions = new Map();
  let busy = 0;
  const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
  for (const [id, us] of selfUs) {
    const { functionName: name, url, lineNumber } = byId.get(id).callFrame;
    if (name === "(idle)") continue;
    busy += us;
    let category;
    let fn;
    if (name === "(garbage collector)") category = fn = "GC";
    else if (name === "(program)") category = fn = "(program): runtime, no JS frame";
    else if (url.startsWith("wasm://")) {
      category = "C++ (wasm)";
      add(wasmFunctions, name.replace(/^\$/, ""), us);
      continue;
    } else if (url === "worker.js") {
      category = fileOf(lineNumber);
      fn = `${name || "(anonymous)"} [${category}]`;
    } else if (url) {
      category = `runtime JS (${url})`;
      fn = `${name || "(anonymous)"} [${url}]`;
    } else {
      category = `native: ${name || "(anonymous)"}`;
      fn = category;
    }
    add(categories, category, us);
    add(functions, fn, us);
  }
  let wasmTotal = 0;
  for (const us of wasmFunctions.values()) wasmTotal += us;
  if (wasmTotal) add(categories, "C++ (wasm)", wasmTotal);
  const perRequest = (us) => us / 1000 / requests;
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, msPerRequest: perRequest(us), share: us / busy }));
  const wasmTop = sorted(wasmFunctions).slice(0, 25);
  const plain = demangle(wasmTop.map((f) => f.name));
  wasmTop.forEach((f, i) => (f.name = shortCpp(plain[i] || f.name)));
  return { busyMsPerRequest: perRequest(busy), categories: sorted(categories), topFunctions: sorted(functions).slice(0, 25), wasmTopFunctions: wasmTop };
}

const fmt = (v, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : "-");

function report(title, runsByKey, lines) {
  lines.push("");
  lines.push(title);
  for (const key of ["cpp", "js"]) {
    const runs = runsByKey[key];
    if (!runs) continue;
    const avg = (list, name) => runs.reduce((s, r) => s + (r[list].find((o) => o.name === name)?.msPerRequest ?? 0), 0) / runs.length;
    lines.push("");
    lines.push(`  ${key === "cpp" ? "C++ Worker" : "JS baseline"}: ${runs.map((r) => fmt(r.busyMsPerRequest)).join(" / ")} ms per request (runs)`);
    const names = [...new Set(runs.flatMap((r) => r.categories.map((o) => o.name)))].sort((a, b) => avg("categories", b) - avg("categories", a));
    for (const name of names.filter((n) => avg("categories", n) >= 0.002)) lines.push(`    ${fmt(avg("categories", name))} ms  ${name}`);
    if (key === "cpp") {
      lines.push("    C++ functions, self time (mean of runs):");
      const fns = [...new Set(runs.flatMap((r) => r.wasmTopFunctions.map((o) => o.name)))].sort((a, b) => avg("wasmTopFunctions", b) - avg("wasmTopFunctions", a));
      for (const name of fns.slice(0, 15)) lines.push(`      ${fmt(avg("wasmTopFunctions", name))} ms  ${name}`);
    }
  }
}

async function main() {
  const { state, workers } = await prepare();
  if (NAMED) {
    const named = namedWasm();
    for (const w of workers.filter((x) => x.key === "cpp" || x.key === "inw")) {
      // The bundle holds both modules under hashed names: replace the app's, found by its size.
      const appBytes = statSync(path.join(ROOT, "build/wasm/app.opt.wasm")).size;
      const target = readdirSync(w.bundleDir).find((f) => f.endsWith(".wasm") && statSync(path.join(w.bundleDir, f)).size === appBytes);
      if (!target) throw new Error(`no copy of build/wasm/app.opt.wasm in ${w.bundleDir}`);
      copyFileSync(named, path.join(w.bundleDir, target));
    }
    log("profiling a copy of the module with function names");
  }
  const host = await startHost({ state, workers, inspector: true });
  const inspectorBase = host.inspector.replace(/^ws/, "http");
  const targets = await (await fetch(new URL("/json/list", inspectorBase))).json();
  const targetOf = (w) => {
    const t = targets.find((x) => x.id === `core:user:${w.name}`);
    if (!t) throw new Error(`no inspector target for ${w.name}`);
    return t.webSocketDebuggerUrl;
  };
  const byKey = Object.fromEntries(workers.map((w) => [w.key, w]));
  const out = { requests: REQUESTS, samplingIntervalUs: INTERVAL_US, namedWasm: NAMED, handler: {}, http: {} };
  try {
    // timings first, without the profiler: the price of entering C++ through JSPI, and the fixed
    // cost (a route with no binding call) against /api/health, per request
    const inw = byKey.inw;
    const time = async (route) => {
      const r = await fetchOnce(`${host.urls[inw.name]}/${route}`, 300_000);
      if (r.status !== 200) throw new Error(`${route}: ${r.status} ${r.body}`);
      const j = JSON.parse(r.body);
      return j.ms / j.n;
    };
    const timed = {
      "GET /api/config, shim path, via WebAssembly.promising": "bridge?mode=promising&n=500",
      "GET /api/config, shim path, raw export called directly": "bridge?mode=direct&n=500",
      "C++ Worker fetch handler, GET /api/config": "handler?worker=cpp&n=500&path=/api/config",
      "C++ Worker fetch handler, GET /api/health": "handler?worker=cpp&n=500",
      "JS baseline fetch handler, GET /api/health": "handler?worker=js&n=500",
    };
    const samples = Object.fromEntries(Object.keys(timed).map((k) => [k, []]));
    for (const route of Object.values(timed)) await time(route); // warm-up
    for (let i = 0; i < 10; i++) {
      const names = Object.keys(timed);
      for (const name of i % 2 ? names.reverse() : names) samples[name].push(await time(timed[name]));
    }
    out.timings = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]]));
    log("timed the bridge");

    // handler view: everything runs in the in-workerd isolate
    const inwMap = bundleFileMap(path.join(inw.bundleDir, "worker.js"), path.dirname(inw.config));
    const handlerUrl = (key) => `${host.urls[inw.name]}/handler?worker=${key}&n=${REQUESTS}`;
    for (const key of ["cpp", "js"]) await fetchOnce(handlerUrl(key), 300_000); // warm-up
    for (const key of ["cpp", "js", "js", "cpp"]) {
      const { profile, result } = await profiled(targetOf(inw), () => fetchOnce(handlerUrl(key), 300_000));
      if (result.status !== 200) throw new Error(`handler ${key}: ${result.status} ${result.body}`);
      const a = analyze(profile, inwMap, REQUESTS);
      a.wallMsPerRequest = JSON.parse(result.body).ms / REQUESTS;
      (out.handler[key] ??= []).push(a);
      log(`handler ${key}: ${fmt(a.busyMsPerRequest)} ms sampled per request`);
    }
    // http view: each Worker's own isolate
    for (const key of HTTP_VIEW ? ["cpp", "js", "js", "cpp"] : []) {
      const w = byKey[key];
      const url = `${host.urls[w.name]}/api/health`;
      const agent = makeAgent(1);
      const check = (r) => r.status === 200;
      await runLoad({ url, count: 200, concurrency: 1, agent, check });
      const { profile, result: r } = await profiled(targetOf(w), () =>
        runLoad({ url, count: REQUESTS, concurrency: 1, agent, check, deadline: Date.now() + 300_000 }));
      agent.destroy();
      if (r.errors) throw new Error(`${key}: ${r.errors} errors, first ${r.firstError}`);
      const a = analyze(profile, bundleFileMap(path.join(w.bundleDir, "worker.js"), path.dirname(w.config)), r.latencies.length);
      a.latency = summarize(r.latencies, r.wallMs);
      (out.http[key] ??= []).push(a);
      log(`http ${key}: ${fmt(a.busyMsPerRequest)} ms sampled per request (p50 ${fmt(a.latency.p50, 2)} ms under the profiler)`);
    }
  } finally {
    for (const session of sessions.values()) session.close();
    await host.stop();
  }
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(out, null, 2)}\n`);

  const lines = [];
  lines.push("");
  lines.push("Per request inside workerd, median of 10 batches of 500, no profiler (workerd's clock ticks in 1 ms):");
  for (const [name, ms] of Object.entries(out.timings)) lines.push(`  ${fmt(ms)} ms  ${name}`);
  report(`Own CPU per GET /api/health, fetch handler called in-process with in-memory D1/R2/KV (${REQUESTS} requests, self time):`, out.handler, lines);
  report(`Worker isolate per GET /api/health served over loopback with the local D1/R2/KV (${REQUESTS} requests at concurrency 1, self time):`, out.http, lines);
  lines.push("");
  lines.push(`results: ${path.relative(ROOT, RESULTS)}${NAMED ? "" : " (BENCH_PROFILE_NAMED=1 names the C++ functions)"}`);
  console.log(lines.join("\n"));
}

main()
  .catch((e) => {
    console.error(`profile: ${e?.stack ?? e}`);
    process.exitCode = 1;
  })
  .finally(cleanupSync);
