// Unit tests for the web app's logic (web/src) under vitest with happy-dom: the poller, the router and
// the upload checks. Run: npx vitest run --config tests/web/vitest.config.ts (scripts/run-tests.sh does).
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: new URL("../..", import.meta.url).pathname,
  test: {
    include: ["tests/web/**/*.test.ts"],
    environment: "happy-dom",
    environmentOptions: { happyDOM: { url: "http://app.test/" } },
    restoreMocks: true,
    // One file at a time: the machine is shared (see README).
    fileParallelism: false,
  },
});
