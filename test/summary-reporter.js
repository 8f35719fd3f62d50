// Prints one closing line for the whole run, summing every suite of every package:
// "N passed, N failed" (", N skipped (why)" when tests were skipped). CI reads this line, so it
// always starts with "N passed, N failed".
//
// Before that line it prints each suite's time, slowest first ("suite time  12.3 s  path"), so a
// slow run says where its time went; .ci/run repeats the slowest five.
//
// Why a suite was skipped: a suite that checks its prerequisites (apps/piksel-live/test/terraform/
// harness.ts `readiness()`) notes the reason in the directory this reporter names in
// PIKSEL_SKIP_REASONS_DIR (set here, before jest starts its workers, which inherit it). Tests
// skipped in code (`describe.skip`, `test.skip`, `test.todo`) are named by their file.
const { mkdtempSync, readdirSync, readFileSync, rmSync } = require('fs');
const { tmpdir } = require('os');
const { join, relative } = require('path');

const SKIP_REASONS_VARIABLE = 'PIKSEL_SKIP_REASONS_DIR';

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.reasonsDir = mkdtempSync(join(tmpdir(), 'piksel-skip-reasons-'));
    process.env[SKIP_REASONS_VARIABLE] = this.reasonsDir;
  }

  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const tail = skipped > 0 ? `, ${skipped} skipped (${this.reasons(results.testResults).join('; ')})` : '';
    rmSync(this.reasonsDir, { recursive: true, force: true });
    const times = this.suiteTimes(results.testResults);
    if (times.length > 0) process.stdout.write(`\nSuite times, slowest first:\n${times.join('\n')}\n`);
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed${tail}\n`);
  }

  /** One "suite time  12.3 s  path" line per suite that jest timed, slowest first. */
  suiteTimes(testResults) {
    return testResults
      .filter((file) => file.perfStats && file.perfStats.end > file.perfStats.start)
      .map((file) => ({ seconds: (file.perfStats.end - file.perfStats.start) / 1000, path: relative(this.rootDir, file.testFilePath) }))
      .sort((a, b) => b.seconds - a.seconds)
      .map(({ seconds, path }) => `suite time ${seconds.toFixed(1).padStart(7)} s  ${path}`);
  }

  /** "reason" when one reason covers every skipped test, else "N reason" for each. */
  reasons(testResults) {
    const noted = this.notedReasons();
    const counts = new Map();
    for (const file of testResults) {
      const count = file.numPendingTests + file.numTodoTests;
      if (count === 0) continue;
      const reason = noted.get(file.testFilePath) ?? `skipped in code in ${relative(this.rootDir, file.testFilePath)}`;
      counts.set(reason, (counts.get(reason) ?? 0) + count);
    }
    if (counts.size === 1) return [...counts.keys()];
    return [...counts].map(([reason, count]) => `${count} ${reason}`);
  }

  /** Test file → the reason its suite noted for skipping. */
  notedReasons() {
    const noted = new Map();
    let files = [];
    try {
      files = readdirSync(this.reasonsDir);
    } catch {
      return noted;
    }
    for (const file of files) {
      try {
        const { testPath, reason } = JSON.parse(readFileSync(join(this.reasonsDir, file), 'utf-8'));
        noted.set(testPath, reason);
      } catch {
        // A note half-written by a crashed worker: that file's skips fall back to "skipped in code".
      }
    }
    return noted;
  }
}
module.exports = SummaryReporter;
