// A node:test reporter for scripts/run-tests.sh: one line per test file with what really ran, so the
// summary can tell a file that passed from a file that ran nothing.
//
//   counts <file> tests=N pass=N fail=N cancelled=N skipped=N empty=0|1
//
// Why not node's own "ℹ pass/fail" lines: with process isolation a file that defines no test (or whose
// tests were all removed by a bad edit) shows up as ONE passing test named after the file, and a file
// killed by --test-timeout is "cancelled", not "failed". Here `empty=1` marks a file whose only result
// is that stand-in, and cancelled (timeout, cancelled by parent) is counted on its own so the script can
// treat it as a failure.
import path from "node:path";

export default async function* countReporter(source) {
  const files = new Map();
  const entry = (file) => {
    if (!files.has(file)) files.set(file, { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, wrapperPassed: false });
    return files.get(file);
  };
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const { data } = event;
    if (data.details?.type === "suite" || !data.file) continue;
    const counts = entry(data.file);
    // The per-file stand-in the runner reports for the file itself (a load error, a timeout, or no tests).
    const isWrapper = data.nesting === 0 && (data.name === path.relative(process.cwd(), data.file) || data.name === data.file);
    if (isWrapper && event.type === "test:pass") {
      counts.wrapperPassed = true;
      continue;
    }
    counts.tests++;
    if (data.skip || data.todo) counts.skipped++;
    else if (event.type === "test:pass") counts.pass++;
    else if (["testTimeoutFailure", "cancelledByParent"].includes(data.details?.error?.failureType)) counts.cancelled++;
    else counts.fail++;
  }
  for (const [file, c] of files) {
    const empty = c.tests === 0 ? 1 : 0;
    yield `counts ${path.relative(process.cwd(), file)} tests=${c.tests} pass=${c.pass} fail=${c.fail} cancelled=${c.cancelled} skipped=${c.skipped} empty=${empty}\n`;
  }
}
