import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import {
  checkAccountId, checkIamPolicyArn, checkIamPolicyName, checkIamRoleNameOrDerived, checkKubernetesLabelName, checkKubernetesObjectName,
  Claims, invalidProp,
} from '@piksel/core';
import { Construct } from 'constructs';

/**
 * What the two kinds of service-account role (IRSA and Pod Identity) share: the checks of their
 * inputs, the role name and its claim, and how policies are attached. Both kinds give their
 * children the same construct IDs (`Role`, `Managed<policy>`, `Inline<name>`), so switching a
 * service account from one kind to the other under the same ID updates the role in place
 * instead of replacing it.
 */

/** The inputs both kinds check. */
export interface ServiceAccountRoleInputs {
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly roleName?: string;
  readonly managedPolicyArns?: string[];
  readonly account?: string;
}

/**
 * Checks the inputs and returns the role name: as given, or `<cluster>-<namespace>-<service account>`
 * (too long, the error says to shorten the namespace or give `roleName`). With a literal account,
 * claims the name in that account: IAM role names are unique per account, whichever stack of
 * the app makes the role.
 */
export function serviceAccountRoleName(scope: Construct, props: ServiceAccountRoleInputs): string {
  checkKubernetesLabelName(scope, 'namespace', props.namespace);
  checkKubernetesObjectName(scope, 'serviceAccountName', props.serviceAccountName);
  (props.managedPolicyArns ?? []).forEach((arn, index) => checkIamPolicyArn(scope, `managedPolicyArns[${index}]`, arn));
  if (props.account !== undefined) checkAccountId(scope, 'account', props.account);
  const roleName = props.roleName ?? `${props.clusterName}-${props.namespace}-${props.serviceAccountName}`;
  checkIamRoleNameOrDerived(scope, 'roleName', props.roleName, roleName, {
    field: 'namespace',
    value: props.namespace,
    overhead: roleName.length - props.namespace.length,
    override: 'roleName',
  });
  Claims.of(scope).claimIamRole(scope, 'roleName', roleName, props.account);
  return roleName;
}

/** Attaches a managed policy, keyed by its name (the part after the last `/`); again is a no-op. */
export function attachManagedPolicy(scope: Construct, role: IamRole, policyArn: string): void {
  checkIamPolicyArn(scope, 'policyArn', policyArn);
  const id = `Managed${policyArn.split('/').pop()}`;
  if (scope.node.tryFindChild(id)) return;
  new IamRolePolicyAttachment(scope, id, { role: role.name, policyArn });
}

/** Adds an inline policy under `name`, which must be a valid IAM policy name not used on the role yet. */
export function attachInlinePolicy(scope: Construct, role: IamRole, name: string, policyJson: string): void {
  checkIamPolicyName(scope, 'inline policy name', name);
  if (scope.node.tryFindChild(`Inline${name}`)) {
    throw invalidProp(scope, 'inline policy name', name, 'each inline policy needs its own name');
  }
  new IamRolePolicy(scope, `Inline${name}`, { role: role.name, name, policy: policyJson });
}
