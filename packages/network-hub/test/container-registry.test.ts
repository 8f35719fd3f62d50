import { onlyResource, policyOf, resourcesOf, synth } from './util';
import { ContainerRegistry, ContainerRegistryProps } from '../src/container-registry';
import { GithubPushRole } from '../src/github-push-role';

const SPOKES = ['236122835646', '326641642924', '522783511350'];

function build(then: (registry: ContainerRegistry) => void, props: ContainerRegistryProps = {}) {
  return synth((stack) => then(new ContainerRegistry(stack, 'Registry', props)));
}

function byName(synthesized: ReturnType<typeof build>, type: string, name: string): any {
  const found = Object.entries(resourcesOf(synthesized, type)).filter(([address]) => address.includes(`_${name.replace(/-/g, '')}_`) || address.includes(`_${name}_`));
  if (found.length !== 1) throw new Error(`expected one ${type} for ${name}, found ${found.length}`);
  return found[0][1];
}

describe('ContainerRegistry', () => {
  test('makes repositories with immutable tags, scan on push and AES256 by default', () => {
    const repository = onlyResource(build((registry) => registry.addRepository('piksel-core')), 'aws_ecr_repository');
    expect(repository).toMatchObject({
      name: 'piksel-core',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: 'AES256' }],
      force_delete: false,
    });
  });

  test('lets one repository keep mutable tags', () => {
    const synthesized = build((registry) => {
      registry.addRepository('piksel-core');
      registry.addRepository('coastlines', { mutableTags: true });
    });
    const mutability = Object.fromEntries(Object.values(resourcesOf(synthesized, 'aws_ecr_repository')).map((r: any) => [r.name, r.image_tag_mutability]));
    expect(mutability).toEqual({ 'piksel-core': 'IMMUTABLE', 'coastlines': 'MUTABLE' });
  });

  test('expires untagged images after 7 days and keeps the newest 30 tagged ones by default', () => {
    const lifecycle = JSON.parse(onlyResource(build((registry) => registry.addRepository('ows')), 'aws_ecr_lifecycle_policy').policy);
    expect(lifecycle.rules).toEqual([
      expect.objectContaining({ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } }),
      expect.objectContaining({ rulePriority: 2, selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 30 }, action: { type: 'expire' } }),
    ]);
  });

  test('takes other lifecycle numbers', () => {
    const synthesized = build((registry) => registry.addRepository('ows'), { keepTaggedImages: 10, untaggedExpiryDays: 1 });
    const [untagged, tagged] = JSON.parse(onlyResource(synthesized, 'aws_ecr_lifecycle_policy').policy).rules;
    expect([untagged.selection.countNumber, tagged.selection.countNumber]).toEqual([1, 10]);
  });

  test.each([
    ['repositories first, then accounts', (registry: ContainerRegistry) => {
      registry.addRepository('geomad');
      SPOKES.forEach((account) => registry.grantPull(account));
    }],
    ['accounts first, then repositories', (registry: ContainerRegistry) => {
      SPOKES.forEach((account) => registry.grantPull(account));
      registry.addRepository('geomad');
    }],
  ])('lets every granted account pull every repository (%s)', (_order, build_) => {
    const policy = policyOf(onlyResource(build(build_), 'aws_ecr_repository_policy'));
    expect(policy.Statement).toEqual([{
      Sid: 'SpokeAccountsPull',
      Effect: 'Allow',
      Principal: { AWS: SPOKES.map((account) => `arn:aws:iam::${account}:root`) },
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
    }]);
  });

  test('has no repository policy until an account is granted, and grants an account once', () => {
    expect(resourcesOf(build((registry) => registry.addRepository('ows')), 'aws_ecr_repository_policy')).toEqual({});
    const synthesized = build((registry) => {
      registry.addRepository('ows');
      registry.grantPull(SPOKES[0]);
      registry.grantPull(SPOKES[0]);
    });
    expect(policyOf(onlyResource(synthesized, 'aws_ecr_repository_policy')).Statement[0].Principal.AWS).toEqual([`arn:aws:iam::${SPOKES[0]}:root`]);
  });

  test('keys each repository by its name', () => {
    const synthesized = build((registry) => registry.addRepository('jupyter-lab'));
    expect(byName(synthesized, 'aws_ecr_repository', 'jupyter-lab').name).toBe('jupyter-lab');
  });

  test.each([
    ['upper case', 'Piksel'],
    ['a leading separator', '-ows'],
    ['a doubled separator', 'ows--core'],
    ['one character', 'o'],
  ])('fails when a repository name has %s', (_case, name) => {
    expect(() => build((registry) => registry.addRepository(name))).toThrow(new RegExp(`Registry: repositoryName is "${name}"; use 2–256 lower-case`));
  });

  test('fails when a repository is added twice', () => {
    expect(() => build((registry) => {
      registry.addRepository('ows');
      registry.addRepository('ows');
    })).toThrow(/Registry: repositoryName is "ows"; this repository was already added/);
  });

  test('fails when the account or the lifecycle numbers are out of range', () => {
    expect(() => build((registry) => registry.grantPull('12345'))).toThrow(/Registry: account is "12345"; use a 12-digit AWS account ID/);
    expect(() => build(() => undefined, { keepTaggedImages: 0 })).toThrow(/keepTaggedImages is 0; use a whole number of images from 1 to 10000/);
    expect(() => build(() => undefined, { untaggedExpiryDays: 1.5 })).toThrow(/untaggedExpiryDays is 1.5; use a whole number of days/);
  });
});

