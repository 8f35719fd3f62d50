/**
 * `pnpm plan <stack>` and `pnpm apply <stack>`: synthesizes the estate, then runs Terraform in one
 * stack's directory, `apps/piksel-live/cdktf.out/stacks/<stack>`, against the S3 backend of the
 * stack's account. The operator (or the pipeline's OIDC session) must hold that account's
 * `piksel-plan` role to plan and `piksel-deploy` to apply; this script never assumes a role itself.
 *
 * `pnpm apply <account>-baseline --bootstrap` stands up an empty account, whose bucket for state
 * does not exist yet: it applies the baseline with local state (a backend override file), then
 * moves that state into the bucket the apply created (`terraform init -migrate-state`). It needs
 * an administrator's session (SSO): the pipeline roles are what it creates. It goes ahead only
 * when S3 answers that the bucket does not exist (404); an expired session, a denial or a throttle
 * stops it.
 *
 * `pnpm plan <stack> --if-applied` (the pipeline's plans) plans a stack only once the stacks it
 * stands on were applied: its account has its state bucket, and the stack before it in the
 * account's apply order has state. Otherwise it says "not applied yet" and why, writes that to
 * `tfplan.skipped` in the stack directory, and exits 0. `--digest` writes the plan's digest to
 * `tfplan.digest`; `pnpm apply <stack> --approved-digest=<digest>` applies only a plan with that
 * digest, so a plan approved in one job is the one another job applies.
 *
 * Exit codes: 0 done, 1 a step failed (Terraform's own code when it was Terraform),
 * 2 the command line was wrong (unknown stack, unknown option).
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'fs';
import { join, relative, resolve } from 'path';
import { createInterface } from 'readline';
import { deployRoleArn, ENVIRONMENTS, HUB, planRoleArn, REGION, stateBucket } from '../packages/estate/src/estate';

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

/** Why `plan --if-applied` planned nothing, in the stack's directory (absent after a plan). */
export const SKIPPED_FILE = 'tfplan.skipped';

/** The digest of the saved plan that `plan --digest` writes, in the stack's directory. */
export const DIGEST_FILE = 'tfplan.digest';

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

/**
 * The in-cluster stages of an environment, in apply order: they talk to the cluster's private API
 * endpoint, so Terraform for them runs on the environment's runner inside its VPC.
 */
export const IN_CLUSTER_SUFFIXES = ['-bootstrap', '-bootstrap-nodes', '-platform'];

/** What a stack is and which account it deploys into. */
export interface StackSpec {
  readonly name: string;
  readonly account: string;
}

/** Whether `stack` is an account's baseline, the one stack a bootstrap may apply. */
export function isBaseline(stack: StackSpec): boolean {
  return stack.name.endsWith(BASELINE_SUFFIX);
}

/** Whether `stack` is an in-cluster stage, which only a runner inside its VPC can plan or apply. */
export function isInCluster(stack: StackSpec): boolean {
  return IN_CLUSTER_SUFFIXES.some((suffix) => stack.name.endsWith(suffix));
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
  ...ENVIRONMENTS.flatMap((env) => ['', '-data', ...IN_CLUSTER_SUFFIXES].map((suffix) => ({
    name: `${env.name}${suffix}`,
    account: env.account,
  }))),
];

/**
 * The stack applied just before `stack` in its account (`dev` before `dev-data`, `hub-baseline`
 * before `hub`): the one whose state it reads or whose resources it needs. None for a baseline.
 */
export function previousStack(stack: StackSpec): StackSpec | undefined {
  const ofAccount = STACKS.filter((s) => s.account === stack.account);
  return ofAccount[ofAccount.findIndex((s) => s.name === stack.name) - 1];
}

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
  /** Plan only once the stacks it stands on were applied; otherwise say why and plan nothing (`plan` only). */
  readonly ifApplied: boolean;
  /** Write the saved plan's digest to `tfplan.digest` (`plan` only). */
  readonly digest: boolean;
  /** Apply the plan only when its digest is this one (`apply` only). */
  readonly approvedDigest?: string;
}

/** A command line this script cannot run; exit code 2. */
export class UsageError extends Error {}

