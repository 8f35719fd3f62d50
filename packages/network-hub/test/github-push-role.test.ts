import { Token } from 'cdktf';
import { onlyResource, policyOf, resourcesOf, synth, Synthesized } from '../../secrets/test/util';
import { ContainerRegistry } from '../src/container-registry';
import { GithubPushRole, GithubPushRoleProps } from '../src/github-push-role';

const PROVIDER_ARN = 'arn:aws:iam::686410905891:oidc-provider/token.actions.githubusercontent.com';

function build(props: Partial<GithubPushRoleProps> = {}): Synthesized {
  return synth((stack) => {
    const registry = new ContainerRegistry(stack, 'Registry');
    registry.addRepository('piksel-core');
    registry.addRepository('coastlines');
    new GithubPushRole(stack, 'GithubPush', { registry, subject: 'repo:piksel-ina/*', ...props });
  });
}

describe('GithubPushRole', () => {
  test('creates the GitHub OIDC provider for the STS audience, without thumbprints', () => {
    const provider = onlyResource(build({ tags: { Team: 'devops' } }), 'aws_iam_openid_connect_provider');
    expect(provider).toEqual({
      url: 'https://token.actions.githubusercontent.com',
      client_id_list: ['sts.amazonaws.com'],
      tags: { Team: 'devops' },
    });
  });

  test('is trusted only by workflows of the organization, for the STS audience', () => {
    const out = build();
    const role = onlyResource(out, 'aws_iam_role');
    expect(role).toMatchObject({ name: 'piksel-registry-push', max_session_duration: 3600 });
    const [address] = Object.keys(resourcesOf(out, 'aws_iam_openid_connect_provider'));
    expect(policyOf({ policy: role.assume_role_policy })).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'AssumeFromGithubActions',
        Effect: 'Allow',
        Principal: { Federated: `\${aws_iam_openid_connect_provider.${address}.arn}` },
        Action: ['sts:AssumeRoleWithWebIdentity'],
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:piksel-ina/*' },
        },
      }],
    });
  });

  test('may log in, and push to and pull every repository of the registry only', () => {
    const out = build();
    const [roleAddress] = Object.keys(resourcesOf(out, 'aws_iam_role'));
    const policy = onlyResource(out, 'aws_iam_role_policy');
    expect(policy.role).toBe(`\${aws_iam_role.${roleAddress}.name}`);
    const [login, pushPull] = policyOf(policy).Statement;
    expect(login).toMatchObject({ Action: ['ecr:GetAuthorizationToken'], Resource: '*' });
    expect(pushPull.Action).toEqual(expect.arrayContaining(['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:BatchGetImage']));
    expect([...pushPull.Resource].sort()).toEqual(Object.keys(resourcesOf(out, 'aws_ecr_repository')).map((address) => `\${aws_ecr_repository.${address}.arn}`).sort());
  });

  test('reuses an existing OIDC provider when given its ARN', () => {
    const out = build({ oidcProviderArn: PROVIDER_ARN });
    expect(resourcesOf(out, 'aws_iam_openid_connect_provider')).toEqual({});
    expect(policyOf({ policy: onlyResource(out, 'aws_iam_role').assume_role_policy }).Statement[0].Principal.Federated).toBe(PROVIDER_ARN);
  });

  test('accepts a narrower subject, a custom role name, and tokens unchecked', () => {
    const out = build({ subject: 'repo:piksel-ina/piksel-core:ref:refs/heads/main', roleName: 'ci-push' });
    const role = onlyResource(out, 'aws_iam_role');
    expect(role.name).toBe('ci-push');
    expect(policyOf({ policy: role.assume_role_policy }).Statement[0].Condition.StringLike['token.actions.githubusercontent.com:sub'])
      .toBe('repo:piksel-ina/piksel-core:ref:refs/heads/main');
    expect(() => build({ subject: Token.asString({ Ref: 'subject' }), oidcProviderArn: Token.asString({ Ref: 'arn' }) })).not.toThrow();
  });

  test.each(['', '*', 'repo:*', 'repo:*/*', 'repo:/piksel-core', 'repo:piksel-ina/', 'piksel-ina/*', 'repo:-piksel/*', 'repo:piksel ina/*'])(
    'fails when the subject %p does not name an organization', (subject) => {
      expect(() => build({ subject })).toThrow(/GithubPush: subject is ".*"; name the organization: "repo:<org>\/\*"/);
    });

  test('fails when the role name is longer than 64 characters', () => {
    expect(() => build({ roleName: 'r'.repeat(65) })).toThrow(/GithubPush: roleName is "r{65}"; use an IAM role name: 1-64 of/);
  });

  test('fails when the provider ARN is not the GitHub provider', () => {
    expect(() => build({ oidcProviderArn: 'arn:aws:iam::686410905891:oidc-provider/accounts.google.com' }))
      .toThrow(/GithubPush: oidcProviderArn is ".*accounts.google.com"; give the account's GitHub provider/);
  });
});
