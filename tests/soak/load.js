// The simulated users and what they do. Lanes (concurrent loops) pick a user and an action at random
// until the deadline; an action is one or more requests, some of them concurrent (replays, deletes
// racing a generation). Every request goes through the Recorder, which counts it and judges 5xx.
// Answers a real user can get under load (402 short of coins, 404 for an image deleted meanwhile,
// 409/429) are fine; only what breaks an invariant is reported.
import { randomUUID } from "node:crypto";
import { Client } from "../integration/support/client.js";
import { PROVIDER_SCHEDULES, pickWeighted } from "./faults.js";
import { uploadBody } from "./uploads.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pick = (list) => list[Math.floor(Math.random() * list.length)];
const chance = (p) => Math.random() < p;

// One lock for the fake Google's identity: it is global to the fake and captured when its /auth
// issues a code, so two sign-ins must not interleave between setIdentity and /auth.
function mutex() {
  let tail = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  };
}

export class Soak {
  // ctx: { worker, google, recorder, uploads, admin }
  constructor(ctx) {
    Object.assign(this, ctx);
    this.users = [];
    this.googleLock = mutex();
    // The "cron" trap point is armed for the next tick, whoever runs it: ticks take turns so that the
    // tick that armed it is the one that traps, and its 500 is counted as that fault, not as a bug.
    this.cronLock = mutex();
    this.seq = 0;
  }

  // A request as `user` (a SimUser or the admin): each user has its own client address, as real
  // users do, so the per-address sign-in limit does not turn a single-host soak into a flood of 429s.
  req(user, klass, method, path, { body, headers = {}, expectFault } = {}) {
    return this.recorder.call(klass, method, path, () =>
      user.client.fetch(path, { method, body, headers: { "cf-connecting-ip": user.ip, ...headers } }), { expectFault });
  }

  newUser(i, viaGoogle) {
    return { n: i, email: `soak-${i}-${randomUUID().slice(0, 8)}@example.com`, viaGoogle, ip: `10.77.${i >> 8}.${i & 255}`,
      client: new Client(this.worker.url), id: null, images: [] };
  }

  async signIn(user) {
    if (!user.viaGoogle) {
      const r = await this.req(user, "sign-in", "POST", "/api/auth/dev-login", { body: { email: user.email } });
      if (r.status === 200) user.id = r.body.user.id;
      return r.status;
    }
    return this.googleLock(async () => {
      this.google.setIdentity({ sub: String(900000 + user.n), email: user.email, name: `Soak ${user.n}` });
      const login = await this.req(user, "sign-in", "GET", "/api/auth/google/login?redirect=/");
      if (login.status !== 302) return login.status;
      const authorize = await fetch(login.headers.get("location"), { redirect: "manual" });
      const callback = authorize.headers.get("location");
      if (authorize.status !== 302 || !callback) return authorize.status;
      const done = await this.req(user, "sign-in", "GET", callback);
      if (done.status !== 302) return done.status;
      const me = await this.req(user, "read", "GET", "/api/me");
      if (me.status === 200) user.id = me.body.user.id;
      return me.status;
    });
  }

  async addUsers(count, googleShare) {
    const made = Array.from({ length: count }, (_, k) => this.newUser(this.users.length + k, k % Math.round(1 / googleShare) === 0));
    // Sign-ins run eight at a time: part of the load, not a burst before it.
    for (let k = 0; k < made.length; k += 8) {
      await Promise.all(made.slice(k, k + 8).map((u) => this.signIn(u)));
    }
    for (const u of made) {
      if (!u.id) this.recorder.violation("every simulated user can sign in", { email: u.email, viaGoogle: u.viaGoogle });
      else this.users.push(u);
    }
  }

  // ---- actions: each takes a signed-in user

  async read(user) {
    const id = user.images.length ? pick(user.images) : null;
    const which = Math.floor(Math.random() * 4);
    if (which === 0 || !id) return this.req(user, "read", "GET", "/api/me");
    if (which === 1) return this.req(user, "read", "GET", "/api/images?limit=20");
    if (which === 2) return this.req(user, "read", "GET", `/api/images/${id}/thumbnail`);
    return this.req(user, "read", "GET", `/api/images/${id}/content`);
  }

  async upload(user) {
    const { name, kind } = pickWeighted(Object.entries(this.uploads).map(([name, kind]) => ({ weight: kind.weight, name, kind })));
    const file = kind.file(this.seq++);
    const { body, contentType } = uploadBody(file, `soak ${name}`);
    const r = await this.req(user, `upload-${name === "good" ? "good" : "hostile"}`, "POST", "/api/images",
      { body, headers: { "content-type": contentType } });
    if (r.status === 201) user.images.push(r.body.image.id);
    if (r.status < 500 && r.status !== 429 && !kind.ok.includes(r.status)) {
      this.recorder.violation("an upload is answered as its kind requires", { userId: user.id, kind: name, status: r.status,
        expected: kind.ok, body: r.text.slice(0, 300) });
    }
    return r;
  }

  generationBody(user) {
    const schedule = pickWeighted(PROVIDER_SCHEDULES).steps;
    const refs = user.images.length && chance(0.4) ? [...new Set([pick(user.images), pick(user.images)])] : [];
    const marker = schedule.length ? ` [[gemini: ${schedule.join(", ")}]]` : "";
    return {
      prompt: `soak ${this.seq++} ${pick(["a lighthouse", "a red kite", "three pears", "a tram at night"])}${marker}`,
      ...(chance(0.3) ? { aspectRatio: pick(["16:9", "3:4", "1:1"]) } : {}),
      ...(refs.length ? { referenceImageIds: refs } : {}),
    };
  }

