import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Naming } from '@piksel/core';
import { App, TerraformStack, Testing } from 'cdktf';
import { NetworkHub } from '../../network-hub/src/network-hub';
import { onlyResource, policyOf, resourcesOf, synth, Synthesized } from '../../secrets/test/util';
import { AccountBaseline, AccountBaselineProps } from '../src';

const HUB = '686410905891';
const DEV = '236122835646';
const STAGING = '326641642924';
const REPOSITORY = 'piksel-ina/piksel-constructs';
const SPOKES = [
  { environment: 'dev', account: DEV, routingDomain: 'nonprod' },
  { environment: 'staging', account: STAGING, routingDomain: 'nonprod' },
];

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

  test('on a spoke, lets the deploy role assume its hub-network role only, and the plan role the hub\'s plan role only', () => {
    const out = build({ hubAccount: HUB });
    expect(role(out, 'piksel-deploy').inline['cross-account-roles'][0].Resource).toEqual([`arn:aws:iam::${HUB}:role/piksel-dev-hub-network`]);
    expect(role(out, 'piksel-deploy').inline['cross-account-roles'][1].NotResource).toEqual([`arn:aws:iam::${HUB}:role/piksel-dev-hub-network`]);
    expect(role(out, 'piksel-plan').inline['cross-account-roles'][0].Resource).toEqual([`arn:aws:iam::${HUB}:role/piksel-plan`]);
    expect(role(out, 'piksel-plan').trust).toHaveLength(1);
    expect(role(out, 'piksel-deploy').trust).toHaveLength(1);
  });

  test('on the hub, lets the spokes\' plan roles assume the plan role, and no spoke role the deploy role', () => {
    const out = build({ environment: 'hub', spokes: SPOKES });
    const plan = role(out, 'piksel-plan');
    expect(plan.trust[1].Condition.ArnEquals['aws:PrincipalArn']).toEqual([`arn:aws:iam::${DEV}:role/piksel-plan`, `arn:aws:iam::${STAGING}:role/piksel-plan`]);
    const deploy = role(out, 'piksel-deploy');
    expect(deploy.trust).toHaveLength(1);
    expect(deploy.trust[0].Principal).toEqual({ Federated: expect.stringMatching(/aws_iam_openid_connect_provider/) });
    for (const { inline } of [plan, deploy]) {
      expect(inline['cross-account-roles']).toEqual([expect.objectContaining({ Sid: 'DenyRolesOfOtherAccounts', Resource: '*' })]);
    }
  });

  test('on the hub, makes one hub-network role per spoke, trusted by that spoke\'s deploy role only', () => {
    const out = build({ environment: 'hub', spokes: SPOKES, routingDomains: ['nonprod', 'prod'] });
    expect(Object.values(resourcesOf(out, 'aws_iam_role')).map((r) => r.name).sort())
      .toEqual(['piksel-deploy', 'piksel-dev-hub-network', 'piksel-plan', 'piksel-staging-hub-network']);
    for (const spoke of SPOKES) {
      const network = role(out, `piksel-${spoke.environment}-hub-network`);
      expect(network.trust).toEqual([{
        Sid: 'SpokeDeployRole',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${spoke.account}:root` },
        Action: 'sts:AssumeRole',
        Condition: { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${spoke.account}:role/piksel-deploy` } },
      }]);
      const read = network.inline['hub-network'].find((s: any) => s.Sid === 'ReadHubState');
      expect(read.Resource).toBe('arn:aws:s3:::piksel-hub-tfstate/hub/terraform.tfstate');
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
    const hub = new AccountBaseline(new TerraformStack(new App(), 'Hub'), 'Baseline', {
      environment: 'hub', repository: REPOSITORY, spokes: [...SPOKES, { environment: 'prod-eu', account: '522783511350', routingDomain: 'prod' }],
    });
    expect(hub.node.children.map((child) => child.node.id).slice(4)).toEqual(['DevHubNetworkRole', 'StagingHubNetworkRole', 'ProdEuHubNetworkRole']);
  });

  test.each([
    ['repository', { repository: 'piksel-ina' }, /Baseline\/DeployRole: repository is "piksel-ina"; name one repository as a literal "owner\/name"/],
    ['githubEnvironment', { githubEnvironment: 'pull_request' }, /Baseline\/DeployRole: environment is "pull_request"; name an environment, never pull_request/],
    ['githubEnvironment', { githubEnvironment: 'dev:main' }, /Baseline\/DeployRole: environment is "dev:main"; use 1-255 characters without ":"/],
    ['stateBucketName', { stateBucketName: 'piksel..state' }, /Baseline\/StateBucket: bucketName is "piksel\.\.state"; remove the "\.\."/],
    ['noncurrentVersionRetentionDays', { noncurrentVersionRetentionDays: 0 }, /Baseline\/StateBucket: noncurrentVersionRetentionDays is 0; use a whole number of days, 1 or more/],
    ['environment', { environment: 'Dev' }, /Baseline: environment is "Dev"; use lower-case kebab-case/],
    ['hubAccount', { hubAccount: '68641090589' }, /Baseline: hubAccount is "68641090589"; use a 12-digit AWS account ID/],
    ['spokes (bad account)', { environment: 'hub', spokes: [SPOKES[0], { ...SPOKES[1], account: 'dev' }] }, /Baseline: spokes\[1\]\.account is "dev"; use a 12-digit AWS account ID/],
    ['spokes (bad environment)', { spokes: [{ ...SPOKES[0], environment: 'Dev' }] }, /Baseline: spokes\[0\]\.environment is "Dev"; use lower-case kebab-case/],
    ['spokes (duplicate environment)', { environment: 'hub', spokes: [SPOKES[0], { ...SPOKES[1], environment: 'dev' }] }, /Baseline: spokes\[1\]\.environment is "dev"; it is already a spoke; give each spoke environment once/],
    ['spokes (duplicate account)', { environment: 'hub', spokes: [SPOKES[0], { ...SPOKES[1], account: DEV }] }, /Baseline: spokes\[1\]\.account is "236122835646"; it is already the account of another spoke/],
    ['spokes (unknown routing domain)', { routingDomains: ['nonprod', 'prod'], spokes: [{ ...SPOKES[0], routingDomain: 'staging' }] },
      /Baseline: spokes\[0\]\.routingDomain is "staging"; name one of the hub's routing domains \(nonprod, prod\)/],
    ['spokes (shared routing domain)', { spokes: [{ ...SPOKES[0], routingDomain: 'shared' }] }, /Baseline: spokes\[0\]\.routingDomain is "shared"; name the spoke's own domain/],
    ['spokes (bad routing domain)', { spokes: [{ ...SPOKES[0], routingDomain: 'Non Prod' }] }, /Baseline: spokes\[0\]\.routingDomain is "Non Prod"/],
    ['spokes (this account)', { environment: 'hub', spokes: [{ ...SPOKES[0], environment: 'hub' }] }, /Baseline: spokes\[0\]\.environment is "hub"; it is the name of this account/],
    ['routingDomains', { routingDomains: ['nonprod', 'Prod'] }, /Baseline: routingDomains\[1\] is "Prod"/],
    ['hubAccount', { hubAccount: HUB, spokes: [{ ...SPOKES[1], account: HUB }] }, /Baseline: hubAccount is "686410905891"; it is also a spoke's account/],
  ])('fails when %s is invalid', (_field, bad, message) => {
    expect(() => build(bad)).toThrow(message);
  });

  describe('spokes against the hub of its account, in another stack of the app', () => {
    /** The hub account's baseline with `spokes`, and its hub admitting `admitted`, each in a stack of the hub account. */
    function hubAndBaseline(spokes: typeof SPOKES, admitted: string[]): TerraformStack {
      const app = Testing.app();
      Naming.configure(app, Naming.piksel());
      const inHubAccount = (id: string) => {
        const stack = new TerraformStack(app, id);
        new AwsProvider(stack, 'Aws', { region: 'ap-southeast-3', allowedAccountIds: [HUB] });
        return stack;
      };
      const hub = new NetworkHub(inHubAccount('hub'), 'Hub', { cidrBlock: '10.0.0.0/16', region: 'ap-southeast-3' });
      admitted.forEach((account, index) => hub.admitSpoke(`Spoke${index}`, { account, cidrBlock: `10.${index + 1}.0.0/16` }));
      const baseline = inHubAccount('hub-baseline');
      new AccountBaseline(baseline, 'Baseline', { environment: 'hub', repository: REPOSITORY, spokes, routingDomains: ['nonprod'] });
      return baseline;
    }

    test('pass when the baseline lists exactly the spokes the hub admits', () => {
      expect(() => Testing.fullSynth(hubAndBaseline(SPOKES, [DEV, STAGING]))).not.toThrow();
    });

    test('fail when the baseline lists a spoke the hub never admits, naming both', () => {
      expect(() => Testing.fullSynth(hubAndBaseline(SPOKES, [DEV])))
        .toThrow(/hub-baseline\/Baseline: spokes\[1\].account is "326641642924"; the hub in account 686410905891 admits no spoke of that account \(it admits 236122835646 at hub\/Hub\/Spoke0\)/);
    });

    test('fail when the hub admits a spoke the baseline gives no hub-network role, naming both', () => {
      expect(() => Testing.fullSynth(hubAndBaseline([SPOKES[0]], [DEV, STAGING])))
        .toThrow(/hub\/Hub\/Spoke1: account is "326641642924"; hub-baseline\/Baseline lists no spoke of that account/);
    });
  });
});
