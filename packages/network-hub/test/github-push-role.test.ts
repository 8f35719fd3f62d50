import { Token } from 'cdktf';
import { onlyResource, policyOf, resourcesOf, synth, Synthesized } from '../../secrets/test/util';
import { ContainerRegistry } from '../src/container-registry';
import { GithubPushRole, GithubPushRoleProps } from '../src/github-push-role';

const PROVIDER_ARN = 'arn:aws:iam::686410905891:oidc-provider/token.actions.githubusercontent.com';
const AUD = 'token.actions.githubusercontent.com:aud';
const SUB = 'token.actions.githubusercontent.com:sub';

function build(props: Partial<GithubPushRoleProps> = {}, more?: (registry: ContainerRegistry) => void): Synthesized {
  return synth((stack) => {
    const registry = new ContainerRegistry(stack, 'Registry');
    registry.addRepository('piksel-core');
    registry.addRepository('coastlines');
    new GithubPushRole(stack, 'GithubPush', {
      registry,
      githubRepository: 'piksel-ina/piksel-core',
      repositoryNames: ['piksel-core'],
      oidcProviderArn: PROVIDER_ARN,
      ...props,
    });
    more?.(registry);
  });
}

/** The ARN reference of the repository `name` in a synthesized stack. */
function arnOf(out: Synthesized, name: string): string {
  const [address] = Object.entries(resourcesOf(out, 'aws_ecr_repository')).find(([, repository]) => repository.name === name)!;
  return `\${aws_ecr_repository.${address}.arn}`;
}

