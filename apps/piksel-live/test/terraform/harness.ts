import { ChildProcess, execFile, execFileSync, spawn } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { availableParallelism, homedir } from 'os';
import { join } from 'path';
import { promisify } from 'util';

const run = promisify(execFile);

/**
 * The environment variable that names the offline Terraform provider mirror: a directory in
 * Terraform's filesystem-mirror layout holding `registry.terraform.io/hashicorp/aws/5.100.0/...`
 * (the build `@cdktf/provider-aws` 20.1.0 targets). When it is not set, `readiness()` searches the
 * machine for one (see `findMirror`).
 */
export const MIRROR_VARIABLE = 'PIKSEL_TF_PROVIDER_MIRROR';

/**
 * Set by the root run's summary reporter (test/summary-reporter.js) to a directory where a suite
 * notes why it is skipped, so the run's closing line can say it.
 */
export const SKIP_REASONS_VARIABLE = 'PIKSEL_SKIP_REASONS_DIR';

/** The provider build every stack is checked against. */
export const AWS_PROVIDER = { source: 'registry.terraform.io/hashicorp/aws', version: '5.100.0' };

/** Whether Terraform checks can run here, and if not, why. */
export interface Readiness {
  readonly ready: boolean;
  /** Whether the `terraform` binary answered. */
  readonly terraformFound: boolean;
  /** The provider mirror the checks use: the variable's value, or the directory the search found. */
  readonly mirror?: string;
  /** How `mirror` was chosen. */
  readonly mirrorFrom?: 'variable' | 'search';
  /** What is missing and how to fix it (for a log line). */
  readonly reason?: string;
  /** The same in a few words, for the run's closing summary line. */
  readonly skipReason?: string;
}

/**
 * Finds Terraform and the provider mirror, or says what is missing and how to fix it.
 *
 * The variable wins when set (a wrong value is reported, never searched past). Otherwise the
 * mirror is searched for (`findMirror`); when found and `env` is `process.env`, the variable is set
 * to it, so code that reads the variable sees the mirror too. When not ready, the reason is noted
 * for the run's closing summary line (see `SKIP_REASONS_VARIABLE`).
 */
export function readiness(env: NodeJS.ProcessEnv = process.env): Readiness {
  const state = check(env);
  if (state.ready && state.mirrorFrom === 'search' && env === process.env) env[MIRROR_VARIABLE] = state.mirror;
  if (!state.ready) noteSkipReason(state.skipReason!, env);
  return state;
}

function check(env: NodeJS.ProcessEnv): Readiness {
  try {
    execFileSync('terraform', ['version'], { env, stdio: 'ignore' });
  } catch {
    return {
      ready: false,
      terraformFound: false,
      reason: 'terraform is not on PATH; install Terraform 1.11 to run the Terraform checks',
      skipReason: 'terraform: not on PATH',
    };
  }
  const variable = env[MIRROR_VARIABLE];
  if (variable) {
    if (holdsProvider(variable)) return { ready: true, terraformFound: true, mirror: variable, mirrorFrom: 'variable' };
    return {
      ready: false,
      terraformFound: true,
      reason: `${MIRROR_VARIABLE} is "${variable}", which has no ${AWS_PROVIDER.source}/${AWS_PROVIDER.version} for ${platform()}; ` +
        `point it at a Terraform filesystem mirror that holds hashicorp/aws ${AWS_PROVIDER.version}, or unset it to search the machine`,
      skipReason: `terraform: ${MIRROR_VARIABLE} has no hashicorp/aws ${AWS_PROVIDER.version}`,
    };
  }
  const found = findMirror(env);
  if (found) return { ready: true, terraformFound: true, mirror: found, mirrorFrom: 'search' };
  return {
    ready: false,
    terraformFound: true,
    reason: `no Terraform filesystem mirror holding hashicorp/aws ${AWS_PROVIDER.version} for ${platform()} was found on this machine ` +
      `(searched: ${mirrorCandidates(env).join(', ')}, then ${SEARCH_ROOTS(env).join(' ')} to depth ${SEARCH_DEPTH}); ` +
      `set ${MIRROR_VARIABLE} to one (\`terraform providers mirror\` writes one)`,
    skipReason: 'terraform: no provider mirror found',
  };
}

