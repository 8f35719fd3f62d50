import { Environment } from '@piksel/estate';
import { addressesOf, addressOf, assertion, hcl, StackJson } from './hcl';
import { dependsOn } from './network-assertions';

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

/**
 * A plan in an account where the AdministratorAccess permission set is not provisioned: the
 * lookup finds no role, and its postcondition stops the plan (issue 12). With `expectFailure`, the
 * run passes when exactly that check fails; without, the run fails and prints the message.
 */
export function ssoAdministratorMissingRun(expectFailure: boolean): string {
  return [
    `run "sso_administrator_missing${expectFailure ? '' : '_message'}" {`,
    '  command = plan',
    '  override_data {',
    '    target = data.aws_iam_roles.SsoAdministratorRole',
    '    values = { arns = [] }',
    '  }',
    ...(expectFailure ? ['  expect_failures = [data.aws_iam_roles.SsoAdministratorRole]'] : []),
    '}',
    '',
  ].join('\n');
}

/** The IRSA roles of the GitOps contract (app README "GitOps contract"), by role name → `namespace:service account`. */
export function irsaRoles(env: Environment): Record<string, string> {
  return {
    [`${env.clusterName}-kube-system-aws-node`]: 'kube-system:aws-node',
    [`${env.clusterName}-ebs-csi`]: 'kube-system:ebs-csi-controller-sa',
    [`${env.clusterName}-karpenter`]: 'karpenter:karpenter',
    [`piksel-${env.name}-external-dns`]: 'external-dns:external-dns-sa',
    ...(env.workloadIdentity === 'irsa' ? workloadRoles(env) : {}),
  };
}

