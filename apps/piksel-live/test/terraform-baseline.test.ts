import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ENVIRONMENTS } from '@piksel/estate';
import { BASELINE_ACCOUNTS, baselineTestFile, synthesizeBaselines } from './terraform/baseline-assertions';
import { expectStacksPass, readiness, StackVerdict, terraformSuite, verifyStack } from './terraform/harness';
import { StackJson } from './terraform/hcl';
import { baselineStackName } from '../src/stacks/baseline-stack';

/**
 * Every `<account>-baseline` stack, judged by real Terraform: `terraform validate`, then a mocked
 * apply with assertions on the state bucket and the pipeline roles (baseline-assertions.ts).
 */
const ACCOUNTS = BASELINE_ACCOUNTS;
const state = readiness();

/**
 * `terraform test` destroys what its mocked apply created, which `prevent_destroy` on the state
 * bucket refuses. An override file (merged into the configuration, argument by argument) lifts it
 * for the test only; the synthesized stack keeps it, as the test above checks.
 * @see https://developer.hashicorp.com/terraform/language/files/override
 */
function allowTestDestroy(stackDir: string, stack: StackJson): void {
  const buckets = Object.fromEntries(Object.keys(stack.resource.aws_s3_bucket).map((name) => [name, { lifecycle: { prevent_destroy: false } }]));
  writeFileSync(join(stackDir, 'test_override.tf.json'), JSON.stringify({ resource: { aws_s3_bucket: buckets } }, null, 2));
}

const TAMPERED = 'dev-baseline-tampered';

/**
 * The dev baseline with three faults the assertions must catch: the plan role may put any object
 * of the state bucket, the deploy role trusts pull requests, and versioning is suspended.
 */
async function verifyTampered(outdir: string, stack: StackJson): Promise<StackVerdict> {
  const tampered = JSON.parse(JSON.stringify(stack)) as StackJson;
  const policies = tampered.resource.aws_iam_role_policy;
  const statePolicy = Object.values(policies).find((policy) => policy.name === 'terraform-state' && policy.role.includes('PlanRole'))!;
  statePolicy.policy = statePolicy.policy.replace('piksel-dev-tfstate/*.tflock"}', 'piksel-dev-tfstate/*"}');
  const deploy = Object.values(tampered.resource.aws_iam_role).find((role) => role.name === 'piksel-deploy')!;
  deploy.assume_role_policy = deploy.assume_role_policy.replace('environment:dev', 'pull_request');
  Object.values(tampered.resource.aws_s3_bucket_versioning)[0].versioning_configuration.status = 'Suspended';
  const stackDir = join(outdir, 'stacks', TAMPERED);
  mkdirSync(stackDir, { recursive: true });
  writeFileSync(join(stackDir, 'cdk.tf.json'), JSON.stringify(tampered, null, 2));
  allowTestDestroy(stackDir, tampered);
  return verifyStack(stackDir, TAMPERED, baselineTestFile(tampered, ENVIRONMENTS[0]), state.mirror!);
}

describe('baseline stacks', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'piksel-baseline-'));
  const stacks = synthesizeBaselines(outdir);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('one per account, named <account>-baseline', () => {
    expect([...stacks.keys()]).toEqual(['hub-baseline', 'dev-baseline', 'staging-baseline', 'production-baseline']);
  });

  test.each(ACCOUNTS.map((target) => [baselineStackName(target), target] as const))('%s keeps its state in the bucket it creates, beside the other stacks of the account', (name, target) => {
    const stack = stacks.get(name)! as StackJson & { terraform: any; provider: any };
    expect(stack.terraform.backend.s3).toMatchObject({
      bucket: `piksel-${target.name}-tfstate`, key: `${name}/terraform.tfstate`, encrypt: true, use_lockfile: true,
    });
    expect(stack.provider.aws[0].allowed_account_ids).toEqual([target.account]);
    expect(Object.values(stack.resource.aws_s3_bucket).map((bucket) => bucket.bucket)).toEqual([`piksel-${target.name}-tfstate`]);
    expect(Object.values(stack.resource.aws_s3_bucket)[0].lifecycle).toEqual({ prevent_destroy: true });
  });

  test('records the library version that built each baseline', () => {
    for (const stack of stacks.values()) {
      expect((stack as any)['//'].piksel.libraries['@piksel/account-baseline']).toMatch(/^\d+\.\d+\.\d+/);
    }
  });
});

terraformSuite(state)('Terraform: every baseline stack', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'piksel-tf-baseline-'));
  const verdicts = new Map<string, StackVerdict>();

  beforeAll(async () => {
    const stacks = synthesizeBaselines(outdir);
    const results = await Promise.all(ACCOUNTS.map((target) => {
      const name = baselineStackName(target);
      allowTestDestroy(join(outdir, 'stacks', name), stacks.get(name)!);
      return verifyStack(join(outdir, 'stacks', name), name, baselineTestFile(stacks.get(name)!, target), state.mirror!);
    }));
    for (const verdict of results) verdicts.set(verdict.stack, verdict);
    verdicts.set(TAMPERED, await verifyTampered(outdir, stacks.get('dev-baseline')!));
  }, 600_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('fails a stack whose plan role could write state, whose deploy role trusted pull requests, or whose bucket kept no versions', () => {
    const verdict = verdicts.get(TAMPERED)!;
    expect(verdict.valid).toBe(true);
    expect(verdict.testPassed).toBe(false);
    // Terraform wraps long messages: compare with the whitespace collapsed.
    const output = verdict.testOutput.replace(/\s+/g, ' ');
    expect(output).toMatch(/the plan role may write nothing but lock files/);
    expect(output).toMatch(/piksel-deploy must trust exactly repo:piksel-ina\/piksel-constructs:environment:dev/);
    expect(output).toMatch(/the state bucket must be versioned/);
    expect(verdict.testOutput).toMatch(/1 failed/);
  });

  expectStacksPass(ACCOUNTS.map(baselineStackName), verdicts);
});