/** Terraform's name for this machine's platform: `linux_amd64`, `darwin_arm64`. */
function platform(): string {
  const arch: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' };
  return `${process.platform}_${arch[process.arch] ?? process.arch}`;
}

/** Whether `dir` is a filesystem mirror (unpacked or packed layout) with our provider build for this platform. */
function holdsProvider(dir: string): boolean {
  const provider = join(dir, AWS_PROVIDER.source);
  return existsSync(join(provider, AWS_PROVIDER.version, platform()))
    || existsSync(join(provider, `terraform-provider-aws_${AWS_PROVIDER.version}_${platform()}.zip`));
}

/**
 * The places a provider mirror usually lives, cheapest first: Terraform's own implied local
 * mirror directories (`~/.terraform.d/plugins`, the XDG data directories' `terraform/plugins`),
 * the mirrors and plugin cache named by Terraform's CLI configuration or `TF_PLUGIN_CACHE_DIR`, and
 * each directory of `/opt` (and its `plugins`).
 * @see https://developer.hashicorp.com/terraform/cli/config/config-file#implied-local-mirror-directories
 */
export function mirrorCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME ?? homedir();
  const dataHome = env.XDG_DATA_HOME ?? join(home, '.local', 'share');
  const dataDirs = (env.XDG_DATA_DIRS ?? '/usr/local/share:/usr/share').split(':').filter(Boolean);
  const opt = listDirs('/opt');
  return [...new Set([
    join(home, '.terraform.d', 'plugins'),
    ...[dataHome, ...dataDirs].map((dir) => join(dir, 'terraform', 'plugins')),
    ...cliConfigMirrors(env),
    ...(env.TF_PLUGIN_CACHE_DIR ? [env.TF_PLUGIN_CACHE_DIR] : []),
    ...opt,
    ...opt.map((dir) => join(dir, 'plugins')),
  ])];
}

/** Mirror paths and the plugin cache named in Terraform's CLI configuration file. */
function cliConfigMirrors(env: NodeJS.ProcessEnv): string[] {
  const file = env.TF_CLI_CONFIG_FILE ?? join(env.HOME ?? homedir(), '.terraformrc');
  let text: string;
  try {
    text = readFileSync(file, 'utf-8');
  } catch {
    return [];
  }
  const paths = [...text.matchAll(/filesystem_mirror\s*\{[^}]*?path\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
  const cache = /plugin_cache_dir\s*=\s*"([^"]+)"/.exec(text);
  return [...paths, ...(cache ? [cache[1]] : [])];
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(dir, d.name)).sort();
  } catch {
    return [];
  }
}

/**
 * Where the bounded search looks when no candidate holds the provider: the home directory (which
 * may be a file system of its own), then the root file system.
 */
const SEARCH_ROOTS = (env: NodeJS.ProcessEnv) => [env.HOME ?? homedir(), '/'].filter(existsSync);
/** A mirror root at most three levels below a search root (its provider directory is four further down). */
const SEARCH_DEPTH = 7;
/** The search gives up (and reports no mirror) after this long. */
const SEARCH_TIMEOUT_MS = 10_000;

/**
 * Finds a filesystem mirror holding our provider build: the candidates first, then a `find`
 * bounded in depth, file system and time (skipping `node_modules`, `.git` and `/proc`).
 */
export function findMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return searchMirror(mirrorCandidates(env), SEARCH_ROOTS(env));
}

