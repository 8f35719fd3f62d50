import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { onlyResource, policyOf, resourcesOf, synth, Synthesized } from '../../secrets/test/util';
import { ContainerRegistry, ContainerRegistryProps, IRegistryGrantee, RepositoryOptions, TagMutability } from '../src/container-registry';

/** The estate's repositories (`HUB.repositories` in @piksel/estate); `coastlines` keeps mutable tags. */
const REPOSITORIES = ['piksel-core', 'inadc-core', 'data-production', 'coastlines', 'terriamap', 'ows', 'dc-explorer', 'inadc-ows', 'jupyter-lab', 'jupyter-dev', 'geomad'];
const SPOKE_ACCOUNTS = ['236122835646', '326641642924', '522783511350'];
const SPOKE_ROOTS = SPOKE_ACCOUNTS.map((account) => `arn:aws:iam::${account}:root`);
const PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'];

function build(then: (registry: ContainerRegistry) => void = () => undefined, props: ContainerRegistryProps = {}): Synthesized {
  return synth((stack) => then(new ContainerRegistry(stack, 'Registry', props)));
}

function estate(registry: ContainerRegistry): void {
  for (const name of REPOSITORIES) {
    registry.addRepository(name, name === 'coastlines' ? { imageTagMutability: TagMutability.MUTABLE } : {});
  }
}

/** The resources of `type` that belong to the repository `name`, by the name they reference. */
function ofRepository(out: Synthesized, type: string, name: string): any {
  const repositories = Object.entries(resourcesOf(out, 'aws_ecr_repository'));
  const [address] = repositories.find(([, repository]) => repository.name === name)!;
  return onlyOf(Object.values(resourcesOf(out, type)).filter((resource) => resource.repository === `\${aws_ecr_repository.${address}.name}`));
}

function onlyOf(found: any[]): any {
  if (found.length !== 1) throw new Error(`expected one, found ${found.length}`);
  return found[0];
}

class Role extends Construct implements IRegistryGrantee {
  public readonly granteeRoleName = 'ci-push';
}

