import { Naming } from '@piksel/core';
import { App, TerraformStack, Testing } from 'cdktf';
import { onlyResource, policyOf, resourcesOf, synth, Synthesized } from '../../secrets/test/util';
import { AccountBaseline, AccountBaselineProps } from '../src';

const HUB = '686410905891';
const DEV = '236122835646';
const STAGING = '326641642924';
const REPOSITORY = 'piksel-ina/piksel-constructs';

function build(props: Partial<AccountBaselineProps> = {}): Synthesized {
  return synth((stack) => new AccountBaseline(stack, 'Baseline', { environment: 'dev', repository: REPOSITORY, ...props }));
}

/** The role called `name` and its inline policies, parsed. */
function role(out: Synthesized, name: string) {
  const [address, resource] = Object.entries(resourcesOf(out, 'aws_iam_role')).find(([, r]) => r.name === name)!;
  const inline = Object.values(resourcesOf(out, 'aws_iam_role_policy')).filter((p) => p.role === `\${aws_iam_role.${address}.name}`);
  return {
    trust: policyOf({ policy: resource.assume_role_policy }).Statement,
    inline: Object.fromEntries(inline.map((p) => [p.name, policyOf(p).Statement])),
  };
}

describe('AccountBaseline', () => {
  test('creates the state bucket, one GitHub provider, and the deploy and plan roles that trust it', () => {
    const out = build();
    expect(onlyResource(out, 'aws_s3_bucket').bucket).toBe('piksel-dev-tfstate');
    const [provider] = Object.keys(resourcesOf(out, 'aws_iam_openid_connect_provider'));
    expect(Object.values(resourcesOf(out, 'aws_iam_role')).map((r) => r.name)).toEqual(['piksel-deploy', 'piksel-plan']);
    const deploy = role(out, 'piksel-deploy');
    const plan = role(out, 'piksel-plan');
    expect(deploy.trust).toHaveLength(1);
    expect(deploy.trust[0].Principal.Federated).toBe(`\${aws_iam_openid_connect_provider.${provider}.arn}`);
    expect(deploy.trust[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toBe(`repo:${REPOSITORY}:environment:dev`);
    expect(plan.trust[0].Principal.Federated).toBe(`\${aws_iam_openid_connect_provider.${provider}.arn}`);
    expect(plan.trust[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toBe(`repo:${REPOSITORY}:pull_request`);
    expect(plan.inline['terraform-state'][2].Resource).toBe('arn:aws:s3:::piksel-dev-tfstate/*.tflock');
  });

  test('on a spoke, lets each role assume the hub role of the same kind only', () => {
    const out = build({ hubAccount: HUB });
    expect(role(out, 'piksel-deploy').inline['cross-account-roles'][0].Resource).toEqual([`arn:aws:iam::${HUB}:role/piksel-deploy`]);
    expect(role(out, 'piksel-plan').inline['cross-account-roles'][0].Resource).toEqual([`arn:aws:iam::${HUB}:role/piksel-plan`]);
    expect(role(out, 'piksel-plan').trust).toHaveLength(1);
  });

  test('on the hub, lets each role be assumed by the spokes\' roles of the same kind only', () => {
    const out = build({ environment: 'hub', spokeAccounts: [DEV, STAGING] });
    const kinds = { 'piksel-deploy': 'piksel-deploy', 'piksel-plan': 'piksel-plan' };
    for (const [name, kind] of Object.entries(kinds)) {
      const { trust, inline } = role(out, name);
      expect(trust[1].Condition.ArnEquals['aws:PrincipalArn']).toEqual([`arn:aws:iam::${DEV}:role/${kind}`, `arn:aws:iam::${STAGING}:role/${kind}`]);
      expect(inline['cross-account-roles']).toEqual([expect.objectContaining({ Sid: 'DenyRolesOfOtherAccounts', Resource: '*' })]);
    }
  });

  test('uses the GitHub environment, names and retention it is given, and the app\'s naming prefix', () => {
    const app = Testing.app();
    Naming.configure(app, { prefix: 'acme' });
    const stack = new TerraformStack(app, 'Baseline');
    new AccountBaseline(stack, 'Baseline', {
      environment: 'prod', repository: 'acme/infra', githubEnvironment: 'Production', noncurrentVersionRetentionDays: 365, hubAccount: HUB,
    });
    const out: Synthesized = JSON.parse(Testing.synth(stack));
    expect(onlyResource(out, 'aws_s3_bucket').bucket).toBe('acme-prod-tfstate');
    expect(onlyResource(out, 'aws_s3_bucket_lifecycle_configuration').rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 365 }]);
    expect(role(out, 'acme-deploy').trust[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toBe('repo:acme/infra:environment:Production');
    expect(role(out, 'acme-plan').inline['cross-account-roles'][0].Resource).toEqual([`arn:aws:iam::${HUB}:role/acme-plan`]);
  });

  test('names its children with stable IDs', () => {
    const stack = new TerraformStack(new App(), 'Baseline');
    const baseline = new AccountBaseline(stack, 'Baseline', { environment: 'dev', repository: REPOSITORY });
    expect(baseline.node.children.map((child) => child.node.id)).toEqual(['StateBucket', 'GithubOidcProvider', 'DeployRole', 'PlanRole']);
  });

  test.each([
    ['repository', { repository: 'piksel-ina' }, /Baseline\/DeployRole: repository is "piksel-ina"; name one repository as a literal "owner\/name"/],
    ['githubEnvironment', { githubEnvironment: 'pull_request' }, /Baseline\/DeployRole: environment is "pull_request"; name an environment, never pull_request/],
    ['githubEnvironment', { githubEnvironment: 'dev:main' }, /Baseline\/DeployRole: environment is "dev:main"; use 1-255 characters without ":"/],
    ['stateBucketName', { stateBucketName: 'piksel..state' }, /Baseline\/StateBucket: bucketName is "piksel\.\.state"; remove the "\.\."/],
    ['noncurrentVersionRetentionDays', { noncurrentVersionRetentionDays: 0 }, /Baseline\/StateBucket: noncurrentVersionRetentionDays is 0; use a whole number of days, 1 or more/],
    ['environment', { environment: 'Dev' }, /Baseline: environment is "Dev"; use lower-case kebab-case/],
    ['hubAccount', { hubAccount: '68641090589' }, /Baseline: hubAccount is "68641090589"; use a 12-digit AWS account ID/],
    ['spokeAccounts', { spokeAccounts: [DEV, 'dev'] }, /Baseline: spokeAccounts\[1\] is "dev"; use a 12-digit AWS account ID/],
    ['hubAccount', { hubAccount: HUB, spokeAccounts: [HUB] }, /Baseline: hubAccount is "686410905891"; it is also in spokeAccounts/],
  ])('fails when %s is invalid', (_field, bad, message) => {
    expect(() => build(bad)).toThrow(message);
  });
});
