// `make bench-imaging`: thumbnails inside workerd, our C++ vs @cf-wasm/photon (Rust/Wasm), side by side
// in one run. Six photo-like inputs are made at bench time by tests/support/photos.js (PNG by our own
// writer, JPEG by Debian's cjpeg, WebP by Debian's cwebp) and written to bench/results/imaging-inputs/:
//   png1024      1024 x 1024 RGB PNG, ~2 MB (what Nano Banana returns)
//   webp2048     2048 x 2048 lossy WebP (cwebp -q 80)
//   jpeg12mp     4000 x 3000 baseline JPEG, quality 90, ~3.5 MB (a 12-megapixel phone photo)
//   jpeg12mp-progressive   the same picture as a progressive JPEG
//   png4000      4000 x 4000 RGB PNG without grain, ~8.6 MB
//   jpeg40mp     7296 x 5472 JPEG, quality 96 (lowered in steps until <= 10 MB), grain 30, ~9.4 MB
// For each it times the whole thumbnail job (decode, resize to longest side 384, encode):
//   cpp     js-shim/codec_runner.js thumbnail(): the Worker's production path, a fresh codec.wasm
//           instance per thumbnail in an imported memory the isolate's codec lane admits
//   photon  PhotonImage.new_from_byteslice + resize(Triangle) + get_bytes_jpeg(82)
// in bench/imaging-workerd/worker.js, served by one programmatic Miniflare (bench/lib/host.js). Each
// request makes a batch of thumbnails (workerd's clock ticks in ms) and checks the result's size; cpp
// and photon alternate A-B-B-A after a warm-up. Photon with Lanczos3 is timed too on the two inputs of
// earlier runs, for reference.
// workingBytes: what the app passes, PlanThumbnail's working_bytes for the image, read from the codec
// module's nb_codec_plan export (the same plan code the app module compiles) in one calibration run per
// input, which also reads the engine's own heap peak (the result record's peak_heap_bytes) to report
// beside the memory each instance ended at. BENCH_WORKING_BYTES=N passes N for every input instead
// (a codec instance grows only as far as its decode needs, so neither time nor memory depends on it
// as long as it is enough); a module without nb_codec_plan gets 16 MiB.
// Targets: cpp / photon <= 0.25 on jpeg12mp, <= 0.5 on png1024 and on every input.
// Writes bench/results/imaging.json and prints a table; docs/benchmarks-imaging.md.
// Knobs (environment): BENCH_ROUNDS=4 (A-B-B-A rounds per input), BENCH_BATCH_SCALE=1 (multiplies
// every batch), BENCH_ONLY=key,key (a subset of the inputs), BENCH_QUIET_WAIT_S=60,
// BENCH_WORKING_BYTES (unset: the plan's figure).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { photoJpeg, photoPng, photoWebp } from "../tests/support/photos.js";
import { ROOT, childPids, cleanupSync, cpuMs, log, machineBusyMs, startHost, tempDir, wrangler } from "./lib/harness.js";
import { median } from "./lib/load.js";
import { describeOthers, startMachineSampler } from "./lib/machine.js";
import { waitForQuiet } from "./lib/quiet.js";

