// `make bench-imaging`: thumbnails inside workerd, our C++ vs @cf-wasm/photon (Rust/Wasm), side by side
// in one run. For each input — a 1024 x 1024 PNG (what Nano Banana returns) and a 4000 x 3000 baseline
// JPEG at quality 90 (a 12-megapixel phone photo), both photo-like and made at bench time by the bench
// reactor (bench/imaging/photo_sample.h), written to bench/results/imaging-inputs/ — it times decode +
// resize (longest side 384) + JPEG encode:
//   cpp     ProbeImage + MakeThumbnail (src/imaging) in a bench-only reactor built with the app's flags
//   photon  PhotonImage.new_from_byteslice + resize(Triangle) + get_bytes_jpeg(82)
// in bench/imaging-workerd/worker.js, served by one programmatic Miniflare (bench/lib/host.js). Each
// request makes a batch of thumbnails (workerd's clock ticks in ms) and checks their JPEG size; cpp and
// photon alternate A-B-B-A after a warm-up. Photon with Lanczos3 is timed too, for reference.
// Targets: cpp <= 1.0x photon (Triangle) on both inputs, cpp <= 50 ms for the PNG.
// Writes bench/results/imaging.json and prints a table. See docs/benchmarks-imaging.md.
// Knobs (environment): BENCH_ROUNDS=4 (A-B-B-A rounds per input), BENCH_PNG_BATCH=8, BENCH_JPEG_BATCH=3.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, childPids, cleanupSync, cpuMs, log, machineBusyMs, startHost, tempDir, wrangler } from "./lib/harness.js";
import { median } from "./lib/load.js";

const CONFIG = "bench/imaging-workerd/wrangler.toml";
const RESULTS = path.join(ROOT, "bench/results/imaging.json");
const INPUT_DIR = path.join(ROOT, "bench/results/imaging-inputs");
const TARGETS = { ratio: 1.0, pngMs: 50 };
const int = (name, dflt) => {
  const v = Number(process.env[name] ?? dflt);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be an integer >= 1`);
  return v;
};
const ROUNDS = int("BENCH_ROUNDS", 4);
// grain: noise half-range in levels, chosen so the files weigh what real ones do (about 2 MB for a
// Gemini 1024 x 1024 PNG, about 3.5 MB for a 12-megapixel phone JPEG); see docs/benchmarks-imaging.md.
const INPUTS = [
  { key: "png1024", file: "png1024.png", kind: 0, width: 1024, height: 1024, quality: 0, grain: 2, batch: int("BENCH_PNG_BATCH", 8) },
  { key: "jpeg12mp", file: "jpeg12mp.jpg", kind: 1, width: 4000, height: 3000, quality: 90, grain: 20, batch: int("BENCH_JPEG_BATCH", 3) },
];

// Same runtime settings as the app, or the figures say nothing about it.
function checkCompat() {
  const read = (file) => {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    return `${/^compatibility_date\s*=\s*"([^"]+)"/m.exec(text)?.[1]} [${/^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(text)?.[1]?.replace(/\s+/g, "") ?? ""}]`;
  };
  const app = read("wrangler.toml");
  const bench = read(CONFIG);
  if (app !== bench) throw new Error(`${CONFIG} has compatibility ${bench} but wrangler.toml has ${app}: make them equal`);
  return app;
}

function buildReactor() {
  log("building the bench reactor (bench/imaging/build-reactor.sh)");
  const r = spawnSync("bash", ["bench/imaging/build-reactor.sh"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error("bench/imaging/build-reactor.sh failed");
  return path.join(ROOT, r.stdout.trim().split("\n").pop());
}

// The inputs, made by the reactor's own encoder (stb_image_write) from bench/imaging/photo_sample.h.
function makeInputs(reactorPath) {
  const exports = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(reactorPath)), {}).exports;
  exports._initialize();
  mkdirSync(INPUT_DIR, { recursive: true });
  for (const input of INPUTS) {
    const length = exports.nb_bench_make_input(input.kind, input.width, input.height, input.quality, input.grain);
    if (length < 0) throw new Error(`could not make ${input.key}`);
    input.bytes = new Uint8Array(exports.memory.buffer, exports.nb_bench_output(), length).slice();
    input.path = path.join(INPUT_DIR, input.file);
    writeFileSync(input.path, input.bytes);
    log(`${input.key}: ${input.width} x ${input.height}, ${input.bytes.length} bytes -> ${path.relative(ROOT, input.path)}`);
  }
}

// The workerd processes, for their CPU time (/proc, 10 ms ticks): wall time in the isolate counts
// waiting for a core too when other work shares the machine; CPU time does not.
let workerdPids = [];

async function thumb(url, input, impl, n, filter = "triangle") {
  const cpu0 = cpuMs(workerdPids);
  const r = await fetch(`${url}/thumb?impl=${impl}&n=${n}&filter=${filter}`, { method: "POST", body: input.bytes });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`${impl} on ${input.key}: ${r.status} ${text}`);
  // Includes receiving the request body and answering: a few ms a request, spread over the batch.
  return { ...JSON.parse(text), cpuMsPerThumb: (cpuMs(workerdPids) - cpu0) / n };
}

