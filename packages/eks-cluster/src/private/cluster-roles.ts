import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Claims } from '@piksel/core';
import { Construct } from 'constructs';

/** An IAM role that an AWS service assumes, and the attachments of its managed policies. */
export interface ServiceRole {
  readonly role: IamRole;
  /**
   * The policy attachments: what uses the role waits for them (`depends_on`), so that it is
   * created once the permissions exist and destroyed before they go.
   */
  readonly policies: IamRolePolicyAttachment[];
}

/**
 * An IAM role that an AWS service assumes, with managed policies attached; its name is claimed in
 * `claim.account` (`claim.field` says which role in an error, `claim.rename` what to change).
 */
export function serviceRole(scope: Construct, id: string, name: string, trust: object, managedPolicyArns: string[],
  claim: { account: string; field: string; rename: string }): ServiceRole {
  Claims.of(scope).claimIamRole(scope, claim.field, name, claim.account, claim.rename);
  const role = new IamRole(scope, id, {
    name,
    assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', ...trust }] }),
  });
  const policies = managedPolicyArns.map((arn) => new IamRolePolicyAttachment(role, arn.split('/').pop()!, { role: role.name, policyArn: arn }));
  return { role, policies };
}

/**
 * What the control plane needs on a customer-managed key to envelope-encrypt secrets.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html
 */
export function allowSecretsEncryption(role: IamRole, keyArn: string): IamRolePolicy {
  return new IamRolePolicy(role, 'SecretsEncryption', {
    role: role.name,
    name: 'secrets-envelope-encryption',
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], Resource: keyArn }],
    }),
  });
}