describe('GithubPushRole', () => {
  test('is trusted only by the main branch of its repository by default, for the STS audience, exactly', () => {
    const role = onlyResource(build(), 'aws_iam_role');
    expect(role).toMatchObject({ name: 'piksel-registry-push-piksel-core', max_session_duration: 3600 });
    expect(policyOf({ policy: role.assume_role_policy })).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'AssumeFromGithubRefs',
        Effect: 'Allow',
        Principal: { Federated: PROVIDER_ARN },
        Action: ['sts:AssumeRoleWithWebIdentity'],
        Condition: { StringEquals: { [AUD]: 'sts.amazonaws.com', [SUB]: ['repo:piksel-ina/piksel-core:ref:refs/heads/main'] } },
      }],
    });
  });

  test('matches release-tag refs with StringLike in a statement of their own, exact refs with StringEquals', () => {
    const role = onlyResource(build({ refs: ['refs/heads/main', 'refs/tags/v*'] }), 'aws_iam_role');
    const [exact, pattern] = policyOf({ policy: role.assume_role_policy }).Statement;
    expect(exact.Condition).toEqual({ StringEquals: { [AUD]: 'sts.amazonaws.com', [SUB]: ['repo:piksel-ina/piksel-core:ref:refs/heads/main'] } });
    expect(pattern).toMatchObject({ Sid: 'AssumeFromGithubRefPatterns', Principal: { Federated: PROVIDER_ARN } });
    expect(pattern.Condition).toEqual({ StringEquals: { [AUD]: 'sts.amazonaws.com' }, StringLike: { [SUB]: ['repo:piksel-ina/piksel-core:ref:refs/tags/v*'] } });
  });

  test('may log in, and push to and pull the repositories named only', () => {
    const out = build({ repositoryNames: ['coastlines'] });
    const [roleAddress] = Object.keys(resourcesOf(out, 'aws_iam_role'));
    const policy = onlyResource(out, 'aws_iam_role_policy');
    expect(policy.role).toBe(`\${aws_iam_role.${roleAddress}.name}`);
    const [login, pushPull] = policyOf(policy).Statement;
    expect(login).toMatchObject({ Action: ['ecr:GetAuthorizationToken'], Resource: '*' });
    expect(pushPull.Action).toEqual(expect.arrayContaining(['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:BatchGetImage']));
    expect(pushPull.Resource).toEqual([arnOf(out, 'coastlines')]);
  });

  test('gives each pushing repository a role of its own, each granted its own repositories', () => {
    const out = build({}, (registry) => new GithubPushRole(registry.node.scope!, 'CoastlinesPush', {
      registry,
      githubRepository: 'piksel-ina/coastlines',
      repositoryNames: ['coastlines'],
      oidcProviderArn: PROVIDER_ARN,
    }));
    const roles = Object.entries(resourcesOf(out, 'aws_iam_role'));
    expect(roles.map(([, role]) => role.name).sort()).toEqual(['piksel-registry-push-coastlines', 'piksel-registry-push-piksel-core']);
    for (const [address, role] of roles) {
      const policy = Object.values(resourcesOf(out, 'aws_iam_role_policy')).find((p: any) => p.role === `\${aws_iam_role.${address}.name}`);
      const repository = role.name.replace('piksel-registry-push-', '');
      expect(policyOf(policy).Statement[1].Resource).toEqual([arnOf(out, repository)]);
      expect(policyOf({ policy: role.assume_role_policy }).Statement[0].Condition.StringEquals[SUB]).toEqual([`repo:piksel-ina/${repository}:ref:refs/heads/main`]);
    }
  });

  test('never creates an OIDC provider, and accepts a custom role name and a provider ARN that is a token', () => {
    const out = build({ roleName: 'ci-push', oidcProviderArn: Token.asString({ Ref: 'arn' }) });
    expect(resourcesOf(out, 'aws_iam_openid_connect_provider')).toEqual({});
    expect(onlyResource(out, 'aws_iam_role').name).toBe('ci-push');
  });

  test.each(['piksel-ina/*', 'piksel-ina/piksel-*', '*/piksel-core', 'piksel-ina', 'repo:piksel-ina/piksel-core', 'piksel-ina/..', '-piksel/core'])(
    'fails when the GitHub repository %p is not one literal repository', (githubRepository) => {
      expect(() => build({ githubRepository })).toThrow(/GithubPush: githubRepository is ".*"; name one repository as a literal "owner\/name"/);
    });

  test.each(['main', 'refs/heads/', 'refs/pull/1/merge', 'refs/heads/ma?n', 'refs/heads/main:x', 'refs/*', 'refs/heads/a..b'])(
    'fails when the ref %p is not a branch or tag ref', (ref) => {
      expect(() => build({ refs: [ref] })).toThrow(/GithubPush: refs\[0\] is ".*"; use a branch or tag ref, "refs\/heads\/<branch>" or "refs\/tags\/<tag>"/);
    });

  test('fails when no ref or the same ref twice is named', () => {
    expect(() => build({ refs: [] })).toThrow(/GithubPush: refs is \[\]; name at least one ref/);
    expect(() => build({ refs: ['refs/heads/main', 'refs/heads/main'] })).toThrow(/GithubPush: refs is \[.*\]; name each ref once/);
  });

  test('fails when a second role is made for the same repository and registry', () => {
    expect(() => build({}, (registry) => new GithubPushRole(registry.node.scope!, 'Again', {
      registry,
      githubRepository: 'Piksel-Ina/Piksel-Core',
      repositoryNames: ['coastlines'],
      oidcProviderArn: PROVIDER_ARN,
    }))).toThrow(/Again: githubRepository is "piksel-ina\/piksel-core"; .*GithubPush has it already; give each GitHub repository one push role/);
  });

  test('fails when the repository makes a default role name longer than 64 characters', () => {
    expect(() => build({ githubRepository: `piksel-ina/${'r'.repeat(44)}` }))
      .toThrow(/GithubPush: githubRepository is "piksel-ina\/r{44}"; it makes roleName "piksel-registry-push-r{44}" \(65 characters, at most 64\); shorten githubRepository to at most 43 characters or give roleName/);
    expect(() => build({ roleName: 'r'.repeat(65) })).toThrow(/GithubPush: roleName is "r{65}"; use an IAM role name: 1-64 of/);
  });

  test('fails when the provider ARN is not the GitHub provider', () => {
    expect(() => build({ oidcProviderArn: 'arn:aws:iam::686410905891:oidc-provider/accounts.google.com' }))
      .toThrow(/GithubPush: oidcProviderArn is ".*accounts.google.com"; give the account's GitHub provider/);
  });

  test('fails when it names a repository the registry does not have', () => {
    expect(() => build({ repositoryNames: ['geomad'] })).toThrow(/Registry: repositoryNames is "geomad"; add the repository with addRepository before granting it/);
  });
});
