import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ENVIRONMENTS, HUB } from '../packages/estate/src/estate';
import {
  BOOTSTRAP_OVERRIDE, BOOTSTRAP_OVERRIDE_FILE, DIGEST_FILE, isInCluster, LOCAL_STATE_FILE, main, MIGRATED_STATE_FILE, parseArgs, previousStack,
  ROOT, SKIPPED_FILE, STACKS, UsageError,
} from '../scripts/terraform-stack';

const SCRIPT = join(ROOT, 'scripts', 'terraform-stack.ts');
const TS_NODE = require.resolve('ts-node/dist/bin.js', { paths: [ROOT] });

/**
 * Runs the script as `pnpm plan`/`pnpm apply` do, with the given PATH. No real Terraform runs:
 * the tools on that PATH are the fakes written by `fakeTools`, or none.
 */
function cli(args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(process.execPath, [TS_NODE, '--swc', '--project', join(ROOT, 'scripts', 'tsconfig.json'), SCRIPT, ...args], {
    cwd: ROOT,
    env: { HOME: process.env.HOME, ...env },
    encoding: 'utf-8',
    input: '',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * What the AWS CLI prints for S3's answers, as `aws s3api head-bucket`/`head-object` do (a HEAD
 * request has no body, so S3's error code is its HTTP status).
 */
const S3_SAYS: Record<string, string> = {
  '404': 'An error occurred (404) when calling the HeadBucket operation: Not Found',
  '403': 'An error occurred (403) when calling the HeadBucket operation: Forbidden',
  'expired': 'An error occurred (400) when calling the HeadBucket operation: Bad Request',
  'sso-expired': 'Error when retrieving token from sso: Token has expired and refresh failed',
  'throttled': 'An error occurred (503) when calling the HeadBucket operation: Slow Down',
  'object-404': 'An error occurred (404) when calling the HeadObject operation: Not Found',
  'object-403': 'An error occurred (403) when calling the HeadObject operation: Forbidden',
};

/**
 * A fake `aws` in `bin` that logs each call to `log` and answers `s3api head-bucket`/`head-object`
 * from `answers` (by `bucket` or `bucket/key`: `found`, or a key of `S3_SAYS`); a bucket without an
 * answer exists when `bucketMarker` does, and otherwise answers 404.
 */
function fakeAws(bin: string, log: string, answers: Record<string, string>, bucketMarker?: string): void {
  writeFileSync(join(bin, 'aws'), [
    `#!${process.execPath}`,
    'const fs = require("fs");',
    'const args = process.argv.slice(2);',
    `fs.appendFileSync(${JSON.stringify(log)}, "aws " + args.join(" ") + "\\n");`,
    'const arg = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);',
    'const target = arg("--key") === undefined ? arg("--bucket") : arg("--bucket") + "/" + arg("--key");',
    `const answers = ${JSON.stringify(answers)};`,
    `const marker = ${JSON.stringify(bucketMarker ?? '')};`,
    'const answer = answers[target] ?? (arg("--key") === undefined && marker && fs.existsSync(marker) ? "found" : "404");',
    'if (answer === "found") process.exit(0);',
    `process.stderr.write("\\n" + (${JSON.stringify(S3_SAYS)}[answer] ?? answer) + "\\n");`,
    'process.exit(254);',
    '',
  ].join('\n'));
  chmodSync(join(bin, 'aws'), 0o755);
}

/**
 * A directory of fake `terraform`, `pnpm` and `aws` that log each call (args and cwd) to
 * `calls.log`. `terraform show -json` prints `plan.json` of the directory.
 */
function fakeTools(dir: string, synthesizes: string[] = [], s3: Record<string, string> = {}): { bin: string; calls: () => string[] } {
  const bin = join(dir, 'bin');
  const log = join(dir, 'calls.log');
  mkdirSync(bin);
  writeFileSync(join(bin, 'terraform'), [
    '#!/bin/sh',
    `[ "$1" = version ] || echo "terraform $* @ $PWD" >> "${log}"`,
    `[ "$1" = show ] && /bin/cat "${join(dir, 'plan.json')}"`,
    'exit 0',
    '',
  ].join('\n'));
  fakeAws(bin, log, s3);
  // `pnpm run synth` writes one cdk.tf.json per stack, as the app does.
  const writes = synthesizes.map((stack) => `/bin/mkdir -p "$PIKSEL_SYNTH_OUTDIR/stacks/${stack}" && echo {} > "$PIKSEL_SYNTH_OUTDIR/stacks/${stack}/cdk.tf.json"`);
  writeFileSync(join(bin, 'pnpm'), ['#!/bin/sh', `echo "pnpm $* @ $PWD" >> "${log}"`, ...writes, ''].join('\n'));
  chmodSync(join(bin, 'terraform'), 0o755);
  chmodSync(join(bin, 'pnpm'), 0o755);
  return { bin, calls: () => (existsSync(log) ? readFileSync(log, 'utf-8').trim().split('\n') : []) };
}

describe('terraform-stack', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'terraform-stack-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('knows every stack of the estate, in apply order, with its account', () => {
    expect(STACKS).toEqual([
      ...[HUB, ...ENVIRONMENTS].map((target) => ({ name: `${target.name}-baseline`, account: target.account })),
      { name: 'hub', account: HUB.account },
      ...ENVIRONMENTS.flatMap((env) => [env.name, `${env.name}-data`, `${env.name}-bootstrap`, `${env.name}-bootstrap-nodes`, `${env.name}-platform`].map((name) => ({ name, account: env.account }))),
    ]);
    expect(STACKS.map((s) => s.name)).toEqual([
      'hub-baseline', 'dev-baseline', 'staging-baseline', 'production-baseline',
      'hub', 'dev', 'dev-data', 'dev-bootstrap', 'dev-bootstrap-nodes', 'dev-platform', 'staging', 'staging-data', 'staging-bootstrap', 'staging-bootstrap-nodes', 'staging-platform',
      'production', 'production-data', 'production-bootstrap', 'production-bootstrap-nodes', 'production-platform',
    ]);
  });

  test('knows which stages talk to the cluster, and the stack each stack stands on', () => {
    const named = (name: string) => STACKS.find((s) => s.name === name)!;
    expect(STACKS.filter(isInCluster).map((s) => s.name)).toEqual(ENVIRONMENTS.flatMap((env) => [`${env.name}-bootstrap`, `${env.name}-bootstrap-nodes`, `${env.name}-platform`]));
    expect(['hub', 'dev', 'dev-data', 'dev-bootstrap', 'dev-bootstrap-nodes', 'dev-platform'].map((name) => previousStack(named(name))?.name))
      .toEqual(['hub-baseline', 'dev-baseline', 'dev', 'dev-data', 'dev-bootstrap', 'dev-bootstrap-nodes']);
    expect(STACKS.filter((s) => s.name.endsWith('-baseline')).map(previousStack)).toEqual([undefined, undefined, undefined, undefined]);
  });

  test('reads the stack and the options', () => {
    expect(parseArgs(['apply', 'staging-bootstrap', '--no-synth', '--yes'])).toEqual({
      command: 'apply', stack: { name: 'staging-bootstrap', account: '326641642924' }, noSynth: true, yes: true, bootstrap: false, ifApplied: false, digest: false, approvedDigest: undefined,
    });
    expect(parseArgs(['plan', 'dev-data', '--if-applied', '--digest'])).toMatchObject({ command: 'plan', ifApplied: true, digest: true });
    const digest = `sha256:${'0a'.repeat(32)}`;
    expect(parseArgs(['apply', 'production-platform', `--approved-digest=${digest}`])).toMatchObject({ approvedDigest: digest });
    expect(parseArgs(['plan', 'hub'])).toMatchObject({ command: 'plan', noSynth: false, yes: false, bootstrap: false });
    expect(parseArgs(['apply', 'dev-baseline', '--bootstrap'])).toMatchObject({ command: 'apply', stack: { name: 'dev-baseline' }, bootstrap: true });
  });

  test('fails when the command line is wrong', () => {
    expect(() => parseArgs(['destroy', 'hub'])).toThrow(UsageError);
    expect(() => parseArgs(['plan'])).toThrow(/exactly one stack, got none/);
    expect(() => parseArgs(['plan', 'dev', 'staging'])).toThrow(/exactly one stack, got dev staging/);
    expect(() => parseArgs(['plan', 'hub', '--yes'])).toThrow(/unknown option --yes for plan/);
    expect(() => parseArgs(['apply', 'hub', '--force'])).toThrow(/unknown option --force/);
    expect(() => parseArgs(['apply', 'hub', '--if-applied'])).toThrow(/unknown option --if-applied for apply/);
    expect(() => parseArgs(['plan', 'hub', '--approved-digest=sha256:00'])).toThrow(/unknown option --approved-digest=sha256:00 for plan/);
    expect(() => parseArgs(['apply', 'hub', '--approved-digest=abc'])).toThrow(/--approved-digest takes the digest `plan --digest` wrote, --approved-digest=sha256:<64 hex digits>; got --approved-digest=abc/);
  });

  test('fails when --bootstrap is asked of a plan or of a stack that is no baseline', () => {
    expect(() => parseArgs(['plan', 'dev-baseline', '--bootstrap'])).toThrow(/unknown option --bootstrap for plan/);
    expect(() => parseArgs(['apply', 'dev', '--bootstrap'])).toThrow(/--bootstrap applies an account's baseline only \(hub-baseline, dev-baseline, staging-baseline, production-baseline\), not dev/);
  });

  test('fails when the stack does not exist, with exit code 2 and the list of stacks', async () => {
    const errors: string[] = [];
    const code = await main(['plan', 'prod'], { log: () => undefined, error: (line) => errors.push(line) });
    expect(code).toBe(2);
    expect(errors.join('\n')).toMatch(/no stack "prod" in the estate/);
    for (const stack of STACKS) expect(errors.join('\n')).toContain(stack.name);
  });

  test('exits 2 from the command line for an unknown stack', () => {
    const result = cli(['apply', 'prod', '--yes'], { PATH: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no stack "prod" in the estate/);
    expect(result.stderr).toMatch(/Stacks, in apply order: hub-baseline, dev-baseline, staging-baseline, production-baseline, hub, dev, dev-data, dev-bootstrap, dev-bootstrap-nodes, dev-platform, staging/);
  });

  test('fails clearly when terraform is not on the PATH, before synthesizing', () => {
    const result = cli(['plan', 'hub'], { PATH: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/terraform was not found on PATH: install Terraform 1\.11/);
    expect(result.stdout).not.toMatch(/synth/);
  });

  test('plans: synthesizes, then init and plan in the stack directory, with progress lines', () => {
    const tools = fakeTools(dir, ['hub']);
    const out = join(dir, 'out');
    const result = cli(['plan', 'hub'], { PATH: tools.bin, PIKSEL_SYNTH_OUTDIR: out });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/hub: account 686410905891, needs credentials for arn:aws:iam::686410905891:role\/piksel-plan/);
    expect(result.stdout).toMatch(/\[1\/3\] synth: pnpm synth\n/);
    expect(result.stdout).toMatch(/\[2\/3\] terraform init -input=false/);
    expect(result.stdout).toMatch(/\[3\/3\] terraform plan -input=false -out=tfplan/);
    expect(tools.calls()).toEqual([
      `pnpm run synth @ ${ROOT}`,
      `terraform init -input=false @ ${join(out, 'stacks', 'hub')}`,
      `terraform plan -input=false -out=tfplan @ ${join(out, 'stacks', 'hub')}`,
    ]);
  });

  test('applies the saved plan with --yes, reusing the last synthesis with --no-synth', () => {
    const tools = fakeTools(dir);
    const out = join(dir, 'out');
    mkdirSync(join(out, 'stacks', 'dev'), { recursive: true });
    writeFileSync(join(out, 'stacks', 'dev', 'cdk.tf.json'), '{}');
    const result = cli(['apply', 'dev', '--no-synth', '--yes'], { PATH: tools.bin, PIKSEL_SYNTH_OUTDIR: out });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/dev: account 236122835646, needs credentials for arn:aws:iam::236122835646:role\/piksel-deploy/);
    expect(result.stdout).toMatch(/\[1\/4\] synth: skipped \(--no-synth\)/);
    expect(result.stdout).toMatch(/\[4\/4\] terraform apply -input=false tfplan/);
    const stackDir = join(out, 'stacks', 'dev');
    expect(tools.calls()).toEqual([
      `terraform init -input=false @ ${stackDir}`,
      `terraform plan -input=false -out=tfplan @ ${stackDir}`,
      `terraform apply -input=false tfplan @ ${stackDir}`,
    ]);
  });

  test('fails when --no-synth finds no synthesized stack', () => {
    const tools = fakeTools(dir);
    const result = cli(['plan', 'staging', '--no-synth'], { PATH: tools.bin, PIKSEL_SYNTH_OUTDIR: join(dir, 'none') });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/staging\/cdk\.tf\.json does not exist: run without --no-synth/);
    expect(tools.calls()).toEqual([]);
  });

  test('fails when apply has neither a terminal to ask on nor --yes', () => {
    const tools = fakeTools(dir);
    const result = cli(['apply', 'production'], { PATH: tools.bin, PIKSEL_SYNTH_OUTDIR: join(dir, 'out') });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/without one, pass --yes/);
    expect(tools.calls()).toEqual([]);
  });
});

