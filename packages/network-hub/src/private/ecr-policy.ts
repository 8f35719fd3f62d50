import { invalidProp } from '@piksel/core';
import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { PolicyStatement } from './route53-policy';

/**
 * ECR names, lifecycle rules and IAM statements for `ContainerRegistry` and `GithubPushRole`.
 * Nothing here is public API. (`PolicyStatement` is shared with the Route 53 helpers.)
 */

/**
 * What pulling an image needs on the repository. `ecr:GetAuthorizationToken` is not among them:
 * it takes no resource, so the puller's own account grants it.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html
 */
export const PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'];

/**
 * What pushing an image needs on the repository, besides the pull actions (a push first checks
 * which layers exist).
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
 */
export const PUSH_ACTIONS = ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload'];

/**
 * The most images a repository can hold (ECR's default "Images per repository" quota): a rule
 * that expires only beyond this count never selects anything.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html
 */
export const RELEASE_SHIELD_COUNT = 100000;

/** A tag pattern: Docker tag characters plus `*`, 1–128 characters, at most four `*` (ECR's limit). */
const TAG_PATTERN = /^[A-Za-z0-9_.*-]{1,128}$/;
const MAX_PATTERN_WILDCARDS = 4;

/** What a repository's lifecycle policy is made from. */
export interface LifecycleSettings {
  /** Tags that mark a release: never expired. */
  readonly releaseTagPatterns: string[];
  /** Tags that mark a build: the newest `keepBuildImages` of each pattern are kept. */
  readonly buildTagPatterns: string[];
  readonly keepBuildImages: number;
  readonly untaggedExpiryDays: number;
}

/**
 * Fails unless `patterns` is a non-empty list of ECR tag patterns (tag characters and at most four
 * `*`), none of them named twice across the release and build lists.
 */
export function checkTagPatterns(scope: IConstruct, field: string, patterns: string[], seen: Set<string>): void {
  if (patterns.length === 0) {
    throw invalidProp(scope, field, patterns, 'name at least one tag pattern, e.g. "v*"');
  }
  for (const pattern of patterns) {
    if (Token.isUnresolved(pattern) || !TAG_PATTERN.test(pattern) || pattern.split('*').length - 1 > MAX_PATTERN_WILDCARDS) {
      throw invalidProp(scope, field, pattern, `use a literal tag pattern: 1-128 of A-Z a-z 0-9 _ . - and at most ${MAX_PATTERN_WILDCARDS} "*" wildcards, e.g. "sha-*"`);
    }
    if (seen.has(pattern)) {
      throw invalidProp(scope, field, pattern, 'name each tag pattern once, in either the release or the build patterns');
    }
    seen.add(pattern);
  }
}

/**
 * The lifecycle policy. ECR rules can only expire; they are evaluated together, and "an image that
 * matches the tagging requirements of a rule cannot be expired by a rule with a lower priority".
 * So:
 *
 * 1. one *shield* rule per release pattern, first: it selects images carrying a release tag and
 *    expires only those beyond `RELEASE_SHIELD_COUNT` (the most images a repository can hold), so
 *    it expires nothing — and because it matches them first, no later rule can expire an image
 *    that carries a release tag, even one that also carries a build tag (`v1.2.0` and `sha-1a2b`
 *    on the same image: without the shield, the `sha-*` rule would select it by its build tag
 *    and delete it, release tag and all);
 * 2. one rule per build pattern, expiring all but the newest `keepBuildImages` images with a
 *    matching tag (one rule each: a `tagPatternList` of several patterns selects only images that
 *    match them all). Shielded images still count towards the newest `keepBuildImages`;
 * 3. untagged images expire `untaggedExpiryDays` after push (the one untagged rule ECR allows).
 *
 * Tags that match neither list (`latest`) are never selected. No rule uses `tagStatus: any`.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
 */
export function lifecyclePolicy(settings: LifecycleSettings): string {
  const rules: object[] = [];
  const add = (description: string, selection: object) =>
    rules.push({ rulePriority: rules.length + 1, description, selection, action: { type: 'expire' } });
  for (const pattern of settings.releaseTagPatterns) {
    add(`Shield release tags ${pattern}: never expired (count above ECR's per-repository image quota)`,
      { tagStatus: 'tagged', tagPatternList: [pattern], countType: 'imageCountMoreThan', countNumber: RELEASE_SHIELD_COUNT });
  }
  for (const pattern of settings.buildTagPatterns) {
    add(`Keep the newest ${settings.keepBuildImages} images tagged ${pattern}`,
      { tagStatus: 'tagged', tagPatternList: [pattern], countType: 'imageCountMoreThan', countNumber: settings.keepBuildImages });
  }
  add(`Expire untagged images ${settings.untaggedExpiryDays} days after push`,
    { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: settings.untaggedExpiryDays });
  return JSON.stringify({ rules });
}

