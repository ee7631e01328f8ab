// `make soak` (scripts/soak.sh): SOAK_SECONDS of mixed load with faults (default 120), then quiet,
// then the invariants. Prints one summary line and every violation; exits 1 on any violation.
// SOAK_USERS (default 60) and SOAK_LANES (concurrent loops, default 12) size the load.
import { check, describe, runLoad, startSoak, summaryLine, waitForQuiet } from "./soak.js";

const seconds = Number(process.env.SOAK_SECONDS ?? 120);
const users = Number(process.env.SOAK_USERS ?? 60);
const lanes = Number(process.env.SOAK_LANES ?? 12);
const log = (line) => console.error(line);

const ctx = await startSoak({ log });
let violations = [];
try {
  await runLoad(ctx, { users, lanes, seconds, log });
  const quiet = await waitForQuiet(ctx, { log });
  if (!quiet.quiet) violations.push({ invariant: "the Worker becomes quiet after the load", ...quiet.last });
  violations.push(...(await check(ctx)));
  for (const v of violations) console.log(describe(v, ctx.worker.logs));
  log(`soak: answers by class and status ${JSON.stringify(ctx.recorder.byClassStatus)}`);
  console.log(summaryLine(ctx.recorder, { seconds, users: ctx.soak.users.length, violations }) +
    ` providerCalls=${ctx.providerCalls}`);
} finally {
  await ctx.stop();
}
process.exit(violations.length ? 1 : 0);