/**
 * A fake `terraform` and `aws` that behave like an empty account: the bucket exists only once the
 * baseline was applied (a marker file stands in for it), and the bootstrap override switches
 * Terraform to local state. `s3` overrides what S3 answers. Every call is logged, Terraform's with
 * the backend it ran against.
 */
function fakeAccount(dir: string, s3: Record<string, string> = {}): { bin: string; bucket: string; failMove: string; calls: () => string[] } {
  const bin = join(dir, 'bin');
  const log = join(dir, 'calls.log');
  const bucket = join(dir, 'bucket-exists');
  const failMove = join(dir, 'fail-move');
  mkdirSync(bin);
  writeFileSync(join(bin, 'terraform'), [
    '#!/bin/sh',
    '[ "$1" = version ] && exit 0',
    `if [ -f ${BOOTSTRAP_OVERRIDE_FILE} ]; then backend=local; else backend=s3; fi`,
    `echo "terraform $* @ $PWD [$backend]" >> "${log}"`,
    `if [ "$1" = init ] && [ "$backend" = s3 ] && [ ! -f "${bucket}" ]; then echo "Error: S3 bucket does not exist." >&2; exit 1; fi`,
    `if [ "$1" = init ] && [ "$3" = -migrate-state ] && [ -f "${failMove}" ]; then echo "Error: AccessDenied" >&2; exit 1; fi`,
    `if [ "$1" = apply ] && [ "$backend" = local ]; then : > "${bucket}"; echo '{"serial":1}' > ${LOCAL_STATE_FILE}; fi`,
    'exit 0',
    '',
  ].join('\n'));
  chmodSync(join(bin, 'terraform'), 0o755);
  fakeAws(bin, log, s3, bucket);
  return { bin, bucket, failMove, calls: () => (existsSync(log) ? readFileSync(log, 'utf-8').trim().split('\n') : []) };
}

