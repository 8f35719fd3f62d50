/**
 * `pnpm plan <stack>` and `pnpm apply <stack>`: synthesizes the estate, then runs Terraform in one
 * stack's directory, `apps/piksel-live/cdktf.out/stacks/<stack>`, against the S3 backend of the
 * stack's account. The operator (or the pipeline's OIDC session) must hold that account's
 * `piksel-plan` role to plan and `piksel-deploy` to apply; this script never assumes a role itself.
 *
 * `pnpm apply <account>-baseline --bootstrap` stands up an empty account, whose bucket for state
 * does not exist yet: it applies the baseline with local state (a backend override file), then
 * moves that state into the bucket the apply created (`terraform init -migrate-state`). It needs
 * an administrator's session (SSO): the pipeline roles are what it creates.
 *
 * Exit codes: 0 done, 1 a step failed (Terraform's own code when it was Terraform),
 * 2 the command line was wrong (unknown stack, unknown option).
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'fs';
import { join, relative, resolve } from 'path';
import { createInterface } from 'readline';
import { deployRoleArn, ENVIRONMENTS, HUB, planRoleArn, stateBucket } from '../packages/estate/src/estate';

/** The repository root. */
export const ROOT = resolve(__dirname, '..');

/**
 * Where `pnpm synth` writes one directory per stack: `cdktf.out/stacks` in the app, or under
 * `PIKSEL_SYNTH_OUTDIR` (relative to the app) when set, as the app's `main.ts` reads it.
 */
export function stacksDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(ROOT, 'apps', 'piksel-live', env.PIKSEL_SYNTH_OUTDIR ?? 'cdktf.out', 'stacks');
}

/** The saved plan `plan` writes and `apply` applies, in the stack's directory. */
export const PLAN_FILE = 'tfplan';

/**
 * The backend override a bootstrap writes into the stack directory: Terraform merges
 * `*_override.tf.json` files into the configuration, and an override's `backend` block replaces
 * the original one, so the stack keeps its state in a local `terraform.tfstate` until it moves.
 * @see https://developer.hashicorp.com/terraform/language/files/override
 */
export const BOOTSTRAP_OVERRIDE_FILE = 'bootstrap_override.tf.json';
export const BOOTSTRAP_OVERRIDE = { terraform: { backend: { local: {} } } };

/** The local state of a bootstrap, in the stack directory, until it moves to the bucket. */
export const LOCAL_STATE_FILE = 'terraform.tfstate';

/** Where a moved local state is kept afterwards, so a second bootstrap never copies it back. */
export const MIGRATED_STATE_FILE = 'terraform.tfstate.migrated';

/** The suffix of the stack that creates an account's state bucket and pipeline roles. */
export const BASELINE_SUFFIX = '-baseline';

/** What a stack is and which account it deploys into. */
export interface StackSpec {
  readonly name: string;
  readonly account: string;
}

/** Whether `stack` is an account's baseline, the one stack a bootstrap may apply. */
export function isBaseline(stack: StackSpec): boolean {
  return stack.name.endsWith(BASELINE_SUFFIX);
}

/** The account name of a stack (`dev` of `dev-bootstrap`), whose state bucket holds its state. */
function accountName(stack: StackSpec): string {
  return [HUB, ...ENVIRONMENTS].find((target) => target.account === stack.account)!.name;
}

/**
 * Every stack of the estate, in apply order: each account's baseline, the hub, then per
 * environment its AWS stack, its data stack and its three in-cluster stages (the order of
 * `apps/piksel-live/src/main.ts`).
 */
export const STACKS: StackSpec[] = [
  ...[HUB, ...ENVIRONMENTS].map((target) => ({ name: `${target.name}${BASELINE_SUFFIX}`, account: target.account })),
  { name: HUB.name, account: HUB.account },
  ...ENVIRONMENTS.flatMap((env) => ['', '-data', '-bootstrap', '-bootstrap-nodes'].map((suffix) => ({
    name: `${env.name}${suffix}`,
    account: env.account,
  }))),
];

/** What the command line asked for. */
export interface Invocation {
  readonly command: 'plan' | 'apply';
  readonly stack: StackSpec;
  /** Reuse the stack's last synthesis instead of synthesizing again. */
  readonly noSynth: boolean;
  /** Apply without asking (`apply` only). */
  readonly yes: boolean;
  /** Apply a baseline with local state, then move the state into its bucket (`apply` only). */
  readonly bootstrap: boolean;
}

/** A command line this script cannot run; exit code 2. */
export class UsageError extends Error {}