describe('GithubPushRole', () => {
  function pushRole(props: { subject?: string; roleName?: string; oidcProviderArn?: string } = {}) {
    return build((registry) => {
      registry.addRepository('piksel-core');
      registry.addRepository('ows');
      new GithubPushRole(registry, 'GithubPush', { registry, subject: props.subject ?? 'repo:piksel-ina/*', ...props });
    });
  }

  test('is trusted only by GitHub Actions of the organization, for the STS audience', () => {
    const synthesized = pushRole();
    const role = onlyResource(synthesized, 'aws_iam_role');
    expect(role.name).toBe('piksel-registry-push');
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{
      Effect: 'Allow',
      Principal: { Federated: expect.stringMatching(/^\$\{aws_iam_openid_connect_provider\..*\.arn\}$/) },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:piksel-ina/*' },
      },
    }]);
    expect(onlyResource(synthesized, 'aws_iam_openid_connect_provider')).toMatchObject({
      url: 'https://token.actions.githubusercontent.com',
      client_id_list: ['sts.amazonaws.com'],
    });
  });

  test('may log in, and push and pull every repository of the registry only', () => {
    const [login, pullPush] = policyOf(onlyResource(pushRole(), 'aws_iam_role_policy')).Statement;
    expect(login).toEqual({ Sid: 'Login', Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' });
    expect(pullPush.Action).toEqual(expect.arrayContaining(['ecr:PutImage', 'ecr:CompleteLayerUpload', 'ecr:BatchGetImage']));
    expect(pullPush.Resource).toHaveLength(2);
    expect(pullPush.Resource.every((arn: string) => /aws_ecr_repository\..*\.arn/.test(arn))).toBe(true);
  });

  test('reuses an existing OIDC provider when given one', () => {
    const arn = 'arn:aws:iam::686410905891:oidc-provider/token.actions.githubusercontent.com';
    const synthesized = pushRole({ oidcProviderArn: arn });
    expect(resourcesOf(synthesized, 'aws_iam_openid_connect_provider')).toEqual({});
    expect(JSON.parse(onlyResource(synthesized, 'aws_iam_role').assume_role_policy).Statement[0].Principal.Federated).toBe(arn);
  });

  test.each(['repo:*', '*', 'piksel-ina/*', 'repo:/x'])('fails when the subject %s does not name an organization', (subject) => {
    expect(() => pushRole({ subject })).toThrow(/GithubPush: subject is .*; name the organization/);
  });

  test('fails when the role name is too long', () => {
    expect(() => pushRole({ roleName: 'r'.repeat(65) })).toThrow(/GithubPush: roleName is "r+"; use 1–64 of/);
  });
});