/** The first of `candidates` that holds our provider build, else the first `find` finds below `roots`. */
export function searchMirror(candidates: string[], roots: string[]): string | undefined {
  const candidate = candidates.find(holdsProvider);
  if (candidate || roots.length === 0) return candidate;
  const versionDir = `*/${AWS_PROVIDER.source}/${AWS_PROVIDER.version}`;
  const args = [...roots, '-xdev', '-maxdepth', String(SEARCH_DEPTH),
    '(', '-name', 'node_modules', '-o', '-name', '.git', '-o', '-name', 'proc', ')', '-prune',
    '-o', '-type', 'd', '-path', versionDir, '-print'];
  let output: string;
  try {
    output = execFileSync('find', args, { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'], timeout: SEARCH_TIMEOUT_MS, maxBuffer: 1024 * 1024 });
  } catch (err) {
    // find exits non-zero on unreadable directories, and is killed at the timeout: use what it printed.
    output = (err as { stdout?: string }).stdout ?? '';
  }
  const suffix = `/${AWS_PROVIDER.source}/${AWS_PROVIDER.version}`;
  return output.split('\n').filter((line) => line.endsWith(suffix)).map((line) => line.slice(0, -suffix.length)).find(holdsProvider);
}

/** Notes why the calling test file skips its Terraform suite, for the run's closing summary line. */
function noteSkipReason(reason: string, env: NodeJS.ProcessEnv): void {
  const dir = env[SKIP_REASONS_VARIABLE];
  const testPath = (globalThis as { expect?: { getState(): { testPath?: string } } }).expect?.getState().testPath;
  if (!dir || !testPath || !existsSync(dir)) return;
  const file = join(dir, `${createHash('sha1').update(testPath).digest('hex')}.json`);
  writeFileSync(file, JSON.stringify({ testPath, reason }));
}

/**
 * The `describe` of a suite that needs Terraform: runs it when Terraform is ready; skips it with a
 * loud warning when not, except in CI with Terraform on the PATH, where it must run: there it is
 * one failing test that gives the reason (a missing mirror in CI is a broken pipeline, not a
 * reason to skip).
 */
export function terraformSuite(state: Readiness = readiness()): (name: string, fn: () => void) => void {
  const mustRun = Boolean(process.env.CI) && state.terraformFound;
  if (state.ready) {
    return (name, fn) => describe(name, () => {
      afterAll(stopSharedProvider);
      fn();
    });
  }
  if (mustRun) {
    // One failing test in place of the suite: nothing of it can run.
    return (name) => describe(name, () => {
      test('can run Terraform', () => {
        throw new Error(`Terraform checks cannot run: ${state.reason}`);
      });
    });
  }
  console.warn(`\n!!! Terraform checks SKIPPED: ${state.reason}\n`);
  return describe.skip;
}

/** What Terraform said about one stack. */
export interface StackVerdict {
  readonly stack: string;
  readonly valid: boolean;
  readonly validateOutput: string;
  readonly testPassed: boolean;
  readonly testOutput: string;
}

/**
 * The two tests every checked stack gets: `terraform validate` succeeds, and the mocked apply passes
 * every assertion (`runs` test runs in its file: 1, or more when a file adds runs that expect a
 * failure). Call inside the suite, after a `beforeAll` that fills `verdicts`.
 */
export function expectStacksPass(names: string[], verdicts: Map<string, StackVerdict>, runs: (name: string) => number = () => 1): void {
  describe.each(names)('%s', (name) => {
    test('passes terraform validate', () => {
      const verdict = verdicts.get(name)!;
      if (!verdict.valid) throw new Error(verdict.validateOutput);
      expect(verdict.validateOutput).toMatch(/Success! The configuration is valid/);
    });

    test('passes a mocked apply with every assertion', () => {
      const verdict = verdicts.get(name)!;
      if (!verdict.testPassed) throw new Error(verdict.testOutput);
      expect(verdict.testOutput).toMatch(new RegExp(`${runs(name)} passed, 0 failed`));
    });
  });
}

/**
 * Set to let Terraform start the provider itself for every command, as it does by default,
 * instead of sharing one provider process per suite (`sharedProvider`).
 */
export const PROVIDER_PER_COMMAND_VARIABLE = 'PIKSEL_TF_PROVIDER_PER_COMMAND';

/** How long the shared provider may take to start and say where it listens. */
const PROVIDER_START_TIMEOUT_MS = 120_000;

let providerProcess: ChildProcess | undefined;
let providerReattach: Promise<string | undefined> | undefined;

/**
 * The `TF_REATTACH_PROVIDERS` value of the provider process that serves every `validate` and
 * `test` of this suite, started on first use from the build `terraform init` installed in
 * `stackDir`; undefined (each command starts its own, as Terraform does by default) when
 * `PIKSEL_TF_PROVIDER_PER_COMMAND` is set or the provider would not start.
 *
 * Terraform starts the provider (a ~700 MB binary) three times for a `validate` and about eight
 * times per run of a `terraform test`: two thirds of a stack's check. Started once in its debug
 * mode (`-debug`, which prints the reattach address and serves until stopped), the same build
 * answers every command of the suite, its schema loaded once: Terraform reattaches to it
 * instead of starting its own. The calls and their answers are the ones a started provider
 * gets: validation errors of the provider's own (a name too long, say) fail `validate` as
 * before. The provider is stopped when the suite ends (`terraformSuite`) or its process exits.
 */
function sharedProvider(stackDir: string): Promise<string | undefined> {
  if (process.env[PROVIDER_PER_COMMAND_VARIABLE]) return Promise.resolve(undefined);
  providerReattach ??= startProvider(stackDir).catch((err: Error) => {
    console.warn(`Terraform checks: the shared provider did not start (${err.message}); each command starts its own`);
    return undefined;
  });
  return providerReattach;
}

/**
 * Starts the provider and resolves to its reattach address. A provider that fails to start is
 * stopped, and the suite's later stacks do not try again (the `undefined` stays until the suite
 * ends); one that dies later is noted, and the next stack starts another.
 */
async function startProvider(stackDir: string): Promise<string> {
  const dir = join(stackDir, '.terraform', 'providers', AWS_PROVIDER.source, AWS_PROVIDER.version, platform());
  const binary = readdirSync(dir).find((file) => file.startsWith('terraform-provider-aws'));
  if (!binary) throw new Error(`no provider binary in ${dir} after terraform init`);
  return new Promise((resolve, reject) => {
    const child = spawn(join(dir, binary), ['-debug'], { stdio: ['ignore', 'pipe', 'pipe'] });
    providerProcess = child;
    // A worker that exits stops it; one killed by a signal cannot (the provider then lingers until the machine's next clean-up).
    process.once('exit', stopSharedProvider);
    // What the provider printed until it said where it listens (kept for an error message).
    let output = '';
    let listening = false;
    const timer = setTimeout(() => fail(new Error(`no reattach address within ${PROVIDER_START_TIMEOUT_MS / 1000} s`)), PROVIDER_START_TIMEOUT_MS);
    function fail(err: Error) {
      clearTimeout(timer);
      child.kill();
      if (providerProcess === child) providerProcess = undefined;
      reject(err);
    }
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`the provider exited (${code}): ${output.slice(-500)}`)));
    // Read until the reattach line, then keep draining both streams (unread) so the provider never blocks on a full pipe.
    child.stderr!.on('data', (chunk: Buffer) => {
      if (!listening) output += chunk.toString();
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      if (listening) return;
      output += chunk.toString();
      const reattach = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(output)?.[1];
      if (!reattach) return;
      listening = true;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.on('exit', (code, signal) => {
        if (providerProcess !== child) return;
        console.warn(`Terraform checks: the shared provider exited (${signal ?? code}); the next stack starts another`);
        providerProcess = undefined;
        providerReattach = undefined;
      });
      let names: string[] = [];
      try {
        names = Object.keys(JSON.parse(reattach));
      } catch {
        // Reported below as naming no provider.
      }
      if (!names.includes(AWS_PROVIDER.source)) fail(new Error(`the reattach address names no ${AWS_PROVIDER.source}: ${reattach}`));
      else resolve(reattach);
    });
  });
}

