import { writeFileSync } from 'fs';
import { join } from 'path';
import { Environment } from '@piksel/estate';
import { OIDC_ISSUER } from './cluster-assertions';
import { addressesOf, addressOf, assertion, hcl, StackJson, testFile } from './hcl';
import { DATA_OUTPUT, ENVIRONMENT_OUTPUT } from '../../src/stacks/data-stack';

/** What the mocked environment state hands the data stack: realistic IDs and ARNs. */
export function environmentState(env: Environment) {
  return {
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    privateSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002', 'subnet-0a1b2c3d4e5f60003'].slice(0, env.zones),
    clusterSecurityGroupId: 'sg-0c1a2b3c4d5e6f708',
    oidcProviderArn: `arn:aws:iam::${env.account}:oidc-provider/${OIDC_ISSUER}`,
    oidcIssuerUrl: `https://${OIDC_ISSUER}`,
    secretsKeyArn: `arn:aws:kms:${env.region}:${env.account}:key/0b9f7c1e-8a55-4f7e-9d3a-1c2b3d4e5f60`,
  };
}

/** A `terraform test` file that mock-applies a data stack and checks what the estate table's data tier (`Environment.data`) promises. */
export function dataTestFile(stack: StackJson, env: Environment): string {
  return testFile(dataMocks(env), dataOverrides(env),
    postgresAssertions(stack, env) + bucketAssertions(stack, env) + roleAssertions(stack, env) + efsAssertions(stack, env));
}

/** The mocked shared file system's ID: the shape EFS gives (`fs-` and 17 hex digits). */
export const MOCK_EFS_ID = 'fs-0123456789abcdef0';

/**
 * `terraform test` destroys what its mocked apply created, which `prevent_destroy` on a protected
 * file system refuses. An override file (merged into the configuration, argument by argument)
 * lifts it for the test only; the synthesized stack keeps it.
 * @see https://developer.hashicorp.com/terraform/language/files/override
 */
export function allowTestDestroy(stackDir: string, stack: StackJson): void {
  const fileSystems = Object.fromEntries(Object.keys(stack.resource.aws_efs_file_system ?? {})
    .map((name) => [name, { lifecycle: { prevent_destroy: false } }]));
  writeFileSync(join(stackDir, 'test_override.tf.json'), JSON.stringify({ resource: { aws_efs_file_system: fileSystems } }, null, 2));
}

function dataMocks(env: Environment): string {
  const identifier = `piksel-${env.name}-postgres`;
  return [
    '  mock_resource "aws_kms_key" {',
    `    defaults = { arn = ${hcl(`arn:aws:kms:${env.region}:${env.account}:key/7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6`)}, key_id = "7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6" }`,
    '  }',
    '  mock_resource "aws_db_instance" {',
    '    defaults = {',
    `      arn               = ${hcl(`arn:aws:rds:${env.region}:${env.account}:db:${identifier}`)}`,
    `      address           = ${hcl(`${identifier}.c9akciq32xyz.${env.region}.rds.amazonaws.com`)}`,
    '      port              = 5432',
    '      resource_id       = "db-ABCDEFGHIJKLMNOPQRSTUVWXY0"',
    `      master_user_secret = [{ secret_arn = ${hcl(`arn:aws:secretsmanager:${env.region}:${env.account}:secret:rds!db-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9-AbC123`)}, kms_key_id = ${hcl(environmentState(env).secretsKeyArn)}, secret_status = "active" }]`,
    '    }',
    '  }',
    '  mock_resource "aws_secretsmanager_secret" {',
    `    defaults = { arn = ${hcl(`arn:aws:secretsmanager:${env.region}:${env.account}:secret:piksel-mock-AbC123`)} }`,
    '  }',
    '  mock_resource "aws_iam_role" {',
    `    defaults = { arn = ${hcl(`arn:aws:iam::${env.account}:role/piksel-mock`)} }`,
    '  }',
    '  mock_resource "aws_security_group" {',
    '    defaults = { id = "sg-0d4t4b45e5ecur17y" }',
    '  }',
    '  mock_resource "aws_cloudwatch_log_group" {',
    `    defaults = { arn = ${hcl(`arn:aws:logs:${env.region}:${env.account}:log-group:/aws/rds/mock`)} }`,
    '  }',
    '  mock_resource "aws_efs_file_system" {',
    `    defaults = { id = ${hcl(MOCK_EFS_ID)}, arn = ${hcl(`arn:aws:elasticfilesystem:${env.region}:${env.account}:file-system/${MOCK_EFS_ID}`)} }`,
    '  }',
  ].join('\n');
}