/**
 * A repository policy statement that lets `accounts` (their roots, so each account's own IAM
 * decides which of its principals may pull) pull images. ECR repository policies carry no
 * `Resource`: the repository is implied.
 */
export function pullByAccounts(accounts: string[]): PolicyStatement {
  return {
    Sid: 'SpokeAccountsPull',
    Effect: 'Allow',
    Principal: { AWS: [...accounts].sort().map((account) => `arn:aws:iam::${account}:root`) },
    Action: PULL_ACTIONS,
  };
}

/** Identity policy statements: log in to ECR, then push and pull `repositoryArns`. */
export function pullPushStatements(repositoryArns: string[]): PolicyStatement[] {
  return [
    { Sid: 'GetAuthorizationToken', Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
    { Sid: 'PullPushRepositories', Effect: 'Allow', Action: [...PULL_ACTIONS, ...PUSH_ACTIONS], Resource: repositoryArns },
  ];
}

/** GitHub Actions' OIDC issuer (host, as IAM condition keys spell it). */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The audience `aws-actions/configure-aws-credentials` requests. */
export const STS_AUDIENCE = 'sts.amazonaws.com';

/**
 * A Git ref pattern a push subject may name: a branch (`refs/heads/…`) or a tag (`refs/tags/…`),
 * `*` the only wildcard. No `?` (IAM's other wildcard), no `:` (it separates the subject's
 * fields), no spaces or other characters Git refuses in refs.
 */
const GIT_REF_PATTERN = /^refs\/(heads|tags)\/[A-Za-z0-9._\-/*+@=,]+$/;

/** Fails unless `ref` is a literal branch or tag ref (pattern) of the repository. */
export function checkGitRef(scope: IConstruct, field: string, ref: string): void {
  if (Token.isUnresolved(ref) || !GIT_REF_PATTERN.test(ref) || ref.includes('..') || ref.endsWith('/')) {
    throw invalidProp(scope, field, ref, 'use a branch or tag ref, "refs/heads/<branch>" or "refs/tags/<tag>", "*" the only wildcard, e.g. "refs/heads/main" or "refs/tags/v*"');
  }
}

/** The OIDC subject of a GitHub Actions job on `ref` of `repository` (outside any environment). */
export function refSubject(repository: string, ref: string): string {
  return `repo:${repository}:ref:${ref}`;
}

/**
 * Trust for GitHub Actions jobs of one repository on the given refs: web identity through the
 * GitHub OIDC provider, audience exactly `sts.amazonaws.com`. Exact refs are compared with
 * `StringEquals`; refs with a `*` (release tags, `refs/tags/v*`) need `StringLike`, in a statement
 * of their own, since conditions of one statement must all hold. The repository part of every
 * subject is literal, so no pattern reaches another repository.
 * @see https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub
 */
export function trustGithubRefs(providerArn: string, repository: string, refs: string[]): PolicyStatement[] {
  const subjects = refs.map((ref) => refSubject(repository, ref));
  const exact = subjects.filter((subject) => !subject.includes('*'));
  const patterns = subjects.filter((subject) => subject.includes('*'));
  const audience = { [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE };
  const subject = `${GITHUB_OIDC_HOST}:sub`;
  const statement = (sid: string, condition: Record<string, Record<string, string | string[]>>): PolicyStatement => ({
    Sid: sid,
    Effect: 'Allow',
    Principal: { Federated: providerArn },
    Action: ['sts:AssumeRoleWithWebIdentity'],
    Condition: condition,
  });
  return [
    ...(exact.length > 0 ? [statement('AssumeFromGithubRefs', { StringEquals: { ...audience, [subject]: exact } })] : []),
    ...(patterns.length > 0 ? [statement('AssumeFromGithubRefPatterns', { StringEquals: audience, StringLike: { [subject]: patterns } })] : []),
  ];
}
