// Every request the soak makes goes through one Recorder: it counts requests by route class and
// status, counts injected faults by kind, keeps the peak number of requests in flight, and turns any
// 5xx that no injected fault explains into a violation with what is needed to chase it (method,
// path, status, body, the Worker's requestId).
export class Recorder {
  constructor() {
    this.requests = 0;
    this.byClass = {};  // class -> count
    this.byStatus = {};  // "5xx" etc. -> count
    this.byClassStatus = {};  // "generate 202" -> count (printed as detail, not in the summary line)
    this.faults = {};  // kind -> count injected
    this.faulted5xx = {};  // kind -> 5xx answers explained by that fault
    this.inFlight = 0;
    this.peakInFlight = 0;
    this.violations = [];
  }

  fault(kind, n = 1) {
    this.faults[kind] = (this.faults[kind] ?? 0) + n;
  }

  violation(invariant, detail) {
    this.violations.push({ invariant, ...detail });
  }

  // Runs one HTTP call. `expectFault` names the injected fault that may answer 5xx (e.g. "http-trap").
  // Network errors are violations too: the Worker must answer every request.
  async call(klass, method, path, send, { expectFault } = {}) {
    this.requests++;
    this.byClass[klass] = (this.byClass[klass] ?? 0) + 1;
    this.inFlight++;
    if (this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight;
    let response;
    let text = "";
    try {
      response = await send();
      text = await response.text();
    } catch (e) {
      this.violation("every request is answered", { klass, method, path, error: String(e?.cause ?? e) });
      return { status: 0, headers: new Headers(), body: null, text: "" };
    } finally {
      this.inFlight--;
    }
    const family = `${Math.floor(response.status / 100)}xx`;
    this.byStatus[family] = (this.byStatus[family] ?? 0) + 1;

    let body = null;
    try {
      body = text && response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : null;
    } catch {}
    const fields = body?.error?.fields ? `:${Object.keys(body.error.fields).join("+")}` : "";
    const classStatus = `${klass} ${response.status}${body?.error?.code ? ` ${body.error.code}${fields}` : ""}`;
    this.byClassStatus[classStatus] = (this.byClassStatus[classStatus] ?? 0) + 1;
    if (response.status >= 500) {
      if (expectFault) this.faulted5xx[expectFault] = (this.faulted5xx[expectFault] ?? 0) + 1;
      else {
        this.violation("no 5xx without an injected fault", {
          klass, method, path, status: response.status, requestId: body?.error?.requestId, body: text.slice(0, 300),
        });
      }
    }
    return { status: response.status, headers: response.headers, body, text };
  }
}

const kv = (o) => Object.entries(o).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(",") || "none";

// The one summary line.
export function summaryLine(rec, { seconds, users, violations }) {
  return `soak: ${violations.length === 0 ? "PASS" : "FAIL"} seconds=${seconds} users=${users} requests=${rec.requests} ` +
    `peakInFlight=${rec.peakInFlight} classes={${kv(rec.byClass)}} statuses={${kv(rec.byStatus)}} ` +
    `faults={${kv(rec.faults)}} faulted5xx={${kv(rec.faulted5xx)}} violations=${violations.length}`;
}