/** Whether this suite's shared provider is running (started, and not stopped). */
export function sharedProviderRunning(): boolean {
  return providerProcess !== undefined && providerProcess.exitCode === null;
}

/** Stops the shared provider, if one runs, and lets the next suite start its own. */
export function stopSharedProvider(): void {
  const child = providerProcess;
  providerProcess = undefined;
  providerReattach = undefined;
  child?.kill();
}

/**
 * How many stacks a suite checks at once: one per core. Each `validate` and `test` keeps a core
 * busy (Terraform, and the shared provider answering it), so more at once only queue for the cores.
 */
const STACKS_AT_ONCE = availableParallelism();
let checking = 0;
const queued: Array<() => void> = [];

/** Runs `work` in one of the `STACKS_AT_ONCE` slots, waiting for one to be handed over when all are taken. */
async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (checking < STACKS_AT_ONCE) checking++;
  else await new Promise<void>((resolve) => queued.push(resolve));
  try {
    return await work();
  } finally {
    const next = queued.shift();
    if (next) next();
    else checking--;
  }
}

/**
 * Runs `terraform init` (offline, from the mirror, without the backend), `validate` and
 * `test` (the given `.tftest.hcl`, which uses `mock_provider "aws"`) in a synthesized stack
 * directory. Init runs once per stack directory; it links the provider from the mirror rather
 * than copying it. `validate` and `test` talk to the suite's shared provider (`sharedProvider`).
 * Call it for every stack at once: at most `STACKS_AT_ONCE` run together.
 */