export const USAGE = [
  'Usage: pnpm plan <stack> [--no-synth]',
  '       pnpm apply <stack> [--no-synth] [--yes]',
  '       pnpm apply <account>-baseline --bootstrap [--no-synth] [--yes]',
  '',
  '  --no-synth   reuse apps/piksel-live/cdktf.out from the last `pnpm synth`',
  '  --yes        apply the plan without asking (apply only; what CI passes)',
  '  --bootstrap  on an empty account: apply the baseline with local state, then move the state',
  '               into the bucket it created (administrator session; README "Day zero")',
  '',
  `Stacks, in apply order: ${STACKS.map((s) => s.name).join(', ')}`,
].join('\n');

/** Reads `<plan|apply> <stack> [--no-synth] [--yes] [--bootstrap]`. */
export function parseArgs(argv: string[]): Invocation {
  const [command, ...rest] = argv;
  if (command !== 'plan' && command !== 'apply') {
    throw new UsageError(`unknown command "${command ?? ''}": expected plan or apply`);
  }
  const options = rest.filter((arg) => arg.startsWith('-'));
  const positionals = rest.filter((arg) => !arg.startsWith('-'));
  const applyOnly = ['--yes', '--bootstrap'];
  const unknown = options.filter((opt) => opt !== '--no-synth' && !(applyOnly.includes(opt) && command === 'apply'));
  if (unknown.length > 0) {
    throw new UsageError(`unknown option ${unknown.join(', ')} for ${command}`);
  }
  if (positionals.length !== 1) {
    throw new UsageError(`${command} takes exactly one stack, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  }
  const stack = STACKS.find((s) => s.name === positionals[0]);
  if (!stack) {
    throw new UsageError(`no stack "${positionals[0]}" in the estate`);
  }
  const bootstrap = options.includes('--bootstrap');
  if (bootstrap && !isBaseline(stack)) {
    throw new UsageError(`--bootstrap applies an account's baseline only (${STACKS.filter(isBaseline).map((s) => s.name).join(', ')}), not ${stack.name}`);
  }
  return { command, stack, noSynth: options.includes('--no-synth'), yes: options.includes('--yes'), bootstrap };
}

/** Where progress and errors go; tests replace it. */
export interface Output {
  log(line: string): void;
  error(line: string): void;
}

/** Runs `command` in `cwd` with the terminal attached (or its output discarded); the spawn result. */
function run(command: string, args: string[], cwd: string, quiet: boolean = false): SpawnSyncReturns<Buffer> {
  return spawnSync(command, args, { cwd, stdio: quiet ? 'ignore' : 'inherit' });
}

/** Asks on the terminal; true only for `yes`, as Terraform's own prompt does. */
async function confirm(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await new Promise<string>((done) => prompt.question(question, done));
  prompt.close();
  return answer.trim() === 'yes';
}

/** Runs the invocation's steps; resolves to the exit code. */
export async function execute(invocation: Invocation, out: Output): Promise<number> {
  const { command, stack, noSynth, yes, bootstrap } = invocation;
  const stackDir = join(stacksDir(), stack.name);
  const where = relative(ROOT, stackDir);
  const total = bootstrap ? 6 : command === 'plan' ? 3 : 4;
  const step = (n: number, what: string) => out.log(`[${n}/${total}] ${what}`);

  // Fail before the minutes of synthesis, not after.
  if (spawnSync('terraform', ['version'], { stdio: 'ignore' }).error) {
    out.error('terraform was not found on PATH: install Terraform 1.11 (CI pins 1.11.4) and run again');
    return 1;
  }
  if (command === 'apply' && !yes && !process.stdin.isTTY) {
    out.error('apply asks for confirmation on a terminal; without one, pass --yes');
    return 2;
  }
  out.log(bootstrap
    ? `${stack.name}: account ${stack.account}, needs an administrator session (SSO): the pipeline roles do not exist yet`
    : `${stack.name}: account ${stack.account}, needs credentials for ${command === 'plan' ? planRoleArn(stack.account) : deployRoleArn(stack.account)}`);

  if (noSynth) {
    const synthesized = join(stackDir, 'cdk.tf.json');
    if (!existsSync(synthesized)) {
      out.error(`${relative(ROOT, synthesized)} does not exist: run without --no-synth (or \`pnpm synth\` first)`);
      return 1;
    }
    const minutes = Math.round((Date.now() - statSync(synthesized).mtimeMs) / 60_000);
    step(1, `synth: skipped (--no-synth), reusing ${where} synthesized ${minutes} min ago`);
  } else {
    step(1, 'synth: pnpm synth');
    const synth = run('pnpm', ['run', 'synth'], ROOT);
    if (synth.status !== 0) {
      out.error(synth.error ? `could not run pnpm: ${synth.error.message}` : 'pnpm synth failed');
      return 1;
    }
  }
  // A bootstrap that stopped half-way must never leave the stack on local state.
  rmSync(join(stackDir, BOOTSTRAP_OVERRIDE_FILE), { force: true });

  const terraform = (n: number, args: string[]): number => {
    step(n, `terraform ${args.join(' ')} (in ${where})`);
    const result = run('terraform', args, stackDir);
    return result.status ?? 1;
  };
  const applyPlan = async (n: number): Promise<number> => {
    const plan = terraform(n, ['plan', '-input=false', `-out=${PLAN_FILE}`]);
    if (plan !== 0 || command === 'plan') {
      if (plan === 0) out.log(`plan saved to ${where}/${PLAN_FILE}`);
      return plan;
    }
    // Terraform applies a saved plan without asking, so the confirmation is ours.
    if (!yes && !(await confirm(`Apply this plan to ${stack.name} (account ${stack.account})? Only 'yes' is accepted: `))) {
      out.error('apply cancelled: nothing was changed');
      return 1;
    }
    return terraform(n + 1, ['apply', '-input=false', PLAN_FILE]);
  };
  if (bootstrap) return bootstrapBaseline(stack, stackDir, { step, terraform, applyPlan }, out);

  const init = terraform(2, ['init', '-input=false']);
  if (init !== 0) {
    if (isBaseline(stack)) out.error(`if account ${stack.account} is empty (no state bucket yet), stand it up with \`pnpm apply ${stack.name} --bootstrap\``);
    return init;
  }
  return applyPlan(3);
}

/** The steps `execute` hands a bootstrap. */
interface BootstrapSteps {
  step(n: number, what: string): void;
  terraform(n: number, args: string[]): number;
  applyPlan(n: number): Promise<number>;
}

/**
 * Steps 2-6 of `apply <account>-baseline --bootstrap`: refuse when the stack's bucket already
 * answers (its state lives there), apply with local state, move the state into the bucket.
 * Run again after a failure, it resumes from the local state the first run left.
 */
async function bootstrapBaseline(stack: StackSpec, stackDir: string, steps: BootstrapSteps, out: Output): Promise<number> {
  const where = relative(ROOT, stackDir);
  const bucket = stateBucket(accountName(stack));
  const localState = join(stackDir, LOCAL_STATE_FILE);
  if (existsSync(localState)) {
    steps.step(2, `backend: resuming from the local state an earlier bootstrap left in ${where}/${LOCAL_STATE_FILE}`);
  } else {
    steps.step(2, `backend: terraform init -input=false -reconfigure (in ${where}), expecting no bucket ${bucket} yet`);
    if (run('terraform', ['init', '-input=false', '-reconfigure'], stackDir, true).status === 0) {
      out.error(`${stack.name} keeps its state in ${bucket} already (the backend answered): run \`pnpm apply ${stack.name}\` instead`);
      return 1;
    }
    out.log(`the backend did not answer (no bucket ${bucket} yet): applying with local state first`);
  }

  writeFileSync(join(stackDir, BOOTSTRAP_OVERRIDE_FILE), `${JSON.stringify(BOOTSTRAP_OVERRIDE, null, 2)}\n`);
  let applied: number;
  try {
    applied = steps.terraform(3, ['init', '-input=false', '-reconfigure']);
    if (applied === 0) applied = await steps.applyPlan(4);
  } finally {
    rmSync(join(stackDir, BOOTSTRAP_OVERRIDE_FILE), { force: true });
  }
  if (applied !== 0) return applied;

  // Without the override the configuration names the S3 backend again: Terraform copies the
  // local state there (-force-copy answers its question) and keeps using the bucket.
  const migrated = steps.terraform(6, ['init', '-input=false', '-migrate-state', '-force-copy']);
  if (migrated !== 0) {
    out.error(`the state is still local in ${where}/${LOCAL_STATE_FILE}: fix the error above and run the same command again`);
    return migrated;
  }
  if (existsSync(localState)) renameSync(localState, join(stackDir, MIGRATED_STATE_FILE));
  out.log(`${stack.name}: state moved to s3://${bucket}/${stack.name}/terraform.tfstate; from now on \`pnpm plan ${stack.name}\` and \`pnpm apply ${stack.name}\` use it`);
  return 0;
}

/** The command line's entry point; resolves to the exit code. */
export async function main(argv: string[], out: Output = console): Promise<number> {
  let invocation: Invocation;
  try {
    invocation = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    out.error(`error: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  return execute(invocation, out);
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
