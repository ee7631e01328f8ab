// The quiet-machine wait of bench/run.js as a module, for the benches that came after it
// (bench/accounts.js, bench/generation.js): other sessions' compiles on a 2-core machine swamp a
// latency benchmark, so wait (bounded) for a lull, and say how busy the machine was while measuring.
import os from "node:os";
import { cpuMs, log, machineBusyMs } from "./harness.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// CPU ms used by this process, the host and its workerd: everything of ours.
export function ownCpuMs(hostPid, workerd) {
  const self = process.cpuUsage();
  return (self.user + self.system) / 1000 + cpuMs([hostPid]) + cpuMs(workerd);
}

// Measures the share of all cores used by other processes from start() to the returned function's call.
export function foreignMeter(hostPid, workerd) {
  const busy0 = machineBusyMs();
  const own0 = ownCpuMs(hostPid, workerd);
  const t0 = Date.now();
  return () => (machineBusyMs() - busy0 - (ownCpuMs(hostPid, workerd) - own0)) / (Math.max(1, Date.now() - t0) * os.cpus().length);
}

async function foreignShare(ms, hostPid, workerd) {
  const meter = foreignMeter(hostPid, workerd);
  await sleep(ms);
  return meter();
}

// Waits up to quietWaitS for other processes to use under 15% of the CPU; returns the last share seen.
export async function waitForQuiet(hostPid, workerd, quietWaitS) {
  const until = Date.now() + quietWaitS * 1000;
  let share = await foreignShare(2000, hostPid, workerd);
  while (share > 0.15 && Date.now() < until) {
    log(`other processes use ${(100 * share).toFixed(0)}% of the CPU; waiting for them (up to ${quietWaitS} s)`);
    share = await foreignShare(5000, hostPid, workerd);
  }
  return share;
}