export function verifyStack(stackDir: string, stack: string, testFile: string, mirror: string): Promise<StackVerdict> {
  return inSlot(() => checkStack(stackDir, stack, testFile, mirror));
}

async function checkStack(stackDir: string, stack: string, testFile: string, mirror: string): Promise<StackVerdict> {
  const cliConfig = join(stackDir, 'offline.tfrc');
  writeFileSync(cliConfig, [
    'provider_installation {',
    `  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["${AWS_PROVIDER.source}"]\n  }`,
    '  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }',
    '}',
    '',
  ].join('\n'));
  mkdirSync(join(stackDir, 'tests'), { recursive: true });
  writeFileSync(join(stackDir, 'tests', 'estate.tftest.hcl'), testFile);

  const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
  const terraform = (commandEnv: NodeJS.ProcessEnv, ...args: string[]) => run('terraform', [...args, '-no-color'], { cwd: stackDir, env: commandEnv, maxBuffer: 32 * 1024 * 1024 })
    .then(({ stdout, stderr }) => ({ ok: true, output: stdout + stderr }))
    .catch((err: { stdout?: string; stderr?: string; message: string }) => ({ ok: false, output: `${err.stdout ?? ''}${err.stderr ?? err.message}` }));

  const init = await terraform(env, 'init', '-backend=false', '-input=false');
  if (!init.ok) {
    return { stack, valid: false, validateOutput: `terraform init failed:\n${init.output}`, testPassed: false, testOutput: '' };
  }
  const reattach = await sharedProvider(stackDir);
  const served = reattach ? { ...env, TF_REATTACH_PROVIDERS: reattach } : env;
  const validate = await terraform(served, 'validate');
  const test = validate.ok ? await terraform(served, 'test') : { ok: false, output: 'not run: validate failed' };
  return { stack, valid: validate.ok, validateOutput: validate.output, testPassed: test.ok, testOutput: test.output };
}
