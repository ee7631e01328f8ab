// What else ran on the machine while a bench measured: the benches share a 2-core machine with other
// people's builds and tests, so a figure is only as good as the note of what it competed with. This
// samples /proc every few seconds and adds up, per command name, the CPU time other processes used
// (ours — this process and the given pids' process groups — left out). A process that starts and ends
// between two samples is missed, one that was already running counts only from the first sample; at a
// 2 s period that misses little of a compile (each cc1plus / clang runs for seconds).
import { readFileSync, readdirSync } from "node:fs";

const CLK_TCK = 100; // Linux USER_HZ

function readProcs() {
  const procs = new Map();
  let entries = [];
  try {
    entries = readdirSync("/proc");
  } catch {
    return procs;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // f[0] state, f[1] ppid, f[2] pgrp, f[11] utime, f[12] stime, f[19] starttime
      procs.set(Number(entry), { comm, ppid: Number(f[1]), pgrp: Number(f[2]), ticks: Number(f[11]) + Number(f[12]), start: f[19] });
    } catch {}
  }
  return procs;
}

// ours(): pids (and process groups) to leave out, asked at every sample (a host may start later).
export function startMachineSampler({ periodMs = 2000, ours = () => [] } = {}) {
  const seen = new Map(); // pid -> {start, ticks} at the previous sample
  const byComm = new Map(); // comm -> {cpuMs, pids: Set}
  let samples = 0;
  const take = () => {
    const own = new Set([process.pid, ...ours()]);
    const procs = readProcs();
    const ownGroups = new Set([...own].map((pid) => procs.get(pid)?.pgrp).filter(Boolean));
    // Ours: one of `own`, in one of their process groups, or descended from one of them.
    const isOurs = (pid, p) => {
      if (own.has(pid) || ownGroups.has(p.pgrp)) return true;
      for (let q = p, hops = 0; q && hops < 30; q = procs.get(q.ppid), hops++) if (own.has(q.ppid)) return true;
      return false;
    };
    for (const [pid, p] of procs) {
      const before = seen.get(pid);
      const delta = before && before.start === p.start ? p.ticks - before.ticks : samples === 0 ? 0 : p.ticks;
      seen.set(pid, { start: p.start, ticks: p.ticks });
      if (delta <= 0 || isOurs(pid, p)) continue;
      const c = byComm.get(p.comm) ?? { cpuMs: 0, pids: new Set() };
      c.cpuMs += (delta * 1000) / CLK_TCK;
      c.pids.add(pid);
      byComm.set(p.comm, c);
    }
    samples++;
  };
  take();
  const timer = setInterval(take, periodMs);
  timer.unref();
  const t0 = Date.now();
  return {
    // Stops sampling; returns [{command, cpuMs, processes}] biggest first, and the wall time covered.
    stop() {
      clearInterval(timer);
      take();
      const top = [...byComm].map(([command, c]) => ({ command, cpuMs: Math.round(c.cpuMs), processes: c.pids.size }))
        .sort((a, b) => b.cpuMs - a.cpuMs);
      return { wallMs: Date.now() - t0, samples, top };
    },
  };
}

// "cc1plus 41.2 s (12), node 9.8 s (3), ..." — the biggest `n`.
export function describeOthers(report, n = 8) {
  const parts = report.top.slice(0, n).filter((t) => t.cpuMs >= 500)
    .map((t) => `${t.command} ${(t.cpuMs / 1000).toFixed(1)} s${t.processes > 1 ? ` (${t.processes} processes)` : ""}`);
  return parts.length ? parts.join(", ") : "nothing notable";
}
