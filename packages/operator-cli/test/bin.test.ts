import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { OAUTH_VALUE } from './util';

/** The built executable, as `npm run setup` leaves it and as npm links the bin. */
const BIN = join(__dirname, '..', 'lib', 'main.js');
const home = mkdtempSync(join(tmpdir(), 'piksel-secrets-bin-'));
const emptyFile = join(home, 'empty');
writeFileSync(emptyFile, '');

/**
 * An environment with no AWS credentials anywhere: no variables, empty config and credentials
 * files, no instance metadata. Everything else (PATH, HOME) is the test's own.
 */
function withoutAws(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
  return {
    ...env,
    HOME: home,
    AWS_CONFIG_FILE: emptyFile,
    AWS_SHARED_CREDENTIALS_FILE: emptyFile,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

function bin(args: string[], input = '') {
  const result = spawnSync(process.execPath, [BIN, ...args], { input, env: withoutAws(), encoding: 'utf-8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, output: result.stdout + result.stderr };
}

beforeAll(() => {
  if (!existsSync(BIN)) {
    throw new Error(`${BIN} is missing: run "npm run setup" (or "pnpm build") before the tests`);
  }
});

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the piksel-secrets executable', () => {
  test('prints help with examples for the program and each command', () => {
    const main = bin(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/Usage: piksel-secrets \[options\] \[command\]/);
    expect(main.stdout).toMatch(/put \[options\]/);
    expect(main.stdout).toMatch(/check \[options\]/);

    const put = bin(['put', '--help']);
    expect(put.code).toBe(0);
    expect(put.stdout).toMatch(/--kind <kind> +what the secret holds \(choices: "oauth-client",\s+"slack-webhook"\)/);
    expect(put.stdout).toMatch(/--region <region> +AWS region \(default: "ap-southeast-3"\)/);
    expect(put.stdout).toContain('Examples:');
    expect(put.stdout).not.toContain('--value <value>');

    expect(bin(['check', '--help']).stdout).toContain('$ piksel-secrets check --env dev');
  });

  test('refuses a malformed value with a non-zero exit and never echoes it', () => {
    const malformed = 'https://hooks.example.com/not-slack-3x4mpl3';
    const result = bin(['put', '--env', 'dev', '--service', 'alerts', '--kind', 'slack-webhook', '--value-stdin'], malformed);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refused: the value is not a Slack incoming-webhook URL/);
    expect(result.output).not.toContain(malformed);
    expect(result.output).not.toContain('3x4mpl3');
  });

  test('rehearses a put with --dry-run without any credentials: tags shown, value masked', () => {
    const started = Date.now();
    const result = bin(['put', '--env', 'staging', '--service', 'grafana', '--kind', 'oauth-client', '--value-stdin', '--dry-run'], OAUTH_VALUE);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Account +not verified: no usable AWS credentials/);
    expect(result.stdout).toContain('Tags         Project=Piksel, Service=grafana, Environment=staging, Owner=Piksel-Devops-Team, Tenant=Cognito');
    expect(result.stdout).toContain('Key          alias/piksel-staging-secrets if it exists, otherwise aws/secretsmanager (not looked up)');
    expect(result.stdout).toContain('Value        ******** (hidden)');
    expect(result.stdout).toContain('Dry run: nothing was written.');
    expect(result.output).not.toContain(OAUTH_VALUE);
    expect(result.stderr).toBe('');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  test('loads neither cdktf nor the AWS provider bindings', () => {
    const script = `require(${JSON.stringify(BIN.replace(/main\.js$/, 'index.js'))});` +
      'console.log(Object.keys(require.cache).filter((p) => /[\\\\/](cdktf|constructs|@cdktf)[\\\\/]/.test(p)).length);';
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf-8' });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('0');
  });
});
