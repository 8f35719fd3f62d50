import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePoliciesExclusive } from '@cdktf/provider-aws/lib/iam-role-policies-exclusive';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamRolePolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive';
import {
  checkGithubRepository, checkIamPolicyArn, checkIamRoleName, checkTags, checkWholeRange, Claims, iamArnName, invalidProp,
} from '@piksel/core';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { PipelineRoleOptions } from '../pipeline-role';

import { assumeOnlyAcrossAccounts, checkRoleArns, PolicyStatement, policyDocument, trustGithubSubject, trustRolesOfOtherAccounts } from './policy';

/** The IAM default session: enough for one job; a workflow assumes the role again per job. */
const DEFAULT_MAX_SESSION_DURATION_SECONDS = 3600;
/** The IAM limits on a role's maximum session. */
const MIN_SESSION_SECONDS = 3600;
const MAX_SESSION_SECONDS = 43200;

/** Checks what every pipeline role is given. */
export function checkPipelineRoleOptions(scope: Construct, options: PipelineRoleOptions, roleName: string, roleNameGiven: boolean): void {
  checkGithubRepository(scope, 'repository', options.repository);
  checkIamRoleName(scope, roleNameGiven ? 'roleName' : 'the derived roleName', roleName);
  checkWholeRange(scope, 'maxSessionDuration', options.maxSessionDuration, MIN_SESSION_SECONDS, MAX_SESSION_SECONDS, 'seconds');
  checkRoleArns(scope, 'crossAccountTrustedRoleArns', options.crossAccountTrustedRoleArns ?? []);
  checkRoleArns(scope, 'crossAccountAssumableRoleArns', options.crossAccountAssumableRoleArns ?? []);
  checkTags(scope, 'tags', options.tags);
}

/** What a pipeline role is made of besides its options. */
export interface PipelineRoleSpec {
  readonly roleName: string;
  readonly description: string;
  readonly oidcProviderArn: string;
  readonly subject: string;
  readonly managedPolicyArns: string[];
  /** Inline policies by IAM name; each gets the construct ID given. */
  readonly inlinePolicies: Array<{ id: string; name: string; statements: PolicyStatement[] }>;
}

/**
 * Creates the role, its managed-policy attachments and inline policies, and makes both sets
 * exclusive: an apply removes any policy attached or written outside this construct, so the
 * role can do exactly what its construct says.
 */
export function createPipelineRole(scope: Construct, options: PipelineRoleOptions, spec: PipelineRoleSpec): IamRole {
  const trusted = options.crossAccountTrustedRoleArns ?? [];
  const trust = [trustGithubSubject(spec.oidcProviderArn, spec.subject), ...(trusted.length > 0 ? [trustRolesOfOtherAccounts(trusted)] : [])];
  claimRoleName(scope, spec.roleName);
  const role = new IamRole(scope, 'Role', {
    name: spec.roleName,
    description: spec.description,
    assumeRolePolicy: policyDocument(trust),
    maxSessionDuration: options.maxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION_SECONDS,
    tags: options.tags,
  });

  const attachments = spec.managedPolicyArns.map((policyArn) =>
    new IamRolePolicyAttachment(scope, `Attach${managedPolicyName(policyArn)}`, { role: role.name, policyArn }));
  const inline = [
    ...spec.inlinePolicies,
    { id: 'CrossAccountPolicy', name: 'cross-account-roles', statements: assumeOnlyAcrossAccounts(options.crossAccountAssumableRoleArns ?? []) },
  ].map(({ id, name, statements }) => new IamRolePolicy(scope, id, { role: role.name, name, policy: policyDocument(statements) }));

  new IamRolePolicyAttachmentsExclusive(scope, 'ExclusiveAttachments', {
    roleName: role.name,
    policyArns: spec.managedPolicyArns,
    // Attach first: the exclusive set detaches whatever it does not list at the time it runs.
    dependsOn: attachments,
  });
  new IamRolePoliciesExclusive(scope, 'ExclusiveInlinePolicies', {
    roleName: role.name,
    policyNames: inline.map((policy) => policy.name),
    // Same for inline policies: write them before the set is made exclusive.
    dependsOn: inline,
  });
  return role;
}

/** A role that no pipeline signs in to directly: its own trust, inline policies only. */
export interface PolicyRoleSpec {
  readonly roleName: string;
  readonly description: string;
  readonly trust: PolicyStatement[];
  /** Inline policies by IAM name; each gets the construct ID given. */
  readonly inlinePolicies: Array<{ id: string; name: string; statements: PolicyStatement[] }>;
  readonly tags?: { [key: string]: string };
}

/**
 * Creates a role with exactly the inline policies given and no managed policy, both sets made
 * exclusive, so an apply removes anything attached or written outside this construct.
 */
export function createPolicyRole(scope: Construct, spec: PolicyRoleSpec): IamRole {
  claimRoleName(scope, spec.roleName);
  const role = new IamRole(scope, 'Role', {
    name: spec.roleName,
    description: spec.description,
    assumeRolePolicy: policyDocument(spec.trust),
    maxSessionDuration: DEFAULT_MAX_SESSION_DURATION_SECONDS,
    tags: spec.tags,
  });
  const inline = spec.inlinePolicies.map(({ id, name, statements }) =>
    new IamRolePolicy(scope, id, { role: role.name, name, policy: policyDocument(statements) }));
  new IamRolePolicyAttachmentsExclusive(scope, 'ExclusiveAttachments', { roleName: role.name, policyArns: [] });
  new IamRolePoliciesExclusive(scope, 'ExclusiveInlinePolicies', {
    roleName: role.name,
    policyNames: inline.map((policy) => policy.name),
    // Write the inline policies before the set is made exclusive.
    dependsOn: inline,
  });
  return role;
}

/** Fails unless every ARN is a literal managed policy ARN (its name keys a construct ID). */
export function checkManagedPolicyArns(scope: Construct, field: string, policyArns: string[]): void {
  policyArns.forEach((policyArn, index) => {
    if (Token.isUnresolved(policyArn)) {
      throw invalidProp(scope, `${field}[${index}]`, policyArn, 'give the managed policy ARN as a literal: its name keys a construct ID');
    }
    checkIamPolicyArn(scope, `${field}[${index}]`, policyArn);
  });
  if (policyArns.length === 0 || policyArns.length > 20) {
    throw invalidProp(scope, field, policyArns, 'give 1-20 managed policies (IAM attaches at most 20 to a role)');
  }
}

/** The name of a managed policy ARN already checked: its construct ID. */
function managedPolicyName(policyArn: string): string {
  return iamArnName(policyArn);
}

/** Claims the role name in the account of the stack (its AWS provider's one allowed account). */
function claimRoleName(scope: Construct, roleName: string): void {
  Claims.of(scope).claimIamRole(scope, 'roleName', roleName);
}
