import { TerraformStack, Testing } from 'cdktf';
import { DataBucket, EfsFileSystem, EfsFileSystemProps, EfsPerformanceMode, EfsThroughputMode } from '../src';
import { onlyResource, policyOf, resourcesOf, role, synth } from './util';

const DEV: EfsFileSystemProps = {
  name: 'piksel-dev-shared',
  account: '236122835646',
  region: 'ap-southeast-3',
  vpcId: 'vpc-0a1b2c3d4e5f60718',
  subnetIds: { 'ap-southeast-3a': 'subnet-0aaaaaaaaaaaaaaa1', 'ap-southeast-3b': 'subnet-0bbbbbbbbbbbbbbb2' },
  clientSecurityGroupIds: { cluster: 'sg-0c1a2b3c4d5e6f708' },
};
const KEY_ARN = 'arn:aws:kms:ap-southeast-3:236122835646:key/11111111-2222-3333-4444-555555555555';

function fileSystemOf(props: Partial<EfsFileSystemProps> = {}) {
  return synth((stack) => new EfsFileSystem(stack, 'Efs', { ...DEV, ...props }));
}

function build(props: Partial<EfsFileSystemProps> & Record<string, unknown>) {
  return () => new EfsFileSystem(new TerraformStack(Testing.app(), 'Test'), 'Efs', { ...DEV, ...props });
}