const CONFIG = "bench/imaging-workerd/wrangler.toml";
const CODEC = path.join(ROOT, "build/wasm/codec.opt.wasm");
const RESULTS = path.join(ROOT, "bench/results/imaging.json");
const INPUT_DIR = path.join(ROOT, "bench/results/imaging-inputs");
const TARGETS = { every: 0.5, png1024: 0.5, jpeg12mp: 0.25 };
const MiB = 1024 * 1024;
const int = (name, dflt, min = 1) => {
  const v = Number(process.env[name] ?? dflt);
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer >= ${min}`);
  return v;
};
const ROUNDS = int("BENCH_ROUNDS", 4);
const BATCH_SCALE = int("BENCH_BATCH_SCALE", 1);
const QUIET_WAIT_S = int("BENCH_QUIET_WAIT_S", 60, 0);
const WORKING_BYTES_OVERRIDE = process.env.BENCH_WORKING_BYTES === undefined ? null : int("BENCH_WORKING_BYTES", 0, 0);
const FALLBACK_WORKING_BYTES = 16 * MiB;
// codec_runner.js's memory maximum for one thumbnail (its CODEC_BASE_BYTES and SLACK_BYTES).
const codecLimitBytes = (inputBytes, workingBytes) => Math.ceil((2 * MiB + inputBytes + 65536 + workingBytes + MiB) / 65536) * 65536;

// Smallest first: photon keeps one module memory for the isolate and it never shrinks, so in this order
// the growth during an input is what that input needed beyond the ones before it.
// grain: noise half-range in levels, chosen so the files weigh what real ones do.
const INPUTS = [
  { key: "png1024", file: "png1024.png", width: 1024, height: 1024, batch: 8, lanczos: true,
    make: () => photoPng(1024, 1024, { grain: 12 }), what: "RGB PNG, grain 12, zlib level 6" },
  { key: "webp2048", file: "webp2048.webp", width: 2048, height: 2048, batch: 4,
    make: () => photoWebp(2048, 2048, { quality: 80 }), what: "lossy WebP, cwebp -q 80, grain 6" },
  { key: "jpeg12mp", file: "jpeg12mp.jpg", width: 4000, height: 3000, batch: 3, lanczos: true,
    make: () => photoJpeg(4000, 3000, { quality: 90, grain: 23 }), what: "baseline JPEG, cjpeg -quality 90 -optimize, 4:2:0, grain 23" },
  { key: "jpeg12mp-progressive", file: "jpeg12mp-progressive.jpg", width: 4000, height: 3000, batch: 3,
    make: () => photoJpeg(4000, 3000, { quality: 90, grain: 23, progressive: true }), what: "progressive JPEG, cjpeg -quality 90 -progressive -optimize, grain 23" },
  { key: "png4000", file: "png4000.png", width: 4000, height: 4000, batch: 1,
    make: () => photoPng(4000, 4000, { grain: 0 }), what: "RGB PNG, no grain, zlib level 6" },
  { key: "jpeg40mp", file: "jpeg40mp.jpg", width: 7296, height: 5472, batch: 1,
    make: () => photoJpeg(7296, 5472, { quality: 96, grain: 30, maxBytes: 10_000_000 }), what: "baseline JPEG, cjpeg -quality 96 (stepped down to fit 10 MB) -optimize, grain 30" },
].filter((i) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(",").includes(i.key));

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

function makeInputs() {
  mkdirSync(INPUT_DIR, { recursive: true });
  for (const input of INPUTS) {
    const t0 = performance.now();
    input.bytes = new Uint8Array(input.make());
    input.batch *= BATCH_SCALE;
    input.path = path.join(INPUT_DIR, input.file);
    writeFileSync(input.path, input.bytes);
    log(`${input.key}: ${input.width} x ${input.height}, ${input.bytes.length} bytes (${((performance.now() - t0) / 1000).toFixed(1)} s) -> ${path.relative(ROOT, input.path)}`);
  }
}

// The workerd processes, for their CPU time (/proc, 10 ms ticks): wall time in the isolate counts
// waiting for a core too when other work shares the machine; CPU time does not.
let workerdPids = [];
let photonBroken = false; // photon failed on an earlier input: its instance may be poisoned

async function post(url, route, body) {
  const r = await fetch(`${url}${route}`, { method: "POST", body });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`${route}: ${r.status} ${text.slice(0, 3000)}`);
  return JSON.parse(text);
}

async function thumb(url, input, impl, n, filter = "triangle") {
  const cpu0 = cpuMs(workerdPids);
  const r = await post(url, `/thumb?impl=${impl}&n=${n}&filter=${filter}&workingBytes=${input.workingBytes ?? 0}`, input.bytes);
  // Includes receiving the request body and answering: a few ms a request, spread over the batch.
  return { ...r, cpuMsPerThumb: (cpuMs(workerdPids) - cpu0) / n };
}

async function benchInput(url, input, first) {
  log(`${input.key}: calibration, warm-up, then ${ROUNDS} A-B-B-A rounds of ${input.batch} thumbnails a request`);
  const calibration = await post(url, "/calibrate", input.bytes);
  // An input our codec refuses is reported as such, with photon's figures alone.
  const cppError = calibration.status !== 0 ? `${calibration.message}${calibration.trapped ? ` (trap: ${calibration.trapped})` : ""}` : null;
  if (cppError) log(`  ${input.key}: OUR CODEC REFUSED IT (status ${calibration.status}): ${cppError}; timing photon alone`);
  input.workingBytes = WORKING_BYTES_OVERRIDE ?? (calibration.planWorkingBytes || FALLBACK_WORKING_BYTES);
  const workingFrom = WORKING_BYTES_OVERRIDE !== null ? "BENCH_WORKING_BYTES" : calibration.planWorkingBytes ? "plan" : "fallback (no nb_codec_plan)";
  if (!cppError && calibration.peakHeapBytes > input.workingBytes) log(`  ${input.key}: WARNING heap peak ${calibration.peakHeapBytes} > workingBytes ${input.workingBytes}`);
  // The isolate's very first thumbnail through the production path: lazy compilation included.
  const firstCpp = first && !cppError ? await thumb(url, input, "cpp", 1) : null;
  // One photon run first, for its memory before the input; an input photon cannot decode is timed for
  // ours alone (a panic may leave photon's instance unusable, so it is then not asked again).
  let photonError = photonBroken ? "not run: photon failed on an earlier input" : null;
  let photonPages0 = NaN;
  if (!photonBroken) try {
    photonPages0 = (await thumb(url, input, "photon", 1)).memory.pagesBefore;
  } catch (e) {
    photonError = String(e?.message ?? e).slice(0, 500);
    log(`  ${input.key}: PHOTON FAILED: ${photonError}; timing ours alone`);
    photonBroken = true;
  }
  if (cppError && photonError) throw new Error(`${input.key}: neither side can make a thumbnail`);
  const impls = ["cpp", "photon"].filter((i) => (i === "cpp" ? !cppError : !photonError));
  // Warm-up: V8 compiles wasm with Liftoff first and tiers hot functions up to TurboFan in the background.
  for (const impl of [...impls, ...impls]) await thumb(url, input, impl, input.batch);
  const samples = { cpp: [], photon: [] };
  const cpu = { cpp: [], photon: [] };
  const last = {};
  let codecBytesAtEnd = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ["cpp", "photon", "photon", "cpp"] : ["photon", "cpp", "cpp", "photon"];
    for (const impl of order.filter((i) => impls.includes(i))) {
      const r = await thumb(url, input, impl, input.batch);
      samples[impl].push(r.msPerThumb);
      cpu[impl].push(r.cpuMsPerThumb);
      last[impl] = r;
      if (impl === "cpp") codecBytesAtEnd = Math.max(codecBytesAtEnd, r.memory.codecBytesAtEnd);
    }
  }
  log(`  ${input.key}: cpp ${cppError ? "refused" : `${median(samples.cpp).toFixed(1)} ms`}, photon ${photonError ? "failed" : `${median(samples.photon).toFixed(1)} ms`}`);
  const row = (impl, values, cpuValues, r) => ({ impl, filter: r.filter, medianMs: median(values), samplesMs: values,
    cpuMedianMs: median(cpuValues), cpuSamplesMs: cpuValues, batch: input.batch,
    thumbnail: { width: r.width, height: r.height, bytes: r.bytes, contentType: r.contentType } });
  const cpp = cppError ? { impl: "cpp", error: cppError, status: calibration.status } : { ...row("cpp", samples.cpp, cpu.cpp, last.cpp),
    memory: { codecBytesAtEnd, peakHeapBytes: calibration.peakHeapBytes, workingBytesPassed: input.workingBytes, workingBytesFrom: workingFrom,
      planWorkingBytes: calibration.planWorkingBytes, limitBytes: codecLimitBytes(input.bytes.length, input.workingBytes) } };
  const photon = photonError ? { impl: "photon", error: photonError } : { ...row("photon", samples.photon, cpu.photon, last.photon),
    memory: { pagesBeforeInput: photonPages0, pagesAfterInput: last.photon.memory.pagesAfter, bytesAfterInput: last.photon.memory.pagesAfter * 65536,
      growthBytes: (last.photon.memory.pagesAfter - photonPages0) * 65536 } };
  let photonLanczos3 = null;
  if (input.lanczos && !photonError) {
    // Reference only: photon's best-looking filter, after the comparison so it cannot disturb it.
    const values = [];
    const cpuValues = [];
    let r = await thumb(url, input, "photon", 1, "lanczos3");
    for (let i = 0; i < 3; i++) {
      r = await thumb(url, input, "photon", input.batch, "lanczos3");
      values.push(r.msPerThumb);
      cpuValues.push(r.cpuMsPerThumb);
    }
    photonLanczos3 = row("photon", values, cpuValues, r);
  }
  return {
    input: { key: input.key, what: input.what, width: input.width, height: input.height, bytes: input.bytes.length, file: path.relative(ROOT, input.path) },
    calibration,
    firstCppInIsolateMs: firstCpp?.msPerThumb ?? null,
    cpp, photon, photonLanczos3,
    ratio: cppError || photonError ? NaN : cpp.medianMs / photon.medianMs,
    cpuRatio: cppError || photonError ? NaN : cpp.cpuMedianMs / photon.cpuMedianMs,
  };
}

const fmt = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : "n/a");
const mb = (b) => `${fmt(b / MiB)} MB`;
const targetFor = (key) => Math.min(TARGETS.every, TARGETS[key] ?? Infinity);

function printTable(results, instantiate) {
  const lines = ["", "input                 impl (filter)       ms/thumb  CPU ms  thumbnail              memory", "-".repeat(118)];
  for (const r of results) {
    if (r.cpp.error) lines.push(`${r.input.key.padEnd(21)} ${"cpp (area)".padEnd(19)} ${"refused".padStart(8)}  ${r.cpp.error}`);
    if (r.photon.error) lines.push(`${r.input.key.padEnd(21)} ${"photon (triangle)".padEnd(19)} ${"failed".padStart(8)}  ${r.photon.error}`);
    for (const x of [r.cpp, r.photon, r.photonLanczos3].filter((x) => x && !x.error)) {
      const memory = x.impl === "cpp"
        ? `instance ended at ${mb(x.memory.codecBytesAtEnd)} of ${mb(x.memory.limitBytes)} max (input ${mb(r.input.bytes)}, heap peak ${mb(x.memory.peakHeapBytes)} of ${x.memory.workingBytesFrom === "plan" ? "planned" : x.memory.workingBytesFrom} ${mb(x.memory.workingBytesPassed)})`
        : x === r.photon ? `module memory ${mb(x.memory.bytesAfterInput)} after, +${mb(x.memory.growthBytes)} during this input` : "";
      lines.push(`${r.input.key.padEnd(21)} ${`${x.impl} (${x.filter})`.padEnd(19)} ${fmt(x.medianMs).padStart(8)}  ${fmt(x.cpuMedianMs).padStart(6)}  ` +
        `${`${x.thumbnail.width}x${x.thumbnail.height} ${x.thumbnail.contentType.slice(6)} ${(x.thumbnail.bytes / 1024).toFixed(1)} KB`.padEnd(22)} ${memory}`);
    }
  }
  lines.push("");
  for (const r of results) {
    const t = targetFor(r.input.key);
    lines.push(r.cpp.error
      ? `${r.input.key} ratio cpp/photon n/a (our codec refused the input: ${r.cpp.error}; target <= ${t}: MISSED)`
      : r.photon.error ? `${r.input.key} ratio cpp/photon n/a (photon cannot decode it; ours ${fmt(r.cpp.medianMs)} ms alone)`
      : `${r.input.key} ratio cpp/photon ${fmt(r.ratio, 2)} (CPU ${fmt(r.cpuRatio, 2)}; target <= ${t}: ${r.ratio <= t ? "met" : "MISSED"})`);
  }
  lines.push(`fresh codec instance (memory + instance + _initialize): ${fmt(instantiate.medianMs, 3)} ms median; ` +
    `first cpp thumbnail in the isolate (${results.find((r) => r.firstCppInIsolateMs !== null)?.input.key}): ${fmt(results.find((r) => r.firstCppInIsolateMs !== null)?.firstCppInIsolateMs)} ms`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

async function main() {
  const compat = checkCompat();
  try {
    readFileSync(CODEC);
  } catch {
    throw new Error(`${path.relative(ROOT, CODEC)} is missing: run \`make bench-imaging\` (it builds it) or \`bash scripts/build-wasm.sh\``);
  }
  log("making the inputs (tests/support/photos.js)");
  makeInputs();
  const dir = tempDir();
  const bundleDir = path.join(dir, "bundle-imaging");
  log("bundling with wrangler deploy --dry-run");
  await wrangler(["deploy", "--dry-run", "--outdir", bundleDir, "--config", CONFIG]);
  const host = await startHost({ state: path.join(dir, "state"), workers: [{ name: "nb-bench-imaging", bundleDir, config: CONFIG }] });
  const url = host.urls["nb-bench-imaging"];
  workerdPids = childPids(host.pid, "workerd");
  const results = [];
  let foreignCpuShare = NaN;
  let quietShare = NaN;
  let others = null;
  let instantiate = null;
  let t0 = performance.now();
  try {
    quietShare = await waitForQuiet(host.pid, workerdPids, QUIET_WAIT_S);
    const sampler = startMachineSampler({ ours: () => [host.pid, ...workerdPids] });
    const busy0 = machineBusyMs();
    const own0 = cpuMs(workerdPids);
    t0 = performance.now();
    try {
      let first = true;
      for (const input of INPUTS) {
        results.push(await benchInput(url, input, first));
        first = false;
      }
      const perInstance = [];
      for (let i = 0; i < 12; i++) {
        const r = await (await fetch(`${url}/instantiate?k=50`)).json();
        perInstance.push(r.ms / r.k);
      }
      instantiate = { medianMs: median(perInstance), samplesMs: perInstance, batch: 50 };
    } finally {
      // Other processes' share of the machine's cores while the bench ran (this script's own is small).
      foreignCpuShare = (machineBusyMs() - busy0 - (cpuMs(workerdPids) - own0)) / ((performance.now() - t0) * os.cpus().length);
      others = sampler.stop();
    }
  } finally {
    await host.stop();
  }
  const targets = Object.fromEntries(results.map((r) => [r.input.key, { ratio: Number.isFinite(r.ratio) ? r.ratio : null, target: targetFor(r.input.key),
    met: r.photon.error ? null : r.ratio <= targetFor(r.input.key), ...(r.cpp.error ? { cppError: r.cpp.error } : {}),
    ...(r.photon.error ? { photonError: r.photon.error } : {}) }]));
  const photonVersion = JSON.parse(readFileSync(path.join(ROOT, "node_modules/@cf-wasm/photon/package.json"), "utf8")).version;
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify({
    when: new Date().toISOString(),
    runtime: `workerd via one programmatic Miniflare, compatibility ${compat}`,
    photon: `@cf-wasm/photon ${photonVersion}`,
    codec: { file: path.relative(ROOT, CODEC), bytes: readFileSync(CODEC).length },
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadavg: os.loadavg(), foreignCpuShare, quietShareBefore: quietShare,
      otherProcesses: others },
    method: "median of per-request ms/thumbnail (batch timed, divided); cpp (js-shim/codec_runner.js thumbnail(), a fresh codec instance each) and photon alternate A-B-B-A after a warm-up",
    workingBytes: WORKING_BYTES_OVERRIDE !== null ? `BENCH_WORKING_BYTES=${WORKING_BYTES_OVERRIDE} for every input` : "PlanThumbnail's working_bytes per input (codec module's nb_codec_plan)",
    instantiate,
    results, targets,
  }, null, 2)}\n`);
  printTable(results, instantiate);
  log(`other processes used ${fmt(foreignCpuShare * 100, 0)}% of the machine's cores meanwhile (${fmt(quietShare * 100, 0)}% just before): ${describeOthers(others)}`);
  log(`wrote ${path.relative(ROOT, RESULTS)}`);
}

main().catch((e) => {
  process.stderr.write(`bench/imaging: ${e?.stack ?? e}\n`);
  cleanupSync();
  process.exit(1);
});
