/**
 * `pnpm plan <stack>` and `pnpm apply <stack>`: synthesizes the estate, then runs Terraform in one
 * stack's directory, `apps/piksel-live/cdktf.out/stacks/<stack>`, against the S3 backend of the
 * stack's account. The operator (or the pipeline's OIDC session) must hold that account's
 * `piksel-deploy` role; this script never assumes a role itself.
 *
 * Exit codes: 0 done, 1 a step failed (Terraform's own code when it was Terraform),
 * 2 the command line was wrong (unknown stack, unknown option).
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import { existsSync, statSync } from 'fs';
import { join, relative, resolve } from 'path';
import { createInterface } from 'readline';
import { deployRoleArn, ENVIRONMENTS, HUB } from '../packages/estate/src/estate';

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

/** What a stack is and which account it deploys into. */
export interface StackSpec {
  readonly name: string;
  readonly account: string;
}

/**
 * Every stack of the estate, in apply order: the hub, then per environment its AWS stack and its
 * two in-cluster stages (the order of `apps/piksel-live/src/main.ts`).
 */
export const STACKS: StackSpec[] = [
  { name: HUB.name, account: HUB.account },
  ...ENVIRONMENTS.flatMap((env) => ['', '-bootstrap', '-bootstrap-nodes'].map((suffix) => ({
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
}

/** A command line this script cannot run; exit code 2. */
export class UsageError extends Error {}

export const USAGE = [
  'Usage: pnpm plan <stack> [--no-synth]',
  '       pnpm apply <stack> [--no-synth] [--yes]',
  '',
  '  --no-synth  reuse apps/piksel-live/cdktf.out from the last `pnpm synth`',
  '  --yes       apply the plan without asking (apply only; what CI passes)',
  '',
  `Stacks, in apply order: ${STACKS.map((s) => s.name).join(', ')}`,
].join('\n');

/** Reads `<plan|apply> <stack> [--no-synth] [--yes]`. */
export function parseArgs(argv: string[]): Invocation {
  const [command, ...rest] = argv;
  if (command !== 'plan' && command !== 'apply') {
    throw new UsageError(`unknown command "${command ?? ''}": expected plan or apply`);
  }
  const options = rest.filter((arg) => arg.startsWith('-'));
  const positionals = rest.filter((arg) => !arg.startsWith('-'));
  const unknown = options.filter((opt) => opt !== '--no-synth' && !(opt === '--yes' && command === 'apply'));
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
  return { command, stack, noSynth: options.includes('--no-synth'), yes: options.includes('--yes') };
}

/** Where progress and errors go; tests replace it. */
export interface Output {
  log(line: string): void;
  error(line: string): void;
}

/** Runs `command` in `cwd` with the terminal attached; the spawn result. */
function run(command: string, args: string[], cwd: string): SpawnSyncReturns<Buffer> {
  return spawnSync(command, args, { cwd, stdio: 'inherit' });
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
  const { command, stack, noSynth, yes } = invocation;
  const stackDir = join(stacksDir(), stack.name);
  const where = relative(ROOT, stackDir);
  const total = command === 'plan' ? 3 : 4;
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
  out.log(`${stack.name}: account ${stack.account}, needs credentials for ${deployRoleArn(stack.account)}`);

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

  const terraform = (n: number, args: string[]): number => {
    step(n, `terraform ${args.join(' ')} (in ${where})`);
    const result = run('terraform', args, stackDir);
    return result.status ?? 1;
  };
  const init = terraform(2, ['init', '-input=false']);
  if (init !== 0) return init;
  const plan = terraform(3, ['plan', '-input=false', `-out=${PLAN_FILE}`]);
  if (plan !== 0 || command === 'plan') {
    if (plan === 0) out.log(`plan saved to ${where}/${PLAN_FILE}`);
    return plan;
  }

  // Terraform applies a saved plan without asking, so the confirmation is ours.
  if (!yes && !(await confirm(`Apply this plan to ${stack.name} (account ${stack.account})? Only 'yes' is accepted: `))) {
    out.error('apply cancelled: nothing was changed');
    return 1;
  }
  return terraform(4, ['apply', '-input=false', PLAN_FILE]);
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