function dataOverrides(env: Environment): string {
  const state = environmentState(env);
  const outputs: Record<string, unknown> = Object.fromEntries(
    Object.entries(ENVIRONMENT_OUTPUT).map(([key, name]) => [name, (state as Record<string, unknown>)[key]]),
  );
  return [
    'override_data {',
    '  target = data.terraform_remote_state.EnvironmentState',
    `  values = { outputs = { ${Object.entries(outputs).map(([k, v]) => `${k} = ${hcl(v)}`).join(', ')} } }`,
    '}',
  ].join('\n');
}

function postgresAssertions(stack: StackJson, env: Environment): string {
  const spec = env.data.postgres;
  const identifier = `piksel-${env.name}-postgres`;
  const state = environmentState(env);
  const db = addressOf(stack, 'aws_db_instance', () => true);
  const key = addressOf(stack, 'aws_kms_key', (r) => String(r.description).endsWith(` of ${identifier}`));
  const group = addressOf(stack, 'aws_db_parameter_group', () => true);
  const sg = addressOf(stack, 'aws_security_group', (r) => r.name === identifier);
  const ingress = addressesOf(stack, 'aws_vpc_security_group_ingress_rule', (r) => r.security_group_id === `\${${sg}.id}`);
  const subnets = addressOf(stack, 'aws_db_subnet_group', () => true);
  const major = spec.engineVersion.split('.')[0];
  let body = '';
  body += assertion(`${db}.password == null && ${db}.password_wo == null`, 'no password may be set on the instance: RDS manages it');
  body += assertion(`${db}.manage_master_user_password == true && ${db}.master_user_secret_kms_key_id == ${hcl(state.secretsKeyArn)}`,
    'the master password must be managed by RDS in Secrets Manager, encrypted with the environment secrets key');
  body += assertion(`${db}.storage_encrypted == true && ${db}.kms_key_id == ${key}.arn && ${key}.enable_key_rotation == true && ${db}.storage_type == "gp3"`,
    'storage must be gp3, encrypted with a rotating customer-managed key');
  body += assertion(`${db}.performance_insights_enabled == true && ${db}.performance_insights_kms_key_id == ${key}.arn`, 'Performance Insights must be on, encrypted with the key');
  body += assertion(`${db}.engine == "postgres" && ${db}.engine_version == ${hcl(spec.engineVersion)} && ${db}.auto_minor_version_upgrade == false`,
    `the engine must be pinned to PostgreSQL ${spec.engineVersion}`);
  body += assertion(`${group}.family == ${hcl(`postgres${major}`)} && ${db}.parameter_group_name == ${group}.name`, `the parameter group must be of family postgres${major}`);
  body += assertion(`one([for p in ${group}.parameter : p.value if p.name == "rds.force_ssl"]) == "1"`, 'TLS must be forced (rds.force_ssl = 1)');
  body += assertion(`toset(${db}.enabled_cloudwatch_logs_exports) == toset(["postgresql", "upgrade"])`, 'the postgresql and upgrade logs must be exported');
  body += assertion(`${db}.iam_database_authentication_enabled == true && ${db}.publicly_accessible == false`, 'IAM authentication on, never publicly accessible');
  body += assertion(`toset(${subnets}.subnet_ids) == toset(${hcl(state.privateSubnetIds)}) && ${db}.db_subnet_group_name == ${subnets}.name`,
    'the instance must sit in the private subnets only');
  body += assertion(`length(${hcl(ingress)}) == 1 && length(${sg}.ingress) == 0 && length(${sg}.egress) == 0 && toset(${db}.vpc_security_group_ids) == toset([${sg}.id])`,
    'the instance security group must have one ingress rule and no other rules');
  body += assertion(`${ingress[0]}.security_group_id == ${sg}.id && ${ingress[0]}.referenced_security_group_id == ${hcl(state.clusterSecurityGroupId)} && ${ingress[0]}.cidr_ipv4 == null`,
    'the only ingress source must be the cluster security group, never a CIDR');
  body += assertion(`${ingress[0]}.ip_protocol == "tcp" && ${ingress[0]}.from_port == 5432 && ${ingress[0]}.to_port == 5432`, 'the only port open must be 5432');
  body += assertion(`${db}.allocated_storage == ${spec.allocatedStorage} && ${db}.max_allocated_storage == ${spec.maxAllocatedStorage}`,
    `storage must be ${spec.allocatedStorage} GiB growing to ${spec.maxAllocatedStorage} GiB`);
  body += assertion(`${db}.instance_class == ${hcl(spec.instanceClass)} && ${db}.multi_az == ${spec.multiAz}`, `the instance must be ${spec.instanceClass}, Multi-AZ ${spec.multiAz}`);
  body += assertion(`${db}.backup_retention_period == ${spec.backupRetentionDays} && ${db}.backup_window == "03:00-06:00" && lower(${db}.maintenance_window) == "mon:00:00-mon:03:00"`,
    `backups must be kept ${spec.backupRetentionDays} days in 03:00-06:00, maintenance on Monday 00:00-03:00`);
  body += assertion(`${db}.skip_final_snapshot == false && startswith(${db}.final_snapshot_identifier, ${hcl(`piksel-${env.name}-postgres-final-`)}) && ${db}.copy_tags_to_snapshot == true`,
    'a final snapshot must be taken on deletion');
  if (env.name !== 'dev') {
    body += assertion(`${db}.deletion_protection == true`, `${env.name} must protect its database from deletion`);
  }
  return body;
}

