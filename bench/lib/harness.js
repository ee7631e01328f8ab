// What bench/run.js and bench/profile.js share: a temp dir, `wrangler deploy --dry-run` bundles of the
// bench Workers, migrations, and the Miniflare host child process (bench/lib/host.js); and the
// cleanup that stops every child and removes the temp dir on any exit, signal or error.
import { execFile, spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const WRANGLER = path.join(ROOT, "node_modules/wrangler/bin/wrangler.js");
// Nothing leaves the machine: no telemetry, no update check, no Request.cf download by Miniflare.
export const QUIET_ENV = { WRANGLER_SEND_METRICS: "false", WRANGLER_NO_UPDATE_CHECK: "true", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" };

// The bench Workers. `cpp` is the app exactly as `wrangler.toml --env dev` builds it.
export const WORKERS = [
  { key: "cpp", name: "nb-bench-cpp", args: ["--env", "dev"], config: "wrangler.toml", env: "dev", migrations: true },
  { key: "js", name: "nb-bench-js", args: ["--config", "bench/js-baseline/wrangler.toml"], config: "bench/js-baseline/wrangler.toml", migrations: true },
  { key: "inw", name: "nb-bench-in-workerd", args: ["--config", "bench/in-workerd/wrangler.toml"], config: "bench/in-workerd/wrangler.toml",
    varsFrom: { config: "wrangler.toml", env: "dev" } },
];

export function log(message) {
  process.stderr.write(`bench: ${message}\n`);
}

// ------------------------------------------------------------------------------------ cleanup
const children = new Set();
let tmp = null;

export function cleanupSync() {
  for (const child of children) {
    try {
      process.kill(child.detachedGroup ? -child.pid : child.pid, "SIGKILL");
    } catch {}
  }
  children.clear();
  if (tmp) {
    rmSync(tmp, { recursive: true, force: true });
    tmp = null;
  }
}
process.on("exit", cleanupSync);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping\n`);
    cleanupSync();
    process.exit(130);
  });
}

// RAM-backed when the machine has /dev/shm: the local D1/R2/KV write files, and disk latency (other
// work's I/O included) is not what the bench compares. BENCH_TMPDIR overrides.
function tempBase() {
  if (process.env.BENCH_TMPDIR) return process.env.BENCH_TMPDIR;
  try {
    accessSync("/dev/shm", constants.W_OK);
    return "/dev/shm";
  } catch {
    return os.tmpdir();
  }
}

export function tempDir() {
  tmp ??= mkdtempSync(path.join(tempBase(), "nb-bench-"));
  return tmp;
}

// ------------------------------------------------------------------------------------ wrangler
export function wrangler(args, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [WRANGLER, ...args], {
      cwd: ROOT,
      // NB_WASM_PREBUILT: `make bench` has just built the module; the [build] command would redo it.
      env: { ...process.env, ...QUIET_ENV, NB_WASM_PREBUILT: "1", ...extraEnv },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 180_000,
    }, (error, stdout, stderr) => {
      children.delete(child);
      if (error) reject(new Error(`wrangler ${args.join(" ")} failed:\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
    children.add(child);
  });
}

function readCompat(file) {
  // Only the two top-level keys the bench compares; wrangler itself reads the real config.
  const text = readFileSync(path.join(ROOT, file), "utf8");
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(text)?.[1];
  const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(text)?.[1]?.replace(/\s+/g, "") ?? "";
  return { date, flags };
}

// Same runtime settings for every bench Worker, or the comparison is void.
export function checkCompat() {
  const app = readCompat("wrangler.toml");
  for (const w of WORKERS.filter((x) => x.config !== "wrangler.toml")) {
    const o = readCompat(w.config);
    if (o.date !== app.date || o.flags !== app.flags) {
      throw new Error(`${w.config} has compatibility ${o.date} [${o.flags}] but wrangler.toml has ${app.date} [${app.flags}]: make them equal`);
    }
  }
  return app;
}

// Bundles every Worker, applies migrations, returns the workers with bundleDir set and the state dir.
// `only` (keys of WORKERS) bundles just those; `extra` adds bench-specific Workers of the same shape.
export async function prepare({ only = null, extra = [] } = {}) {
  const dir = tempDir();
  const state = path.join(dir, "state");
  const chosen = [...WORKERS.filter((w) => !only || only.includes(w.key)), ...extra];
  const workers = chosen.map((w) => ({ ...w, bundleDir: path.join(dir, `bundle-${w.key}`) }));
  log("bundling with wrangler deploy --dry-run");
  await Promise.all(workers.map((w) => wrangler(["deploy", "--dry-run", "--outdir", w.bundleDir, ...w.args])));
  log("applying migrations");
  for (const w of workers.filter((x) => x.migrations)) {
    await wrangler(["d1", "migrations", "apply", "DATABASE", "--local", ...w.args, "--persist-to", state]);
  }
  return { dir, state, workers };
}

