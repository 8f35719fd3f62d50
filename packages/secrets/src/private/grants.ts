import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { IGrantee } from '../grantee';
import { policyDocument, PolicyStatement } from './policy';

/**
 * Attaches `statements` to the grantee's role as one inline policy.
 *
 * The policy is created in `scope` (the secret or key granting access) under an ID derived from
 * the grantee's construct path, so it is stable and unique per grantee; granting twice is a
 * no-op. Its IAM name, `<verb>-<scope id>-<hash of scope path>`, is unique on the role.
 */
export function attachInlinePolicy(scope: Construct, verb: string, grantee: IGrantee, statements: PolicyStatement[]): IamRolePolicy {
  const id = granteeId(`${verb}By`, grantee);
  const existing = scope.node.tryFindChild(id);
  if (existing) return existing as IamRolePolicy;
  const name = `${verb.toLowerCase()}-${scope.node.id}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 110);
  return new IamRolePolicy(scope, id, {
    role: grantee.granteeRoleName,
    name: `${name}-${scope.node.addr.slice(0, 8)}`,
    policy: policyDocument(statements),
  });
}

/** A construct ID for what `grantee` is given: stable, and unique per grantee (its path). */
export function granteeId(prefix: string, grantee: IGrantee): string {
  return `${prefix}${grantee.node.path.replace(/\//g, '_')}`;
}
