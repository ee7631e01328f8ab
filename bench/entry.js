// `make bench-entry`: only the in-workerd handler comparison of `make bench` (step 4 of bench/run.js),
// repeated, for work on the entry path (issue 10, item 7). Each Worker's own CPU per GET /api/health
// inside workerd — bench/in-workerd/worker.js calls js-shim/worker.js and bench/js-baseline/worker.js
// in-process with in-memory D1/R2/KV, so no socket and no storage simulator is timed — and C++
// GET /api/config (no binding call: the fixed cost of entering C++ at all), side by side in one run,
// alternating. The run is repeated BENCH_ENTRY_RUNS times, each preceded by the quiet-machine wait and
// noted with the load average and what else ran, so the spread between runs is part of the report.
// Per request it reports workerd's CPU time (its threads' scheduler accounting, read around each batch;
// a batch is one bench request running N handler calls, so that request's own cost is spread over N)
// and, as bench/run.js does, the batch's wall time by workerd's clock.
//   BENCH_ENTRY_RUNS=3 BENCH_HANDLER_SAMPLES=15 BENCH_HANDLER_BATCH=500 BENCH_QUIET_WAIT_S=120
// Writes bench/results/entry.json.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, childPids, cleanupSync, log, prepare, startHost } from "./lib/harness.js";
import { fetchOnce, median, percentile } from "./lib/load.js";
import { describeOthers, startMachineSampler } from "./lib/machine.js";
import { foreignMeter, waitForQuiet } from "./lib/quiet.js";

