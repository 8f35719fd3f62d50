import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

/**
 * Checks of the ARNs the libraries take, one per kind. Each skips an unresolved token (a caller
 * that needs a literal says so, with its reason, before calling) and throws in the one format of
 * `invalidProp`.
 */

/** The partitions: `aws`, `aws-cn`, `aws-us-gov`, and the isolated ones. */
const PARTITION = 'aws[a-z-]*';
/** An IAM path (`/` or `/division/team/`) before a name: segments of `A-Z a-z 0-9 + = , . @ _ -`. */
const IAM_PATH = '/(?:[\\w+=,.@-]+/)*';
/** IAM role and user names, 1–64 of `A-Z a-z 0-9 + = , . @ _ -`. */
const IAM_PRINCIPAL_NAME = '[\\w+=,.@-]{1,64}';

/** One role: no account root, user or wildcard. */
const IAM_ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:role${IAM_PATH}${IAM_PRINCIPAL_NAME}$`);
/** One role or one user. */
const IAM_PRINCIPAL_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:(role|user)${IAM_PATH}${IAM_PRINCIPAL_NAME}$`);
/** A managed policy: AWS managed (`iam::aws:`) or customer managed; names 1–128. */
const IAM_POLICY_ARN = new RegExp(`^arn:${PARTITION}:iam::(aws|\\d{12}):policy${IAM_PATH}[\\w+=,.@-]{1,128}$`);
/** A KMS key (a key ID or a multi-Region `mrk-` ID), not an alias: services store the key they are given. */
const KMS_KEY_ARN = new RegExp(`^arn:${PARTITION}:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+$`);

/**
 * Fails when `value` is a resolved string that is not one IAM role's ARN (path allowed, name
 * 1–64).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export function checkIamRoleArn(scope: IConstruct, field: string, value: string): void {
  if (!Token.isUnresolved(value) && !IAM_ROLE_ARN.test(value)) {
    throw invalidProp(scope, field, value, 'use one IAM role ARN, arn:aws:iam::<12-digit account>:role/<name> (not an account root, user or wildcard)');
  }
}

/** Fails when `value` is a resolved string that is not one IAM role's or user's ARN (path allowed, name 1–64). */
export function checkIamPrincipalArn(scope: IConstruct, field: string, value: string): void {
  if (!Token.isUnresolved(value) && !IAM_PRINCIPAL_ARN.test(value)) {
    throw invalidProp(scope, field, value, 'use one IAM role or user ARN, arn:aws:iam::<12-digit account>:role/<name> or :user/<name> (not an account root or wildcard)');
  }
}

/** Fails when `value` is a resolved string that is not a managed policy ARN (AWS or customer managed). */
export function checkIamPolicyArn(scope: IConstruct, field: string, value: string): void {
  if (!Token.isUnresolved(value) && !IAM_POLICY_ARN.test(value)) {
    throw invalidProp(scope, field, value, 'use a managed policy ARN, e.g. "arn:aws:iam::aws:policy/AdministratorAccess"');
  }
}

/** Fails when `value` is a resolved string that is not a KMS key ARN (an alias is refused). */
export function checkKmsKeyArn(scope: IConstruct, field: string, value: string): void {
  if (!Token.isUnresolved(value) && !KMS_KEY_ARN.test(value)) {
    throw invalidProp(scope, field, value, 'use a KMS key ARN, arn:aws:kms:<region>:<account>:key/<id> (not an alias)');
  }
}

/** The account of an ARN already checked (`arn:aws:iam::<account>:role/x` → `<account>`). */
export function arnAccount(arn: string): string {
  return arn.split(':')[4];
}

/** The name of an IAM ARN already checked: what follows its last `/` (`…:role/ci/deploy` → `deploy`). */
export function iamArnName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