/** The roles of the add-ons on EC2 nodes, of the environment's kind of workload identity. */
export function workloadRoles(env: Environment): Record<string, string> {
  return {
    [`${env.clusterName}-external-secrets`]: 'external-secrets:external-secrets',
    [`${env.clusterName}-efs-csi-controller`]: 'aws-efs-csi-driver:efs-csi-controller-sa',
    [`${env.clusterName}-efs-csi-node`]: 'aws-efs-csi-driver:efs-csi-node-sa',
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
    // The plan role views the cluster (Helm's records are ConfigMaps), and reads no Secret;
    // every other entry is a cluster admin.
    const plan = `${association}.principal_arn == "arn:aws:iam::${env.account}:role/piksel-plan"`;
    const view = `${plan} && ${policy} == "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy" && ${association}.access_scope[0].type == "cluster"`;
    const admin = `!(${plan}) && ${policy} == "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy" && ${association}.access_scope[0].type == "cluster"`;
    body += assertion(`(${view}) || (${admin})`, 'the plan role must only view the cluster; every other entry is a cluster admin');
  }
  body += assertion(`length([for e in [${addressesOf(stack, 'aws_eks_access_entry').join(', ')}] : e if e.type == "EC2_LINUX"]) == 1`, 'the Karpenter node role must have an EC2_LINUX entry');
  for (const [roleName, subject] of Object.entries(irsaRoles(env))) {
    const role = addressOf(stack, 'aws_iam_role', (r) => r.name === roleName);
    const trust = `jsondecode(${role}.assume_role_policy).Statement[0]`;
    body += assertion(`${trust}.Condition.StringEquals[${hcl(`${OIDC_ISSUER}:sub`)}] == ${hcl(`system:serviceaccount:${subject}`)} && ${trust}.Condition.StringEquals[${hcl(`${OIDC_ISSUER}:aud`)}] == "sts.amazonaws.com"`,
      `${roleName} must be assumable only by ${subject}`);
    body += assertion(`length(keys(${trust}.Condition)) == 1 && ${trust}.Action == "sts:AssumeRoleWithWebIdentity"`, `${roleName} must use exact (StringEquals) web-identity conditions only`);
  }
  if (env.workloadIdentity === 'pod-identity') {
    for (const [roleName, subject] of Object.entries(workloadRoles(env))) {
      const [namespace, serviceAccount] = subject.split(':');
      const role = addressOf(stack, 'aws_iam_role', (r) => r.name === roleName);
      const trust = `jsondecode(${role}.assume_role_policy).Statement[0]`;
      body += assertion(`${trust}.Principal.Service == "pods.eks.amazonaws.com" && ${trust}.Condition.StringEquals["aws:RequestTag/kubernetes-namespace"] == ${hcl(namespace)} && ${trust}.Condition.StringEquals["aws:RequestTag/kubernetes-service-account"] == ${hcl(serviceAccount)} && ${trust}.Condition.StringEquals["aws:SourceAccount"] == ${hcl(env.account)}`,
        `${roleName} must be assumable by EKS Pod Identity for ${subject} in this account only`);
      const association = addressOf(stack, 'aws_eks_pod_identity_association', (r) => r.namespace === namespace && r.service_account === serviceAccount);
      body += assertion(`${association}.role_arn == ${role}.arn && ${association}.cluster_name == ${hcl(env.clusterName)}`, `${subject} must be associated with ${roleName}`);
    }
  }
  body += applyOrderAssertions(stack, env, cluster);
  body += runnerAssertions(stack, env);
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

/**
 * The cluster and its Fargate profiles wait for their roles' policies (the hashicorp/aws
 * `aws_eks_cluster` example): created earlier, EKS lacks the permissions; destroyed later, EKS
 * cannot clean up. The edge is read from the synthesized stack (configuration, not state), its
 * ends from the applied values.
 */
function applyOrderAssertions(stack: StackJson, env: Environment, cluster: string): string {
  const roleNamed = (name: string) => addressOf(stack, 'aws_iam_role', (r) => r.name === name);
  const attachmentOf = (role: string, policyArn: string) =>
    addressOf(stack, 'aws_iam_role_policy_attachment', (r) => r.policy_arn === policyArn && r.role.includes(role.split('.')[1]));
  const clusterRole = roleNamed(`${env.clusterName}-cluster`);
  const clusterPolicy = attachmentOf(clusterRole, 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy');
  const encryption = addressOf(stack, 'aws_iam_role_policy', (r) => r.name === 'secrets-envelope-encryption');
  let body = '';
  body += assertion(`${hcl(dependsOn(stack, cluster, clusterPolicy) && dependsOn(stack, cluster, encryption))} && ${clusterPolicy}.role == ${clusterRole}.name && ${encryption}.role == ${clusterRole}.name && ${cluster}.role_arn == ${clusterRole}.arn`,
    'the cluster must depend on its role\'s policies (AmazonEKSClusterPolicy, secrets encryption)');
  const podRole = roleNamed(`${env.clusterName}-fargate-pods`);
  const podPolicy = attachmentOf(podRole, 'arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy');
  for (const profile of addressesOf(stack, 'aws_eks_fargate_profile')) {
    body += assertion(`${hcl(dependsOn(stack, profile, podPolicy))} && ${podPolicy}.role == ${podRole}.name && ${profile}.pod_execution_role_arn == ${podRole}.arn`,
      `${profile} must depend on the pod execution role's policy`);
  }
  return body;
}

/**
 * The path to the private API: exactly one rule admits HTTPS into the cluster security group, and
 * its source is the in-VPC runner's security group, never a CIDR (issue 12).
 */
function runnerAssertions(stack: StackJson, env: Environment): string {
  const cluster = addressOf(stack, 'aws_eks_cluster', () => true);
  const runnerGroup = addressOf(stack, 'aws_security_group', (r) => r.name === `piksel-${env.name}-deploy-runner`);
  const project = addressOf(stack, 'aws_codebuild_project', () => true);
  const apiRules = addressesOf(stack, 'aws_vpc_security_group_ingress_rule', (r) => r.from_port === 443);
  let body = '';
  body += assertion(`length([${apiRules.join(', ')}]) == 1`, 'exactly one rule must admit HTTPS to the cluster API');
  for (const rule of apiRules) {
    body += assertion(`${rule}.security_group_id == ${cluster}.vpc_config[0].cluster_security_group_id && ${rule}.referenced_security_group_id == ${runnerGroup}.id && ${rule}.cidr_ipv4 == null && ${rule}.to_port == 443`,
      'the 443 rule into the cluster security group must come from the runner\'s security group, never a CIDR');
  }
  const runnerIngress = addressesOf(stack, 'aws_vpc_security_group_ingress_rule').map((rule) => `${rule}.security_group_id`);
  body += assertion(`!contains([${runnerIngress.join(', ')}], ${runnerGroup}.id)`, 'the runner\'s security group must admit nothing');
  body += assertion(`${project}.vpc_config[0].security_group_ids == toset([${runnerGroup}.id]) && ${project}.name == ${hcl(`piksel-${env.name}-deploy-runner`)}`,
    'the runner must be the CodeBuild project in the VPC with its own security group');
  const webhook = addressOf(stack, 'aws_codebuild_webhook', () => true);
  body += assertion(`${webhook}.project_name == ${project}.name && one(one(${webhook}.filter_group).filter).pattern == "WORKFLOW_JOB_QUEUED"`,
    'the runner\'s webhook must start a build per queued workflow job');
  return body;
}
