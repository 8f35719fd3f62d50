import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import {
  DEPLOY_SESSION_SECONDS, deployRoleArn, ENVIRONMENTS, GITHUB_REPOSITORY, githubRunnerProjectName, HUB, planRoleArn, REGION, stateBucket,
} from '../packages/estate/src/estate';
import { isInCluster, ROOT, STACKS, stacksDir } from '../scripts/terraform-stack';

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
  readonly 'name'?: string;
  readonly 'if'?: string;
  readonly 'runs-on'?: string;
  readonly 'needs'?: string | string[];
  readonly 'environment'?: string;
  readonly 'permissions'?: Record<string, string>;
  readonly 'concurrency'?: { 'group': string; 'cancel-in-progress': boolean };
  readonly 'env'?: Record<string, string>;
  readonly 'outputs'?: Record<string, string>;
  readonly 'strategy'?: { matrix: { include: Record<string, string>[] } | string };
  readonly 'steps': Step[];
}

/** A workflow, as much of it as these tests read. */
interface Workflow {
  readonly name: string;
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
const inCluster = (stack: string) => isInCluster({ name: stack, account: '' });
/** The label of the CodeBuild-hosted runner of a CodeBuild project (the documented label form). */
const projectLabel = (project: string) => `codebuild-${project}-\${{ github.run_id }}-\${{ github.run_attempt }}`;
/** The label of an environment's CodeBuild-hosted runner in its VPC. */
const runnerLabel = (environment: string) => projectLabel(githubRunnerProjectName(ENVIRONMENTS.find((e) => e.name === environment)!));
/** Replaces `${{ matrix.NAME }}` with the entry's value. */
const withMatrix = (value: string, matrix: Record<string, string>) => value.replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_, name: string) => matrix[name]);

/** The spokes a pull request may plan in-cluster: the candidates plan-in-cluster-targets checks. */
const candidatesOf = (job: Job): Record<string, string>[] => JSON.parse(job.env?.PIKSEL_CANDIDATES ?? '[]');

/**
 * The matrix entries a job runs with: its static `include`, or for a matrix that another job
 * computes (plan-in-cluster), the candidates that job chooses from; one entry of the job's own
 * env for a job without a matrix.
 */
function entriesOf(workflow: Workflow, job: Job): Record<string, string>[] {
  const matrix = job.strategy?.matrix;
  if (matrix === undefined) return [{ ...job.env }];
  if (typeof matrix !== 'string') return matrix.include;
  const source = /needs\.([\w-]+)\.outputs\.matrix/.exec(matrix)?.[1];
  if (source === undefined) throw new Error(`cannot read the matrix ${matrix}`);
  return candidatesOf(workflow.jobs[source]);
}

/** Every label a job's `runs-on` can take. */
const labelsOf = (workflow: Workflow, job: Job) => [...new Set(entriesOf(workflow, job).map((entry) => withMatrix(String(job['runs-on']), entry)))];

/**
 * The events a job can run on: the workflow's, narrowed by a `github.event_name == '…'` in its
 * `if` and by the jobs it needs (a job whose needs were skipped is skipped).
 */
function eventsOf(workflow: Workflow, name: string): string[] {
  const job = workflow.jobs[name];
  const named = [...(job.if ?? '').matchAll(/github\.event_name == '(\w+)'/g)].map((m) => m[1]);
  let events = Object.keys(workflow.on).filter((event) => named.length === 0 || named.includes(event));
  for (const need of [job.needs ?? []].flat()) events = events.filter((event) => eventsOf(workflow, need).includes(event));
  return events;
}

/** A synthesized stack of the estate, from `pnpm synth` (the stacks the tests read). */
function synthesized(stack: string): Record<string, any> {
  const file = join(stacksDir(), stack, 'cdk.tf.json');
  if (!existsSync(file)) throw new Error(`${file} does not exist: run \`pnpm synth\` at the root first`);
  return JSON.parse(readFileSync(file, 'utf-8'));
}

