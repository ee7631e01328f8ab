// The test summary cannot report success for something that did not run: scripts/node-suite.sh (what
// `make test` uses for the integration and e2e suites) against small fixture suites, one flaw each.
// No Worker here; each case is a few node --test runs of tiny files.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./support/worker.js";

const run = promisify(execFile);
let dir;
before(async () => (dir = await mkdtemp(path.join(tmpdir(), "nb-summary-"))));
after(async () => dir && rm(dir, { recursive: true, force: true }));

const HEAD = 'import { test } from "node:test";\n';
const FILES = {
  passing: `${HEAD}test("one", () => {});\ntest("two", () => {});\n`,
  empty: HEAD,  // a file whose tests were all deleted or never registered
  failing: `${HEAD}test("ok", () => {});\ntest("bad", () => { throw new Error("no"); });\n`,
  hanging: `${HEAD}test("hangs", () => new Promise(() => setInterval(() => {}, 1000)));\n`,
  skipped: `${HEAD}test("ok", () => {});\ntest("later", { skip: true }, () => {});\n`,
  throwsOnLoad: 'throw new Error("cannot even load");\n',
};

// node --test marks its children (NODE_TEST_CONTEXT) and a marked process refuses to run test files.
function childEnv() {
  const env = { ...process.env, NB_TEST_LOGS: path.join(dir, "logs") };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

// Runs node-suite.sh over the named fixture files; returns its exit code and its counts line.
async function suite(name, fixtures, { min = 1, timeoutMs = 20_000 } = {}) {
  const folder = path.join(dir, name);
  await mkdir(folder, { recursive: true });
  for (const f of fixtures) await writeFile(path.join(folder, `${f}.test.js`), FILES[f]);
  let code = 0, out;
  try {
    ({ stdout: out } = await run("bash", ["scripts/node-suite.sh", name, `${folder}/*.test.js`, String(min), String(timeoutMs)],
      { cwd: ROOT, env: childEnv(), maxBuffer: 8 << 20 }));
  } catch (e) {
    code = e.code;
    out = e.stdout;
  }
  const m = out.match(/^node-suite \S+: passed=(\d+) failed=(\d+)$/m);
  assert.ok(m, `no counts line in:\n${out}`);
  return { code, passed: Number(m[1]), failed: Number(m[2]), out };
}

test("a suite of passing files passes with the right count", async () => {
  const r = await suite("good", ["passing"]);
  assert.deepEqual([r.code, r.passed, r.failed], [0, 2, 0], r.out);
});

test("a glob that matches no file fails", async () => {
  const r = await suite("nothing", []);
  assert.deepEqual([r.code, r.passed, r.failed], [1, 0, 1], r.out);
  assert.match(r.out, /no file matches/);
});

test("a file that defines no test fails, even beside a passing one", async () => {
  const r = await suite("hollow", ["passing", "empty"]);
  assert.deepEqual([r.code, r.passed, r.failed], [1, 2, 1], r.out);
  assert.match(r.out, /empty\.test\.js defines no test/);
});

test("fewer tests than the floor fails", async () => {
  const r = await suite("shrunk", ["passing"], { min: 3 });
  assert.deepEqual([r.code, r.passed, r.failed], [1, 2, 1], r.out);
});

test("a failing test counts as failed", async () => {
  const r = await suite("red", ["failing"]);
  assert.deepEqual([r.code, r.passed, r.failed], [1, 1, 1], r.out);
});

test("a file over its timeout is cancelled, and cancelled counts as failed", async () => {
  const r = await suite("slow", ["passing", "hanging"], { timeoutMs: 1500 });
  assert.deepEqual([r.code, r.passed, r.failed], [1, 2, 1], r.out);
  assert.match(r.out, /hanging\.test\.js: 1 cancelled/);
});

test("a skipped test counts as failed", async () => {
  const r = await suite("skips", ["skipped"]);
  assert.deepEqual([r.code, r.passed, r.failed], [1, 1, 1], r.out);
});

test("a file that throws while loading counts as failed", async () => {
  const r = await suite("broken", ["throwsOnLoad", "passing"]);
  assert.deepEqual([r.code, r.passed, r.failed], [1, 2, 1], r.out);
});