const int = (name, dflt, min = 1) => {
  const v = Number(process.env[name] ?? dflt);
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer >= ${min}`);
  return v;
};
const RUNS = int("BENCH_ENTRY_RUNS", 3);
const SAMPLES = int("BENCH_HANDLER_SAMPLES", 15);
const BATCH = Math.min(int("BENCH_HANDLER_BATCH", 500), 5000);
const QUIET_WAIT_S = int("BENCH_QUIET_WAIT_S", 120, 0);
const RESULTS = path.join(ROOT, "bench/results/entry.json");
const TARGET_RATIO = 2;

// CPU time workerd's threads have run, in ms, from the scheduler's own nanosecond accounting
// (/proc/<pid>/task/<tid>/schedstat): unlike the batch's wall time inside workerd, it does not grow
// while other processes hold the cores, which on a 2-core machine shared with builds is most of the time.
function runNs(pids) {
  let ns = 0;
  for (const pid of pids) {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      } catch {}
    }
  }
  return ns;
}

const fmt = (v, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : "-");
const spread = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { medianMs: median(sorted), p10Ms: percentile(sorted, 10), p90Ms: percentile(sorted, 90) };
};

async function main() {
  const { state, workers } = await prepare({ only: ["inw"] });
  const host = await startHost({ state, workers });
  const base = host.urls[workers[0].name];
  const workerd = childPids(host.pid, "workerd");
  // Per request: workerd's CPU ms (the figure to trust on a busy machine) and the wall ms inside workerd.
  const handler = async (query) => {
    const before = runNs(workerd);
    const r = await fetchOnce(`${base}/${query.includes("?") ? query : `handler?${query}`}`, 300_000);
    const cpuNs = runNs(workerd) - before;
    if (r.status !== 200) throw new Error(`handler ${query}: ${r.status} ${r.body.slice(0, 2000)}`);
    const j = JSON.parse(r.body);
    return { cpu: cpuNs / 1e6 / j.n, wall: j.ms / j.n };
  };
  const queries = {
    cpp: `worker=cpp&n=${BATCH}`,
    js: `worker=js&n=${BATCH}`,
    cppConfig: `worker=cpp&n=${BATCH}&path=/api/config`,
  };
  // Where the C++ path's time goes, GET /api/config built up step by step (CPU ms per request).
  const steps = {
    "C++ alone: head in, nb_handle_request via WebAssembly.promising, reply head out": `bridge?mode=promising&n=${BATCH}`,
    "+ WasmInstance.request (head written, body copied out)": `reply?stage=request&n=${BATCH}`,
    "+ new Response(...).text(), which the JS baseline pays too": `reply?stage=response&n=${BATCH}`,
    "the C++ Worker's fetch handler (+ Request, URL, memory budget, pool)": `handler?${queries.cppConfig}`,
  };
  const runs = [];
  let breakdown = {};
  try {
    for (const key of ["cpp", "js", "cppConfig", "cpp", "js", "cppConfig"]) await handler(queries[key]); // warm-up
    for (let run = 0; run < RUNS; run++) {
      const foreignBefore = await waitForQuiet(host.pid, workerd, QUIET_WAIT_S);
      const loadBefore = os.loadavg();
      const meter = foreignMeter(host.pid, workerd);
      const sampler = startMachineSampler({ ours: () => [host.pid, ...workerd] });
      const ms = { cpp: [], js: [], cppConfig: [] };
      const wall = { cpp: [], js: [], cppConfig: [] };
      for (let i = 0; i < SAMPLES; i++) {
        const order = ["cpp", "js", "cppConfig"];
        for (const key of i % 2 ? order.reverse() : order) {
          const t = await handler(queries[key]);
          ms[key].push(t.cpu);
          wall[key].push(t.wall);
        }
      }
      const foreignShare = meter();
      const others = sampler.stop();
      const r = {
        cpp: spread(ms.cpp),
        js: spread(ms.js),
        cppConfigRoute: spread(ms.cppConfig),
        wall: { cpp: spread(wall.cpp), js: spread(wall.js), cppConfigRoute: spread(wall.cppConfig) },
        loadAverage1mBefore: loadBefore[0],
        loadAverage1mAfter: os.loadavg()[0],
        foreignCpuShareBefore: foreignBefore,
        foreignCpuShare: foreignShare,
        others: others.top.slice(0, 8),
        othersText: describeOthers(others),
      };
      r.ratio = r.cpp.medianMs / r.js.medianMs;
      r.wall.ratio = r.wall.cpp.medianMs / r.wall.js.medianMs;
      runs.push(r);
      log(`run ${run + 1}/${RUNS}: C++ ${fmt(r.cpp.medianMs)} ms, JS ${fmt(r.js.medianMs)} ms = ${fmt(r.ratio, 2)}x; ` +
        `C++ /api/config ${fmt(r.cppConfigRoute.medianMs)} ms (CPU); wall inside workerd ${fmt(r.wall.ratio, 2)}x; load ${fmt(loadBefore[0], 2)}, others ${fmt(100 * foreignShare, 0)}% CPU`);
    }
    for (const q of Object.values(steps)) await handler(q);
    const stepMs = Object.fromEntries(Object.keys(steps).map((k) => [k, []]));
    for (let i = 0; i < SAMPLES; i++) for (const [k, q] of Object.entries(steps)) stepMs[k].push((await handler(q)).cpu);
    breakdown = Object.fromEntries(Object.entries(stepMs).map(([k, v]) => [k, spread(v)]));
  } finally {
    await host.stop();
  }
  const out = { when: new Date().toISOString(), runs: RUNS, samples: SAMPLES, batch: BATCH, cpus: os.cpus().length, targetRatio: TARGET_RATIO, results: runs, breakdown };
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(out, null, 2)}\n`);

  const lines = [""];
  lines.push(`workerd CPU ms per request (scheduler time of its threads), in-memory bindings; per run the median (p10–p90) of ${SAMPLES} batches of ${BATCH}:`);
  lines.push("run  C++ /api/health          JS /api/health           C++/JS  C++ /api/config          load 1m  others' CPU");
  runs.forEach((r, i) => {
    const cell = (s) => `${fmt(s.medianMs)} (${fmt(s.p10Ms)}–${fmt(s.p90Ms)})`.padEnd(24);
    lines.push(`${String(i + 1).padEnd(4)} ${cell(r.cpp)} ${cell(r.js)} ${`${fmt(r.ratio, 2)}x`.padEnd(7)} ${cell(r.cppConfigRoute)} ` +
      `${fmt(r.loadAverage1mBefore, 2).padEnd(8)} ${fmt(100 * r.foreignCpuShare, 0)}%: ${r.othersText}`);
  });
  lines.push("The same batches by workerd's own clock (wall time inside workerd, which grows whenever other processes hold the cores):");
  runs.forEach((r, i) => lines.push(`${String(i + 1).padEnd(4)} C++ ${fmt(r.wall.cpp.medianMs)}  JS ${fmt(r.wall.js.medianMs)}  ${fmt(r.wall.ratio, 2)}x  C++ /api/config ${fmt(r.wall.cppConfigRoute.medianMs)}`));
  lines.push(`GET /api/config through the C++ path, step by step (workerd CPU ms per request, median of ${SAMPLES} batches):`);
  for (const [k, v] of Object.entries(breakdown)) lines.push(`  ${fmt(v.medianMs)} (${fmt(v.p10Ms)}–${fmt(v.p90Ms)})  ${k}`);
  const ratios = runs.map((r) => r.ratio);
  lines.push(`C++/JS over ${RUNS} runs: ${fmt(Math.min(...ratios), 2)}x–${fmt(Math.max(...ratios), 2)}x, median ${fmt(median(ratios), 2)}x (target <= ${TARGET_RATIO}x)`);
  lines.push(`results: ${path.relative(ROOT, RESULTS)}`);
  console.log(lines.join("\n"));
}

main()
  .catch((e) => {
    console.error(`bench-entry: ${e?.stack ?? e}`);
    process.exitCode = 1;
  })
  .finally(cleanupSync);
