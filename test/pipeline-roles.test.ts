import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';
import { BASELINE_ACCOUNTS, synthesizeBaselines } from '../apps/piksel-live/test/terraform/baseline-assertions';
import { ENVIRONMENTS, GITHUB_REPOSITORY, HUB, hubNetworkRoleArn } from '../packages/estate/src/estate';
import { ROOT } from '../scripts/terraform-stack';

/**
 * The deploy workflow and the baseline stacks' trust policies, read together: every job's GitHub
 * OIDC token is accepted by exactly the role the job assumes, and refused by the account's other
 * pipeline role. A pull request must never reach piksel-deploy; an apply never needs piksel-plan.
 */

const OIDC = 'token.actions.githubusercontent.com';

interface Step { readonly uses?: string; readonly with?: Record<string, string> }
interface Job {
  readonly if?: string;
  readonly environment?: string;
  readonly env?: Record<string, string>;
  /** A literal matrix, or `${{ fromJSON(needs.<job>.outputs.matrix) }}` chosen at run time. */
  readonly strategy?: { matrix: { include: Record<string, string>[] } | string };
  readonly steps: Step[];
}

/** The claims of a job's token that the roles' trust policies test. */
interface Token { readonly sub: string; readonly aud: string }

/** A job as it runs: its name, its token, and the role it asks for. */
interface JobRun { readonly job: string; readonly token: Token; readonly roleArn: string }

const workflow: { jobs: Record<string, Job> } = parse(readFileSync(join(ROOT, '.github', 'workflows', 'deploy.yml'), 'utf-8'));

/** `${{ env.X }}` and `${{ matrix.X }}`, replaced as Actions does. */
function expand(value: string, context: { env?: Record<string, string>; matrix?: Record<string, string> }): string {
  return value.replace(/\$\{\{\s*(env|matrix)\.(\w+)\s*\}\}/g, (_, scope: 'env' | 'matrix', name: string) => {
    const found = context[scope]?.[name];
    if (found === undefined) throw new Error(`${scope}.${name} is not set`);
    return expand(found, context);
  });
}

/**
 * The subject GitHub gives a job (its default subject format): a job in an environment names the
 * environment; otherwise a pull-request job names `pull_request` and a push names its ref.
 * @see https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims
 */
function subjectOf(job: Job): string {
  if (job.environment !== undefined) return `repo:${GITHUB_REPOSITORY}:environment:${job.environment}`;
  if (/github\.event_name == 'pull_request'/.test(job.if ?? '')) return `repo:${GITHUB_REPOSITORY}:pull_request`;
  return `repo:${GITHUB_REPOSITORY}:ref:refs/heads/main`;
}

/** Every run of every job that assumes a role: one per matrix entry. */
function jobRuns(): JobRun[] {
  return Object.entries(workflow.jobs).flatMap(([name, job]) => {
    const credentials = job.steps.find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    if (!credentials) return [];
    const audience = credentials.with?.audience ?? 'sts.amazonaws.com';
    const matrices = matrixOf(job);
    return matrices.map((matrix) => ({
      job: matrix.environment ? `${name} (${matrix.environment})` : name,
      token: { sub: subjectOf(job), aud: audience },
      roleArn: expand(credentials.with!['role-to-assume'], { env: job.env, matrix }),
    }));
  });
}

/**
 * The matrix entries a job may run with. A matrix chosen at run time (`fromJSON` of another job's
 * output) is a subset of the candidates that job lists in `PIKSEL_CANDIDATES`: every one is judged.
 */
function matrixOf(job: Job): Record<string, string>[] {
  const matrix = job.strategy?.matrix;
  if (matrix === undefined) return [{}];
  if (typeof matrix !== 'string') return matrix.include;
  const source = /needs\.([\w-]+)\.outputs\.matrix/.exec(matrix)?.[1];
  const candidates = source === undefined ? undefined : workflow.jobs[source]?.env?.PIKSEL_CANDIDATES;
  if (candidates === undefined) throw new Error(`a run-time matrix (${matrix}) whose job lists no PIKSEL_CANDIDATES`);
  return JSON.parse(candidates);
}