function bucketAssertions(stack: StackJson, env: Environment): string {
  let body = '';
  for (const spec of env.data.buckets) {
    const name = `piksel-${env.name}-${spec.purpose}`;
    const bucket = addressOf(stack, 'aws_s3_bucket', (r) => r.bucket === name);
    const of = (type: string) => addressOf(stack, type, (r) => r.bucket === `\${${bucket}.id}`);
    const block = of('aws_s3_bucket_public_access_block');
    const policy = `jsondecode(${of('aws_s3_bucket_policy')}.policy).Statement`;
    const open = spec.openData === true;
    body += assertion(`${block}.block_public_acls == true && ${block}.ignore_public_acls == true`, `${name} must block and ignore public ACLs`);
    body += assertion(`${block}.block_public_policy == ${!open} && ${block}.restrict_public_buckets == ${!open}`,
      open ? `${name} is the open-data bucket: only its policy settings are relaxed` : `${name} must block public policies`);
    body += assertion(`one(${of('aws_s3_bucket_server_side_encryption_configuration')}.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256"`,
      `${name} must be encrypted by default`);
    body += assertion(`${of('aws_s3_bucket_ownership_controls')}.rule[0].object_ownership == "BucketOwnerEnforced"`, `${name} must have ACLs disabled`);
    body += assertion(`${policy}[0].Effect == "Deny" && ${policy}[0].Principal == "*" && ${policy}[0].Condition.Bool["aws:SecureTransport"] == "false"`
      + ` && ${policy}[0].Resource == [${bucket}.arn, "\${${bucket}.arn}/*"]`, `${name} must deny every request without TLS`);
    if (open) {
      body += assertion(`length(${policy}) == 3 && ${policy}[2].Effect == "Allow" && ${policy}[2].Principal == "*" && ${policy}[2].Action == ["s3:GetObject"] && ${policy}[2].Resource == "\${${bucket}.arn}/*"`,
        `${name} must allow anyone to get objects, explicitly`);
      body += assertion(`${policy}[1].Effect == "Allow" && ${policy}[1].Principal == "*" && ${policy}[1].Action == ["s3:ListBucket"] && ${policy}[1].Resource == ${bucket}.arn`,
        `${name} must allow anyone to list it, explicitly`);
    } else {
      body += assertion(`length(${policy}) == 1`, `${name} must allow nothing in its bucket policy`);
    }
  }
  return body;
}

