import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { DEPLOY_SESSION_SECONDS, deployRoleArn, ENVIRONMENTS, githubRunnerProjectName, HUB, planRoleArn, REGION } from '../packages/estate/src/estate';
import { ROOT, STACKS } from '../scripts/terraform-stack';

/** A workflow step, as much of it as these tests read. */
interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, string | number | boolean>;
  readonly env?: Record<string, string>;
}

/** A workflow job, as much of it as these tests read. */
interface Job {
  readonly 'if'?: string;
  readonly 'runs-on'?: string;
  readonly 'needs'?: string | string[];
  readonly 'environment'?: string;
  readonly 'permissions'?: Record<string, string>;
  readonly 'concurrency'?: { 'group': string; 'cancel-in-progress': boolean };
  readonly 'env'?: Record<string, string>;
  readonly 'strategy'?: { matrix: { include: Record<string, string>[] } };
  readonly 'steps': Step[];
}

/** A workflow, as much of it as these tests read. */
interface Workflow {
  readonly on: Record<string, { branches?: string[]; paths?: string[] } | null>;
  readonly permissions: Record<string, string>;
  readonly concurrency?: { 'group': string; 'cancel-in-progress': boolean };
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const WORKFLOWS = ['ci', 'release', 'deploy'];
const text = (name: string) => readFileSync(join(ROOT, '.github', 'workflows', `${name}.yml`), 'utf-8');
const load = (name: string): Workflow => parse(text(name));
const scripts: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf-8')).scripts;

/** The step that uses `action` (owner/name), or fails. */
function usesStep(job: Job, action: string): Step {
  const step = job.steps.find((s) => s.uses?.startsWith(`${action}@`));
  if (!step) throw new Error(`no step uses ${action}`);
  return step;
}

/** The index of the first step whose `run` matches, or fails. */
function runIndex(job: Job, command: RegExp): number {
  const index = job.steps.findIndex((s) => s.run !== undefined && command.test(s.run));
  if (index < 0) throw new Error(`no step runs ${command}`);
  return index;
}

/** Replaces `${{ env.NAME }}` with the job's value, as Actions does. */
function expand(value: string, env: Record<string, string> = {}): string {
  return value.replace(/\$\{\{\s*env\.(\w+)\s*\}\}/g, (_, name: string) => env[name] ?? `<unset ${name}>`);
}

/** The estate's environments as the deploy workflow names them: the hub, then each spoke. */
const ESTATE = [
  { environment: HUB.name, account: HUB.account },
  ...ENVIRONMENTS.map((env) => ({ environment: env.name, account: env.account })),
];
const stacksOf = (environment: string) => STACKS.filter((s) => s.name === environment || s.name.startsWith(`${environment}-`)).map((s) => s.name);
/** The in-cluster stages, which talk to the cluster's private API endpoint. */
const inCluster = (stack: string) => /-(bootstrap(-nodes)?|platform)$/.test(stack);
/** The label of an environment's CodeBuild-hosted runner in its VPC (documented label form). */
const runnerLabel = (environment: string) => `codebuild-${githubRunnerProjectName(ENVIRONMENTS.find((e) => e.name === environment)!)}-\${{ github.run_id }}-\${{ github.run_attempt }}`;
/** Replaces `${{ matrix.NAME }}` with the entry's value. */
const withMatrix = (value: string, matrix: Record<string, string>) => value.replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_, name: string) => matrix[name]);

