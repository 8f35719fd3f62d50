import { arnAccount, checkIamRoleArn, invalidProp } from '@piksel/core';
import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { GITHUB_OIDC_HOST, STS_AUDIENCE } from './github';

/** IAM policy documents of the baseline. Nothing here is public API. */

/** One IAM policy statement, as AWS spells it. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Record<string, string | string[]>;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** Renders a policy document; `${…}` references to other resources stay for Terraform to resolve. */
export function policyDocument(statements: PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * An IAM policy variable, escaped so that Terraform passes it through instead of reading it as
 * an interpolation (`$${…}` renders as `${…}`).
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences
 */
export function iamVariable(name: string): string {
  return `$\${${name}}`;
}

/** Fails unless every ARN is a literal IAM role ARN (the cross-account policies name them at synth). */
export function checkRoleArns(scope: IConstruct, field: string, arns: string[]): void {
  arns.forEach((arn, index) => {
    if (Token.isUnresolved(arn)) {
      throw invalidProp(scope, `${field}[${index}]`, arn, 'give the role ARN as a literal: the cross-account policies name its account at synth');
    }
    checkIamRoleArn(scope, `${field}[${index}]`, arn);
  });
}

/**
 * Trust for GitHub Actions: through the account's OIDC provider, for the STS audience, and for
 * exactly one subject (`StringEquals`, so no wildcard can widen it).
 */
export function trustGithubSubject(oidcProviderArn: string, subject: string): PolicyStatement {
  return {
    Sid: 'GithubActions',
    Effect: 'Allow',
    Principal: { Federated: oidcProviderArn },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      StringEquals: {
        [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
        [`${GITHUB_OIDC_HOST}:sub`]: subject,
      },
    },
  };
}

/**
 * Trust for roles of other accounts, named exactly: their accounts are the principals, narrowed
 * to the role ARNs by `aws:PrincipalArn`, so the trusted roles need not exist when this one is
 * created (IAM refuses a trust policy that names a missing role as principal).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
export function trustRolesOfOtherAccounts(roleArns: string[]): PolicyStatement {
  const accounts = [...new Set(roleArns.map(arnAccount))].sort();
  return {
    Sid: 'SameKindRolesOfOtherAccounts',
    Effect: 'Allow',
    Principal: { AWS: accounts.map((account) => `arn:aws:iam::${account}:root`) },
    Action: 'sts:AssumeRole',
    Condition: { ArnEquals: { 'aws:PrincipalArn': [...roleArns].sort() } },
  };
}

/**
 * Statements that let a role assume exactly `roleArns` in other accounts and no other role of
 * another account, whatever else its policies allow (an explicit deny wins over
 * `AdministratorAccess`). Roles of the role's own account stay as its policies say.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
 */
export function assumeOnlyAcrossAccounts(roleArns: string[]): PolicyStatement[] {
  const sorted = [...roleArns].sort();
  const deny: PolicyStatement = {
    Sid: 'DenyRolesOfOtherAccounts',
    Effect: 'Deny',
    // The web-identity and SAML variants are called without AWS credentials: no identity policy
    // governs them, so only sts:AssumeRole needs the deny.
    Action: 'sts:AssumeRole',
    ...(sorted.length > 0 ? { NotResource: sorted } : { Resource: '*' }),
    Condition: { StringNotEquals: { 'aws:ResourceAccount': iamVariable('aws:PrincipalAccount') } },
  };
  if (sorted.length === 0) return [deny];
  return [{ Sid: 'AssumeSameKindRolesOfOtherAccounts', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: sorted }, deny];
}

/** The ARN of an AWS managed policy. */
export function awsManagedPolicy(name: string): string {
  return `arn:aws:iam::aws:policy/${name}`;
}