  async generate(user) {
    const r = await this.req(user, "generate", "POST", "/api/images/generate", { body: this.generationBody(user) });
    if (r.status === 402 && chance(0.5)) await this.grant(user, 50);
    if (r.status !== 202) return r;
    const id = r.body.image.id;
    user.images.push(id);
    const extras = [];
    if (chance(0.15)) {  // the queue delivers twice (at-least-once)
      this.recorder.fault("duplicate-delivery");
      extras.push(this.req(this.admin, "debug", "POST", `/api/_debug/generation/${id}/redeliver`));
    }
    if (chance(0.05)) {  // the instance running the job traps after the provider answers
      this.recorder.fault("job-trap");
      extras.push(this.req(this.admin, "debug", "POST", "/api/_debug/traps", { body: { point: `job:${id}`, mode: "once" } }));
    }
    if (chance(0.15)) {  // the user deletes the image while it is being made
      this.recorder.fault("delete-racing-generation");
      extras.push(sleep(Math.random() * 1500).then(() => this.req(user, "delete", "DELETE", `/api/images/${id}`)));
    }
    await Promise.all(extras);
    return r;
  }

  // The same Idempotency-Key sent twice in a row, three times at once, or again after the user
  // deleted the image it made: one image, one charge. A replay answering another image is a second
  // charge for one request (../shared/API.md: "the same key replays the same image").
  async replay(user) {
    const key = randomUUID();
    const body = this.generationBody(user);
    const send = () => this.req(user, "generate-replay", "POST", "/api/images/generate", { body, headers: { "idempotency-key": key } });
    const mode = pick(["sequential", "concurrent", "after-delete"]);
    let answers;
    if (mode === "sequential") answers = [await send(), await send()];
    else if (mode === "concurrent") answers = await Promise.all([send(), send(), send()]);
    else {
      const first = await send();
      if (first.status === 202) await this.req(user, "delete", "DELETE", `/api/images/${first.body.image.id}`);
      answers = [first, await send()];
    }
    const ids = new Set(answers.filter((a) => a.status >= 200 && a.status < 300).map((a) => a.body?.image?.id));
    if (ids.size > 1) {
      this.recorder.violation("an Idempotency-Key replay answers the same image", { userId: user.id, key, mode,
        answers: answers.map((a) => `${a.status}:${a.body?.image?.id ?? a.body?.error?.code}`) });
    }
    if (mode !== "after-delete") for (const id of ids) if (id) user.images.push(id);
  }

  async remove(user) {
    if (!user.images.length) return this.read(user);
    const id = user.images.splice(Math.floor(Math.random() * user.images.length), 1)[0];
    return this.req(user, "delete", "DELETE", `/api/images/${id}`);
  }

  async grant(user, amount = 30 + Math.floor(Math.random() * 40)) {
    return this.req(this.admin, "admin", "POST", `/api/admin/users/${user.id}/coins`, { body: { amount, reason: "soak top-up" } });
  }

  async signInAgain(user) {
    return this.signIn(user);
  }

  async sweep() {
    this.recorder.fault("sweep");
    return this.req(this.admin, "debug", "POST", "/api/_debug/generation-sweep");
  }

  async cronTick({ trap = false } = {}) {
    return this.cronLock(async () => {
      if (trap) {
        this.recorder.fault("cron-trap");
        await this.req(this.admin, "debug", "POST", "/api/_debug/traps", { body: { point: "cron", mode: "once" } });
      } else this.recorder.fault("cron-tick");
      // wrangler dev --test-scheduled answers 500 "exception" for a tick that trapped: the injected fault.
      return this.req(this.admin, "cron", "GET", "/cdn-cgi/handler/scheduled?cron=*/5+*+*+*+*",
        { expectFault: trap ? "cron-trap" : undefined });
    });
  }

  async httpTrap() {
    this.recorder.fault("http-trap");
    return this.req(this.admin, "debug", "GET", `/api/_debug/trap?tag=soak-${this.seq++}`, { expectFault: "http-trap" });
  }

  static ACTIONS = [
    { weight: 20, run: (s, u) => s.read(u) },
    { weight: 14, run: (s, u) => s.upload(u) },
    { weight: 26, run: (s, u) => s.generate(u) },
    { weight: 8, run: (s, u) => s.replay(u) },
    { weight: 8, run: (s, u) => s.remove(u) },
    { weight: 5, run: (s, u) => s.grant(u) },
    { weight: 3, run: (s, u) => s.signInAgain(u) },
    { weight: 2, run: (s) => s.sweep() },
    { weight: 2, run: (s) => s.cronTick() },
    { weight: 0.6, run: (s) => s.cronTick({ trap: true }) },
    { weight: 1, run: (s) => s.httpTrap() },
  ];

  // `lanes` loops until `deadline` (ms since the epoch).
  async run({ lanes, deadline }) {
    const lane = async () => {
      while (Date.now() < deadline) {
        const action = pickWeighted(Soak.ACTIONS);
        try {
          await action.run(this, pick(this.users));
        } catch (e) {
          this.recorder.violation("the soak's own actions do not throw", { error: String(e?.stack ?? e).slice(0, 500) });
        }
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
  }
}
