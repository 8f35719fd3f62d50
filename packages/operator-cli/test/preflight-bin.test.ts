import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** The built executable, as `npm run setup` leaves it and as npm links the bin. */
const BIN = join(__dirname, '..', 'lib', 'preflight-main.js');
const home = mkdtempSync(join(tmpdir(), 'piksel-preflight-bin-'));
const emptyFile = join(home, 'empty');
writeFileSync(emptyFile, '');

/** No AWS credentials anywhere: no variables, empty config and credentials files, no instance metadata. */
function withoutAws(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
  return { ...env, HOME: home, AWS_CONFIG_FILE: emptyFile, AWS_SHARED_CREDENTIALS_FILE: emptyFile, AWS_EC2_METADATA_DISABLED: 'true' };
}

function bin(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { env: withoutAws(), encoding: 'utf-8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(BIN)) {
    throw new Error(`${BIN} is missing: run "npm run setup" (or "pnpm build") before the tests`);
  }
});

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the piksel-preflight executable', () => {
  test('prints help with the environments, examples and exit codes', () => {
    const help = bin(['--help']);

    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: piksel-preflight \[options\]/);
    expect(help.stdout).toMatch(/--env <env> +the environment whose account you are signed in to\s+\(choices: "hub", "dev", "staging", "production"\)/);
    expect(help.stdout).toMatch(/--region <region> +AWS region \(default: "ap-southeast-3"\)/);
    expect(help.stdout).toContain('$ piksel-preflight --env dev --profile piksel-dev');
    expect(help.stdout).toContain('$ AWS_PROFILE=piksel-hub piksel-preflight --env hub');
    expect(help.stdout).toContain('Exit code 0 when no check fails (warnings allowed), 1 when any fails, 2 when the preflight');
  });

  test('exits 2 on a usage error', () => {
    const result = bin(['--env', 'qa']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/argument 'qa' is invalid/);
    expect(result.stderr).toContain('(add --help for usage and examples)');
  });

  test('exits 2 within seconds without credentials, saying how to sign in', () => {
    const started = Date.now();
    const result = bin(['--env', 'staging']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: no usable AWS credentials/);
    expect(result.stdout).toBe('');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  test('loads neither cdktf nor @piksel/secrets: its checks need the estate table and the SDK only', () => {
    const script = `require(${JSON.stringify(BIN.replace(/preflight-main\.js$/, 'preflight-cli.js'))});` +
      'console.log(Object.keys(require.cache).filter((p) => /[\\\\/](cdktf|constructs|@cdktf|secrets[\\\\/]lib)[\\\\/]/.test(p)).length);';
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf-8' });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('0');
  });
});
