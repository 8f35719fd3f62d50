import { existsSync, statSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { ENVIRONMENTS } from '@piksel/estate';
import { CliError } from '../errors';
import { Estate, readEstate } from './estate';
import { Finding, Severity, sortFindings } from './findings';
import { manifestObjects } from './objects';
import { clusterDirectories, manifestFiles, RepositoryScan, scanRepository, SyncSettings } from './repository';
import { apiRule } from './rule-apis';
import { Rule, RuleContext, list } from './rule-context';
import { efsMountRule } from './rule-efs';
import { estateOwnedRule } from './rule-estate-owned';
import { ingressRule } from './rule-ingress';
import { bootstrapRule, clusterPathRule, missingPathRule, substitutionRule, yamlRule } from './rule-layout';
import { literalRule } from './rule-literals';
import { namespaceRule } from './rule-namespaces';
import { roleRule } from './rule-roles';
import { schedulingRule } from './rule-scheduling';
import { variableRule } from './rule-variables';

/** Where the app synthesizes the estate, relative to the root of piksel-constructs. */
export const ESTATE_OUT = join('apps', 'piksel-live', 'cdktf.out');

/** Every rule, in the order their findings are explained in the README. */
const RULES: Rule[] = [
  clusterPathRule, missingPathRule, yamlRule, bootstrapRule, substitutionRule, estateOwnedRule, apiRule, ingressRule, efsMountRule,
  schedulingRule, variableRule, literalRule, roleRule, namespaceRule,
];

/** Options of `piksel-gitops check` (and the estate part of `init`). */
export interface GitopsOptions {
  readonly environment: string;
  /** A `cdktf.out` directory; default: the app's, found above the working directory. */
  readonly estate?: string;
  /** Also check the files no cluster reaches, as if the root built them; their findings are warnings. */
  readonly unreached?: boolean;
}

/** What a check found, and what it read. */
export interface CheckResult {
  readonly environment: string;
  readonly estateDir: string;
  readonly estate: Estate;
  readonly scan: RepositoryScan;
  readonly findings: Finding[];
  /** Manifest files no `clusters/*` directory reaches: Flux applies them nowhere. */
  readonly unreached: string[];
}

/** Checks the GitOps repository at `repoDir` against the estate of one environment. */
export function checkRepository(repoDir: string, options: GitopsOptions): CheckResult {
  const environment = checkEnvironment(options.environment);
  const root = checkCheckout(repoDir);
  const { dir: estateDir, estate } = loadEstate(options, environment);
  const sync: SyncSettings = { gitRepository: estate.sync.gitRepository, namespace: estate.sync.namespace, contractName: estate.contract?.name ?? estate.sync.substituteFrom[0] ?? 'cluster-values' };
  const clusterPath = `clusters/${environment}`;
  const unreached = unreachedFiles(root, scanRepository(root, clusterPath, sync), sync);
  const scan = scanRepository(root, clusterPath, sync, options.unreached === true ? unreached : []);
  const context: RuleContext = { root, environment, estate, scan, objects: manifestObjects(scan) };
  const notApplied = new Set(unreached);
  const findings = sortFindings(RULES.flatMap((rule) => rule(context)).map((f) => (notApplied.has(f.file) ? unappliedFinding(f) : f)));
  return { environment, estateDir, estate, scan, findings, unreached };
}

/** A finding in a file Flux applies nowhere: a warning, saying so. */
function unappliedFinding(finding: Finding): Finding {
  return { ...finding, severity: Severity.WARNING, message: `(not applied: no clusters/* directory reaches this file) ${finding.message}` };
}

/** The environment, if the estate table knows it; otherwise a usage error naming the known ones. */
export function checkEnvironment(environment: string): string {
  const known = ENVIRONMENTS.map((env) => env.name);
  if (!known.includes(environment)) {
    throw new CliError(`unknown environment "${environment}"; the estate's environments are ${list(known)}`);
  }
  return environment;
}

function checkCheckout(repoDir: string): string {
  const root = resolve(repoDir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new CliError(`${repoDir} is not a directory; give the root of a piksel-gitops checkout`);
  }
  if (!existsSync(join(root, '.git'))) {
    throw new CliError(`${repoDir} is not the root of a Git checkout (no .git): clone the repository (git clone https://github.com/piksel-ina/piksel-gitops.git) and give its root`);
  }
  return root;
}

/** Reads the estate of `environment` from `--estate` or the app's `cdktf.out`; usage errors say how to make it. */
export function loadEstate(options: GitopsOptions, environment: string): { dir: string; estate: Estate } {
  const dir = options.estate === undefined ? defaultEstateDir() : resolve(options.estate);
  const synth = 'run "npx pnpm synth" at the root of piksel-constructs (it writes apps/piksel-live/cdktf.out), or pass --estate <cdktf.out>';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CliError(`no synthesized estate at ${dir}: ${synth}`);
  }
  let estate: Estate;
  try {
    estate = readEstate(dir, environment);
  } catch (err) {
    throw new CliError(`cannot read the synthesized estate at ${dir} (${(err as Error).message}): ${synth}`);
  }
  if (estate.stacks.length === 0) {
    throw new CliError(`the estate at ${dir} has no stacks of ${environment} (no ${environment} or ${environment}-* under stacks/): ${synth}`);
  }
  return { dir, estate };
}

/**
 * `apps/piksel-live/cdktf.out` of the piksel-constructs checkout above the working directory, else
 * above this package (run from the workspace), else the first place looked.
 */
function defaultEstateDir(): string {
  const looked: string[] = [];
  for (const start of [process.cwd(), __dirname]) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const candidate = join(dir, ESTATE_OUT);
      if (existsSync(join(dir, 'apps', 'piksel-live'))) {
        if (existsSync(candidate)) return candidate;
        looked.push(candidate);
      }
      if (dirname(dir) === dir) break;
    }
  }
  return looked[0] ?? join(process.cwd(), ESTATE_OUT);
}

function unreachedFiles(root: string, scan: RepositoryScan, sync: SyncSettings): string[] {
  const reached = new Set(scan.reached.map((r) => r.file.path));
  for (const cluster of clusterDirectories(root)) {
    if (`clusters/${cluster}` === scan.clusterPath) continue;
    for (const r of scanRepository(root, `clusters/${cluster}`, sync).reached) reached.add(r.file.path);
  }
  return manifestFiles(root).filter((file) => !reached.has(file));
}
