import { spawnSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ENVIRONMENTS, HUB } from '../packages/estate/src/estate';
import {
  BOOTSTRAP_OVERRIDE, BOOTSTRAP_OVERRIDE_FILE, LOCAL_STATE_FILE, main, MIGRATED_STATE_FILE, parseArgs, ROOT, STACKS, UsageError,
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

/** A directory of fake `terraform` and `pnpm` that log each call (args and cwd) to `calls.log`. */
function fakeTools(dir: string, synthesizes: string[] = []): { bin: string; calls: () => string[] } {
  const bin = join(dir, 'bin');
  const log = join(dir, 'calls.log');
  mkdirSync(bin);
  writeFileSync(join(bin, 'terraform'), `#!/bin/sh\n[ "$1" = version ] || echo "terraform $* @ $PWD" >> "${log}"\n`);
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

  test('reads the stack and the options', () => {
    expect(parseArgs(['apply', 'staging-bootstrap', '--no-synth', '--yes'])).toEqual({
      command: 'apply', stack: { name: 'staging-bootstrap', account: '326641642924' }, noSynth: true, yes: true, bootstrap: false,
    });
    expect(parseArgs(['plan', 'hub'])).toMatchObject({ command: 'plan', noSynth: false, yes: false, bootstrap: false });
    expect(parseArgs(['apply', 'dev-baseline', '--bootstrap'])).toMatchObject({ command: 'apply', stack: { name: 'dev-baseline' }, bootstrap: true });
  });

  test('fails when the command line is wrong', () => {
    expect(() => parseArgs(['destroy', 'hub'])).toThrow(UsageError);
    expect(() => parseArgs(['plan'])).toThrow(/exactly one stack, got none/);
    expect(() => parseArgs(['plan', 'dev', 'staging'])).toThrow(/exactly one stack, got dev staging/);
    expect(() => parseArgs(['plan', 'hub', '--yes'])).toThrow(/unknown option --yes for plan/);
    expect(() => parseArgs(['apply', 'hub', '--force'])).toThrow(/unknown option --force/);
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
    expect(result.stderr).toMatch(/Stacks, in apply order: hub-baseline, dev-baseline, staging-baseline, production-baseline, hub, dev, dev-data, dev-bootstrap, dev-bootstrap-nodes, staging/);
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
 * A fake `terraform` that behaves like an empty account: the S3 backend answers only once the
 * baseline was applied (a marker file stands in for the bucket), and the bootstrap override
 * switches it to local state. Every call is logged with the backend it ran against.
 */
function fakeAccount(dir: string): { bin: string; bucket: string; failMove: string; calls: () => string[] } {
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
  return { bin, bucket, failMove, calls: () => (existsSync(log) ? readFileSync(log, 'utf-8').trim().split('\n') : []) };
}

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
    expect(result.stdout).toMatch(/\[2\/6\] backend: terraform init -input=false -reconfigure .*expecting no bucket piksel-dev-tfstate yet/);
    expect(result.stdout).toMatch(/the backend did not answer \(no bucket piksel-dev-tfstate yet\): applying with local state first/);
    expect(result.stdout).toMatch(/\[6\/6\] terraform init -input=false -migrate-state -force-copy/);
    expect(result.stdout).toMatch(/state moved to s3:\/\/piksel-dev-tfstate\/dev-baseline\/terraform\.tfstate/);
    expect(account.calls()).toEqual([
      `terraform init -input=false -reconfigure @ ${stackDir} [s3]`,
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
    expect(result.stderr).toMatch(/dev-baseline keeps its state in piksel-dev-tfstate already \(the backend answered\): run `pnpm apply dev-baseline` instead/);
    expect(account.calls()).toEqual([`terraform init -input=false -reconfigure @ ${stackDir} [s3]`]);
    expect(existsSync(join(stackDir, BOOTSTRAP_OVERRIDE_FILE))).toBe(false);
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
