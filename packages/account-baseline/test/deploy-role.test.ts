import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing, Token } from 'cdktf';
import { onlyResource, policyOf, resourcesOf, synth, Synthesized } from '../../secrets/test/util';
import { DeployRole, DeployRoleProps, GithubOidcProvider } from '../src';

const PROVIDER_ARN = 'arn:aws:iam::236122835646:oidc-provider/token.actions.githubusercontent.com';
const HUB_DEPLOY = 'arn:aws:iam::686410905891:role/piksel-deploy';

function build(props: Partial<DeployRoleProps> = {}): Synthesized {
  return synth((stack) => new DeployRole(stack, 'Deploy', {
    oidcProvider: GithubOidcProvider.fromAccount(stack, 'Github', '236122835646'),
    repository: 'piksel-ina/piksel-constructs',
    environment: 'dev',
    ...props,
  }));
}

/** The inline policy of the role called `name`, parsed. */
function inlinePolicy(out: Synthesized, name: string) {
  return policyOf(Object.values(resourcesOf(out, 'aws_iam_role_policy')).find((p) => p.name === name));
}

describe('DeployRole', () => {
  test('is trusted through the GitHub provider by jobs of one environment of one repository, exactly', () => {
    const role = onlyResource(build(), 'aws_iam_role');
    expect(role).toMatchObject({ name: 'piksel-deploy', max_session_duration: 3600 });
    expect(policyOf({ policy: role.assume_role_policy }).Statement).toEqual([{
      Sid: 'GithubActions',
      Effect: 'Allow',
      Principal: { Federated: PROVIDER_ARN },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': 'repo:piksel-ina/piksel-constructs:environment:dev',
        },
      },
    }]);
  });

  test('holds AdministratorAccess, and only the policies it declares', () => {
    const out = build();
    expect(onlyResource(out, 'aws_iam_role_policy_attachment').policy_arn).toBe('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(onlyResource(out, 'aws_iam_role_policy_attachments_exclusive').policy_arns).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
    expect(onlyResource(out, 'aws_iam_role_policies_exclusive').policy_names).toEqual([expect.stringMatching(/\.name\}$/)]);
  });

  test('may assume no role of another account by default', () => {
    expect(inlinePolicy(build(), 'cross-account-roles').Statement).toEqual([{
      Sid: 'DenyRolesOfOtherAccounts',
      Effect: 'Deny',
      Action: 'sts:AssumeRole',
      Resource: '*',
      // `$${…}` is Terraform's escape: IAM receives the policy variable ${aws:PrincipalAccount}.
      Condition: { StringNotEquals: { 'aws:ResourceAccount': '$${aws:PrincipalAccount}' } },
    }]);
  });

  test('on a spoke, may assume the hub deploy role and no other role of another account', () => {
    const out = build({ crossAccountAssumableRoleArns: [HUB_DEPLOY] });
    const [allow, deny] = inlinePolicy(out, 'cross-account-roles').Statement;
    expect(allow).toEqual({ Sid: 'AssumeSameKindRolesOfOtherAccounts', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: [HUB_DEPLOY] });
    expect(deny).toMatchObject({ Effect: 'Deny', Action: 'sts:AssumeRole', NotResource: [HUB_DEPLOY] });
  });

  test('on the hub, trusts exactly the spokes\' deploy roles, by account and principal ARN', () => {
    const spokes = ['arn:aws:iam::326641642924:role/piksel-deploy', 'arn:aws:iam::236122835646:role/piksel-deploy'];
    const trust = policyOf({ policy: onlyResource(build({ crossAccountTrustedRoleArns: spokes }), 'aws_iam_role').assume_role_policy });
    expect(trust.Statement[1]).toEqual({
      Sid: 'SameKindRolesOfOtherAccounts',
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::236122835646:root', 'arn:aws:iam::326641642924:root'] },
      Action: 'sts:AssumeRole',
      Condition: { ArnEquals: { 'aws:PrincipalArn': [...spokes].sort() } },
    });
  });

  test('accepts the immutable repository form, a role name, policies and a longer session', () => {
    const out = build({
      repository: 'piksel-ina@1234/piksel-constructs@5678',
      environment: 'Production EU',
      roleName: 'geo-apply',
      managedPolicyArns: ['arn:aws:iam::aws:policy/PowerUserAccess', 'arn:aws:iam::236122835646:policy/iam/geo-iam'],
      maxSessionDuration: 7200,
    });
    const role = onlyResource(out, 'aws_iam_role');
    expect(role).toMatchObject({ name: 'geo-apply', max_session_duration: 7200 });
    expect(policyOf({ policy: role.assume_role_policy }).Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub'])
      .toBe('repo:piksel-ina@1234/piksel-constructs@5678:environment:Production EU');
    expect(Object.keys(resourcesOf(out, 'aws_iam_role_policy_attachment')).map((id) => id.replace(/_[0-9A-F]{8}$/, '')))
      .toEqual(['Deploy_AttachPowerUserAccess', 'Deploy_Attachgeo-iam']);
  });

  test.each([
    ['repository', { repository: 'piksel-constructs' }, /Deploy: repository is "piksel-constructs"; name one repository as a literal "owner\/name"/],
    ['repository', { repository: 'piksel-ina/*' }, /Deploy: repository is "piksel-ina\/\*"; name one repository as a literal/],
    ['repository', { repository: '-piksel/piksel-constructs' }, /Deploy: repository is "-piksel\/piksel-constructs"/],
    ['repository', { repository: `${'a'.repeat(40)}/repo` }, /Deploy: repository is "a{40}\/repo"/],
    ['repository', { repository: 'piksel-ina/..' }, /Deploy: repository is "piksel-ina\/\.\."/],
    ['repository', { repository: 'piksel-ina@1/piksel-constructs' }, /with both IDs/],
    ['environment', { environment: 'pull_request' }, /Deploy: environment is "pull_request"; name an environment, never pull_request/],
    ['environment', { environment: 'dev:pull_request' }, /Deploy: environment is "dev:pull_request"; name an environment, never pull_request/],
    ['environment', { environment: 'prod*' }, /Deploy: environment is "prod\*"; use 1-255 characters without ":", "\*", "\?"/],
    ['environment', { environment: 'dev:ref:refs/heads/main' }, /Deploy: environment is "dev:ref:refs\/heads\/main"; use 1-255 characters without ":"/],
    ['environment', { environment: 'e'.repeat(256) }, /Deploy: environment is "e{256}"; use 1-255 characters/],
    ['environment', { environment: '' }, /Deploy: environment is ""; use 1-255 characters/],
    ['environment', { environment: ' dev' }, /Deploy: environment is " dev"; use 1-255 characters without .* outer spaces/],
    ['roleName', { roleName: 'piksel deploy' }, /Deploy: roleName is "piksel deploy"; use an IAM role name/],
    ['maxSessionDuration', { maxSessionDuration: 600 }, /Deploy: maxSessionDuration is 600; use a whole number of seconds from 3600 to 43200/],
    ['managedPolicyArns', { managedPolicyArns: ['AdministratorAccess'] }, /Deploy: managedPolicyArns\[0\] is "AdministratorAccess"; use a managed policy ARN/],
    ['managedPolicyArns', { managedPolicyArns: [Token.asString({ Ref: 'policy' })] }, /Deploy: managedPolicyArns\[0\] is ".*"; give the managed policy ARN as a literal/],
    ['managedPolicyArns', { managedPolicyArns: [] }, /Deploy: managedPolicyArns is \[\]; give 1-20 managed policies/],
    ['crossAccountAssumableRoleArns', { crossAccountAssumableRoleArns: ['arn:aws:iam::686410905891:root'] }, /Deploy: crossAccountAssumableRoleArns\[0\] is "arn:aws:iam::686410905891:root"; use one IAM role ARN/],
    ['crossAccountAssumableRoleArns', { crossAccountAssumableRoleArns: [Token.asString({ Ref: 'role' })] }, /Deploy: crossAccountAssumableRoleArns\[0\] is ".*"; give the role ARN as a literal/],
    ['crossAccountTrustedRoleArns', { crossAccountTrustedRoleArns: ['arn:aws:iam::*:role/piksel-deploy'] }, /Deploy: crossAccountTrustedRoleArns\[0\] is "arn:aws:iam::\*:role\/piksel-deploy"/],
  ])('fails when %s is invalid', (_field, bad, message) => {
    expect(() => build(bad)).toThrow(message);
  });
});

describe('DeployRole across stacks', () => {
  test('fails when two roles of one account share a name, with both paths', () => {
    const app = Testing.app();
    const stackOf = (id: string) => {
      const stack = new TerraformStack(app, id);
      new AwsProvider(stack, 'aws', { region: 'ap-southeast-3', allowedAccountIds: ['236122835646'] });
      return stack;
    };
    const props = (stack: TerraformStack): DeployRoleProps => ({
      oidcProvider: GithubOidcProvider.fromAccount(stack, 'Github', '236122835646'),
      repository: 'piksel-ina/piksel-constructs',
      environment: 'dev',
    });
    const first = stackOf('dev-baseline');
    new DeployRole(first, 'Deploy', props(first));
    const second = stackOf('dev');
    expect(() => new DeployRole(second, 'Deploy', props(second)))
      .toThrow(/^dev\/Deploy: roleName is "piksel-deploy"; dev-baseline\/Deploy has it already; IAM role names are unique in an account/);
  });
});