/** The probe a bootstrap makes first, with the administrator's session. */
const HEAD_BUCKET = 'aws s3api head-bucket --bucket piksel-dev-tfstate --region ap-southeast-3';

describe('terraform-stack --bootstrap', () => {
  let dir: string;
  let out: string;
  let stackDir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'terraform-bootstrap-'));
    out = join(dir, 'out');
    stackDir = join(out, 'stacks', 'dev-baseline');
    mkdirSync(stackDir, { recursive: true });
    writeFileSync(join(stackDir, 'cdk.tf.json'), '{}');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const bootstrap = (bin: string) => cli(['apply', 'dev-baseline', '--bootstrap', '--no-synth', '--yes'], { PATH: bin, PIKSEL_SYNTH_OUTDIR: out });

  test('stands up an empty account: applies with local state, then moves the state into the bucket it created', () => {
    const account = fakeAccount(dir);
    const result = bootstrap(account.bin);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/dev-baseline: account 236122835646, needs an administrator session \(SSO\)/);
    expect(result.stdout).toMatch(/\[2\/6\] backend: aws s3api head-bucket --bucket piksel-dev-tfstate, expecting S3's answer that it does not exist \(404\)/);
    expect(result.stdout).toMatch(/S3 answers that piksel-dev-tfstate does not exist \(404\): applying with local state first/);
    expect(result.stdout).toMatch(/\[6\/6\] terraform init -input=false -migrate-state -force-copy/);
    expect(result.stdout).toMatch(/state moved to s3:\/\/piksel-dev-tfstate\/dev-baseline\/terraform\.tfstate/);
    expect(account.calls()).toEqual([
      HEAD_BUCKET,
      `terraform init -input=false -reconfigure @ ${stackDir} [local]`,
      `terraform plan -input=false -out=tfplan @ ${stackDir} [local]`,
      `terraform apply -input=false tfplan @ ${stackDir} [local]`,
      `terraform init -input=false -migrate-state -force-copy @ ${stackDir} [s3]`,
    ]);
    expect(existsSync(join(stackDir, BOOTSTRAP_OVERRIDE_FILE))).toBe(false);
    // Kept aside, so that a later bootstrap can never copy an old state over the bucket's.
    expect(existsSync(join(stackDir, LOCAL_STATE_FILE))).toBe(false);
    expect(existsSync(join(stackDir, MIGRATED_STATE_FILE))).toBe(true);
  });

  test('fails when the account has its bucket already, touching nothing', () => {
    const account = fakeAccount(dir);
    writeFileSync(account.bucket, '');
    const result = bootstrap(account.bin);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/dev-baseline keeps its state in piksel-dev-tfstate already \(the bucket exists\): run `pnpm apply dev-baseline` instead/);
    expect(account.calls()).toEqual([HEAD_BUCKET]);
    expect(existsSync(join(stackDir, BOOTSTRAP_OVERRIDE_FILE))).toBe(false);
  });

  test.each([
    ['an expired session', 'expired', /\(400\) when calling the HeadBucket operation: Bad Request/],
    ['an expired SSO login', 'sso-expired', /Token has expired and refresh failed/],
    ['a denial', '403', /\(403\) when calling the HeadBucket operation: Forbidden/],
    ['a throttle', 'throttled', /\(503\) when calling the HeadBucket operation: Slow Down/],
  ])('fails on %s: only S3\'s "no such bucket" lets it apply', (_name, answer, said) => {
    const account = fakeAccount(dir, { 'piksel-dev-tfstate': answer });
    const result = bootstrap(account.bin);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/dev-baseline: S3 did not say that piksel-dev-tfstate does not exist, so nothing was applied: /);
    expect(result.stderr).toMatch(said);
    expect(result.stderr).toMatch(/aws sso login --profile <profile>/);
    expect(account.calls()).toEqual([HEAD_BUCKET]);
    expect(existsSync(join(stackDir, BOOTSTRAP_OVERRIDE_FILE))).toBe(false);
    expect(existsSync(join(stackDir, LOCAL_STATE_FILE))).toBe(false);
  });

  test('fails when the AWS CLI is missing, applying nothing', () => {
    const account = fakeAccount(dir);
    rmSync(join(account.bin, 'aws'));
    const result = bootstrap(account.bin);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/S3 did not say that piksel-dev-tfstate does not exist, so nothing was applied: could not run the AWS CLI/);
    expect(account.calls()).toEqual([]);
  });

  test('resumes from the local state when the move failed, and never leaves the override behind', () => {
    const account = fakeAccount(dir);
    writeFileSync(account.failMove, '');
    const first = bootstrap(account.bin);
    expect(first.status).toBe(1);
    expect(first.stderr).toMatch(/the state is still local in .*dev-baseline\/terraform\.tfstate: fix the error above and run the same command again/);
    expect(existsSync(join(stackDir, BOOTSTRAP_OVERRIDE_FILE))).toBe(false);
    expect(existsSync(join(stackDir, LOCAL_STATE_FILE))).toBe(true);

    rmSync(account.failMove);
    const second = bootstrap(account.bin);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/\[2\/6\] backend: resuming from the local state an earlier bootstrap left/);
    expect(account.calls().slice(5)).toEqual([
      `terraform init -input=false -reconfigure @ ${stackDir} [local]`,
      `terraform plan -input=false -out=tfplan @ ${stackDir} [local]`,
      `terraform apply -input=false tfplan @ ${stackDir} [local]`,
      `terraform init -input=false -migrate-state -force-copy @ ${stackDir} [s3]`,
    ]);
  });

  test('an ordinary apply removes an override left behind, and points an empty account to --bootstrap', () => {
    const account = fakeAccount(dir);
    writeFileSync(join(stackDir, BOOTSTRAP_OVERRIDE_FILE), '{}');
    const result = cli(['apply', 'dev-baseline', '--no-synth', '--yes'], { PATH: account.bin, PIKSEL_SYNTH_OUTDIR: out });
    expect(result.status).toBe(1);
    expect(account.calls()).toEqual([`terraform init -input=false @ ${stackDir} [s3]`]);
    expect(result.stderr).toMatch(/if account 236122835646 is empty \(no state bucket yet\), stand it up with `pnpm apply dev-baseline --bootstrap`/);
  });
});

