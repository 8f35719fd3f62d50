import { invalidProp } from '@piksel/core';
import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { PolicyStatement } from './route53-policy';

/**
 * ECR names, lifecycle rules and IAM statements for `ContainerRegistry` and `GithubPushRole`.
 * Nothing here is public API. (`PolicyStatement` is shared with the Route 53 helpers.)
 */

/** A KMS key ARN (not an alias: ECR stores the key it is given). */
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/;

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

/** Fails when `arn` is a resolved string that is not a KMS key ARN. */
export function checkKmsKeyArn(scope: IConstruct, field: string, arn: string | undefined): void {
  if (arn !== undefined && !Token.isUnresolved(arn) && !KMS_KEY_ARN.test(arn)) {
    throw invalidProp(scope, field, arn, 'give a KMS key ARN, arn:aws:kms:<region>:<account>:key/<id> (not an alias)');
  }
}

/**
 * The lifecycle policy: expire untagged images `untaggedExpiryDays` after push (priority 1), and
 * keep the newest `keepTaggedImages` tagged images (priority 2).
 *
 * A `tagged` rule must name `tagPatternList` or `tagPrefixList`; `["*"]` selects every tag. No rule
 * uses `tagStatus: any` (which ECR requires to come last), and an image is either tagged or not,
 * so the two rules never select the same image and their order is free.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_examples.html
 */
export function lifecyclePolicy(keepTaggedImages: number, untaggedExpiryDays: number): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images ${untaggedExpiryDays} days after push`,
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: untaggedExpiryDays },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `Keep the newest ${keepTaggedImages} tagged images`,
        selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: keepTaggedImages },
        action: { type: 'expire' },
      },
    ],
  });
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
 * Trust for GitHub Actions workflows: web identity through the GitHub OIDC provider, audience
 * exactly `sts.amazonaws.com`, subject matching `subjectPattern` (`StringLike`).
 * @see https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub
 */
export function trustGithubActions(providerArn: string, subjectPattern: string): PolicyStatement[] {
  return [{
    Sid: 'AssumeFromGithubActions',
    Effect: 'Allow',
    Principal: { Federated: providerArn },
    Action: ['sts:AssumeRoleWithWebIdentity'],
    Condition: {
      StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE },
      StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: subjectPattern },
    },
  }];
}