export const USAGE = [
  'Usage: pnpm plan <stack> [--no-synth] [--if-applied] [--digest]',
  '       pnpm apply <stack> [--no-synth] [--yes] [--approved-digest=<digest>]',
  '       pnpm apply <account>-baseline --bootstrap [--no-synth] [--yes]',
  '',
  '  --no-synth        reuse apps/piksel-live/cdktf.out from the last `pnpm synth`',
  '  --if-applied      plan only once the account has its state bucket and the stack before this',
  `                    one has state; otherwise say why, write it to ${SKIPPED_FILE} and exit 0 (plan only)`,
  `  --digest          write the saved plan's digest to ${DIGEST_FILE} (plan only)`,
  '  --yes             apply the plan without asking (apply only; what CI passes)',
  '  --approved-digest=<digest>',
  '                    apply only a plan with this digest, as `plan --digest` wrote it (apply only)',
  '  --bootstrap       on an empty account: apply the baseline with local state, then move the state',
  '                    into the bucket it created (administrator session; README "Day zero")',
  '',
  `Stacks, in apply order: ${STACKS.map((s) => s.name).join(', ')}`,
].join('\n');

/** Options of one command only; `--no-synth` is both's. */
const COMMAND_OPTIONS = { plan: ['--if-applied', '--digest'], apply: ['--yes', '--bootstrap', '--approved-digest'] };

