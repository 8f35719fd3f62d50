import { readFileSync } from 'fs';
import { join } from 'path';
import { DEPLOY_SESSION_SECONDS, ENVIRONMENTS, findEnvironment, GITHUB_REPOSITORY, HUB, hubNetworkRoleArn, hubNetworkRoleName, stateBucket } from '@piksel/estate';
import { App } from 'cdktf';
import { addressesOf, addressOf, assertion, hcl, StackJson, testFile } from './hcl';
import { AccountTarget } from '../../src/stacks/account-stack';
import { BaselineStack, baselineStackName } from '../../src/stacks/baseline-stack';

/** Every account of the estate, in the order their baselines are applied. */
export const BASELINE_ACCOUNTS: AccountTarget[] = [HUB, ...ENVIRONMENTS];

/** The baseline stacks, synthesized into `outdir` by a fresh app, by stack name. */
export function synthesizeBaselines(outdir: string): Map<string, StackJson> {
  const app = new App({ outdir });
  for (const target of BASELINE_ACCOUNTS) new BaselineStack(app, target);
  app.synth();
  return new Map(BASELINE_ACCOUNTS.map((target) => {
    const name = baselineStackName(target);
    return [name, JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf-8'))];
  }));
}

/**
 * Assertions on an `<account>-baseline` stack after a mocked apply: the state bucket's settings,
 * the exact OIDC subjects of both pipeline roles, what each may assume across accounts, that the
 * plan role can write nothing but Terraform's lock files, and on the hub the spokes' hub-network
 * roles: each trusted by its spoke's deploy role only, with named actions only.
 */

const OIDC = 'token.actions.githubusercontent.com';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
/** Actions that only read: anything else an Allow statement of the plan role grants is a write. */
const READ_ACTION = '^[a-z0-9-]+:(Get|List|Describe|Head)';

/** Realistic ARNs for the computed values the provider checks the shape of. */
function baselineMocks(account: string): string {
  return [
    '  mock_resource "aws_iam_openid_connect_provider" {',
    `    defaults = { arn = ${hcl(`arn:aws:iam::${account}:oidc-provider/${OIDC}`)} }`,
    '  }',
    '  mock_resource "aws_iam_role" {',
    `    defaults = { arn = ${hcl(`arn:aws:iam::${account}:role/piksel-mock`)} }`,
    '  }',
    '  mock_resource "aws_s3_bucket" {',
    `    defaults = { arn = ${hcl(`arn:aws:s3:::${stateBucket('mock')}`)} }`,
    '  }',
  ].join('\n');
}

/** The `terraform test` file of one baseline stack. */
export function baselineTestFile(stack: StackJson, target: AccountTarget): string {
  const hubNetwork = target.name === HUB.name ? hubNetworkAssertions(stack) : '';
  return testFile(baselineMocks(target.account), '', bucketAssertions(stack, target) + roleAssertions(stack, target) + planWriteAssertions(stack, target) + hubNetwork);
}

function bucketAssertions(stack: StackJson, target: AccountTarget): string {
  const name = stateBucket(target.name);
  const arn = `arn:aws:s3:::${name}`;
  const bucket = addressOf(stack, 'aws_s3_bucket', (r) => r.bucket === name);
  const only = (type: string) => addressOf(stack, type, () => true);
  const versioning = only('aws_s3_bucket_versioning');
  const encryption = only('aws_s3_bucket_server_side_encryption_configuration');
  const block = only('aws_s3_bucket_public_access_block');
  const ownership = only('aws_s3_bucket_ownership_controls');
  const policy = only('aws_s3_bucket_policy');
  const lifecycle = only('aws_s3_bucket_lifecycle_configuration');
  let body = '';
  body += assertion(`${bucket}.bucket == ${hcl(name)}`, `the state bucket must be ${name}`);
  body += assertion(`${versioning}.bucket == ${bucket}.id && ${versioning}.versioning_configuration[0].status == "Enabled"`, 'the state bucket must be versioned');
  body += assertion(`${encryption}.bucket == ${bucket}.id && one(${encryption}.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256"`,
    'the state bucket must encrypt by default');
  body += assertion(`${block}.bucket == ${bucket}.id && ${block}.block_public_acls && ${block}.block_public_policy && ${block}.ignore_public_acls && ${block}.restrict_public_buckets`,
    'all four public access block settings must be on');
  body += assertion(`${ownership}.rule[0].object_ownership == "BucketOwnerEnforced"`, 'the bucket owner must own every object (ACLs off)');
  const statements = `jsondecode(${policy}.policy).Statement`;
  body += assertion(`length([for s in ${statements} : s if s.Effect == "Deny" && s.Action == "s3:*" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false" && toset(flatten([s.Resource])) == toset(${hcl([arn, `${arn}/*`])})]) == 1`,
    'the bucket policy must deny every request without TLS');
  body += assertion(`length([for s in ${statements} : s if s.Effect == "Deny" && s.Action == "s3:DeleteBucket" && try(s.Principal.AWS, "") == "*" && try(s.Resource, "") == ${hcl(arn)}]) == 1`,
    'the bucket policy must deny deleting the bucket to everyone');
  body += assertion(`[for r in ${lifecycle}.rule : r.noncurrent_version_expiration[0].noncurrent_days if length(r.noncurrent_version_expiration) > 0] == [90]`,
    'replaced state versions must be kept 90 days, then expire');
  body += assertion(`[for r in ${lifecycle}.rule : r.abort_incomplete_multipart_upload[0].days_after_initiation if length(r.abort_incomplete_multipart_upload) > 0] == [7]`,
    'incomplete uploads must be aborted after 7 days');
  return body;
}

/** The address of the pipeline role called `name`. */
function roleAddress(stack: StackJson, name: string): string {
  return addressOf(stack, 'aws_iam_role', (r) => r.name === name);
}

/** The addresses of a role's resources of `type` (inline policies, attachments). */
function ofRole(stack: StackJson, type: string, role: string, key: string = 'role'): string[] {
  return addressesOf(stack, type, (r) => r[key] === `\${${role}.name}`);
}

function roleAssertions(stack: StackJson, target: AccountTarget): string {
  const provider = addressOf(stack, 'aws_iam_openid_connect_provider', () => true);
  const isHub = target.name === HUB.name;
  let body = '';
  body += assertion(`${provider}.url == "https://${OIDC}" && ${provider}.client_id_list == toset(["sts.amazonaws.com"])`,
    'the account must have the GitHub OIDC provider for the STS audience');
  const subjects = { 'piksel-deploy': `repo:${GITHUB_REPOSITORY}:environment:${target.name}`, 'piksel-plan': `repo:${GITHUB_REPOSITORY}:pull_request` };
  for (const [name, subject] of Object.entries(subjects)) {
    const role = roleAddress(stack, name);
    const trust = `jsondecode(${role}.assume_role_policy).Statement`;
    body += assertion(`length([for s in ${trust} : s if try(s.Principal.Federated, "") != ""]) == 1`, `${name} must trust GitHub through one statement`);
    body += assertion(`[for s in ${trust} : s.Condition.StringEquals["${OIDC}:sub"] if try(s.Principal.Federated, "") == ${provider}.arn] == [${hcl(subject)}]`,
      `${name} must trust exactly ${subject}`);
    body += assertion(`[for s in ${trust} : s.Condition.StringEquals["${OIDC}:aud"] if try(s.Principal.Federated, "") == ${provider}.arn] == ["sts.amazonaws.com"]`,
      `${name} must trust the STS audience only`);
    body += assertion(`alltrue([for s in ${trust} : !can(s.Condition.StringLike)])`, `${name} must not trust a subject pattern`);
    if (name === 'piksel-deploy') {
      body += assertion(`${role}.max_session_duration == ${DEPLOY_SESSION_SECONDS}`, 'piksel-deploy must allow the four-hour session deploy.yml asks for');
    }

    const cross = ofRole(stack, 'aws_iam_role_policy', role).find((address) => stack.resource.aws_iam_role_policy[address.split('.')[1]].name === 'cross-account-roles')!;
    const isPlan = name === 'piksel-plan';
    // Plans reach the hub's plan role; a spoke's deploy role reaches its own least-privilege
    // hub-network role and never the hub's piksel-deploy (AdministratorAccess).
    if (isHub && isPlan) {
      const spokes = ENVIRONMENTS.map((env) => `arn:aws:iam::${env.account}:role/${name}`);
      body += assertion(`[for s in ${trust} : toset(s.Condition.ArnEquals["aws:PrincipalArn"]) if can(s.Principal.AWS)] == [toset(${hcl(spokes)})]`,
        `the hub's ${name} must trust exactly the spokes' ${name} roles`);
    } else {
      body += assertion(`alltrue([for s in ${trust} : can(s.Principal.Federated)])`,
        isHub ? `the hub's ${name} must trust no role of another account` : `a spoke's ${name} must trust no other account`);
    }
    const assumable = isHub ? [] : [isPlan ? `arn:aws:iam::${HUB.account}:role/${name}` : hubNetworkRoleArn(findEnvironment(target.name)!)];
    body += assertion(`flatten([for s in jsondecode(${cross}.policy).Statement : s.Resource if s.Effect == "Allow"]) == ${hcl(assumable)}`,
      isHub ? `the hub's ${name} may assume no role of another account` : `a spoke's ${name} may assume ${assumable[0]} only`);
    body += assertion(`length([for s in jsondecode(${cross}.policy).Statement : s if s.Effect == "Deny" && s.Action == "sts:AssumeRole" && try(s.Condition.StringNotEquals["aws:ResourceAccount"], "") == "$\${aws:PrincipalAccount}"]) == 1`,
      `${name} must be denied every other role of another account`);
  }
  return body;
}

function planWriteAssertions(stack: StackJson, target: AccountTarget): string {
  const role = roleAddress(stack, 'piksel-plan');
  const lock = `arn:aws:s3:::${stateBucket(target.name)}/*.tflock`;
  const attachments = ofRole(stack, 'aws_iam_role_policy_attachment', role);
  const inline = ofRole(stack, 'aws_iam_role_policy', role);
  const exclusiveAttachments = addressOf(stack, 'aws_iam_role_policy_attachments_exclusive', (r) => r.role_name === `\${${role}.name}`);
  const exclusiveInline = addressOf(stack, 'aws_iam_role_policies_exclusive', (r) => r.role_name === `\${${role}.name}`);
  let body = '';
  body += assertion(`[${attachments.map((a) => `${a}.policy_arn`).join(', ')}] == [${hcl(READ_ONLY)}] && ${exclusiveAttachments}.policy_arns == toset([${hcl(READ_ONLY)}])`,
    'the plan role must hold ReadOnlyAccess and no other managed policy');
  body += assertion(`${exclusiveInline}.policy_names == toset([${inline.map((p) => `${p}.name`).join(', ')}])`,
    'the plan role must hold no inline policy but its own');
  for (const policy of inline) {
    const writes = `[for a in flatten([s.Action]) : a if !can(regex("${READ_ACTION}", a)) && a != "sts:AssumeRole"]`;
    body += assertion(`alltrue([for s in jsondecode(${policy}.policy).Statement : s.Effect == "Deny" || length(${writes}) == 0 || toset(flatten([try(s.Resource, [])])) == toset([${hcl(lock)}])])`,
      `the plan role may write nothing but lock files (${lock})`);
  }
  const statements = `flatten([${inline.map((p) => `jsondecode(${p}.policy).Statement`).join(', ')}])`;
  body += assertion(`length([for s in ${statements} : s if s.Effect == "Deny" && try(s.NotResource, "") == ${hcl(lock)} && length(setintersection(toset(flatten([s.Action])), toset(["s3:PutObject", "s3:DeleteObject"]))) == 2]) == 1`,
    'every object write but the lock files must be denied explicitly');
  body += assertion(`length([for s in ${statements} : s if s.Effect == "Deny" && try(s.Resource, "") == "*" && length(setintersection(toset(flatten([s.Action])), toset(["secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "kms:Decrypt"]))) == 5]) == 1`,
    'reading secret values and decrypting must be denied');
  return body;
}

/**
 * The hub's hub-network roles: one per spoke, trusted by exactly that spoke's piksel-deploy (its
 * account as principal, narrowed by aws:PrincipalArn), holding one inline policy and no managed
 * policy, granting named actions only (no `*` and no wildcard action), association only with its
 * own routing domain's tables and propagation only into `shared`.
 */
function hubNetworkAssertions(stack: StackJson): string {
  let body = '';
  const names = ENVIRONMENTS.map(hubNetworkRoleName);
  body += assertion(`length([${addressesOf(stack, 'aws_iam_role', (r) => /-hub-network$/.test(r.name)).map((a) => `${a}.name`).join(', ')}]) == ${names.length}`,
    'the hub must have exactly one hub-network role per spoke');
  for (const env of ENVIRONMENTS) {
    const role = roleAddress(stack, hubNetworkRoleName(env));
    const trust = `jsondecode(${role}.assume_role_policy).Statement`;
    const spokeDeploy = `arn:aws:iam::${env.account}:role/piksel-deploy`;
    body += assertion(`length(${trust}) == 1 && ${trust}[0].Effect == "Allow" && ${trust}[0].Action == "sts:AssumeRole" && ${trust}[0].Principal.AWS == ${hcl(`arn:aws:iam::${env.account}:root`)} && ${trust}[0].Condition.ArnEquals["aws:PrincipalArn"] == ${hcl(spokeDeploy)}`,
      `${hubNetworkRoleName(env)} must trust exactly ${spokeDeploy}`);
    const inline = ofRole(stack, 'aws_iam_role_policy', role);
    const attachments = ofRole(stack, 'aws_iam_role_policy_attachment', role);
    const exclusiveAttachments = addressOf(stack, 'aws_iam_role_policy_attachments_exclusive', (r) => r.role_name === `\${${role}.name}`);
    const exclusiveInline = addressOf(stack, 'aws_iam_role_policies_exclusive', (r) => r.role_name === `\${${role}.name}`);
    body += assertion(`${attachments.length} == 0 && length(${exclusiveAttachments}.policy_arns) == 0 && length([${inline.map((p) => `${p}.name`).join(', ')}]) == 1 && ${exclusiveInline}.policy_names == toset([${inline.map((p) => `${p}.name`).join(', ')}])`,
      `${hubNetworkRoleName(env)} must hold its one inline policy and no managed policy`);
    const statements = `flatten([${inline.map((p) => `jsondecode(${p}.policy).Statement`).join(', ')}])`;
    body += assertion(`alltrue([for s in ${statements} : s.Effect == "Allow" && alltrue([for a in flatten([s.Action]) : can(regex("^(ec2|route53|s3):[A-Za-z]+$", a))])])`,
      `${hubNetworkRoleName(env)} must grant named ec2, route53 and s3 actions only, never "*"`);
    const onTables = (sid: string) => `one([for s in ${statements} : s if s.Sid == ${hcl(sid)}])`;
    body += assertion(`${onTables('AssociateWithOwnDomainOnly')}.Condition.StringEquals["aws:ResourceTag/piksel:routing-domain"] == ${hcl(env.routingDomain)} && endswith(${onTables('AssociateWithOwnDomainOnly')}.Resource, ":transit-gateway-route-table/*")`,
      `${hubNetworkRoleName(env)} may associate with the ${env.routingDomain} route table only`);
    body += assertion(`${onTables('PropagateIntoSharedOnly')}.Condition.StringEquals["aws:ResourceTag/piksel:routing-domain"] == "shared"`,
      `${hubNetworkRoleName(env)} may propagate into the shared route table only`);
    body += assertion(`alltrue([for s in ${statements} : s.Condition.StringEquals["aws:ResourceTag/piksel:spoke"] == ${hcl(env.name)} if contains(flatten([s.Action]), "ec2:AssociateTransitGatewayRouteTable") && endswith(s.Resource, ":transit-gateway-attachment/*")])`,
      `${hubNetworkRoleName(env)} may route only attachments tagged piksel:spoke = ${env.name}`);
  }
  return body;
}
