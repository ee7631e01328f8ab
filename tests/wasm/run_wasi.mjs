// Runs a wasm32-wasi command module under Node's WASI (V8, the engine workerd embeds) and exits with
// its status: node tests/wasm/run_wasi.mjs <module.wasm> [args...]
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const [path, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: [path, ...args], env: {}, returnOnExit: true });
// Each host call goes through a plain JS function: called directly from wasm, Node's WASI functions
// take V8's fast-call path, which keeps a stale view of memory after memory.grow and crashes Node
// (nodejs/node#53087) once a module grows its memory by tens of megabytes, as image decoding does.
const imports = Object.fromEntries(
  Object.entries(wasi.wasiImport).map(([name, fn]) => [name, (...a) => fn(...a)]),
);
const module = await WebAssembly.compile(await readFile(path));
const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: imports });
process.exitCode = wasi.start(instance);