/** A digest as `plan --digest` writes it. */
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Reads `<plan|apply> <stack> [options]`. */
export function parseArgs(argv: string[]): Invocation {
  const [command, ...rest] = argv;
  if (command !== 'plan' && command !== 'apply') {
    throw new UsageError(`unknown command "${command ?? ''}": expected plan or apply`);
  }
  const options = rest.filter((arg) => arg.startsWith('-'));
  const positionals = rest.filter((arg) => !arg.startsWith('-'));
  const known = ['--no-synth', ...COMMAND_OPTIONS[command]];
  const unknown = options.filter((opt) => !known.includes(opt.split('=')[0]));
  if (unknown.length > 0) {
    throw new UsageError(`unknown option ${unknown.join(', ')} for ${command}`);
  }
  const approved = options.find((opt) => opt.split('=')[0] === '--approved-digest');
  const approvedDigest = approved?.slice('--approved-digest='.length);
  if (approved !== undefined && !DIGEST.test(approvedDigest ?? '')) {
    throw new UsageError(`--approved-digest takes the digest \`plan --digest\` wrote, --approved-digest=sha256:<64 hex digits>; got ${approved}`);
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
  return {
    command,
    stack,
    noSynth: options.includes('--no-synth'),
    yes: options.includes('--yes'),
    bootstrap,
    ifApplied: options.includes('--if-applied'),
    digest: options.includes('--digest'),
    approvedDigest,
  };
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
  const { command, stack, noSynth, yes, bootstrap, ifApplied } = invocation;
  const stackDir = join(stacksDir(), stack.name);
  const where = relative(ROOT, stackDir);
  // Step 2 is the --if-applied check, when asked for; the Terraform steps follow it.
  const first = ifApplied ? 3 : 2;
  const total = bootstrap ? 6 : command === 'plan' ? first + 1 : first + 2;
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
  // A bootstrap that stopped half-way must never leave the stack on local state; what an earlier
  // plan said of itself is not this one's.
  rmSync(join(stackDir, BOOTSTRAP_OVERRIDE_FILE), { force: true });
  rmSync(join(stackDir, SKIPPED_FILE), { force: true });
  rmSync(join(stackDir, DIGEST_FILE), { force: true });

  if (ifApplied) {
    const previous = previousStack(stack);
    step(2, `applied: does ${stateBucket(accountName(stack))} exist${previous ? ` and hold ${previous.name}'s state` : ''}?`);
    const check = notAppliedYet(stack);
    if ('error' in check) {
      out.error(check.error);
      return 1;
    }
    if (check.reason !== undefined) {
      rmSync(join(stackDir, PLAN_FILE), { force: true });
      writeFileSync(join(stackDir, SKIPPED_FILE), `${check.reason}\n`);
      out.log(`${stack.name}: not applied yet, skipped: ${check.reason}`);
      return 0;
    }
  }

  const terraform = (n: number, args: string[]): number => {
    step(n, `terraform ${args.join(' ')} (in ${where})`);
    const result = run('terraform', args, stackDir);
    return result.status ?? 1;
  };
  const applyPlan = async (n: number): Promise<number> => {
    const plan = terraform(n, ['plan', '-input=false', `-out=${PLAN_FILE}`]);
    if (plan !== 0) return plan;
    if (command === 'plan') {
      out.log(`plan saved to ${where}/${PLAN_FILE}`);
      return invocation.digest ? recordDigest(stackDir, out) : 0;
    }
    if (invocation.approvedDigest !== undefined && !isApproved(stack, stackDir, invocation.approvedDigest, out)) return 1;
    // Terraform applies a saved plan without asking, so the confirmation is ours.
    if (!yes && !(await confirm(`Apply this plan to ${stack.name} (account ${stack.account})? Only 'yes' is accepted: `))) {
      out.error('apply cancelled: nothing was changed');
      return 1;
    }
    return terraform(n + 1, ['apply', '-input=false', PLAN_FILE]);
  };
  if (bootstrap) return bootstrapBaseline(stack, stackDir, { step, terraform, applyPlan }, out);

  const init = terraform(first, ['init', '-input=false']);
  if (init !== 0) {
    if (isBaseline(stack)) out.error(`if account ${stack.account} is empty (no state bucket yet), stand it up with \`pnpm apply ${stack.name} --bootstrap\``);
    return init;
  }
  return applyPlan(first + 1);
}

/** Where a stack keeps its state: the S3 backend the app gives every stack (`AccountStack`). */
function stateOf(stack: StackSpec): { bucket: string; key: string } {
  return { bucket: stateBucket(accountName(stack)), key: `${stack.name}/terraform.tfstate` };
}

/** What S3 answered: there, not there (404), or anything else (a denial, an expired session, a throttle, no AWS CLI). */
type S3Answer = 'found' | 'missing' | { readonly other: string };

/**
 * Asks S3 through the AWS CLI (`aws s3api head-bucket` or `head-object`, with the caller's
 * credentials unless `--no-sign-request` is among `args`). Only the CLI's "(404)" is an answer
 * that the bucket or object does not exist: S3 answers 404 for a missing bucket whoever asks, and
 * for a missing object to a caller who may list the bucket.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html
 */
function askS3(args: string[]): S3Answer {
  const result = spawnSync('aws', [...args, '--region', REGION], { encoding: 'utf-8' });
  if (result.error) return { other: `could not run the AWS CLI (${result.error.message}); install AWS CLI v2` };
  if (result.status === 0) return 'found';
  const said = `${result.stderr ?? ''}\n${result.stdout ?? ''}`.split('\n').map((line) => line.trim()).filter(Boolean);
  if (said.some((line) => /\((404|NoSuchBucket|NoSuchKey)\)/.test(line))) return 'missing';
  return { other: said.pop() ?? `the AWS CLI exited with code ${result.status}` };
}

/**
 * Why a stack cannot be planned yet, when it cannot: its account has no state bucket (S3 answers
 * 404 to an unsigned request, so this needs no credentials: before the account's baseline there is
 * no role to assume), or the stack before it in the account's apply order has no state. An answer
 * other than 404 is an error, never a reason to skip.
 */
function notAppliedYet(stack: StackSpec): { reason?: string } | { error: string } {
  const { bucket } = stateOf(stack);
  const bucketAnswer = askS3(['s3api', 'head-bucket', '--bucket', bucket, '--no-sign-request']);
  if (bucketAnswer === 'missing') {
    return { reason: `account ${stack.account} has no state bucket ${bucket}: its baseline was never applied (\`pnpm apply ${accountName(stack)}${BASELINE_SUFFIX} --bootstrap\`, README "Day zero")` };
  }
  if (bucketAnswer !== 'found' && !/\(403\)|Forbidden|AccessDenied/.test(bucketAnswer.other)) {
    return { error: `${stack.name}: could not tell whether ${bucket} exists: ${bucketAnswer.other}` };
  }
  const previous = previousStack(stack);
  if (previous === undefined) return {};
  const state = stateOf(previous);
  const stateAnswer = askS3(['s3api', 'head-object', '--bucket', state.bucket, '--key', state.key]);
  if (stateAnswer === 'missing') {
    return { reason: `${previous.name} has no state (s3://${state.bucket}/${state.key}): apply ${previous.name} first` };
  }
  if (stateAnswer !== 'found') {
    return { error: `${stack.name}: could not tell whether ${previous.name} has state in s3://${state.bucket}/${state.key}: ${stateAnswer.other}` };
  }
  return {};
}

/** `plan --digest`: writes the saved plan's digest to `tfplan.digest`; the exit code. */
function recordDigest(stackDir: string, out: Output): number {
  const digest = planDigest(stackDir);
  if ('error' in digest) {
    out.error(digest.error);
    return 1;
  }
  writeFileSync(join(stackDir, DIGEST_FILE), `${digest.digest}\n`);
  out.log(`plan digest ${digest.digest} (${digest.changes} changes), saved to ${relative(ROOT, stackDir)}/${DIGEST_FILE}`);
  return 0;
}

/** `apply --approved-digest`: whether the saved plan is the approved one (says why not). */
function isApproved(stack: StackSpec, stackDir: string, approved: string, out: Output): boolean {
  const digest = planDigest(stackDir);
  if ('error' in digest) {
    out.error(digest.error);
    return false;
  }
  if (digest.digest !== approved) {
    out.error(`${stack.name}: this plan (${digest.digest}, ${digest.changes} changes) is not the approved one (${approved}): nothing was applied; plan again and have that plan approved`);
    return false;
  }
  out.log(`${stack.name}: the plan is the approved one (${digest.digest})`);
  return true;
}

/**
 * The digest of the saved plan: SHA-256 of every change it would make (each resource change that
 * is not a no-op: address, actions and planned values, from \`terraform show -json\`). Two plans
 * with one digest make the same changes.
 * @see https://developer.hashicorp.com/terraform/internals/json-format#plan-representation
 */
function planDigest(stackDir: string): { digest: string; changes: number } | { error: string } {
  const shown = spawnSync('terraform', ['show', '-json', PLAN_FILE], { cwd: stackDir, encoding: 'utf-8', maxBuffer: 512 * 1024 * 1024 });
  if (shown.status !== 0) return { error: `terraform show -json ${PLAN_FILE} failed: ${(shown.stderr ?? '').trim()}` };
  let plan: { resource_changes?: Array<{ address: string; change: { actions: string[]; after?: unknown } }> };
  try {
    plan = JSON.parse(shown.stdout);
  } catch (err) {
    return { error: `terraform show -json ${PLAN_FILE} printed no JSON: ${(err as Error).message}` };
  }
  const changes = (plan.resource_changes ?? [])
    .filter((rc) => !(rc.change.actions.length === 1 && rc.change.actions[0] === 'no-op'))
    .map((rc) => ({ address: rc.address, actions: rc.change.actions, after: rc.change.after ?? null }));
  const digest = createHash('sha256').update(JSON.stringify(changes)).digest('hex');
  return { digest: `sha256:${digest}`, changes: changes.length };
}

/** The steps `execute` hands a bootstrap. */
interface BootstrapSteps {
  step(n: number, what: string): void;
  terraform(n: number, args: string[]): number;
  applyPlan(n: number): Promise<number>;
}

/**
 * Steps 2-6 of `apply <account>-baseline --bootstrap`: go ahead only when S3 answers that the
 * stack's bucket does not exist (404), apply with local state, move the state into the bucket.
 * An existing bucket (its state lives there), an expired session, a denial or a throttle stops it:
 * applying a baseline with empty local state over an account that has one would try to create
 * everything again. Run again after a failure, it resumes from the local state the first run left.
 */
async function bootstrapBaseline(stack: StackSpec, stackDir: string, steps: BootstrapSteps, out: Output): Promise<number> {
  const where = relative(ROOT, stackDir);
  const bucket = stateBucket(accountName(stack));
  const localState = join(stackDir, LOCAL_STATE_FILE);
  if (existsSync(localState)) {
    steps.step(2, `backend: resuming from the local state an earlier bootstrap left in ${where}/${LOCAL_STATE_FILE}`);
  } else {
    steps.step(2, `backend: aws s3api head-bucket --bucket ${bucket}, expecting S3's answer that it does not exist (404)`);
    const answer = askS3(['s3api', 'head-bucket', '--bucket', bucket]);
    if (answer === 'found') {
      out.error(`${stack.name} keeps its state in ${bucket} already (the bucket exists): run \`pnpm apply ${stack.name}\` instead`);
      return 1;
    }
    if (answer !== 'missing') {
      out.error(`${stack.name}: S3 did not say that ${bucket} does not exist, so nothing was applied: ${answer.other}`);
      out.error('sign in again (`aws sso login --profile <profile>`) as an administrator of the account, or wait and retry a throttled request; --bootstrap goes ahead only on S3\'s "no such bucket" (404)');
      return 1;
    }
    out.log(`S3 answers that ${bucket} does not exist (404): applying with local state first`);
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
