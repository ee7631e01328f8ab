// Runs the Catch2 unit tests built for wasm32-wasi (build/wasm/unit_tests.wasm) under Node's WASI, one
// fresh instance per test case, as ctest runs one process per test natively: a failed REQUIRE (which
// ends its instance, there being no exceptions), a trap or a corrupted heap costs one test, not the run.
//   node tests/wasm/run_unit_tests.mjs <unit_tests.wasm> [catch2 test spec]
// Prints one line per failed test (with its output) and ends with
//   unit-wasm: passed=N failed=M
// which scripts/run-tests.sh counts. Exit status 1 if any test failed or none ran.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WASI } from 'node:wasi';
import { nodeCryptoImports } from './node_crypto_imports.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const [modulePath, spec] = process.argv.slice(2);
if (!modulePath) {
  console.error('usage: run_unit_tests.mjs <unit_tests.wasm> [test spec]');
  process.exit(2);
}
const module = await WebAssembly.compile(await readFile(modulePath));
const scratch = mkdtempSync(path.join(tmpdir(), 'unit-wasm-'));
const outputPath = path.join(scratch, 'output');
const scratchFiles = mkdtempSync(path.join(scratch, 'tmp-'));

// One instance, its stdout and stderr to a file; returns { status, output }. A trap is status 'trap'.
function runInstance(args) {
  const fd = openSync(outputPath, 'w');
  const wasi = new WASI({
    version: 'preview1',
    args: ['unit_tests', ...args],
    // migrations/ for the migrated test databases; a scratch directory for the tests that write files.
    env: { TMPDIR: '/tmp' },
    preopens: { '/migrations': path.join(ROOT, 'migrations'), '/tmp': scratchFiles },
    stdout: fd,
    stderr: fd,
    returnOnExit: true,
  });
  // Each host call through a plain JS function: Node's fast-call path keeps a stale view of memory
  // after memory.grow (nodejs/node#53087; tests/wasm/run_wasi.mjs has the same wrapper).
  const imports = Object.fromEntries(Object.entries(wasi.wasiImport).map(([name, fn]) => [name, (...a) => fn(...a)]));
  let instance;
  const crypto = nodeCryptoImports(() => instance.exports.memory);
  let status;
  try {
    instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: imports, nb_test_crypto: crypto });
    status = wasi.start(instance);
  } catch (error) {
    status = 'trap';
    closeSync(fd);
    return { status, output: readFileSync(outputPath, 'utf8') + `\n${error.stack}\n` };
  }
  closeSync(fd);
  return { status, output: readFileSync(outputPath, 'utf8') };
}

// Catch2's test spec treats [ ] , " ~ * and \ specially; a backslash makes any character literal.
const escapeName = (name) => name.replace(/[\[\],"~*\\]/g, '\\$&');

// [native-only]: tests of libjpeg's longjmp error path, which traps in wasm by design (fatal_error.h).
const selection = spec ? `${spec} ~[native-only]` : '~[native-only]';
const listing = runInstance(['--list-test-names-only', selection]);
const names = listing.output.split('\n').filter((line) => line.length > 0);
if (listing.status !== 0 && listing.status !== Math.min(names.length, 255)) {
  // Catch2 2.x returns the number of names listed, capped at 255; anything else is a broken module.
  console.error(`unit-wasm: listing the tests failed (status ${listing.status}):\n${listing.output}`);
  process.exit(1);
}

let passed = 0;
let failed = 0;
const started = Date.now();
for (const name of names) {
  const { status, output } = runInstance([escapeName(name)]);
  // Exactly one test case must have run and passed; a spec matching none exits 2 in Catch2.
  // (A test case without assertions gets Catch2's table instead of the one-line summary.)
  const ran = /All tests passed \(\d+ assertions? in 1 test case\)|test cases: 1 \| 1 passed/.test(output);
  if (status === 0 && ran) {
    passed++;
  } else {
    failed++;
    console.log(`--- FAILED (status ${status}): ${name}\n${output}`);
  }
}
rmSync(scratch, { recursive: true, force: true });
console.log(`unit-wasm: ${names.length} test cases in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`unit-wasm: passed=${passed} failed=${failed}`);
process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
