import { spawnSync } from 'child_process';
import { existsSync, rmSync } from 'fs';
import { join } from 'path';
import { checkout, fixtureEstate } from './fixtures/gitops/harness';

/** The built executable, as `npm run setup` leaves it and as npm links the bin. */
const BIN = join(__dirname, '..', 'lib', 'gitops-main.js');
const created: string[] = [];

function bin(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf-8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(BIN)) {
    throw new Error(`${BIN} is missing: run "npm run setup" (or "pnpm build") before the tests`);
  }
});

afterAll(() => created.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('the piksel-gitops executable', () => {
  test('prints help for the program and each command, with the rules and exit codes', () => {
    const main = bin(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/^Usage: piksel-gitops \[options\] \[command\]/);
    expect(main.stdout).toMatch(/check \[options\] <repo-dir>/);
    expect(main.stdout).toMatch(/init \[options\] <dir>/);

    const check = bin(['check', '--help']);
    expect(check.stdout).toMatch(/--environment <env> +the environment whose cluster syncs the repository\s+\(choices: "dev", "staging", "production"\)/);
    expect(check.stdout).toMatch(/\n  unschedulable +node selectors, required node affinity and tolerations/);
    expect(check.stdout).toContain('Exit code 0 when nothing is an error (warnings allowed), 1 when any finding is an error, 2 when');

    expect(bin(['init', '--help']).stdout).toContain('$ piksel-gitops init . --environment dev --app terria/terria-sa');
  });

  test('exits 1 with findings and prints them as JSON with --json', () => {
    const estate = fixtureEstate();
    const repo = checkout('today');
    created.push(estate, repo);
    const result = bin(['check', repo, '--environment', 'staging', '--estate', estate, '--json']);

    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.environment).toBe('staging');
    expect(Object.keys(parsed.findings[0])).toEqual(['rule', 'severity', 'file', 'line', 'message', 'fix']);
    expect(parsed.findings).toContainEqual(expect.objectContaining({ rule: 'flux-bootstrap', file: 'clusters/staging/flux-system/gotk-sync.yaml', line: 1 }));
    expect(result.stderr).toBe('');
  });

  test('exits 2 on a usage error', () => {
    const result = bin(['check', '.', '--environment', 'qa']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/argument 'qa' is invalid/);
    expect(result.stderr).toContain('(add --help for usage and examples)');
  });

  test('loads neither cdktf nor the AWS SDK', () => {
    const script = `require(${JSON.stringify(BIN.replace(/gitops-main\.js$/, 'gitops-cli.js'))});` +
      'console.log(Object.keys(require.cache).filter((p) => /[\\\\/](cdktf|constructs|@cdktf|@aws-sdk)[\\\\/]/.test(p)).length);';
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf-8' });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('0');
  });
});