describe('EfsFileSystem', () => {
  test('encrypts at rest with a rotating key of its own, named by its creation token', () => {
    const out = fileSystemOf();
    const fs = onlyResource(out, 'aws_efs_file_system');
    expect(onlyResource(out, 'aws_kms_key').enable_key_rotation).toBe(true);
    expect(fs).toMatchObject({
      creation_token: 'piksel-dev-shared',
      encrypted: true,
      kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.Efs_EncryptionKey_[0-9A-F]+\.arn\}$/),
      performance_mode: 'generalPurpose',
      throughput_mode: 'elastic',
      tags: { Name: 'piksel-dev-shared' },
    });
    expect(fs.provisioned_throughput_in_mibps).toBeUndefined();
  });

  test('uses a given customer-managed key instead of creating one', () => {
    const out = fileSystemOf({ encryptionKeyArn: KEY_ARN });
    expect(resourcesOf(out, 'aws_kms_key')).toEqual({});
    expect(onlyResource(out, 'aws_efs_file_system')).toMatchObject({ encrypted: true, kms_key_id: KEY_ARN });
  });

  test('puts one mount target in each subnet, keyed by zone, behind its own security group', () => {
    const out = fileSystemOf();
    const targets = resourcesOf(out, 'aws_efs_mount_target');
    expect(Object.keys(targets)).toEqual([
      expect.stringMatching(/^Efs_MountTargetApSoutheast3a_[0-9A-F]+$/),
      expect.stringMatching(/^Efs_MountTargetApSoutheast3b_[0-9A-F]+$/),
    ]);
    expect(Object.values(targets).map((t: any) => t.subnet_id)).toEqual(['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2']);
    for (const target of Object.values(targets)) {
      expect(target.file_system_id).toMatch(/^\$\{aws_efs_file_system\.Efs_[0-9A-F]+\.id\}$/);
      expect(target.security_groups).toEqual([expect.stringMatching(/^\$\{aws_security_group\.Efs_SecurityGroup_[0-9A-F]+\.id\}$/)]);
    }
  });

  test('keeps a zone\'s mount target when another zone is added', () => {
    const two = Object.keys(resourcesOf(fileSystemOf(), 'aws_efs_mount_target'));
    const three = Object.keys(resourcesOf(fileSystemOf({ subnetIds: { 'ap-southeast-3c': 'subnet-0ccccccccccccccc3', ...DEV.subnetIds } }), 'aws_efs_mount_target'));
    expect(three).toEqual(expect.arrayContaining(two));
    expect(three).toHaveLength(3);
  });

  test('admits NFS 2049 from the client security groups only: no CIDR, no inline rules, no egress', () => {
    const out = fileSystemOf({ clientSecurityGroupIds: { 'cluster': 'sg-0c1a2b3c4d5e6f708', 'build-runner': 'sg-0f1e2d3c4b5a69788' } });
    const group = onlyResource(out, 'aws_security_group');
    expect(group).toMatchObject({ name: 'piksel-dev-shared', vpc_id: DEV.vpcId, revoke_rules_on_delete: true });
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
    const rules = Object.values(resourcesOf(out, 'aws_vpc_security_group_ingress_rule'));
    expect(rules.map((rule: any) => rule.referenced_security_group_id).sort()).toEqual(['sg-0c1a2b3c4d5e6f708', 'sg-0f1e2d3c4b5a69788']);
    for (const rule of rules) {
      expect(rule).toMatchObject({ ip_protocol: 'tcp', from_port: 2049, to_port: 2049 });
      expect(rule.cidr_ipv4).toBeUndefined();
    }
    expect(resourcesOf(out, 'aws_vpc_security_group_egress_rule')).toEqual({});
  });

  test('backs up daily by default, and turns automatic backups off when told', () => {
    expect(onlyResource(fileSystemOf(), 'aws_efs_backup_policy').backup_policy).toEqual({ status: 'ENABLED' });
    expect(onlyResource(fileSystemOf({ automaticBackups: false }), 'aws_efs_backup_policy').backup_policy).toEqual({ status: 'DISABLED' });
  });

  test('moves files to Infrequent Access after 30 days and back on first access, one transition per policy', () => {
    expect(onlyResource(fileSystemOf(), 'aws_efs_file_system').lifecycle_policy).toEqual([
      { transition_to_ia: 'AFTER_30_DAYS' },
      { transition_to_primary_storage_class: 'AFTER_1_ACCESS' },
    ]);
    expect(onlyResource(fileSystemOf({ transitionToIaDays: 1, transitionToPrimaryOnAccess: false }), 'aws_efs_file_system').lifecycle_policy)
      .toEqual([{ transition_to_ia: 'AFTER_1_DAY' }]);
  });

  test('denies every request without TLS and allows nothing, so anonymous clients are refused', () => {
    const policy = onlyResource(fileSystemOf(), 'aws_efs_file_system_policy');
    expect(policy.file_system_id).toMatch(/aws_efs_file_system\.Efs_[0-9A-F]+\.id/);
    expect(policy.bypass_policy_lockout_safety_check).toBeUndefined();
    const statements = policyOf(policy).Statement;
    expect(statements).toEqual([{
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['*'],
      Resource: expect.stringMatching(/^\$\{aws_efs_file_system\.Efs_[0-9A-F]+\.arn\}$/),
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }]);
    expect(statements.filter((statement) => statement.Effect === 'Allow')).toEqual([]);
  });

  test('refuses to be destroyed by Terraform unless deletion protection is off', () => {
    expect(onlyResource(fileSystemOf(), 'aws_efs_file_system').lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(fileSystemOf({ deletionProtection: false }), 'aws_efs_file_system').lifecycle).toEqual({ prevent_destroy: false });
  });

  test('takes provisioned throughput and Max I/O from props', () => {
    const fs = onlyResource(fileSystemOf({
      performanceMode: EfsPerformanceMode.MAX_IO, throughputMode: EfsThroughputMode.PROVISIONED, provisionedThroughputMibps: 128,
    }), 'aws_efs_file_system');
    expect(fs).toMatchObject({ performance_mode: 'maxIO', throughput_mode: 'provisioned', provisioned_throughput_in_mibps: 128 });
  });

  test('tags every resource with the given tags, the file system and security group also with their Name', () => {
    const out = fileSystemOf({ tags: { Team: 'data' } });
    expect(onlyResource(out, 'aws_efs_file_system').tags).toEqual({ Team: 'data', Name: 'piksel-dev-shared' });
    expect(onlyResource(out, 'aws_security_group').tags).toEqual({ Team: 'data', Name: 'piksel-dev-shared' });
    expect(onlyResource(out, 'aws_kms_key').tags).toEqual({ Team: 'data' });
    expect(onlyResource(out, 'aws_vpc_security_group_ingress_rule').tags).toEqual({ Team: 'data' });
  });

  test('grants mount, write and root access through a mount target, one inline policy per grant and grantee', () => {
    const out = synth((stack) => {
      const fs = new EfsFileSystem(stack, 'Efs', DEV);
      const node = role(stack, 'Node', 'piksel-dev-efs-csi-node');
      fs.grantRootAccess(node);
      fs.grantRootAccess(node);
      fs.grantReadWrite(role(stack, 'Hub', 'piksel-dev-jupyterhub'));
      fs.grantRead(role(stack, 'Reader', 'piksel-dev-reader'));
    });
    const policies = Object.fromEntries((Object.values(resourcesOf(out, 'aws_iam_role_policy')) as any[])
      .map((policy) => [policy.role, policyOf(policy).Statement]));
    const actions = Object.fromEntries(Object.entries(policies).map(([name, statements]) => [name, statements.map((statement) => statement.Action)]));
    expect(actions).toEqual({
      'piksel-dev-efs-csi-node': [['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess']],
      'piksel-dev-jupyterhub': [['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite']],
      'piksel-dev-reader': [['elasticfilesystem:ClientMount']],
    });
    expect(policies['piksel-dev-efs-csi-node'][0]).toMatchObject({
      Effect: 'Allow',
      Resource: expect.stringMatching(/^\$\{aws_efs_file_system\.Efs_[0-9A-F]+\.arn\}$/),
      Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
    });
  });

  test('references a file system made elsewhere, and grants on it', () => {
    const arn = 'arn:aws:elasticfilesystem:ap-southeast-3:522783511350:file-system/fs-0123456789abcdef0';
    const out = synth((stack) => {
      const fs = EfsFileSystem.fromEfsFileSystemAttributes(stack, 'Shared', { fileSystemId: 'fs-0123456789abcdef0', fileSystemArn: arn, securityGroupId: 'sg-0e1f2a3b4c5d6e7f8' });
      expect(fs.fileSystemId).toBe('fs-0123456789abcdef0');
      fs.grantReadWrite(role(stack, 'Node', 'piksel-production-efs-csi-node'));
    });
    expect(resourcesOf(out, 'aws_efs_file_system')).toEqual({});
    expect(policyOf(onlyResource(out, 'aws_iam_role_policy')).Statement[0].Resource).toBe(arn);
  });

  test('claims its name per account and region: the same name elsewhere is fine', () => {
    const app = Testing.app();
    new EfsFileSystem(new TerraformStack(app, 'dev-data'), 'Efs', DEV);
    expect(() => new EfsFileSystem(new TerraformStack(app, 'other-account'), 'Efs', { ...DEV, account: '326641642924' })).not.toThrow();
  });

  test('records the library version in the stack', () => {
    const stack = new TerraformStack(Testing.app(), 'Test');
    new EfsFileSystem(stack, 'Efs', DEV);
    expect(stack.toTerraform()['//'].piksel.libraries['@piksel/data-stores']).toMatch(/^\d+\.\d+\.\d+/);
  });

  test('fails when a caller without types turns encryption off', () => {
    expect(build({ encrypted: false })).toThrow(/Test\/Efs: encrypted is false; remove it: an EFS file system is always encrypted at rest/);
  });

  test('fails when the Infrequent Access transition is not a number of days EFS accepts', () => {
    expect(build({ transitionToIaDays: 45 })).toThrow(/Test\/Efs: transitionToIaDays is 45; use one of the values EFS accepts: 1, 7, 14, 30, 60, 90, 180, 270, 365/);
    expect(build({ transitionToIaDays: 0 })).toThrow(/transitionToIaDays is 0/);
  });

  test('fails when there is no subnet, or a subnet is keyed by something other than a zone of the region', () => {
    expect(build({ subnetIds: {} })).toThrow(/Test\/Efs: subnetIds is \{\}; give one private subnet per zone/);
    expect(build({ subnetIds: { 'eu-west-1a': 'subnet-0aaaaaaaaaaaaaaa1' } })).toThrow(/subnetIds key is "eu-west-1a"; use a zone of ap-southeast-3/);
    expect(build({ subnetIds: { 0: 'subnet-0aaaaaaaaaaaaaaa1' } })).toThrow(/subnetIds key is "0"/);
  });

  test('fails when no client security group is named, or a key cannot name a rule', () => {
    expect(build({ clientSecurityGroupIds: {} })).toThrow(/clientSecurityGroupIds is \{\}; name one or more client security groups/);
    expect(build({ clientSecurityGroupIds: { Cluster_SG: 'sg-0c1a2b3c4d5e6f708' } })).toThrow(/clientSecurityGroupIds key is "Cluster_SG"; use lower-case kebab-case/);
  });

  test('fails when the same name is claimed twice in one account and region, in two stacks of one app', () => {
    const app = Testing.app();
    new EfsFileSystem(new TerraformStack(app, 'dev-data'), 'Efs', DEV);
    expect(() => new EfsFileSystem(new TerraformStack(app, 'dev-extra'), 'Efs', DEV))
      .toThrow(/^dev-extra\/Efs: name is "piksel-dev-shared"; dev-data\/Efs has it already; give each EFS file system of an account and region its own name/);
  });

  test('fails when Max I/O is asked for with Elastic throughput', () => {
    expect(build({ performanceMode: EfsPerformanceMode.MAX_IO })).toThrow(/performanceMode is "maxIO"; Elastic throughput needs General Purpose/);
  });

  test('fails when provisioned throughput is missing, misplaced or not a whole positive number', () => {
    expect(build({ throughputMode: EfsThroughputMode.PROVISIONED })).toThrow(/provisionedThroughputMibps is undefined; give the throughput in MiB\/s/);
    expect(build({ provisionedThroughputMibps: 64 })).toThrow(/provisionedThroughputMibps is 64; remove it, or use EfsThroughputMode.PROVISIONED: the throughput mode is elastic/);
    expect(build({ throughputMode: EfsThroughputMode.PROVISIONED, provisionedThroughputMibps: 0 })).toThrow(/provisionedThroughputMibps is 0; use a whole number of MiB\/s, 1 or more/);
  });

  test('fails when the name, account, region, key or tags are not ones AWS accepts', () => {
    expect(build({ name: 'Piksel_Shared' })).toThrow(/Test\/Efs: name is "Piksel_Shared"; use lower-case kebab-case of at most 64 characters/);
    expect(build({ name: `piksel-${'x'.repeat(60)}` })).toThrow(/name is "piksel-x+"/);
    expect(build({ account: '2361228356' })).toThrow(/account is "2361228356"/);
    expect(build({ region: 'jakarta' })).toThrow(/region is "jakarta"/);
    expect(build({ encryptionKeyArn: 'alias/aws/elasticfilesystem' })).toThrow(/encryptionKeyArn is "alias\/aws\/elasticfilesystem"; use a KMS key ARN/);
    expect(build({ tags: { 'aws:owner': 'x' } })).toThrow(/tags key is "aws:owner"/);
  });

  test('fails when imported attributes are not an EFS file system\'s, or name two', () => {
    const stack = () => new TerraformStack(Testing.app(), 'Test');
    const arn = 'arn:aws:elasticfilesystem:ap-southeast-3:522783511350:file-system/fs-0123456789abcdef0';
    expect(() => EfsFileSystem.fromEfsFileSystemAttributes(stack(), 'Shared', { fileSystemId: 'piksel-shared', fileSystemArn: arn, securityGroupId: 'sg-0e1f2a3b4c5d6e7f8' }))
      .toThrow(/Test\/Shared: fileSystemId is "piksel-shared"; use an EFS file system ID/);
    expect(() => EfsFileSystem.fromEfsFileSystemAttributes(stack(), 'Shared', { fileSystemId: 'fs-0123456789abcdef1', fileSystemArn: arn, securityGroupId: 'sg-0e1f2a3b4c5d6e7f8' }))
      .toThrow(/fileSystemArn is ".*"; name the same file system as fileSystemId \(fs-0123456789abcdef1\)/);
  });
});

describe('EfsFileSystem grants across environments', () => {
  test('fails when a role of a stack that serves another environment is granted without naming it', () => {
    const app = Testing.app();
    const dev = new TerraformStack(app, 'dev-data');
    new DataBucket(dev, 'ScratchBucket', { environment: 'dev', purpose: 'scratch' });
    const staging = new TerraformStack(app, 'staging-data');
    new DataBucket(staging, 'ScratchBucket', { environment: 'staging', purpose: 'scratch' });
    const efs = new EfsFileSystem(staging, 'Shared', DEV);
    const devRole = role(dev, 'EfsCsiNode', 'piksel-dev-efs-csi-node');
    expect(() => efs.grantReadWrite(devRole))
      .toThrow(/^staging-data\/Shared: grantReadWrite grantee is "dev-data\/EfsCsiNode"; the grantee is of environment "dev" and staging-data\/Shared of environment "staging"/);
    expect(() => efs.grantRootAccess(devRole, { allowFromEnvironment: 'dev' })).not.toThrow();
  });
});