describe('GitHub workflows', () => {
  test.each(WORKFLOWS)('%s pins every action to a full commit SHA with its version', (name) => {
    const lines = text(name).split('\n').filter((line) => /^\s*-?\s*uses:/.test(line));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  test.each(WORKFLOWS)('%s sets up Node.js 20 and installs with the pinned pnpm and a frozen lockfile', (name) => {
    for (const job of Object.values(load(name).jobs)) {
      expect(usesStep(job, 'actions/setup-node').with?.['node-version']).toBe(20);
      expect(job.steps[runIndex(job, /install/)].run).toBe('npx --yes pnpm@10.34.8 install --frozen-lockfile');
    }
  });

  test.each(WORKFLOWS)('%s runs only root scripts that exist', (name) => {
    const commands = Object.values(load(name).jobs).flatMap((job) => job.steps)
      .flatMap((step) => [step.run ?? '', String(step.with?.version ?? ''), String(step.with?.publish ?? '')])
      .flatMap((run) => [...run.matchAll(/(?:^|\s)pnpm (?:run )?([\w:-]+)/g)].map((m) => m[1]));
    for (const command of commands) {
      expect(scripts).toHaveProperty([command]);
    }
  });
});

describe('ci workflow', () => {
  const ci = load('ci');
  const job = ci.jobs.test;

  test('runs on every pull request and every push to main, read-only', () => {
    expect(ci.on).toEqual({ pull_request: null, push: { branches: ['main'] } });
    expect(ci.permissions).toEqual({ contents: 'read' });
  });

  test('cancels superseded runs of the same ref', () => {
    expect(ci.concurrency).toEqual({ 'group': 'ci-${{ github.ref }}', 'cancel-in-progress': true });
  });

  test('builds, synthesizes, uploads the stacks, then tests with CI=true', () => {
    const build = runIndex(job, /^pnpm run build$/);
    const synth = runIndex(job, /^pnpm synth$/);
    const upload = job.steps.indexOf(usesStep(job, 'actions/upload-artifact'));
    const test = runIndex(job, /^pnpm test$/);
    expect(build).toBeLessThan(synth);
    expect(synth).toBeLessThan(upload);
    expect(upload).toBeLessThan(test);
    expect(job.env).toEqual({ CI: 'true' });
    expect(job.steps[upload].with?.path).toMatch(/^apps\/piksel-live\/cdktf\.out$/m);
  });

  test('gives the Terraform checks Terraform 1.11.4 and the aws 5.100.0 provider mirror', () => {
    const terraform = usesStep(job, 'hashicorp/setup-terraform');
    expect(terraform.with).toMatchObject({ terraform_version: '1.11.4', terraform_wrapper: false });
    const mirror = job.steps[runIndex(job, /providers mirror/)];
    expect(mirror.run).toMatch(/source\s+= "hashicorp\/aws"\s+version\s+= "5\.100\.0"/);
    expect(mirror.run).toMatch(/PIKSEL_TF_PROVIDER_MIRROR=\$mirror" >> "\$GITHUB_ENV"/);
    // The layout test/terraform's readiness check looks for.
    expect(mirror.run).toContain('"$aws/5.100.0/linux_amd64"');
    expect(job.steps.indexOf(terraform)).toBeLessThan(runIndex(job, /providers mirror/));
    expect(runIndex(job, /providers mirror/)).toBeLessThan(runIndex(job, /^pnpm test$/));
  });
});

describe('release workflow', () => {
  const release = load('release');
  const job = release.jobs.release;
  const changesets = usesStep(job, 'changesets/action');

  test('runs on push to main, one at a time, never cancelled', () => {
    expect(release.on).toEqual({ push: { branches: ['main'] } });
    expect(release.permissions).toEqual({ contents: 'read' });
    expect(release.concurrency?.['cancel-in-progress']).toBe(false);
  });

  test('may push the release branch, open the pull request and sign provenance, nothing more', () => {
    expect(job.permissions).toEqual({ 'contents': 'write', 'pull-requests': 'write', 'id-token': 'write' });
  });

  test('versions through a pull request and publishes with provenance', () => {
    expect(changesets.with).toMatchObject({ version: 'pnpm release:version', publish: 'pnpm release:publish' });
    expect(changesets.env).toEqual({
      GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
      NPM_TOKEN: '${{ secrets.NPM_TOKEN }}',
      NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}',
      NPM_CONFIG_PROVENANCE: 'true',
    });
    expect(usesStep(job, 'actions/setup-node').with?.['registry-url']).toBe('https://registry.npmjs.org');
  });

  test('never publishes the app', () => {
    const config = JSON.parse(readFileSync(join(ROOT, '.changeset', 'config.json'), 'utf-8'));
    const app = JSON.parse(readFileSync(join(ROOT, 'apps', 'piksel-live', 'package.json'), 'utf-8'));
    expect(config.ignore).toContain(app.name);
    expect(app.private).toBe(true);
  });
});

describe('deploy workflow', () => {
  const deploy = load('deploy');
  const applyJobs = ESTATE.map(({ environment }) => environment);
  const spokes = ENVIRONMENTS.map((env) => env.name);

  test('plans on pull requests and applies on push to main, when what the stacks are built from changes', () => {
    expect(Object.keys(deploy.on)).toEqual(['pull_request', 'push']);
    expect(deploy.on.push?.branches).toEqual(['main']);
    expect(deploy.on.push?.paths).toEqual(deploy.on.pull_request?.paths);
    expect(deploy.on.pull_request?.paths).toEqual(expect.arrayContaining(['apps/piksel-live/**', 'packages/**', 'pnpm-lock.yaml', 'scripts/**']));
    expect(deploy.permissions).toEqual({ contents: 'read' });
  });

  test('applies hub → dev → dev-in-cluster → staging → … → production-in-cluster, each after the one before', () => {
    const order = [HUB.name, ...spokes.flatMap((env) => [env, `${env}-in-cluster`])];
    expect(Object.keys(deploy.jobs)).toEqual(['plan', 'plan-in-cluster', ...order]);
    order.forEach((name, i) => {
      const job = deploy.jobs[name];
      expect(job.if ?? deploy.jobs[order[0]].if).toBe("github.event_name == 'push'");
      expect(job.needs).toEqual(i === 0 ? undefined : order[i - 1]);
    });
  });

  describe('in-cluster stages (issue 12)', () => {
    test.each(spokes)('%s-in-cluster applies the in-cluster stages on the runner in the VPC, as piksel-deploy in its environment', (environment) => {
      const job = deploy.jobs[`${environment}-in-cluster`];
      expect(job['runs-on']).toBe(runnerLabel(environment));
      expect(job.environment).toBe(environment);
      expect(job.concurrency).toEqual({ 'group': `deploy-${environment}-in-cluster`, 'cancel-in-progress': false });
      expect(job.env?.PIKSEL_STACKS.split(' ')).toEqual(stacksOf(environment).filter(inCluster));
      const credentials = usesStep(job, 'aws-actions/configure-aws-credentials');
      expect(expand(String(credentials.with?.['role-to-assume']), job.env)).toBe(deployRoleArn(job.env!.PIKSEL_ACCOUNT));
      expect(job.env?.PIKSEL_ACCOUNT).toBe(ENVIRONMENTS.find((e) => e.name === environment)!.account);
    });

    test('plan-in-cluster plans each spoke\'s in-cluster stages on that spoke\'s runner, as piksel-plan', () => {
      const job = deploy.jobs['plan-in-cluster'];
      const matrix = job.strategy!.matrix.include;
      expect(matrix.map((entry) => entry.environment)).toEqual(spokes);
      for (const entry of matrix) {
        expect(withMatrix(String(job['runs-on']), entry)).toBe(runnerLabel(entry.environment));
        expect(entry.stacks.split(' ')).toEqual(stacksOf(entry.environment).filter(inCluster));
        expect(entry.account).toBe(ENVIRONMENTS.find((e) => e.name === entry.environment)!.account);
      }
      expect(job.if).toBe(deploy.jobs.plan.if);
      expect(job.env?.TF_VAR_pipeline_role).toBe('plan');
      const credentials = usesStep(job, 'aws-actions/configure-aws-credentials');
      expect(expand(String(credentials.with?.['role-to-assume']), { PIKSEL_ACCOUNT: '123456789012' })).toBe(planRoleArn('123456789012'));
      expect(runIndex(job, /pnpm plan "\$stack" --no-synth/)).toBeGreaterThan(0);
    });

    test('every job that plans or applies an in-cluster stage runs on the in-VPC runner and never falls back to a hosted runner', () => {
      const covered: string[] = [];
      for (const [name, job] of Object.entries(deploy.jobs)) {
        const entries = job.strategy?.matrix.include ?? [job.env as Record<string, string>];
        for (const entry of entries) {
          const stacks = (entry.stacks ?? entry.PIKSEL_STACKS ?? '').split(' ').filter(Boolean);
          const inClusterStacks = stacks.filter(inCluster);
          if (inClusterStacks.length === 0) continue;
          // A job mixes no other stack in: those run before the runner exists on a fresh account.
          expect({ name, stacks }).toEqual({ name, stacks: inClusterStacks });
          const environment = entry.environment ?? job.environment!;
          expect({ name, runsOn: withMatrix(String(job['runs-on']), entry) }).toEqual({ name, runsOn: runnerLabel(environment) });
          expect(String(job['runs-on'])).not.toMatch(/ubuntu|windows|macos|vars\.|\|\|/);
          covered.push(...inClusterStacks.map((stack) => `${name === 'plan-in-cluster' ? 'plan' : 'apply'} ${stack}`));
        }
      }
      const expected = STACKS.map((s) => s.name).filter(inCluster).flatMap((stack) => [`plan ${stack}`, `apply ${stack}`]);
      expect(covered.sort()).toEqual(expected.sort());
    });
  });

  test('applies ask for the deploy role\'s whole session, so a long apply keeps its credentials', () => {
    const applies = Object.values(deploy.jobs).filter((job) => usesStep(job, 'aws-actions/configure-aws-credentials').with?.['role-to-assume']?.toString().endsWith('piksel-deploy'));
    expect(applies.length).toBeGreaterThan(0);
    for (const job of applies) {
      expect(Number(usesStep(job, 'aws-actions/configure-aws-credentials').with?.['role-duration-seconds'])).toBe(DEPLOY_SESSION_SECONDS);
    }
  });

  test('plans reach the hub side through the hub plan role; applies through the spoke\'s hub-network role', () => {
    expect(deploy.jobs.plan.env?.TF_VAR_pipeline_role).toBe('plan');
    for (const name of applyJobs) {
      expect(deploy.jobs[name].env?.TF_VAR_pipeline_role).toBeUndefined();
    }
  });

  describe.each(ESTATE)('apply $environment', ({ environment, account }) => {
    const job = deploy.jobs[environment];

    test('runs in its GitHub environment, alone', () => {
      expect(job.environment).toBe(environment);
      expect(job.concurrency).toEqual({ 'group': `deploy-${environment}`, 'cancel-in-progress': false });
    });

    test("assumes the account's piksel-deploy role through OIDC", () => {
      expect(job.permissions).toEqual({ 'id-token': 'write', 'contents': 'read' });
      const credentials = usesStep(job, 'aws-actions/configure-aws-credentials');
      expect(expand(String(credentials.with?.['role-to-assume']), job.env)).toBe(deployRoleArn(account));
      expect(credentials.with?.['aws-region']).toBe(REGION);
    });

    test('synthesizes, then applies its AWS stacks in order with the root script, on a hosted runner', () => {
      expect(job.env?.PIKSEL_STACKS.split(' ')).toEqual(stacksOf(environment).filter((stack) => !inCluster(stack)));
      expect(job['runs-on']).toBe('ubuntu-latest');
      const apply = runIndex(job, /pnpm apply "\$stack" --no-synth --yes/);
      expect(job.steps[apply].run).toMatch(/for stack in \$PIKSEL_STACKS/);
      expect(runIndex(job, /^pnpm synth$/)).toBeLessThan(apply);
      expect(job.steps.indexOf(usesStep(job, 'aws-actions/configure-aws-credentials'))).toBeLessThan(apply);
    });
  });

  test('says that production approval lives in the environment settings', () => {
    const production = text('deploy').split('\n  production:\n')[1];
    expect(production).toMatch(/#.*[Aa]pproval.*environment settings/);
  });

  describe('plan', () => {
    const job = deploy.jobs.plan;
    const matrix = job.strategy!.matrix.include;

    test('runs on same-repository pull requests only, outside any GitHub environment', () => {
      expect(job.if).toBe("github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository");
      expect(job.environment).toBeUndefined();
      expect(job.permissions).toEqual({ 'contents': 'read', 'id-token': 'write', 'pull-requests': 'write' });
      expect(job.concurrency?.['cancel-in-progress']).toBe(false);
    });

    test("covers every environment's stacks with its account", () => {
      expect(matrix.map(({ environment, account }) => ({ environment, account }))).toEqual(ESTATE);
      for (const entry of matrix) {
        expect(entry.stacks.split(' ')).toEqual(stacksOf(entry.environment).filter((stack) => !inCluster(stack)));
      }
      const credentials = usesStep(job, 'aws-actions/configure-aws-credentials');
      expect(expand(String(credentials.with?.['role-to-assume']), { PIKSEL_ACCOUNT: '123456789012' })).toBe(planRoleArn('123456789012'));
      expect(credentials.with?.['aws-region']).toBe(REGION);
      expect(job.env?.PIKSEL_ACCOUNT).toBe('${{ matrix.account }}');
    });

    test('synthesizes, plans each stack with the root script and comments the plan', () => {
      const plan = runIndex(job, /pnpm plan "\$stack" --no-synth/);
      expect(runIndex(job, /^pnpm synth$/)).toBeLessThan(plan);
      const comment = usesStep(job, 'actions/github-script');
      expect(job.steps.indexOf(comment)).toBeGreaterThan(plan);
      expect(comment.if).toBe('${{ !cancelled() }}');
      expect(comment.with?.script).toMatch(/createComment/);
      expect(comment.with?.script).toMatch(/updateComment/);
    });
  });

  test('the plan and apply scripts are the root script, not pnpm\'s built-in deploy', () => {
    expect(scripts.plan).toMatch(/scripts\/terraform-stack\.ts plan$/);
    expect(scripts.apply).toMatch(/scripts\/terraform-stack\.ts apply$/);
    expect(scripts).not.toHaveProperty('deploy');
  });
});