describe('terraform-stack plan --if-applied', () => {
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'terraform-if-applied-'));
    out = join(dir, 'out');
    for (const stack of ['dev-baseline', 'dev', 'dev-data']) {
      mkdirSync(join(out, 'stacks', stack), { recursive: true });
      writeFileSync(join(out, 'stacks', stack, 'cdk.tf.json'), '{}');
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const plan = (stack: string, s3: Record<string, string>) => {
    const tools = fakeTools(dir, [], s3);
    return { tools, result: cli(['plan', stack, '--no-synth', '--if-applied'], { PATH: tools.bin, PIKSEL_SYNTH_OUTDIR: out }) };
  };
  const skipped = (stack: string) => readFileSync(join(out, 'stacks', stack, SKIPPED_FILE), 'utf-8').trim();
  /** The unsigned probe: S3 answers 403 for a bucket that exists and 404 for one that does not, to anyone. */
  const PROBE = 'aws s3api head-bucket --bucket piksel-dev-tfstate --no-sign-request --region ap-southeast-3';

  test('skips every stack of an account that has no state bucket, saying so, with no credentials and no Terraform', () => {
    for (const stack of ['dev-baseline', 'dev', 'dev-data']) {
      const { tools, result } = plan(stack, { 'piksel-dev-tfstate': '404' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`${stack}: not applied yet, skipped: account 236122835646 has no state bucket piksel-dev-tfstate`));
      expect(skipped(stack)).toMatch(/^account 236122835646 has no state bucket piksel-dev-tfstate: its baseline was never applied \(`pnpm apply dev-baseline --bootstrap`/);
      expect(tools.calls()).toEqual([PROBE]);
      rmSync(join(dir, 'bin'), { recursive: true });
      rmSync(join(dir, 'calls.log'));
    }
  });

  test('skips a stack whose predecessor has no state yet, and plans the first one that can be', () => {
    const { tools, result } = plan('dev-data', { 'piksel-dev-tfstate': '403', 'piksel-dev-tfstate/dev/terraform.tfstate': 'object-404' });
    expect(result.status).toBe(0);
    expect(skipped('dev-data')).toBe('dev has no state (s3://piksel-dev-tfstate/dev/terraform.tfstate): apply dev first');
    expect(tools.calls()).toEqual([PROBE, 'aws s3api head-object --bucket piksel-dev-tfstate --key dev/terraform.tfstate --region ap-southeast-3']);
    rmSync(join(dir, 'bin'), { recursive: true });

    const next = plan('dev', { 'piksel-dev-tfstate': '403', 'piksel-dev-tfstate/dev-baseline/terraform.tfstate': 'found' });
    expect(next.result.status).toBe(0);
    expect(next.result.stdout).toMatch(/\[2\/4\] applied: does piksel-dev-tfstate exist and hold dev-baseline's state\?/);
    expect(next.result.stdout).toMatch(/\[4\/4\] terraform plan -input=false -out=tfplan/);
    expect(next.tools.calls().slice(-2)).toEqual([
      `terraform init -input=false @ ${join(out, 'stacks', 'dev')}`,
      `terraform plan -input=false -out=tfplan @ ${join(out, 'stacks', 'dev')}`,
    ]);
    expect(existsSync(join(out, 'stacks', 'dev', SKIPPED_FILE))).toBe(false);
  });

  test('plans a baseline whose bucket exists: it stands on nothing else', () => {
    const { tools, result } = plan('dev-baseline', { 'piksel-dev-tfstate': '403' });
    expect(result.status).toBe(0);
    expect(tools.calls()).toEqual([PROBE, `terraform init -input=false @ ${join(out, 'stacks', 'dev-baseline')}`, `terraform plan -input=false -out=tfplan @ ${join(out, 'stacks', 'dev-baseline')}`]);
  });

  test.each([
    ['the bucket probe is throttled', { 'piksel-dev-tfstate': 'throttled' }, /dev-data: could not tell whether piksel-dev-tfstate exists: .*\(503\)/],
    ['the state probe is denied', { 'piksel-dev-tfstate': '403', 'piksel-dev-tfstate/dev/terraform.tfstate': 'object-403' }, /dev-data: could not tell whether dev has state in s3:\/\/piksel-dev-tfstate\/dev\/terraform\.tfstate: .*\(403\)/],
    ['the session expired', { 'piksel-dev-tfstate': '403', 'piksel-dev-tfstate/dev/terraform.tfstate': 'expired' }, /could not tell whether dev has state .*\(400\)/],
  ])('fails, never skips, when %s', (_name, s3, message) => {
    const { tools, result } = plan('dev-data', s3);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(existsSync(join(out, 'stacks', 'dev-data', SKIPPED_FILE))).toBe(false);
    expect(tools.calls().filter((call) => call.startsWith('terraform'))).toEqual([]);
  });
});

describe('terraform-stack plan digests', () => {
  let dir: string;
  let out: string;
  let stackDir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'terraform-digest-'));
    out = join(dir, 'out');
    stackDir = join(out, 'stacks', 'production-platform');
    mkdirSync(stackDir, { recursive: true });
    writeFileSync(join(stackDir, 'cdk.tf.json'), '{}');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  /** A plan as `terraform show -json` prints it: one no-op and one update. */
  const showPlan = (version: string) => writeFileSync(join(dir, 'plan.json'), JSON.stringify({
    format_version: '1.2',
    resource_changes: [
      { address: 'kubernetes_manifest.Issuer', change: { actions: ['no-op'], before: { a: 1 }, after: { a: 1 } } },
      { address: 'helm_release.Gateway', change: { actions: ['update'], before: { version: '1.8.0' }, after: { version } } },
    ],
  }));
  const expected = (version: string) => `sha256:${createHash('sha256').update(JSON.stringify([{ address: 'helm_release.Gateway', actions: ['update'], after: { version } }])).digest('hex')}`;

  test('plan --digest writes the digest of the changes the plan would make', () => {
    const tools = fakeTools(dir);
    showPlan('1.9.0');
    const result = cli(['plan', 'production-platform', '--no-synth', '--digest'], { PATH: tools.bin, PIKSEL_SYNTH_OUTDIR: out });
    expect(result.status).toBe(0);
    expect(readFileSync(join(stackDir, DIGEST_FILE), 'utf-8').trim()).toBe(expected('1.9.0'));
    expect(result.stdout).toMatch(/plan digest sha256:[0-9a-f]{64} \(1 changes\)/);
  });

  test('apply --approved-digest applies the approved plan', () => {
    const tools = fakeTools(dir);
    showPlan('1.9.0');
    const result = cli(['apply', 'production-platform', '--no-synth', '--yes', `--approved-digest=${expected('1.9.0')}`], { PATH: tools.bin, PIKSEL_SYNTH_OUTDIR: out });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/production-platform: the plan is the approved one/);
    expect(tools.calls().at(-1)).toBe(`terraform apply -input=false tfplan @ ${stackDir}`);
  });

  test('fails when the plan is not the approved one, applying nothing', () => {
    const tools = fakeTools(dir);
    showPlan('1.9.1');
    const result = cli(['apply', 'production-platform', '--no-synth', '--yes', `--approved-digest=${expected('1.9.0')}`], { PATH: tools.bin, PIKSEL_SYNTH_OUTDIR: out });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/production-platform: this plan \(sha256:[0-9a-f]{64}, 1 changes\) is not the approved one \(sha256:[0-9a-f]{64}\): nothing was applied/);
    expect(tools.calls().some((call) => call.startsWith('terraform apply'))).toBe(false);
  });
});

