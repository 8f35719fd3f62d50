import { existsSync, writeFileSync } from 'fs';
import { join } from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const SummaryReporter = require('./summary-reporter');

const ROOT = join(__dirname, '..');

/** A jest result for one test file, with `pending` skipped tests. */
function file(path: string, passed: number, pending = 0) {
  return { testFilePath: join(ROOT, path), numPassingTests: passed, numPendingTests: pending, numTodoTests: 0 };
}

/** Runs the reporter over `files` (noting `notes` as suites would) and returns its closing line. */
function closingLine(files: ReturnType<typeof file>[], notes: Record<string, string> = {}, failed = 0): string {
  const saved = process.env.PIKSEL_SKIP_REASONS_DIR;
  const reporter = new SummaryReporter({ rootDir: ROOT });
  const dir = process.env.PIKSEL_SKIP_REASONS_DIR!;
  process.env.PIKSEL_SKIP_REASONS_DIR = saved;
  Object.entries(notes).forEach(([path, reason], i) => writeFileSync(join(dir, `${i}.json`), JSON.stringify({ testPath: join(ROOT, path), reason })));
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    reporter.onRunComplete(new Set(), {
      numPassedTests: files.reduce((n, f) => n + f.numPassingTests, 0),
      numFailedTests: failed,
      numRuntimeErrorTestSuites: 0,
      numPendingTests: files.reduce((n, f) => n + f.numPendingTests, 0),
      numTodoTests: 0,
      testResults: files,
    });
    expect(existsSync(dir)).toBe(false);
    return String(write.mock.calls.map(([text]) => text).join('')).trim();
  } finally {
    write.mockRestore();
  }
}

describe('summary reporter', () => {
  const TERRAFORM = 'apps/piksel-live/test/terraform.test.ts';

  test('ends with "N passed, N failed" when nothing is skipped', () => {
    expect(closingLine([file('a.test.ts', 3)], {}, 1)).toBe('3 passed, 1 failed');
  });

  test('says why a suite was skipped, from the reason it noted', () => {
    expect(closingLine([file('a.test.ts', 3), file(TERRAFORM, 0, 8)], { [TERRAFORM]: 'terraform: no provider mirror found' }))
      .toBe('3 passed, 0 failed, 8 skipped (terraform: no provider mirror found)');
  });

  test('counts each reason when there are several, naming the file of a skip in code', () => {
    expect(closingLine([file(TERRAFORM, 0, 8), file('packages/x/test/y.test.ts', 2, 1)], { [TERRAFORM]: 'terraform: not on PATH' }))
      .toBe('2 passed, 0 failed, 9 skipped (8 terraform: not on PATH; 1 skipped in code in packages/x/test/y.test.ts)');
  });

  test('prints each suite\'s time, slowest first, before the closing line', () => {
    const timed = (path: string, seconds: number) => ({ ...file(path, 1), perfStats: { start: 1_000, end: 1_000 + seconds * 1000 } });
    const saved = process.env.PIKSEL_SKIP_REASONS_DIR;
    const reporter = new SummaryReporter({ rootDir: ROOT });
    process.env.PIKSEL_SKIP_REASONS_DIR = saved;
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const files = [timed('fast.test.ts', 0.25), timed(TERRAFORM, 41.5), timed('b.test.ts', 3)];
      reporter.onRunComplete(new Set(), {
        numPassedTests: 3, numFailedTests: 0, numRuntimeErrorTestSuites: 0, numPendingTests: 0, numTodoTests: 0, testResults: files,
      });
      const lines = write.mock.calls.map(([text]) => String(text)).join('').trim().split('\n');
      expect(lines.filter((line) => line.startsWith('suite time'))).toEqual([
        `suite time    41.5 s  ${TERRAFORM}`,
        'suite time     3.0 s  b.test.ts',
        'suite time     0.3 s  fast.test.ts',
      ]);
      expect(lines[lines.length - 1]).toBe('3 passed, 0 failed');
    } finally {
      write.mockRestore();
    }
  });

  test('the line CI parses still starts with the counts', () => {
    expect(closingLine([file(TERRAFORM, 1, 2)], { [TERRAFORM]: 'terraform: not on PATH' })).toMatch(/^[0-9]+ passed, [0-9]+ failed/);
  });
});