describe('ContainerRegistry', () => {
  test('makes each estate repository immutable but coastlines, scanned on push, AES-256, not force-deleted', () => {
    const repositories = Object.values(resourcesOf(build(estate), 'aws_ecr_repository'));
    expect(repositories.map((repository) => repository.name).sort()).toEqual([...REPOSITORIES].sort());
    for (const repository of repositories) {
      expect(repository).toMatchObject({
        image_tag_mutability: repository.name === 'coastlines' ? 'MUTABLE' : 'IMMUTABLE',
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: 'AES256' }],
        force_delete: false,
      });
    }
  });

  test('keys each repository by its name in PascalCase', () => {
    const out = build((registry) => {
      registry.addRepository('jupyter-lab');
      registry.addRepository('team/dc_explorer.v2');
    });
    expect(Object.keys(resourcesOf(out, 'aws_ecr_repository'))).toEqual([
      expect.stringMatching(/^Registry_JupyterLab_[0-9A-F]{8}$/),
      expect.stringMatching(/^Registry_TeamDcExplorerV2_[0-9A-F]{8}$/),
    ]);
  });

  test('returns the repository name, ARN and URL', () => {
    let attributes: any;
    build((registry) => { attributes = registry.addRepository('ows'); });
    expect(attributes.repositoryName).toBe('ows');
    expect(Token.isUnresolved(attributes.repositoryArn) && Token.isUnresolved(attributes.repositoryUrl)).toBe(true);
  });

  test('never expires release tags, keeps the newest 30 images of each build tag and expires untagged images after 7 days by default', () => {
    const lifecycle = JSON.parse(ofRepository(build(estate), 'aws_ecr_lifecycle_policy', 'geomad').policy);
    const expire = { type: 'expire' };
    expect(lifecycle.rules).toEqual([
      {
        rulePriority: 1,
        description: 'Shield release tags v*: never expired (count above ECR\'s per-repository image quota)',
        selection: { tagStatus: 'tagged', tagPatternList: ['v*'], countType: 'imageCountMoreThan', countNumber: 100000 },
        action: expire,
      },
      {
        rulePriority: 2,
        description: 'Keep the newest 30 images tagged sha-*',
        selection: { tagStatus: 'tagged', tagPatternList: ['sha-*'], countType: 'imageCountMoreThan', countNumber: 30 },
        action: expire,
      },
      {
        rulePriority: 3,
        description: 'Keep the newest 30 images tagged pr-*',
        selection: { tagStatus: 'tagged', tagPatternList: ['pr-*'], countType: 'imageCountMoreThan', countNumber: 30 },
        action: expire,
      },
      {
        rulePriority: 4,
        description: 'Expire untagged images 7 days after push',
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
        action: expire,
      },
    ]);
  });

  test('shields every release pattern ahead of every rule that expires, so an image with a release and a build tag is never expired', () => {
    const out = build((registry) => registry.addRepository('ows'), { releaseTagPatterns: ['v*', 'release-*'], buildTagPatterns: ['sha-*', '*-rc*'] });
    const rules: any[] = JSON.parse(onlyResource(out, 'aws_ecr_lifecycle_policy').policy).rules;
    const shields = rules.filter((rule) => rule.selection.countNumber === 100000);
    const expiring = rules.filter((rule) => rule.selection.countNumber !== 100000);
    expect(shields.map((rule) => rule.selection.tagPatternList)).toEqual([['v*'], ['release-*']]);
    // ECR: an image that matches the tagging requirements of a rule cannot be expired by a rule of lower priority.
    expect(Math.max(...shields.map((rule) => rule.rulePriority))).toBeLessThan(Math.min(...expiring.map((rule) => rule.rulePriority)));
    // Each build pattern has a rule of its own: a list of several would select only images matching all of them.
    expect(expiring.filter((rule) => rule.selection.tagStatus === 'tagged').map((rule) => rule.selection.tagPatternList)).toEqual([['sha-*'], ['*-rc*']]);
    expect(rules.some((rule) => rule.selection.tagStatus === 'any')).toBe(false);
  });

  test('takes lifecycle numbers from the registry, overridden per repository', () => {
    const out = build((registry) => {
      registry.addRepository('ows');
      registry.addRepository('geomad', { keepBuildImages: 5, untaggedExpiryDays: 3 });
    }, { keepBuildImages: 10, untaggedExpiryDays: 1 });
    const counts = (name: string) => JSON.parse(ofRepository(out, 'aws_ecr_lifecycle_policy', name).policy).rules.map((rule: any) => rule.selection.countNumber);
    expect(counts('ows')).toEqual([100000, 10, 10, 1]);
    expect(counts('geomad')).toEqual([100000, 5, 5, 3]);
  });

  test('encrypts with the given KMS key', () => {
    const key = 'arn:aws:kms:ap-southeast-3:686410905891:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const repository = onlyResource(build((registry) => registry.addRepository('ows'), { encryptionKmsKeyArn: key }), 'aws_ecr_repository');
    expect(repository.encryption_configuration).toEqual([{ encryption_type: 'KMS', kms_key: key }]);
  });

  test('tags every repository, a repository\'s own tags overriding the registry\'s', () => {
    const out = build((registry) => {
      registry.addRepository('ows');
      registry.addRepository('geomad', { tags: { Team: 'science', Service: 'geomad' } });
    }, { tags: { Team: 'devops' } });
    const tags = Object.fromEntries(Object.values(resourcesOf(out, 'aws_ecr_repository')).map((r: any) => [r.name, r.tags]));
    expect(tags).toEqual({ ows: { Team: 'devops' }, geomad: { Team: 'science', Service: 'geomad' } });
  });

  test.each([
    ['repositories first, then accounts', (registry: ContainerRegistry) => {
      estate(registry);
      [...SPOKE_ACCOUNTS].reverse().forEach((account) => registry.grantPull(account));
    }],
    ['accounts first, then repositories', (registry: ContainerRegistry) => {
      SPOKE_ACCOUNTS.forEach((account) => registry.grantPull(account));
      estate(registry);
    }],
    ['accounts between repositories', (registry: ContainerRegistry) => {
      registry.grantPull(SPOKE_ACCOUNTS[0]);
      estate(registry);
      registry.grantPull(SPOKE_ACCOUNTS[1]);
      registry.grantPull(SPOKE_ACCOUNTS[2]);
    }],
  ])('lets every granted spoke account pull every repository (%s)', (_order, grants) => {
    const out = build(grants);
    expect(Object.keys(resourcesOf(out, 'aws_ecr_repository_policy'))).toHaveLength(REPOSITORIES.length);
    for (const name of REPOSITORIES) {
      expect(policyOf(ofRepository(out, 'aws_ecr_repository_policy', name))).toEqual({
        Version: '2012-10-17',
        Statement: [{ Sid: 'SpokeAccountsPull', Effect: 'Allow', Principal: { AWS: SPOKE_ROOTS }, Action: PULL_ACTIONS }],
      });
    }
  });

  test('has no repository policy until an account may pull, and names an account granted twice once', () => {
    expect(resourcesOf(build((registry) => registry.addRepository('ows')), 'aws_ecr_repository_policy')).toEqual({});
    const out = build((registry) => {
      registry.addRepository('ows');
      registry.grantPull(SPOKE_ACCOUNTS[0]);
      registry.grantPull(SPOKE_ACCOUNTS[0]);
    });
    expect(policyOf(onlyResource(out, 'aws_ecr_repository_policy')).Statement[0].Principal.AWS).toEqual([SPOKE_ROOTS[0]]);
  });

  test('lets a role log in and push to and pull the repositories named only, adding those of a second grant', () => {
    const out = synth((stack) => {
      const registry = new ContainerRegistry(stack, 'Registry');
      estate(registry);
      const role = new Role(stack, 'Ci');
      registry.grantPullPush(role, ['ows']);
      registry.grantPullPush(role, ['geomad', 'ows']);
    });
    const policy = onlyResource(out, 'aws_iam_role_policy');
    expect(policy.role).toBe('ci-push');
    const [login, pushPull] = policyOf(policy).Statement;
    expect(login).toEqual({ Sid: 'GetAuthorizationToken', Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' });
    expect(pushPull.Action).toEqual([...PULL_ACTIONS, 'ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload']);
    const arnOf = (name: string) => {
      const [address] = Object.entries(resourcesOf(out, 'aws_ecr_repository')).find(([, repository]) => repository.name === name)!;
      return `\${aws_ecr_repository.${address}.arn}`;
    };
    expect(pushPull.Resource).toEqual([arnOf('geomad'), arnOf('ows')]);
  });

  test('fails when a grant names no repository or one the registry does not have', () => {
    const grant = (names: string[]) => build((registry) => {
      registry.addRepository('ows');
      registry.grantPullPush(new Role(registry, 'Ci'), names);
    });
    expect(() => grant([])).toThrow(/Registry: repositoryNames is \[\]; name the repositories the role may push/);
    expect(() => grant(['geomad'])).toThrow(/Registry: repositoryNames is "geomad"; add the repository with addRepository before granting it \(this registry has ows\)/);
  });

  test('accepts an account ID that is a token', () => {
    const out = build((registry) => {
      registry.addRepository('ows');
      registry.grantPull(Token.asString({ Ref: 'account' }));
    });
    expect(Object.keys(resourcesOf(out, 'aws_ecr_repository_policy'))).toHaveLength(1);
  });

  test.each([
    ['upper case', 'Piksel-Core'],
    ['a leading separator', '-ows'],
    ['a trailing slash', 'ows/'],
    ['a doubled separator', 'ows--core'],
    ['one character', 'o'],
    ['257 characters', 'a'.repeat(257)],
  ])('fails when a repository name has %s', (_case, name) => {
    expect(() => build((registry) => registry.addRepository(name)))
      .toThrow(/Registry: repositoryName is ".*"; use 2-256 lower-case letters and digits/);
  });

  test('fails when a repository name is a token', () => {
    expect(() => build((registry) => registry.addRepository(Token.asString({ Ref: 'name' }))))
      .toThrow(/Registry: repositoryName is ".*"; give the repository name as a literal/);
  });

  test('fails when a repository is added twice', () => {
    expect(() => build((registry) => {
      registry.addRepository('ows');
      registry.addRepository('ows');
    })).toThrow(/Registry: repositoryName is "ows"; this repository was already added/);
  });

  test('fails when two repository names share a construct ID', () => {
    expect(() => build((registry) => {
      registry.addRepository('dc-explorer');
      registry.addRepository('dc.explorer');
    })).toThrow(/Registry: repositoryName is "dc.explorer"; it has the same construct ID \(DcExplorer\) as "dc-explorer"/);
  });

  test.each<[string, ContainerRegistryProps, RegExp]>([
    ['keepBuildImages is 0', { keepBuildImages: 0 }, /Registry: keepBuildImages is 0; use a whole number of images, 1 or more/],
    ['untaggedExpiryDays is fractional', { untaggedExpiryDays: 1.5 }, /Registry: untaggedExpiryDays is 1.5; use a whole number of days, 1 or more/],
    ['releaseTagPatterns is empty', { releaseTagPatterns: [] }, /Registry: releaseTagPatterns is \[\]; name at least one tag pattern/],
    ['buildTagPatterns is empty', { buildTagPatterns: [] }, /Registry: buildTagPatterns is \[\]; name at least one tag pattern/],
    ['a release pattern is empty', { releaseTagPatterns: [''] }, /Registry: releaseTagPatterns is ""; use a literal tag pattern/],
    ['a build pattern has a space', { buildTagPatterns: ['sha *'] }, /Registry: buildTagPatterns is "sha \*"; use a literal tag pattern/],
    ['a pattern has five wildcards', { buildTagPatterns: ['*a*b*c*d*'] }, /Registry: buildTagPatterns is "\*a\*b\*c\*d\*"; use a literal tag pattern: .* at most 4 "\*" wildcards/],
    ['a pattern is both a release and a build pattern', { releaseTagPatterns: ['v*'], buildTagPatterns: ['sha-*', 'v*'] }, /Registry: buildTagPatterns is "v\*"; name each tag pattern once/],
    ['encryptionKmsKeyArn is an alias', { encryptionKmsKeyArn: 'arn:aws:kms:ap-southeast-3:686410905891:alias/ecr' }, /Registry: encryptionKmsKeyArn is ".*alias\/ecr"; use a KMS key ARN/],
  ])('fails when %s', (_case, props, message) => {
    expect(() => build(undefined, props)).toThrow(message);
  });

  test.each<[string, RepositoryOptions, RegExp]>([
    ['keepBuildImages', { keepBuildImages: -1 }, /Registry: keepBuildImages of repository "ows" is -1; use a whole number of images, 1 or more/],
    ['untaggedExpiryDays', { untaggedExpiryDays: 0 }, /Registry: untaggedExpiryDays of repository "ows" is 0; use a whole number of days, 1 or more/],
  ])('fails when a repository\'s %s is below 1', (_case, options, message) => {
    expect(() => build((registry) => registry.addRepository('ows', options))).toThrow(message);
  });

  test.each(['12345', '23612283564a', 'arn:aws:iam::236122835646:root'])('fails when the account %s is not a 12-digit ID', (account) => {
    expect(() => build((registry) => registry.grantPull(account))).toThrow(/Registry: account is ".*"; use a 12-digit AWS account ID/);
  });
});
