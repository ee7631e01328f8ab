// Checks codec.wasm's ABI the way the JS shim uses it (js-shim/codec_runner.js): a fresh instance per
// thumbnail over an imported memory with a hard maximum, the result record, and libjpeg's error path
// (a trap whose reason is read from the record afterwards). Inputs come from the bench reactor, so no
// binary is committed. Run by scripts/imaging-wasm.sh codec.
//   node tests/wasm/codec_module_check.mjs <codec.opt.wasm> <imaging_bench_reactor.opt.wasm>
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const [codecPath, reactorPath] = process.argv.slice(2);
const PAGE = 65536;
let failures = 0;
const expect = (ok, what) => {
  if (!ok) {
    failures++;
    console.log(`FAIL: ${what}`);
  }
};

// WASI for modules that only write to stderr and never exit on purpose.
function wasiStubs(memory) {
  return {
    fd_write: (fd, iovs, n, written) => {
      const view = new DataView(memory().buffer);
      let total = 0;
      for (let i = 0; i < n; i++) total += view.getUint32(iovs + 8 * i + 4, true);
      view.setUint32(written, total, true);
      return 0;
    },
    fd_close: () => 8,
    fd_seek: () => 8,
    proc_exit: (code) => { throw new Error(`proc_exit(${code})`); },
  };
}

// Inputs from the bench reactor (stb_image_write): a PNG and a baseline JPEG.
const reactorModule = await WebAssembly.compile(await readFile(reactorPath));
const wasi = new WASI({ version: 'preview1', args: [], env: {}, returnOnExit: true });
const reactor = await WebAssembly.instantiate(reactorModule, { wasi_snapshot_preview1: Object.fromEntries(
  Object.entries(wasi.wasiImport).map(([name, fn]) => [name, (...a) => fn(...a)])) });
wasi.initialize(reactor);
function makeInput(kind, width, height) {
  const length = reactor.exports.nb_bench_make_input(kind, width, height, 90, 8);
  const ptr = reactor.exports.nb_bench_output();
  return new Uint8Array(reactor.exports.memory.buffer, ptr, length).slice();
}

const codecModule = await WebAssembly.compile(await readFile(codecPath));
const imports = WebAssembly.Module.imports(codecModule).map((i) => `${i.module}.${i.name}`);
console.log(`codec.wasm imports: ${imports.join(', ')}`);
expect(imports.includes('env.memory'), 'codec.wasm imports env.memory');

function instantiate(memory) {
  const instance = new WebAssembly.Instance(codecModule, {
    env: { memory }, wasi_snapshot_preview1: wasiStubs(() => memory) });
  instance.exports._initialize();
  return instance.exports;
}

// PlanThumbnail's working_bytes, through the module's own export.
function planOf(body) {
  const memory = new WebAssembly.Memory({ initial: 32 + Math.ceil(body.length / PAGE) + 1 });
  const codec = instantiate(memory);
  const input = codec.nb_codec_alloc(body.length);
  new Uint8Array(memory.buffer, input, body.length).set(body);
  return codec.nb_codec_plan(input, body.length);
}

// The shim's sizing (js-shim/codec_runner.js): base + input + a page + working bytes + slack.
function runCodec(body, workingBytes, slackBytes = 1024 * 1024) {
  const limit = Math.ceil((2 * 1024 * 1024 + body.length + PAGE + workingBytes + slackBytes) / PAGE);
  const memory = new WebAssembly.Memory({ initial: 32, maximum: limit });
  const codec = instantiate(memory);
  const input = codec.nb_codec_alloc(body.length);
  new Uint8Array(memory.buffer, input, body.length).set(body);
  let record, trapped = false;
  try {
    record = codec.nb_codec_thumbnail(input, body.length);
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    trapped = true;
    record = codec.nb_codec_result();
  }
  const f = new Uint32Array(memory.buffer.slice(record, record + 40));
  const text = (ptr, len) => new TextDecoder().decode(new Uint8Array(memory.buffer, ptr, len));
  return { code: f[0], message: text(f[1], f[2]), bytes: new Uint8Array(memory.buffer, f[3], f[4]).slice(),
    width: f[5], height: f[6], type: text(f[7], f[8]), peak: f[9], trapped, memoryBytes: memory.buffer.byteLength };
}

const jpeg = makeInput(1, 4000, 3000);
const png = makeInput(0, 1024, 768);
const progressive = makeInput(2, 4000, 3000);
const webp = makeInput(3, 2048, 2048);
const inputs = [['jpeg', jpeg, 384, 288], ['png', png, 384, 288], ['progressive', progressive, 384, 288],
  ['webp', webp, 384, 384]];
// Three rounds: V8 tiers code up per module, so later fresh instances run optimised code.
for (const [name, body, w, h] of [1, 2, 3].flatMap((round) => inputs.map(([n, ...rest]) => [`${n}#${round}`, ...rest]))) {
  const plan = planOf(body);
  expect(plan > 0, `${name}: planned`);
  const start = performance.now();
  // The plan alone, without the shim's extra slack: the plan must be honest inside the module too.
  const r = runCodec(body, plan, 0);
  const ms = performance.now() - start;
  expect(r.code === 0 && !r.trapped, `${name}: status ${r.code} ${r.message}`);
  expect(r.width === w && r.height === h, `${name}: ${r.width}x${r.height}`);
  expect(r.type === 'image/jpeg' && r.bytes[0] === 0xff && r.bytes[1] === 0xd8, `${name}: a JPEG`);
  expect(r.peak > 0, `${name}: peak reported`);
  expect(r.peak <= plan, `${name}: peak ${r.peak} <= plan ${plan}`);
  console.log(`${name} ${body.length} bytes -> ${r.width}x${r.height} JPEG ${r.bytes.length} bytes, plan ${plan}, ` +
    `peak heap ${r.peak}, memory ${r.memoryBytes}, ${ms.toFixed(1)} ms (fresh instance)`);
}
// A JPEG cut short: libjpeg's error path traps, the record says why.
const cut = runCodec(jpeg.slice(0, jpeg.length >> 1), 16 * 1024 * 1024);
expect(cut.trapped, 'a cut JPEG traps');
expect(cut.code === 2 && /premature|Premature|end/i.test(cut.message), `cut JPEG: status ${cut.code} "${cut.message}"`);
console.log(`cut jpeg: trapped=${cut.trapped} status ${cut.code} "${cut.message}"`);
// A damaged PNG returns (no trap) with InvalidArgument.
const badPng = png.slice();
badPng.fill(7, 100, 400);
const bad = runCodec(badPng, 16 * 1024 * 1024);
expect(!bad.trapped && bad.code === 2, `damaged PNG: status ${bad.code} "${bad.message}" trapped=${bad.trapped}`);
// Not an image at all.
const junk = runCodec(new TextEncoder().encode('not an image'), 0);
expect(junk.code === 2 && junk.message === 'not an image', `junk: ${junk.code} ${junk.message}`);
// Too little memory for the plan: a clean refusal, never an overrun.
const tight = runCodec(jpeg, 0);
expect(tight.code === 0 || tight.code === 4, `tight memory: ${tight.code} ${tight.message}`);
console.log(`codec module check: ${failures} failures`);
process.exitCode = failures === 0 ? 0 : 1;
