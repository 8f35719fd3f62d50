import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { IGrantee } from '../grantee';
import { policyDocument, PolicyStatement } from './policy';

/**
 * Attaches `statements` to the grantee's role as one inline policy, created in `scope` (what
 * grants access) under an ID derived from the grantee's construct path: stable, unique per
 * grantee, and granting twice is a no-op. Its IAM name, `<verb>-<scope id>-<hash of scope path>`,
 * is unique on the role.
 */
export function attachInlinePolicy(scope: Construct, verb: string, grantee: IGrantee, statements: PolicyStatement[]): IamRolePolicy {
  const id = `${verb}By${grantee.node.path.replace(/\//g, '_')}`;
  const existing = scope.node.tryFindChild(id);
  if (existing) return existing as IamRolePolicy;
  const name = `${verb.toLowerCase()}-${scope.node.id}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 110);
  return new IamRolePolicy(scope, id, {
    role: grantee.granteeRoleName,
    name: `${name}-${scope.node.addr.slice(0, 8)}`,
    policy: policyDocument(statements),
  });
}
