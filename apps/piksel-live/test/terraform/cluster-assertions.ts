import { Environment } from '@piksel/estate';
import { addressesOf, addressOf, assertion, hcl, StackJson } from './hcl';

/** The cluster's OIDC issuer as the mocked apply reports it. */
export const OIDC_ISSUER = 'oidc.eks.ap-southeast-3.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

/** The SSO administrator role the data source finds in the mocked account. */
export function ssoAdministratorArn(env: Environment): string {
  return `arn:aws:iam::${env.account}:role/aws-reserved/sso.amazonaws.com/${env.region}/AWSReservedSSO_AdministratorAccess_0123456789abcdef`;
}

/** Mocked computed values of the cluster resources (default provider). */
export function clusterMocks(env: Environment): string {
  return [
    '  mock_resource "aws_eks_cluster" {',
    '    defaults = {',
    `      arn                   = ${hcl(`arn:aws:eks:${env.region}:${env.account}:cluster/${env.clusterName}`)}`,
    `      identity              = [{ oidc = [{ issuer = ${hcl(`https://${OIDC_ISSUER}`)} }] }]`,
    '      certificate_authority = [{ data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t" }]',
    '    }',
    '  }',
    '  mock_resource "aws_iam_openid_connect_provider" {',
    `    defaults = { arn = ${hcl(`arn:aws:iam::${env.account}:oidc-provider/${OIDC_ISSUER}`)} }`,
    '  }',
    '  mock_resource "aws_iam_policy" {',
    `    defaults = { arn = ${hcl(`arn:aws:iam::${env.account}:policy/piksel-mock`)} }`,
    '  }',
    '  mock_resource "aws_sqs_queue" {',
    `    defaults = { arn = ${hcl(`arn:aws:sqs:${env.region}:${env.account}:${env.clusterName}`)}, url = ${hcl(`https://sqs.${env.region}.amazonaws.com/${env.account}/${env.clusterName}`)} }`,
    '  }',
  ].join('\n');
}

/** The SSO administrator role lookup, answered without AWS. */
export function clusterOverrides(env: Environment): string {
  return [
    'override_data {',
    '  target = data.aws_iam_roles.SsoAdministratorRole',
    `  values = { arns = [${hcl(ssoAdministratorArn(env))}] }`,
    '}',
  ].join('\n');
}

/** The IRSA roles of the GitOps contract (DESIGN.md §3), by role name → `namespace:service account`. */
export function irsaRoles(env: Environment): Record<string, string> {
  return {
    [`${env.clusterName}-kube-system-aws-node`]: 'kube-system:aws-node',
    [`${env.clusterName}-ebs-csi`]: 'kube-system:ebs-csi-controller-sa',
    [`${env.clusterName}-karpenter`]: 'karpenter:karpenter',
    [`piksel-${env.name}-external-dns`]: 'external-dns:external-dns-sa',
    [`${env.clusterName}-external-secrets`]: 'external-secrets:external-secrets',
  };
}

/** Assertions on the cluster after the mocked apply. */
export function clusterAssertions(stack: StackJson, env: Environment): string {
  const cluster = addressOf(stack, 'aws_eks_cluster', () => true);
  const key = addressOf(stack, 'aws_kms_key', (r) => /Kubernetes secrets/.test(r.description ?? ''));
  let body = '';
  body += assertion(`${cluster}.name == ${hcl(env.clusterName)} && ${cluster}.version == ${hcl(env.kubernetesVersion)}`, `the cluster must be ${env.clusterName} on ${env.kubernetesVersion}`);
  body += assertion(`${cluster}.encryption_config[0].provider[0].key_arn == ${key}.arn && ${key}.enable_key_rotation == true`, 'secrets must be envelope-encrypted with a rotating customer key');
  body += assertion(`toset(${cluster}.enabled_cluster_log_types) == toset(["api", "audit", "authenticator", "controllerManager", "scheduler"])`, 'all five control-plane logs must be on');
  const logGroup = addressOf(stack, 'aws_cloudwatch_log_group', (r) => r.name === `/aws/eks/${env.clusterName}/cluster`);
  body += assertion(`${logGroup}.retention_in_days == 90`, 'control-plane logs must be kept 90 days');
  body += assertion(`${cluster}.access_config[0].authentication_mode == "API" && ${cluster}.access_config[0].bootstrap_cluster_creator_admin_permissions == false`,
    'access must go through access entries only, with no implicit creator admin');
  const principals = addressesOf(stack, 'aws_eks_access_entry', (r) => r.type === 'STANDARD').map((a) => `${a}.principal_arn`);
  body += assertion(`toset([${principals.join(', ')}]) == toset(${hcl([ssoAdministratorArn(env), `arn:aws:iam::${env.account}:role/piksel-deploy`, `arn:aws:iam::${env.account}:role/piksel-plan`])})`,
    'the SSO administrators, the deploy role and the plan role must have access entries');
  for (const association of addressesOf(stack, 'aws_eks_access_policy_association')) {
    const policy = `${association}.policy_arn`;
    const view = `${policy} == "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy" && ${association}.principal_arn == "arn:aws:iam::${env.account}:role/piksel-plan"`;
    const admin = `${policy} == "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" && ${association}.principal_arn != "arn:aws:iam::${env.account}:role/piksel-plan"`;
    body += assertion(`(${view} || ${admin}) && ${association}.access_scope[0].type == "cluster"`,
      'the plan role must view only; every other entry is a cluster admin');
  }
  body += assertion(`length([for e in [${addressesOf(stack, 'aws_eks_access_entry').join(', ')}] : e if e.type == "EC2_LINUX"]) == 1`, 'the Karpenter node role must have an EC2_LINUX entry');
  for (const [roleName, subject] of Object.entries(irsaRoles(env))) {
    const role = addressOf(stack, 'aws_iam_role', (r) => r.name === roleName);
    const trust = `jsondecode(${role}.assume_role_policy).Statement[0]`;
    body += assertion(`${trust}.Condition.StringEquals[${hcl(`${OIDC_ISSUER}:sub`)}] == ${hcl(`system:serviceaccount:${subject}`)} && ${trust}.Condition.StringEquals[${hcl(`${OIDC_ISSUER}:aud`)}] == "sts.amazonaws.com"`,
      `${roleName} must be assumable only by ${subject}`);
    body += assertion(`length(keys(${trust}.Condition)) == 1 && ${trust}.Action == "sts:AssumeRoleWithWebIdentity"`, `${roleName} must use exact (StringEquals) web-identity conditions only`);
  }
  const queue = addressOf(stack, 'aws_sqs_queue', () => true);
  body += assertion(`${queue}.sqs_managed_sse_enabled == true && ${queue}.message_retention_seconds == 300`, 'the interruption queue must be encrypted and keep messages 5 minutes');
  for (const rule of addressesOf(stack, 'aws_cloudwatch_event_rule')) {
    body += assertion(`contains(["aws.ec2", "aws.health"], jsondecode(${rule}.event_pattern).source[0])`, 'interruption rules must listen to EC2 and Health events');
  }
  for (const target of addressesOf(stack, 'aws_cloudwatch_event_target')) {
    body += assertion(`${target}.arn == ${queue}.arn`, 'every interruption rule must deliver to the queue');
  }
  return body;
}