/** A runner the estate makes: its CodeBuild project, its webhook and the stack of both. */
interface Runner {
  readonly stack: string;
  readonly project: Record<string, any>;
  readonly webhook: Record<string, any>;
  readonly label: string;
}

/** Every CodeBuild-hosted runner of the synthesized estate (a CodeBuild project with a webhook). */
function runners(): Runner[] {
  return readdirSync(stacksDir()).flatMap((stack) => {
    const resources = synthesized(stack).resource ?? {};
    return Object.values(resources.aws_codebuild_webhook ?? {}).map((webhook: any) => {
      const [, id] = /^\$\{aws_codebuild_project\.([\w-]+)\.name\}$/.exec(webhook.project_name) ?? [];
      const project = resources.aws_codebuild_project?.[id];
      if (project === undefined) throw new Error(`${stack}: the webhook's project_name ${webhook.project_name} names no project of the stack`);
      return { stack, project, webhook, label: projectLabel(project.name) };
    });
  });
}

describe('GitHub workflows', () => {
  test.each(WORKFLOWS)('%s pins every action to a full commit SHA with its version', (name) => {
    const lines = text(name).split('\n').filter((line) => /^\s*-?\s*uses:/.test(line));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  test.each(WORKFLOWS)('%s sets up Node.js 20 and installs with the pinned pnpm and a frozen lockfile in every job that checks out', (name) => {
    const jobs = Object.values(load(name).jobs).filter((job) => job.steps.some((step) => step.uses?.startsWith('actions/checkout@')));
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
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
  const production = ENVIRONMENTS[ENVIRONMENTS.length - 1].name;
  const inClusterOf = (environment: string) => stacksOf(environment).filter(inCluster);

  test('plans on pull requests and applies on push to main, when what the stacks are built from changes', () => {
    expect(Object.keys(deploy.on)).toEqual(['pull_request', 'push']);
    expect(deploy.on.push?.branches).toEqual(['main']);
    expect(deploy.on.push?.paths).toEqual(deploy.on.pull_request?.paths);
    expect(deploy.on.pull_request?.paths).toEqual(expect.arrayContaining(['apps/piksel-live/**', 'packages/**', 'pnpm-lock.yaml', 'scripts/**']));
    expect(deploy.permissions).toEqual({ contents: 'read' });
  });

  test('applies hub → dev → dev-in-cluster → staging → … → production → its in-cluster plan → production-in-cluster, each after the one before', () => {
    const order = [HUB.name, ...spokes.flatMap((env) => (env === production ? [env, `${env}-in-cluster-plan`, `${env}-in-cluster`] : [env, `${env}-in-cluster`]))];
    expect(Object.keys(deploy.jobs)).toEqual(['plan', 'plan-in-cluster-targets', 'plan-in-cluster', ...order]);
    order.forEach((name, i) => {
      expect(deploy.jobs[name].if).toBe("github.event_name == 'push'");
      expect(deploy.jobs[name].needs).toEqual(i === 0 ? undefined : order[i - 1]);
    });
  });

  describe('in-cluster stages', () => {
    test.each(spokes)('%s-in-cluster applies the in-cluster stages on the runner in the VPC, as piksel-deploy in its environment', (environment) => {
      const job = deploy.jobs[`${environment}-in-cluster`];
      expect(job['runs-on']).toBe(runnerLabel(environment));
      expect(job.environment).toBe(environment);
      expect(job.concurrency).toEqual({ 'group': `deploy-${environment}-in-cluster`, 'cancel-in-progress': false });
      expect(job.env?.PIKSEL_STACKS.split(' ')).toEqual(inClusterOf(environment));
      const credentials = usesStep(job, 'aws-actions/configure-aws-credentials');
      expect(expand(String(credentials.with?.['role-to-assume']), job.env)).toBe(deployRoleArn(job.env!.PIKSEL_ACCOUNT));
      expect(job.env?.PIKSEL_ACCOUNT).toBe(ENVIRONMENTS.find((e) => e.name === environment)!.account);
    });

    test('pull requests plan in-cluster only the spokes whose runner exists, never production: plan-in-cluster-targets asks first, as piksel-plan, from a hosted runner', () => {
      const targets = deploy.jobs['plan-in-cluster-targets'];
      expect(targets.if).toBe(deploy.jobs.plan.if);
      expect(targets['runs-on']).toBe('ubuntu-latest');
      expect(targets.permissions).toEqual({ 'contents': 'read', 'id-token': 'write', 'pull-requests': 'write' });
      expect(candidatesOf(targets)).toEqual(spokes.filter((env) => env !== production).map((name) => {
        const env = ENVIRONMENTS.find((e) => e.name === name)!;
        return { environment: name, account: env.account, bucket: stateBucket(name), runner: githubRunnerProjectName(env), stacks: inClusterOf(name).join(' ') };
      }));
      expect(JSON.parse(targets.env!.PIKSEL_AFTER_MERGE)).toEqual([{ environment: production, stacks: inClusterOf(production).join(' ') }]);
      const find = targets.steps[runIndex(targets, /batch-get-projects/)].run!;
      expect(find).toMatch(/aws sts assume-role-with-web-identity --role-arn "arn:aws:iam::\$account:role\/piksel-plan"/);
      expect(find).toMatch(/aws codebuild batch-get-projects --region ap-southeast-3 --names "\$runner"/);
      // Only S3's "no such bucket" lets an account without piksel-plan pass as "not applied yet".
      expect(find).toMatch(/aws s3api head-bucket --bucket "\$bucket" --no-sign-request --region ap-southeast-3 2>&1 \| grep -q '\(404\)'/);
      expect(find).toMatch(/not applied yet, skipped: /);
      expect(targets.outputs).toEqual({ matrix: '${{ steps.targets.outputs.matrix }}', count: '${{ steps.targets.outputs.count }}' });
      expect(usesStep(targets, 'actions/github-script').with?.script).toBe(usesStep(deploy.jobs.plan, 'actions/github-script').with?.script);

      const job = deploy.jobs['plan-in-cluster'];
      expect(job.needs).toBe('plan-in-cluster-targets');
      expect(job.if).toBe(`needs.plan-in-cluster-targets.outputs.count != '0' && ${deploy.jobs.plan.if}`);
      expect(job.strategy?.matrix).toBe('${{ fromJSON(needs.plan-in-cluster-targets.outputs.matrix) }}');
      for (const entry of entriesOf(deploy, job)) {
        expect(withMatrix(String(job['runs-on']), entry)).toBe(runnerLabel(entry.environment));
      }
      expect(job.env?.TF_VAR_pipeline_role).toBe('plan');
      const credentials = usesStep(job, 'aws-actions/configure-aws-credentials');
      expect(expand(String(credentials.with?.['role-to-assume']), { PIKSEL_ACCOUNT: '123456789012' })).toBe(planRoleArn('123456789012'));
      expect(runIndex(job, /pnpm plan "\$stack" --no-synth --if-applied/)).toBeGreaterThan(0);
    });

    test('production\'s in-cluster stages are planned after merge, then only that plan is applied, each step behind production\'s reviewers', () => {
      const plan = deploy.jobs[`${production}-in-cluster-plan`];
      const apply = deploy.jobs[`${production}-in-cluster`];
      for (const job of [plan, apply]) {
        expect(job['runs-on']).toBe(runnerLabel(production));
        expect(job.environment).toBe(production);
        expect(job.env?.PIKSEL_STACKS.split(' ')).toEqual(inClusterOf(production));
      }
      expect(plan.needs).toBe(production);
      expect(plan.outputs).toEqual({ digests: '${{ steps.plan.outputs.digests }}' });
      const planned = plan.steps.find((step) => step.run?.includes('pnpm plan'))!.run!;
      expect(planned).toMatch(/pnpm plan "\$stack" --no-synth --if-applied --digest/);
      expect(planned).toMatch(/GITHUB_STEP_SUMMARY/);
      expect(planned).toMatch(/digests=\$\{digests# \}" >> "\$GITHUB_OUTPUT"/);
      expect(plan.steps.some((step) => /pnpm apply/.test(step.run ?? ''))).toBe(false);
      expect(apply.needs).toBe(`${production}-in-cluster-plan`);
      expect(apply.env?.PIKSEL_APPROVED_DIGESTS).toBe(`\${{ needs.${production}-in-cluster-plan.outputs.digests }}`);
      expect(apply.steps[runIndex(apply, /pnpm apply/)].run).toMatch(/pnpm apply "\$stack" --no-synth --yes --approved-digest="\$digest"/);
    });

    test('every job that plans or applies an in-cluster stage runs on the in-VPC runner and never falls back to a hosted runner', () => {
      const covered: string[] = [];
      for (const [name, job] of Object.entries(deploy.jobs)) {
        for (const entry of entriesOf(deploy, job)) {
          const stacks = (entry.stacks ?? entry.PIKSEL_STACKS ?? '').split(' ').filter(Boolean);
          const inClusterStacks = stacks.filter(inCluster);
          if (inClusterStacks.length === 0) continue;
          // A job mixes no other stack in: those run before the runner exists on a fresh account.
          expect({ name, stacks }).toEqual({ name, stacks: inClusterStacks });
          const environment = entry.environment ?? job.environment!;
          expect({ name, runsOn: withMatrix(String(job['runs-on']), entry) }).toEqual({ name, runsOn: runnerLabel(environment) });
          expect(String(job['runs-on'])).not.toMatch(/ubuntu|windows|macos|vars\.|\|\|/);
          const plans = job.steps.some((step) => /pnpm plan/.test(step.run ?? ''));
          covered.push(...inClusterStacks.map((stack) => `${plans ? 'plan' : 'apply'} ${stack}`));
        }
      }
      const expected = STACKS.filter(isInCluster).flatMap((stack) => [`plan ${stack.name}`, `apply ${stack.name}`]);
      expect(covered.sort()).toEqual(expected.sort());
    });
  });

  describe('the runners in the VPCs, as synthesized (pnpm synth)', () => {
    const all = runners();
    const workflows = WORKFLOWS.map(load);
    /** Every job of every workflow, with the labels it can run on and the events it can run on. */
    const jobs = workflows.flatMap((workflow) => Object.entries(workflow.jobs).map(([name, job]) => ({
      workflow, name: `${workflow.name}/${name}`, job, labels: labelsOf(workflow, job), events: eventsOf(workflow, name),
    })));
    const productionRunner = all.find((runner) => runner.stack === production)!;

    test('there is one runner per spoke, in that spoke\'s stack, and every runner label a workflow names is one of them', () => {
      const expected = ENVIRONMENTS.map((env) => [env.name, githubRunnerProjectName(env)]);
      expect(all.map((runner) => [runner.stack, runner.project.name]).sort()).toEqual(expected.sort());
      const named = jobs.flatMap(({ labels }) => labels).filter((label) => label.startsWith('codebuild-'));
      expect(named.length).toBeGreaterThan(0);
      for (const label of named) expect(all.map((runner) => runner.label)).toContain(label);
    });

    test.each(ENVIRONMENTS.map((env) => env.name))('the runner of %s takes the queued workflow jobs of this repository only', (environment) => {
      const runner = all.find((r) => r.stack === environment)!;
      expect(runner.project.source).toMatchObject({ type: 'GITHUB', location: `https://github.com/${GITHUB_REPOSITORY}` });
      // A repository webhook: GitHub sends it this repository's events only (no organization or global scope).
      expect(runner.webhook.scope_configuration).toBeUndefined();
      expect(runner.webhook.filter_group.length).toBeGreaterThan(0);
      for (const group of runner.webhook.filter_group) {
        const events = group.filter.filter((f: any) => f.type === 'EVENT');
        expect(events).toEqual([{ type: 'EVENT', pattern: 'WORKFLOW_JOB_QUEUED' }]);
        expect(group.filter.every((f: any) => f.exclude_matched_pattern !== true)).toBe(true);
      }
    });

    test('every job that runs on production\'s runner runs only on push to main, in the production environment', () => {
      const onProduction = jobs.filter(({ labels }) => labels.includes(productionRunner.label));
      expect(onProduction.map(({ name }) => name).sort()).toEqual([`deploy/${production}-in-cluster`, `deploy/${production}-in-cluster-plan`]);
      for (const { workflow, job, events } of onProduction) {
        expect(events).toEqual(['push']);
        expect(workflow.on.push?.branches).toEqual(['main']);
        expect(job.environment).toBe(production);
      }
    });

    test('no job a pull request can run names production\'s runner', () => {
      const onPullRequests = jobs.filter(({ events }) => events.includes('pull_request'));
      expect(onPullRequests.map(({ name }) => name)).toEqual(expect.arrayContaining(['deploy/plan', 'deploy/plan-in-cluster-targets', 'deploy/plan-in-cluster']));
      for (const { name, labels } of onPullRequests) {
        expect({ name, labels }).toEqual({ name, labels: labels.filter((label) => label !== productionRunner.label) });
      }
    });

    test('a runner that names its workflows takes only jobs of workflows so named', () => {
      for (const runner of all) {
        const names = runner.webhook.filter_group.flatMap((group: any) => group.filter).filter((f: any) => f.type === 'WORKFLOW_NAME');
        for (const { workflow, name, labels } of jobs.filter((j) => j.labels.includes(runner.label))) {
          for (const filter of names) expect({ name, matches: new RegExp(filter.pattern).test(workflow.name) }).toEqual({ name, matches: true });
          expect(labels).toContain(runner.label);
        }
      }
    });
  });

  test('applies ask for the deploy role\'s whole session, so a long apply keeps its credentials', () => {
    const credentialsOf = (job: Job) => job.steps.find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    const applies = Object.values(deploy.jobs).filter((job) => credentialsOf(job)?.with?.['role-to-assume']?.toString().endsWith('piksel-deploy'));
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
    const section = text('deploy').split(`\n  ${production}:\n`)[1];
    expect(section).toMatch(/#.*[Aa]pproval.*environment settings/);
  });

  describe('plan', () => {
    const job = deploy.jobs.plan;
    const matrix = entriesOf(deploy, job);

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

    test('says "not applied yet, skipped" for a stack that stands on something never applied, instead of failing', () => {
      const plan = job.steps[runIndex(job, /pnpm plan "\$stack" --no-synth --if-applied/)].run!;
      expect(plan).toMatch(/if \[ -f "\$dir\/tfplan\.skipped" \]; then\n\s+echo "not applied yet, skipped: \$\(cat "\$dir\/tfplan\.skipped"\)" > "\$RUNNER_TEMP\/skipped-\$stack\.txt"/);
      // An account without its baseline has no piksel-plan: the plan step, not this one, decides.
      const credentials = usesStep(job, 'aws-actions/configure-aws-credentials') as Step & { 'continue-on-error'?: boolean };
      expect(credentials['continue-on-error']).toBe(true);
      expect(usesStep(job, 'actions/github-script').with?.script).toMatch(/skipped-\$\{stack\}\.txt/);
    });
  });

  test('the plan and apply scripts are the root script, not pnpm\'s built-in deploy', () => {
    expect(scripts.plan).toMatch(/scripts\/terraform-stack\.ts plan$/);
    expect(scripts.apply).toMatch(/scripts\/terraform-stack\.ts apply$/);
    expect(scripts).not.toHaveProperty('deploy');
  });
});
