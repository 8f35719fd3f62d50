import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';

/** An IAM role that an AWS service assumes, with managed policies attached. */
export function serviceRole(scope: Construct, id: string, name: string, trust: object, managedPolicyArns: string[]): IamRole {
  const role = new IamRole(scope, id, {
    name,
    assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', ...trust }] }),
  });
  for (const arn of managedPolicyArns) {
    new IamRolePolicyAttachment(role, arn.split('/').pop()!, { role: role.name, policyArn: arn });
  }
  return role;
}

/**
 * What the control plane needs on a customer-managed key to envelope-encrypt secrets.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html
 */
export function allowSecretsEncryption(role: IamRole, keyArn: string): void {
  new IamRolePolicy(role, 'SecretsEncryption', {
    role: role.name,
    name: 'secrets-envelope-encryption',
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], Resource: keyArn }],
    }),
  });
}
