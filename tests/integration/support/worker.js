// Starts the real Worker under `wrangler dev` (Miniflare's D1, R2, KV and Queues) on a free port with
// a private state directory and fresh migrations, for one test file.
import { spawn, execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { checkResponse } from "./contract.js";

const run = promisify(execFile);
export const ROOT = path.resolve(import.meta.dirname, "../../..");
const WRANGLER = path.join(ROOT, "node_modules/wrangler/bin/wrangler.js");

// Every wrangler dev still running, so a file killed by the runner (--test-timeout sends SIGTERM) does
// not leave detached Workers behind on the machine.
const live = new Set();
function killAll() {
  for (const child of live) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
  }
}
process.once("exit", killAll);
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    killAll();
    process.exit(128 + (signal === "SIGTERM" ? 15 : 2));
  });
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function wrangler(args, { cwd = ROOT } = {}) {
  return run(process.execPath, [WRANGLER, ...args], {
    cwd,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
    maxBuffer: 16 * 1024 * 1024,
  });
}

export async function applyMigrations(stateDir, env = "dev") {
  return wrangler(["d1", "migrations", "apply", "DATABASE", "--local", "--env", env, "--persist-to", stateDir]);
}

// vars: extra Worker vars (e.g. {DEBUG_ROUTES: "true"}); env: the wrangler environment; logLevel "log"
// also keeps the Worker's console.log lines (the C++ generation worker's JSON events) in `logs`.
// testScheduled: serve GET /cdn-cgi/handler/scheduled (wrangler dev --test-scheduled): one cron tick.
// stateDir: an already migrated (and seeded) state directory to serve, e.g. the gallery bench's.
// ready: when /api/config's answer means the Worker is up (a misconfigured Worker answers 500).
export async function startWorker({ vars = { DEBUG_ROUTES: "true" }, env = "dev", logLevel = "info", testScheduled = false,
  stateDir: given, ready = (r) => r.ok } = {}) {
  const stateDir = given ?? await mkdtemp(path.join(tmpdir(), "nb-state-"));
  if (!given) await applyMigrations(stateDir, env);
  const port = await freePort();
  const args = [WRANGLER, "dev", "--env", env, "--port", String(port), "--ip", "127.0.0.1",
    "--persist-to", stateDir, "--show-interactive-dev-session=false", "--log-level", logLevel];
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
  if (testScheduled) args.push("--test-scheduled");
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NB_WASM_PREBUILT: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  live.add(child);
  child.once("exit", () => live.delete(child));
  const logs = [];
  child.stdout.on("data", (d) => logs.push(d.toString()));
  child.stderr.on("data", (d) => logs.push(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${logs.join("")}`);
    try {
      const r = await fetch(`${url}/api/config`);
      if (ready(r)) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`wrangler dev did not start:\n${logs.join("")}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    stateDir,
    logs,
    // Checked against the API contract like every Client answer (contract.js). A followed redirect
    // is checked as the GET it became, and only if it stayed on the Worker.
    async fetch(p, init) {
      const response = await fetch(url + p, init);
      if (!response.redirected) return checkResponse(init?.method ?? "GET", url + p, response);
      return response.url.startsWith(url) ? checkResponse("GET", response.url, response) : response;
    },
    async stop() {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
      await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