export function bundleFiles(w) {
  return readdirSync(w.bundleDir).filter((f) => !f.endsWith(".map") && !f.endsWith(".md"));
}

// ------------------------------------------------------------------------------------ host
// Starts bench/lib/host.js for `workers`; resolves to {urls, pid, inspector, stop(), stderr}.
export function startHost({ state, workers, inspector = false }) {
  const dir = tempDir();
  const specFile = path.join(dir, "spec.json");
  writeFileSync(specFile, JSON.stringify({
    persistRoot: path.join(state, "v3"),
    inspector,
    workers: workers.map((w) => ({
      name: w.name,
      bundleDir: w.bundleDir,
      config: path.join(ROOT, w.config),
      env: w.env,
      varsFrom: w.varsFrom && { config: path.join(ROOT, w.varsFrom.config), env: w.varsFrom.env },
      vars: w.vars,
      ratelimitLimit: w.ratelimitLimit,
    })),
  }));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "bench/lib/host.js"), specFile], {
      cwd: dir, // Miniflare refuses module paths outside its working directory
      env: { ...process.env, ...QUIET_ENV },
      stdio: ["pipe", "pipe", "pipe"],
      detached: true, // its own process group, so workerd (its child) goes with it
    });
    child.detachedGroup = true;
    children.add(child);
    const stderr = [];
    let buffer = "";
    const lines = [];
    const waiters = [];
    child.stderr.on("data", (d) => stderr.push(String(d)));
    child.stdin.on("error", () => {});
    child.stdout.on("data", (d) => {
      buffer += d;
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let msg;
        try {
          msg = JSON.parse(line);
        } catch {
          continue;
        }
        const w = waiters.shift();
        if (w) w(msg);
        else lines.push(msg);
      }
    });
    const next = (ms) =>
      new Promise((res, rej) => {
        if (lines.length) return res(lines.shift());
        const timer = setTimeout(() => rej(new Error(`host: no answer in ${ms} ms\n${stderr.join("")}`)), ms);
        waiters.push((m) => {
          clearTimeout(timer);
          res(m);
        });
      });
    const exited = new Promise((res) => child.once("exit", (code) => {
      children.delete(child);
      res(code);
    }));
    child.once("exit", (code) => reject(new Error(`host exited (${code}) before it was ready:\n${stderr.join("")}`)));
    next(120_000).then((msg) => {
      if (!msg.ready) return reject(new Error(`host: unexpected first line ${JSON.stringify(msg)}`));
      resolve({
        urls: msg.urls,
        inspector: msg.inspector,
        pid: child.pid,
        stderr,
        // Asks the host to dispose Miniflare; returns its worker-log counts. Kills the group if slow.
        async stop() {
          let logs = null;
          try {
            child.stdin.write("quit\n");
            logs = (await next(15_000)).logs ?? null;
          } catch {}
          const timer = setTimeout(() => {
            try {
              process.kill(-child.pid, "SIGKILL");
            } catch {}
          }, 15_000);
          await exited;
          clearTimeout(timer);
          try {
            process.kill(-child.pid, "SIGKILL"); // anything left in its group
          } catch {}
          return logs;
        },
      });
    }, reject);
  });
}

// ------------------------------------------------------------------------------------ /proc
const CLK_TCK = 100; // Linux USER_HZ

function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return { comm: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), fields: stat.slice(stat.lastIndexOf(")") + 2).split(" ") };
}

// workerd processes started by the host.
export function childPids(parentPid, comm) {
  const pids = [];
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const s = statFields(entry);
        if (Number(s.fields[1]) === parentPid && s.comm === comm) pids.push(Number(entry));
      } catch {}
    }
  } catch {}
  return pids;
}

// CPU time (user + system, ms) of these processes; NaN where /proc is not there.
export function cpuMs(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const { fields } = statFields(pid);
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      return NaN;
    }
  }
  return pids.length ? (ticks * 1000) / CLK_TCK : NaN;
}

// Busy CPU ms of the whole machine, all cores.
export function machineBusyMs() {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = f;
    return ((user + nice + system + irq + softirq + (steal ?? 0)) * 1000) / CLK_TCK;
  } catch {
    return NaN;
  }
}