/** The synthesized trust policy of every pipeline role, by ARN. */
function trustPolicies(): Map<string, { Statement: any[] }> {
  const outdir = mkdtempSync(join(tmpdir(), 'piksel-pipeline-roles-'));
  try {
    const stacks = [...synthesizeBaselines(outdir).values()] as any[];
    const policies = new Map<string, { Statement: any[] }>();
    BASELINE_ACCOUNTS.forEach((target, index) => {
      const stack = stacks[index];
      const providers = Object.entries<any>(stack.resource.aws_iam_openid_connect_provider);
      expect(providers.map(([, provider]) => provider.url)).toEqual([`https://${OIDC}`]);
      const providerArn = `\${aws_iam_openid_connect_provider.${providers[0][0]}.arn}`;
      for (const role of Object.values<any>(stack.resource.aws_iam_role)) {
        const policy = JSON.parse(role.assume_role_policy);
        // The account's own provider, named by its resource; the test judges tokens of that issuer.
        const statements = policy.Statement.map((s: any) => (s.Principal?.Federated === providerArn ? { ...s, Principal: { Federated: OIDC } } : s));
        policies.set(`arn:aws:iam::${target.account}:role/${role.name}`, { Statement: statements });
      }
    });
    return policies;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Glob match as IAM's `StringLike` does it: `*` any run of characters, `?` one. */
function like(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(value);
}

/**
 * Whether a trust policy lets a GitHub token assume the role: some Allow statement for
 * `sts:AssumeRoleWithWebIdentity` from the GitHub provider whose every condition holds. Operators
 * it does not know fail closed.
 */
function accepts(policy: { Statement: any[] }, token: Token): boolean {
  return policy.Statement.some((statement) => {
    if (statement.Effect !== 'Allow' || statement.Principal?.Federated !== OIDC) return false;
    if (![statement.Action].flat().includes('sts:AssumeRoleWithWebIdentity')) return false;
    return Object.entries<Record<string, string | string[]>>(statement.Condition ?? {}).every(([operator, keys]) =>
      Object.entries(keys).every(([key, expected]) => {
        const claim = key.startsWith(`${OIDC}:`) ? (token as any)[key.slice(OIDC.length + 1)] : undefined;
        if (claim === undefined) return false;
        const values = [expected].flat();
        if (operator === 'StringEquals') return values.includes(claim);
        if (operator === 'StringLike') return values.some((pattern) => like(pattern, claim));
        return false;
      }));
  });
}

/**
 * The roles of other accounts a trust policy lets assume the role: Allow statements for
 * `sts:AssumeRole` from account principals, narrowed by `aws:PrincipalArn`. A statement that
 * trusts an account without naming roles would trust all of them: it fails the test as `*`.
 */
function trustedRoles(policy: { Statement: any[] }): string[] {
  return policy.Statement
    .filter((statement) => statement.Effect === 'Allow' && statement.Principal?.AWS !== undefined)
    .flatMap((statement) => [statement.Condition?.ArnEquals?.['aws:PrincipalArn'] ?? '*'].flat())
    .sort();
}

describe('deploy workflow × pipeline roles', () => {
  const policies = trustPolicies();
  const runs = jobRuns();

  test('every job that assumes a role is checked: six pull-request plans, production\'s in-cluster plan after merge, seven applies', () => {
    expect(runs.map((run) => run.job)).toEqual([
      'plan (hub)', 'plan (dev)', 'plan (staging)', 'plan (production)',
      'plan-in-cluster (dev)', 'plan-in-cluster (staging)',
      'hub', 'dev', 'dev-in-cluster', 'staging', 'staging-in-cluster', 'production', 'production-in-cluster-plan', 'production-in-cluster',
    ]);
  });

  test.each(runs.map((run) => [run.job, run] as const))('%s is accepted by the role it assumes, and refused by the other', (_job, run) => {
    const [, account, role] = /^arn:aws:iam::(\d{12}):role\/(piksel-plan|piksel-deploy)$/.exec(run.roleArn) ?? [];
    expect(role).toBeDefined();
    const other = `arn:aws:iam::${account}:role/${role === 'piksel-plan' ? 'piksel-deploy' : 'piksel-plan'}`;
    expect(policies.has(run.roleArn)).toBe(true);
    expect(accepts(policies.get(run.roleArn)!, run.token)).toBe(true);
    expect(accepts(policies.get(other)!, run.token)).toBe(false);
  });

  test('pull requests assume piksel-plan, applies piksel-deploy in their own environment', () => {
    for (const run of runs) {
      const pullRequest = run.token.sub.endsWith(':pull_request');
      expect(run.roleArn.endsWith(pullRequest ? ':role/piksel-plan' : ':role/piksel-deploy')).toBe(true);
    }
  });

  test('no role accepts a pull request from another environment, branch or repository', () => {
    const strangers: Token[] = [
      { sub: `repo:${GITHUB_REPOSITORY}:ref:refs/heads/main`, aud: 'sts.amazonaws.com' },
      { sub: 'repo:piksel-ina/other-repository:pull_request', aud: 'sts.amazonaws.com' },
      { sub: `repo:${GITHUB_REPOSITORY}:environment:hub`, aud: 'https://github.com/piksel-ina' },
    ];
    for (const [arn, policy] of policies) {
      for (const token of strangers) {
        expect({ arn, token, accepted: accepts(policy, token) }).toEqual({ arn, token, accepted: false });
      }
    }
    // An environment's token opens its own account only.
    expect(accepts(policies.get(`arn:aws:iam::${ENVIRONMENTS[0].account}:role/piksel-deploy`)!, { sub: `repo:${GITHUB_REPOSITORY}:environment:production`, aud: 'sts.amazonaws.com' })).toBe(false);
  });

  test('the checker reads StringEquals and StringLike as IAM does, and fails closed on anything else', () => {
    const statement = { Effect: 'Allow', Principal: { Federated: OIDC }, Action: 'sts:AssumeRoleWithWebIdentity' };
    const wildcard = { Statement: [{ ...statement, Condition: { StringLike: { [`${OIDC}:sub`]: 'repo:piksel-ina/*' } } }] };
    expect(accepts(wildcard, { sub: 'repo:piksel-ina/x:pull_request', aud: 'sts.amazonaws.com' })).toBe(true);
    const exact = { Statement: [{ ...statement, Condition: { StringEquals: { [`${OIDC}:sub`]: 'repo:a/b:pull_request', [`${OIDC}:aud`]: 'sts.amazonaws.com' } } }] };
    expect(accepts(exact, { sub: 'repo:a/b:pull_request', aud: 'sts.amazonaws.com' })).toBe(true);
    expect(accepts(exact, { sub: 'repo:a/b:pull_request', aud: 'other' })).toBe(false);
    expect(accepts({ Statement: [{ ...statement, Condition: { 'ForAnyValue:StringLike': { [`${OIDC}:sub`]: '*' } } }] }, { sub: 'x', aud: 'y' })).toBe(false);
  });

  test('across accounts: the hub\'s plan role trusts the spokes\' plan roles, each hub-network role its own spoke\'s deploy role, and nothing else trusts another account', () => {
    const matrix = Object.fromEntries([...policies].map(([arn, policy]) => [arn, trustedRoles(policy)]));
    const expected: Record<string, string[]> = {};
    for (const arn of policies.keys()) expected[arn] = [];
    expected[`arn:aws:iam::${HUB.account}:role/piksel-plan`] = ENVIRONMENTS.map((env) => `arn:aws:iam::${env.account}:role/piksel-plan`).sort();
    for (const env of ENVIRONMENTS) expected[hubNetworkRoleArn(env)] = [`arn:aws:iam::${env.account}:role/piksel-deploy`];
    expect(matrix).toEqual(expected);
    // The hub's AdministratorAccess role is out of every spoke's reach, dev's above all.
    expect(matrix[`arn:aws:iam::${HUB.account}:role/piksel-deploy`]).toEqual([]);
  });

  test('no hub-network role accepts any GitHub token: only its spoke\'s deploy role reaches it', () => {
    for (const env of ENVIRONMENTS) {
      const policy = policies.get(hubNetworkRoleArn(env))!;
      expect(policy).toBeDefined();
      for (const run of runs) expect(accepts(policy, run.token)).toBe(false);
    }
  });

  test('fails a workflow whose pull-request plans assume piksel-deploy (issue 10, finding 3)', () => {
    const plan = runs.find((run) => run.job === 'plan (production)')!;
    const deploy = plan.roleArn.replace(/piksel-plan$/, 'piksel-deploy');
    expect(accepts(policies.get(deploy)!, plan.token)).toBe(false);
  });
});