async function benchInput(url, input) {
  log(`${input.key}: warm-up, then ${ROUNDS} A-B-B-A rounds of ${input.batch} thumbnails a request`);
  // Warm-up: V8 compiles wasm with Liftoff first and tiers hot functions up to TurboFan in the background.
  for (const impl of ["cpp", "photon", "cpp", "photon"]) await thumb(url, input, impl, input.batch);
  const samples = { cpp: [], photon: [] };
  const cpu = { cpp: [], photon: [] };
  const last = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const impl of round % 2 === 0 ? ["cpp", "photon", "photon", "cpp"] : ["photon", "cpp", "cpp", "photon"]) {
      const r = await thumb(url, input, impl, input.batch);
      samples[impl].push(r.msPerThumb);
      cpu[impl].push(r.cpuMsPerThumb);
      last[impl] = r;
    }
  }
  // Reference only: photon's best-looking filter, after the comparison so it cannot disturb it.
  const lanczos = [];
  const lanczosCpu = [];
  await thumb(url, input, "photon", 1, "lanczos3");
  for (let i = 0; i < 3; i++) {
    last.photonLanczos3 = await thumb(url, input, "photon", input.batch, "lanczos3");
    lanczos.push(last.photonLanczos3.msPerThumb);
    lanczosCpu.push(last.photonLanczos3.cpuMsPerThumb);
  }
  const row = (impl, values, cpuValues, r) => ({ impl, filter: r.filter, medianMs: median(values), samplesMs: values,
    cpuMedianMs: median(cpuValues), cpuSamplesMs: cpuValues, batch: input.batch,
    thumbnail: { width: r.width, height: r.height, bytes: r.bytes }, memoryPagesAfter: r.memoryPages });
  const cpp = row("cpp", samples.cpp, cpu.cpp, last.cpp);
  const photon = row("photon", samples.photon, cpu.photon, last.photon);
  return {
    input: { key: input.key, width: input.width, height: input.height, bytes: input.bytes.length, file: path.relative(ROOT, input.path) },
    cpp, photon, photonLanczos3: row("photon", lanczos, lanczosCpu, last.photonLanczos3),
    ratio: cpp.medianMs / photon.medianMs,
    cpuRatio: cpp.cpuMedianMs / photon.cpuMedianMs,
  };
}

const fmt = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : "n/a");

function printTable(results) {
  const lines = ["", "input      impl (filter)          ms/thumb  CPU ms  thumbnail        wasm memory after", "-".repeat(90)];
  for (const r of results) {
    for (const x of [r.cpp, r.photon, r.photonLanczos3]) {
      lines.push(`${r.input.key.padEnd(10)} ${`${x.impl} (${x.filter})`.padEnd(22)} ${fmt(x.medianMs).padStart(8)}  ${fmt(x.cpuMedianMs).padStart(6)}  ` +
        `${`${x.thumbnail.width}x${x.thumbnail.height} ${(x.thumbnail.bytes / 1024).toFixed(1)} KB`.padEnd(16)} ` +
        `${x.memoryPagesAfter} pages (${fmt((x.memoryPagesAfter * 65536) / 1048576)} MB)`);
    }
    lines.push(`${r.input.key.padEnd(10)} ratio cpp/photon ${fmt(r.ratio, 2)} wall, ${fmt(r.cpuRatio, 2)} CPU (target <= ${TARGETS.ratio})`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

async function main() {
  const compat = checkCompat();
  const reactor = buildReactor();
  makeInputs(reactor);
  const dir = tempDir();
  const bundleDir = path.join(dir, "bundle-imaging");
  log("bundling with wrangler deploy --dry-run");
  await wrangler(["deploy", "--dry-run", "--outdir", bundleDir, "--config", CONFIG]);
  const host = await startHost({ state: path.join(dir, "state"), workers: [{ name: "nb-bench-imaging", bundleDir, config: CONFIG }] });
  const url = host.urls["nb-bench-imaging"];
  workerdPids = childPids(host.pid, "workerd");
  const results = [];
  const busy0 = machineBusyMs();
  const own0 = cpuMs(workerdPids);
  const t0 = performance.now();
  let foreignCpuShare = NaN;
  try {
    for (const input of INPUTS) results.push(await benchInput(url, input));
  } finally {
    // Other processes' share of the machine's cores while the bench ran (this script's own is small).
    foreignCpuShare = (machineBusyMs() - busy0 - (cpuMs(workerdPids) - own0)) / ((performance.now() - t0) * os.cpus().length);
    await host.stop();
  }
  const png = results.find((r) => r.input.key === "png1024");
  const targets = {
    ratioPerInput: Object.fromEntries(results.map((r) => [r.input.key, { ratio: r.ratio, met: r.ratio <= TARGETS.ratio }])),
    png1024Ms: { ms: png.cpp.medianMs, target: TARGETS.pngMs, met: png.cpp.medianMs <= TARGETS.pngMs },
  };
  const photonVersion = JSON.parse(readFileSync(path.join(ROOT, "node_modules/@cf-wasm/photon/package.json"), "utf8")).version;
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify({
    when: new Date().toISOString(),
    runtime: `workerd via one programmatic Miniflare, compatibility ${compat}`,
    photon: `@cf-wasm/photon ${photonVersion}`,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadavg: os.loadavg(), foreignCpuShare },
    method: "median of per-request ms/thumbnail (batch timed, divided); cpp and photon alternate A-B-B-A after a warm-up",
    results, targets,
  }, null, 2)}\n`);
  printTable(results);
  log(`other processes used ${fmt(foreignCpuShare * 100, 0)}% of the machine's cores meanwhile`);
  log(`targets: ${JSON.stringify(targets)}`);
  log(`wrote ${path.relative(ROOT, RESULTS)}`);
}

main().catch((e) => {
  process.stderr.write(`bench/imaging: ${e?.stack ?? e}\n`);
  cleanupSync();
  process.exit(1);
});
