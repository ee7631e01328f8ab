// `make bench-entry`: only the in-workerd handler comparison of `make bench` (step 4 of bench/run.js),
// repeated, for work on the entry path (issue 10, item 7). Each Worker's own CPU per GET /api/health
// inside workerd — bench/in-workerd/worker.js calls js-shim/worker.js and bench/js-baseline/worker.js
// in-process with in-memory D1/R2/KV, so no socket and no storage simulator is timed — and C++
// GET /api/config (no binding call: the fixed cost of entering C++ at all), side by side in one run,
// alternating. The run is repeated BENCH_ENTRY_RUNS times, each preceded by the quiet-machine wait and
// noted with the load average and what else ran, so the spread between runs is part of the report.
//   BENCH_ENTRY_RUNS=3 BENCH_HANDLER_SAMPLES=15 BENCH_HANDLER_BATCH=200 BENCH_QUIET_WAIT_S=120
// Writes bench/results/entry.json.
import { mkdirSync, writeFileSync } from "node:fs";
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
const BATCH = Math.min(int("BENCH_HANDLER_BATCH", 200), 5000);
const QUIET_WAIT_S = int("BENCH_QUIET_WAIT_S", 120, 0);
const RESULTS = path.join(ROOT, "bench/results/entry.json");
const TARGET_RATIO = 2;

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
  const handler = async (query) => {
    const r = await fetchOnce(`${base}/handler?${query}`, 300_000);
    if (r.status !== 200) throw new Error(`handler ${query}: ${r.status} ${r.body.slice(0, 2000)}`);
    const j = JSON.parse(r.body);
    return j.ms / j.n;
  };
  const queries = {
    cpp: `worker=cpp&n=${BATCH}`,
    js: `worker=js&n=${BATCH}`,
    cppConfig: `worker=cpp&n=${BATCH}&path=/api/config`,
  };
  const runs = [];
  try {
    for (const key of ["cpp", "js", "cppConfig", "cpp", "js", "cppConfig"]) await handler(queries[key]); // warm-up
    for (let run = 0; run < RUNS; run++) {
      const foreignBefore = await waitForQuiet(host.pid, workerd, QUIET_WAIT_S);
      const loadBefore = os.loadavg();
      const meter = foreignMeter(host.pid, workerd);
      const sampler = startMachineSampler({ ours: () => [host.pid, ...workerd] });
      const ms = { cpp: [], js: [], cppConfig: [] };
      for (let i = 0; i < SAMPLES; i++) {
        const order = ["cpp", "js", "cppConfig"];
        for (const key of i % 2 ? order.reverse() : order) ms[key].push(await handler(queries[key]));
      }
      const foreignShare = meter();
      const others = sampler.stop();
      const r = {
        cpp: spread(ms.cpp),
        js: spread(ms.js),
        cppConfigRoute: spread(ms.cppConfig),
        loadAverage1mBefore: loadBefore[0],
        loadAverage1mAfter: os.loadavg()[0],
        foreignCpuShareBefore: foreignBefore,
        foreignCpuShare: foreignShare,
        others: others.top.slice(0, 8),
        othersText: describeOthers(others),
      };
      r.ratio = r.cpp.medianMs / r.js.medianMs;
      runs.push(r);
      log(`run ${run + 1}/${RUNS}: C++ ${fmt(r.cpp.medianMs)} ms, JS ${fmt(r.js.medianMs)} ms = ${fmt(r.ratio, 2)}x; ` +
        `C++ /api/config ${fmt(r.cppConfigRoute.medianMs)} ms; load ${fmt(loadBefore[0], 2)}, others ${fmt(100 * foreignShare, 0)}% CPU`);
    }
  } finally {
    await host.stop();
  }
  const out = { when: new Date().toISOString(), runs: RUNS, samples: SAMPLES, batch: BATCH, cpus: os.cpus().length, targetRatio: TARGET_RATIO, results: runs };
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(out, null, 2)}\n`);

  const lines = [""];
  lines.push(`Own CPU per request inside workerd, in-memory bindings; per run the median (p10–p90) of ${SAMPLES} batches of ${BATCH}:`);
  lines.push("run  C++ /api/health          JS /api/health           C++/JS  C++ /api/config          load 1m  others' CPU");
  runs.forEach((r, i) => {
    const cell = (s) => `${fmt(s.medianMs)} (${fmt(s.p10Ms)}–${fmt(s.p90Ms)})`.padEnd(24);
    lines.push(`${String(i + 1).padEnd(4)} ${cell(r.cpp)} ${cell(r.js)} ${`${fmt(r.ratio, 2)}x`.padEnd(7)} ${cell(r.cppConfigRoute)} ` +
      `${fmt(r.loadAverage1mBefore, 2).padEnd(8)} ${fmt(100 * r.foreignCpuShare, 0)}%: ${r.othersText}`);
  });
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
