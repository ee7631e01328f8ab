// A small closed-loop load generator: `concurrency` loops, each sending its next GET as soon as the
// previous answer's body has been read, over keep-alive loopback connections, until `count` requests
// have been sent. Latency is request start to last body byte (process.hrtime), in ms.
import http from "node:http";

export function makeAgent(concurrency) {
  return new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
}

// headers: extra request headers (e.g. a cookie), none by default.
export function getOnce(agent, url, timeoutMs, headers = undefined) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.get(url, { agent, headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        resolve({ ms, status: res.statusCode, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers });
      });
      res.on("error", reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`request timed out after ${timeoutMs} ms`)));
    req.on("error", reject);
  });
}

// Returns {latencies: number[] (ms, in completion order), wallMs, errors, firstError}.
// `check(response)` returns true for a good answer; bad answers count as errors and their latency is
// not recorded. Stops early (and says so) past `deadline` (Date.now() ms) or `maxErrors`.
export async function runLoad({ url, count, concurrency, agent, check, deadline = Infinity, timeoutMs = 10_000, maxErrors = 20, headers }) {
  const latencies = [];
  let sent = 0;
  let errors = 0;
  let firstError = null;
  let stoppedEarly = null;
  const started = process.hrtime.bigint();
  async function loop() {
    while (sent < count && !stoppedEarly) {
      sent++;
      try {
        const r = await getOnce(agent, url, timeoutMs, headers);
        if (check(r)) latencies.push(r.ms);
        else {
          errors++;
          firstError ??= `status ${r.status}: ${r.body.slice(0, 300)}`;
        }
      } catch (e) {
        errors++;
        firstError ??= String(e?.message ?? e);
      }
      if (errors >= maxErrors) stoppedEarly = `${errors} errors`;
      else if (Date.now() > deadline) stoppedEarly = "time limit";
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { latencies, wallMs, errors, firstError, stoppedEarly };
}

export async function fetchOnce(url, timeoutMs = 10_000) {
  const agent = new http.Agent({ keepAlive: false });
  try {
    return await getOnce(agent, url, timeoutMs);
  } finally {
    agent.destroy();
  }
}

// Nearest-rank percentile of an ascending-sorted array.
export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}

export function median(values) {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export function summarize(latencies, wallMs) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean,
    rps: sorted.length / (wallMs / 1000),
  };
}
