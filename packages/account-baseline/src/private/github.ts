import { invalidProp } from '@piksel/core';
import { Token } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * GitHub names and OIDC subjects for the pipeline roles. Nothing here is public API.
 * @see https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims
 */

/** The issuer host of GitHub Actions' OIDC tokens; condition keys are prefixed with it. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** The audience `aws-actions/configure-aws-credentials` asks GitHub for. */
export const STS_AUDIENCE = 'sts.amazonaws.com';

/** GitHub's limit on an environment name. */
const MAX_ENVIRONMENT_LENGTH = 255;

/** The qualifier GitHub gives a job triggered by a pull request that runs in no environment. */
export const PULL_REQUEST_QUALIFIER = 'pull_request';

/**
 * Fails unless `value` is a GitHub environment name a deploy subject may name exactly: 1–255
 * characters (GitHub's limit), no `:` (it separates the subject's fields, and GitHub escapes it
 * there), no `*` or `?` (wildcards in IAM conditions), no control characters or outer spaces,
 * and never `pull_request`, the qualifier of pull-request jobs.
 * @see https://docs.github.com/en/actions/how-tos/deploy/configure-and-manage-deployments/manage-environments
 */
export function checkGithubEnvironment(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) {
    throw invalidProp(scope, field, value, 'give the GitHub environment as a literal: the trust policy compares it exactly');
  }
  if (value.toLowerCase().includes(PULL_REQUEST_QUALIFIER)) {
    throw invalidProp(scope, field, value, 'name an environment, never pull_request: a pull request runs its own workflow file before any review, so it must never reach the deploy role');
  }
  // eslint-disable-next-line no-control-regex
  if (value.length < 1 || value.length > MAX_ENVIRONMENT_LENGTH || /[:*?\u0000-\u001f\u007f]/.test(value) || value.trim() !== value) {
    throw invalidProp(scope, field, value, 'use 1-255 characters without ":", "*", "?", control characters or outer spaces, as the job\'s `environment:` names it, e.g. "production"');
  }
}

/** `repo:<repository>:environment:<environment>`: the subject of a job in that environment. */
export function environmentSubject(repository: string, environment: string): string {
  return `repo:${repository}:environment:${environment}`;
}

/** `repo:<repository>:pull_request`: the subject of a pull-request job outside any environment. */
export function pullRequestSubject(repository: string): string {
  return `repo:${repository}:${PULL_REQUEST_QUALIFIER}`;
}
