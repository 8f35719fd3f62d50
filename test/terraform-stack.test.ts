import { spawnSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ENVIRONMENTS, HUB } from '../packages/estate/src/estate';
import { main, parseArgs, ROOT, STACKS, UsageError } from '../scripts/terraform-stack';

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
      { name: 'hub', account: HUB.account },
      ...ENVIRONMENTS.flatMap((env) => [env.name, `${env.name}-bootstrap`, `${env.name}-bootstrap-nodes`].map((name) => ({ name, account: env.account }))),
    ]);
    expect(STACKS.map((s) => s.name)).toEqual([
      'hub', 'dev', 'dev-bootstrap', 'dev-bootstrap-nodes', 'staging', 'staging-bootstrap', 'staging-bootstrap-nodes',
      'production', 'production-bootstrap', 'production-bootstrap-nodes',
    ]);
  });

  test('reads the stack and the options', () => {
    expect(parseArgs(['apply', 'staging-bootstrap', '--no-synth', '--yes'])).toEqual({
      command: 'apply', stack: { name: 'staging-bootstrap', account: '326641642924' }, noSynth: true, yes: true,
    });
    expect(parseArgs(['plan', 'hub'])).toMatchObject({ command: 'plan', noSynth: false, yes: false });
  });

  test('fails when the command line is wrong', () => {
    expect(() => parseArgs(['destroy', 'hub'])).toThrow(UsageError);
    expect(() => parseArgs(['plan'])).toThrow(/exactly one stack, got none/);
    expect(() => parseArgs(['plan', 'dev', 'staging'])).toThrow(/exactly one stack, got dev staging/);
    expect(() => parseArgs(['plan', 'hub', '--yes'])).toThrow(/unknown option --yes for plan/);
    expect(() => parseArgs(['apply', 'hub', '--force'])).toThrow(/unknown option --force/);
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
    expect(result.stderr).toMatch(/Stacks, in apply order: hub, dev, dev-bootstrap, dev-bootstrap-nodes, staging/);
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
    expect(result.stdout).toMatch(/hub: account 686410905891, needs credentials for arn:aws:iam::686410905891:role\/piksel-deploy/);
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