function roleAssertions(stack: StackJson, env: Environment): string {
  const accounts = new Set([
    ...env.data.buckets.flatMap((b) => Object.keys(b.access)),
    ...env.data.externalBucketReaders,
    env.data.databaseInitServiceAccount,
  ]);
  let body = '';
  for (const serviceAccount of accounts) {
    const [namespace, name] = serviceAccount.split('/');
    const role = addressOf(stack, 'aws_iam_role', (r) => r.name === `${env.clusterName}-${namespace}-${name}`);
    const trust = `jsondecode(${role}.assume_role_policy).Statement[0]`;
    body += assertion(`${trust}.Condition.StringEquals[${hcl(`${OIDC_ISSUER}:sub`)}] == ${hcl(`system:serviceaccount:${namespace}:${name}`)} && ${trust}.Principal.Federated == ${hcl(environmentState(env).oidcProviderArn)}`,
      `the role of ${serviceAccount} must be assumable by that service account only`);
  }
  return body;
}

function efsAssertions(stack: StackJson, env: Environment): string {
  const state = environmentState(env);
  const name = `piksel-${env.name}-shared`;
  const fs = addressOf(stack, 'aws_efs_file_system', (r) => r.creation_token === name);
  const ref = `\${${fs}.id}`;
  const key = addressOf(stack, 'aws_kms_key', (r) => r.description === `Encryption at rest of the EFS file system ${name}`);
  const sg = addressOf(stack, 'aws_security_group', (r) => r.name === name);
  const ingress = addressesOf(stack, 'aws_vpc_security_group_ingress_rule', (r) => r.security_group_id === `\${${sg}.id}`);
  const targets = addressesOf(stack, 'aws_efs_mount_target', (r) => r.file_system_id === ref);
  const backup = addressOf(stack, 'aws_efs_backup_policy', (r) => r.file_system_id === ref);
  const policy = `jsondecode(${addressOf(stack, 'aws_efs_file_system_policy', (r) => r.file_system_id === ref)}.policy).Statement`;
  const spec = env.data.efs;
  const ia = spec.transitionToIaDays === 1 ? 'AFTER_1_DAY' : `AFTER_${spec.transitionToIaDays}_DAYS`;
  let body = '';
  body += assertion(`${fs}.encrypted == true && ${fs}.kms_key_id == ${key}.arn && ${key}.enable_key_rotation == true`,
    `${name} must be encrypted at rest with a rotating customer-managed key`);
  body += assertion(`length(${hcl(targets)}) == ${env.zones} && toset([${targets.map((t) => `${t}.subnet_id`).join(', ')}]) == toset(${hcl(state.privateSubnetIds)})`,
    `${name} must have one mount target in each private subnet`);
  body += assertion(targets.map((t) => `${t}.security_groups == toset([${sg}.id])`).join(' && '), `the mount targets of ${name} must sit behind its security group only`);
  body += assertion(`length(${hcl(ingress)}) == 1 && length(${sg}.ingress) == 0 && length(${sg}.egress) == 0`
    + ` && ${ingress[0]}.referenced_security_group_id == ${hcl(state.clusterSecurityGroupId)} && ${ingress[0]}.cidr_ipv4 == null`
    + ` && ${ingress[0]}.ip_protocol == "tcp" && ${ingress[0]}.from_port == 2049 && ${ingress[0]}.to_port == 2049`,
  `${name} must admit NFS (2049) from the cluster security group only`);
  body += assertion(`${backup}.backup_policy[0].status == "ENABLED"`, `${name} must be backed up`);
  body += assertion(`one([for p in ${fs}.lifecycle_policy : p.transition_to_ia if p.transition_to_ia != null]) == ${hcl(ia)}`
    + ` && one([for p in ${fs}.lifecycle_policy : p.transition_to_primary_storage_class if p.transition_to_primary_storage_class != null]) == "AFTER_1_ACCESS"`,
  `${name} must move files to Infrequent Access after ${spec.transitionToIaDays} days, and back on access`);
  body += assertion(`length(${policy}) == 1 && ${policy}[0].Effect == "Deny" && ${policy}[0].Condition.Bool["aws:SecureTransport"] == "false"`
    + ` && ${policy}[0].Resource == ${fs}.arn`, `${name} must deny access without TLS and allow nothing (no anonymous access)`);
  body += assertion(`output.${DATA_OUTPUT.efsFileSystemId} == ${hcl(MOCK_EFS_ID)}`, `the ${DATA_OUTPUT.efsFileSystemId} output must be the file system's ID`);
  return body;
}