/** Real Terraform, when this machine has it: no provider is needed, so it runs offline. */
const hasTerraform = !spawnSync('terraform', ['version'], { stdio: 'ignore' }).error;

(hasTerraform ? describe : describe.skip)('the bootstrap override, with real Terraform', () => {
  test('replaces the S3 backend of a synthesized stack: init needs no AWS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'terraform-override-'));
    try {
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({
        terraform: { backend: { s3: { bucket: 'piksel-dev-tfstate', key: 'dev-baseline/terraform.tfstate', region: 'ap-southeast-3', encrypt: true, use_lockfile: true } } },
      }));
      writeFileSync(join(dir, BOOTSTRAP_OVERRIDE_FILE), JSON.stringify(BOOTSTRAP_OVERRIDE));
      // No credentials and no network: only a local backend can initialize here.
      const env = { PATH: process.env.PATH, HOME: dir, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', AWS_EC2_METADATA_DISABLED: 'true' };
      const init = spawnSync('terraform', ['init', '-input=false', '-reconfigure', '-no-color'], { cwd: dir, encoding: 'utf-8', env });
      expect(init.stderr).toBe('');
      expect(init.stdout).toMatch(/Successfully configured the backend "local"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('keeps the state local while it is present, and init -migrate-state moves it to the configured backend', () => {
    const dir = mkdtempSync(join(tmpdir(), 'terraform-override-'));
    try {
      // A local backend at another path stands in for the S3 bucket.
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({
        terraform: { backend: { local: { path: 'bucket.tfstate' } } },
        output: { marker: { value: 'bootstrapped' } },
      }));
      const terraform = (...args: string[]) => {
        const result = spawnSync('terraform', [...args, '-no-color'], { cwd: dir, encoding: 'utf-8', env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' } });
        if (result.status !== 0) throw new Error(`terraform ${args.join(' ')}: ${result.stdout}${result.stderr}`);
        return result.stdout;
      };
      const outputs = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf-8')).outputs;

      writeFileSync(join(dir, BOOTSTRAP_OVERRIDE_FILE), JSON.stringify(BOOTSTRAP_OVERRIDE));
      terraform('init', '-input=false', '-reconfigure');
      terraform('apply', '-input=false', '-auto-approve');
      expect(outputs(LOCAL_STATE_FILE).marker.value).toBe('bootstrapped');
      expect(existsSync(join(dir, 'bucket.tfstate'))).toBe(false);

      rmSync(join(dir, BOOTSTRAP_OVERRIDE_FILE));
      terraform('init', '-input=false', '-migrate-state', '-force-copy');
      expect(outputs('bucket.tfstate').marker.value).toBe('bootstrapped');
      expect(terraform('output', '-raw', 'marker')).toBe('bootstrapped');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
