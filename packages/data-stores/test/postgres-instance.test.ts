import { Naming } from '@piksel/core';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { PostgresInstance, PostgresInstanceProps } from '../src';
import { keysDeep, onlyResource, policyOf, resourcesOf, role, synth } from './util';

const DEV: PostgresInstanceProps = {
  environment: 'dev',
  account: '236122835646',
  region: 'ap-southeast-3',
  engineVersion: '16.11',
  instanceClass: 'db.t4g.medium',
  vpcId: 'vpc-0a1b2c3d4e5f60718',
  subnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
  sourceSecurityGroupId: 'sg-0c1u5t3r5ecur1ty',
  masterSecretKeyArn: 'arn:aws:kms:ap-southeast-3:236122835646:key/0b9f7c1e-8a55-4f7e-9d3a-1c2b3d4e5f60',
};

function instanceOf(props: Partial<PostgresInstanceProps> = {}) {
  return synth((stack) => new PostgresInstance(stack, 'Postgres', { ...DEV, ...props }));
}

function build(props: Partial<PostgresInstanceProps>) {
  return () => new PostgresInstance(new TerraformStack(Testing.app(), 'Test'), 'Postgres', { ...DEV, ...props });
}

describe('PostgresInstance', () => {
  test('lets RDS manage the master password in Secrets Manager, encrypted with the given key, and writes no password', () => {
    const out = instanceOf();
    const db = onlyResource(out, 'aws_db_instance');
    expect(db).toMatchObject({
      engine: 'postgres',
      engine_version: '16.11',
      username: 'postgres',
      manage_master_user_password: true,
      master_user_secret_kms_key_id: DEV.masterSecretKeyArn,
    });
    expect(keysDeep(out)).not.toContain('password');
    expect(keysDeep(out)).not.toContain('password_wo');
  });

  test('encrypts gp3 storage and Performance Insights with a rotating key of its own, autoscaling to twice the size', () => {
    const out = instanceOf();
    const db = onlyResource(out, 'aws_db_instance');
    const key = onlyResource(out, 'aws_kms_key');
    expect(key.enable_key_rotation).toBe(true);
    expect(db).toMatchObject({ storage_type: 'gp3', storage_encrypted: true, allocated_storage: 20, max_allocated_storage: 40, performance_insights_enabled: true });
    expect(db.kms_key_id).toMatch(/^\$\{aws_kms_key\.Postgres_StorageKey_[0-9A-F]+\.arn\}$/);
    expect(db.performance_insights_kms_key_id).toBe(db.kms_key_id);
  });

  test('uses a given storage key instead of creating one, and turns autoscaling off when the maximum equals the size', () => {
    const keyArn = 'arn:aws:kms:ap-southeast-3:236122835646:key/11111111-2222-3333-4444-555555555555';
    const out = instanceOf({ storageEncryptionKeyArn: keyArn, allocatedStorage: 50, maxAllocatedStorage: 50 });
    const db = onlyResource(out, 'aws_db_instance');
    expect(resourcesOf(out, 'aws_kms_key')).toEqual({});
    expect(db.kms_key_id).toBe(keyArn);
    expect(db.allocated_storage).toBe(50);
    expect(db.max_allocated_storage).toBeUndefined();
  });

  test('forces TLS and logs slow statements, lock waits, DDL and connections in a parameter group of the engine family', () => {
    const out = instanceOf({ engineVersion: '17.7' });
    const group = onlyResource(out, 'aws_db_parameter_group');
    expect(group.family).toBe('postgres17');
    expect(group.name).toBeUndefined();
    expect(group.name_prefix).toBe('piksel-dev-postgres-postgres17-');
    expect(group.lifecycle).toEqual({ create_before_destroy: true });
    expect(Object.fromEntries(group.parameter.map((p: any) => [p.name, p.value]))).toEqual({
      'rds.force_ssl': '1', 'log_min_duration_statement': '1000', 'log_lock_waits': '1', 'log_statement': 'ddl', 'log_connections': '1',
    });
    expect(onlyResource(out, 'aws_db_instance').parameter_group_name).toMatch(/aws_db_parameter_group\..*\.name/);
  });

  test('accepts extra parameters that override the log settings', () => {
    const out = instanceOf({ parameters: { 'log_min_duration_statement': '250', 'rds.force_ssl': '1' } });
    const parameters = Object.fromEntries(onlyResource(out, 'aws_db_parameter_group').parameter.map((p: any) => [p.name, p.value]));
    expect(parameters).toMatchObject({ 'log_min_duration_statement': '250', 'rds.force_ssl': '1' });
  });

  test('exports the postgresql and upgrade logs to log groups it creates first, with retention', () => {
    const out = instanceOf();
    const db = onlyResource(out, 'aws_db_instance');
    expect(db.enabled_cloudwatch_logs_exports).toEqual(['postgresql', 'upgrade']);
    const groups = Object.values(resourcesOf(out, 'aws_cloudwatch_log_group'));
    expect(groups.map((g: any) => [g.name, g.retention_in_days])).toEqual([
      ['/aws/rds/instance/piksel-dev-postgres/postgresql', 90],
      ['/aws/rds/instance/piksel-dev-postgres/upgrade', 90],
    ]);
    expect(db.depends_on).toHaveLength(2);
  });

  test('places the instance in the given private subnets, never publicly accessible, with IAM authentication', () => {
    const out = instanceOf();
    const db = onlyResource(out, 'aws_db_instance');
    expect(onlyResource(out, 'aws_db_subnet_group')).toMatchObject({ name: 'piksel-dev-postgres', subnet_ids: DEV.subnetIds });
    expect(db).toMatchObject({ publicly_accessible: false, iam_database_authentication_enabled: true });
  });

  test('admits 5432 from the source security group only: no CIDR, no inline rules, no egress', () => {
    const out = instanceOf();
    const group = onlyResource(out, 'aws_security_group');
    expect(group).toMatchObject({ name: 'piksel-dev-postgres', vpc_id: DEV.vpcId });
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
    const rule = onlyResource(out, 'aws_vpc_security_group_ingress_rule');
    expect(rule).toMatchObject({ referenced_security_group_id: DEV.sourceSecurityGroupId, ip_protocol: 'tcp', from_port: 5432, to_port: 5432 });
    expect(rule.cidr_ipv4).toBeUndefined();
    expect(resourcesOf(out, 'aws_vpc_security_group_egress_rule')).toEqual({});
    expect(onlyResource(out, 'aws_db_instance').vpc_security_group_ids).toEqual([expect.stringMatching(/aws_security_group\..*\.id/)]);
  });

  test('keeps 7 days of backups in 03:00-06:00, maintains on Monday night, protects from deletion and takes a final snapshot', () => {
    const db = onlyResource(instanceOf(), 'aws_db_instance');
    expect(db).toMatchObject({
      backup_retention_period: 7,
      backup_window: '03:00-06:00',
      maintenance_window: 'Mon:00:00-Mon:03:00',
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: expect.stringMatching(/^piksel-dev-postgres-final-\$\{formatdate\("YYYYMMDDhhmmss", timestamp\(\)\)\}$/),
      lifecycle: { ignore_changes: ['final_snapshot_identifier'] },
      copy_tags_to_snapshot: true,
      auto_minor_version_upgrade: false,
      allow_major_version_upgrade: false,
      multi_az: false,
    });
  });

  test('takes Multi-AZ, retention, windows and deletion protection from props', () => {
    const db = onlyResource(instanceOf({ multiAz: true, backupRetentionDays: 30, backupWindow: '02:00-02:30', maintenanceWindow: 'sun:20:00-sun:21:00', deletionProtection: false }), 'aws_db_instance');
    expect(db).toMatchObject({ multi_az: true, backup_retention_period: 30, backup_window: '02:00-02:30', maintenance_window: 'sun:20:00-sun:21:00', deletion_protection: false });
  });

  test('derives names from the naming setting, and takes an explicit identifier', () => {
    const out = synth((stack) => {
      Naming.configure(stack, { prefix: 'acme' });
      new PostgresInstance(stack, 'Postgres', DEV);
    });
    expect(onlyResource(out, 'aws_db_instance').identifier).toBe('acme-dev-postgres');
    expect(onlyResource(instanceOf({ identifier: 'geo-db' }), 'aws_db_instance').identifier).toBe('geo-db');
  });

  test('grantConnect allows rds-db:connect as one database user of this instance', () => {
    const out = synth((stack) => {
      const db = new PostgresInstance(stack, 'Postgres', DEV);
      db.grantConnect(role(stack, 'Reader', 'piksel-dev-stac-reader'), 'stacread');
    });
    const policy = onlyResource(out, 'aws_iam_role_policy');
    expect(policy.role).toBe('piksel-dev-stac-reader');
    expect(policyOf(policy).Statement).toEqual([{
      Sid: 'ConnectWithIamToken',
      Effect: 'Allow',
      Action: ['rds-db:connect'],
      Resource: expect.stringMatching(/^arn:aws:rds-db:ap-southeast-3:236122835646:dbuser:\$\{aws_db_instance\.Postgres_[0-9A-F]+\.resource_id\}\/stacread$/),
    }]);
  });

  test('grantReadMasterSecret allows reading the master secret and decrypting it through Secrets Manager only', () => {
    const out = synth((stack) => {
      const db = new PostgresInstance(stack, 'Postgres', DEV);
      const init = role(stack, 'Init', 'piksel-dev-database-init');
      db.grantReadMasterSecret(init);
      db.grantReadMasterSecret(init);
    });
    const statements = policyOf(onlyResource(out, 'aws_iam_role_policy')).Statement;
    expect(statements[0]).toMatchObject({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: expect.stringMatching(/master_user_secret\[0\]\.secret_arn/) });
    expect(statements[1]).toEqual({
      Sid: 'DecryptViaSecretsManager',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: DEV.masterSecretKeyArn,
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.ap-southeast-3.amazonaws.com' } },
    });
  });

  test('records the library version in the stack', () => {
    const stack = new TerraformStack(Testing.app(), 'Test');
    new PostgresInstance(stack, 'Postgres', DEV);
    expect(stack.toTerraform()['//'].piksel.libraries['@piksel/data-stores']).toMatch(/^\d+\.\d+\.\d+/);
  });

  test('fails when the parameter-group family does not match the engine version', () => {
    expect(build({ engineVersion: '17.2', parameterGroupFamily: 'postgres16' })).toThrow(/Test\/Postgres: parameterGroupFamily is "postgres16"; engineVersion 17.2 needs family "postgres17"/);
  });

  test('fails when the engine version is not pinned to a minor version', () => {
    expect(build({ engineVersion: '16' })).toThrow(/engineVersion is "16"; pin a major and minor version/);
  });

  test('fails when storage is below the gp3 minimum or the maximum is below the allocation', () => {
    expect(build({ allocatedStorage: 10 })).toThrow(/allocatedStorage is 10; use a whole number of GiB \(gp3 for PostgreSQL\) from 20 to 65536/);
    expect(build({ allocatedStorage: 70, maxAllocatedStorage: 50 })).toThrow(/maxAllocatedStorage is 50; it is below allocatedStorage \(70 GiB\)/);
  });

  test('fails when backup retention is outside 0-35 days', () => {
    expect(build({ backupRetentionDays: 36 })).toThrow(/backupRetentionDays is 36; use a whole number of days from 0 to 35/);
    expect(build({ backupRetentionDays: -1 })).toThrow(/backupRetentionDays is -1/);
  });

  test('fails when the instance class is not a db. class', () => {
    expect(build({ instanceClass: 'm7g.large' })).toThrow(/instanceClass is "m7g.large"; use an RDS instance class/);
    expect(build({ instanceClass: 'db.m7g' })).toThrow(/instanceClass is "db.m7g"/);
  });

  test('fails when a parameter would turn TLS off', () => {
    expect(build({ parameters: { 'rds.force_ssl': '0' } })).toThrow(/parameters\['rds.force_ssl'\] is "0"; remove it/);
  });

  test('fails when the subnet group would have fewer than two subnets', () => {
    expect(build({ subnetIds: ['subnet-0aaaaaaaaaaaaaaa1'] })).toThrow(/subnetIds is \["subnet-0aaaaaaaaaaaaaaa1"\]; give two or more private subnets/);
  });

  test('fails when a window is malformed or the backup window is shorter than 30 minutes', () => {
    expect(build({ backupWindow: '3:00-6:00' })).toThrow(/backupWindow is "3:00-6:00"; use hh24:mi-hh24:mi/);
    expect(build({ backupWindow: '03:00-03:10' })).toThrow(/backupWindow is "03:00-03:10"/);
    expect(build({ maintenanceWindow: 'Monday:00:00-Monday:03:00' })).toThrow(/maintenanceWindow is "Monday:00:00-Monday:03:00"/);
  });

  test('fails when the identifier, account, region or log retention is not one AWS accepts', () => {
    expect(build({ identifier: 'Piksel_DB' })).toThrow(/identifier is "Piksel_DB"/);
    expect(build({ account: '2361228356' })).toThrow(/account is "2361228356"/);
    expect(build({ region: 'jakarta' })).toThrow(/region is "jakarta"/);
    expect(build({ logRetentionDays: 10 })).toThrow(/logRetentionDays is 10/);
  });

  test('fails when a key is an alias or not a KMS key ARN', () => {
    expect(build({ masterSecretKeyArn: 'alias/piksel-dev-secrets' })).toThrow(/masterSecretKeyArn is "alias\/piksel-dev-secrets"; use a KMS key ARN/);
    expect(build({ storageEncryptionKeyArn: 'arn:aws:kms:ap-southeast-3:236122835646:alias/rds' })).toThrow(/storageEncryptionKeyArn is ".*"; use a KMS key ARN/);
  });

  test('fails when a database user cannot be a PostgreSQL role name', () => {
    expect(() => synth((stack) => {
      new PostgresInstance(stack, 'Postgres', DEV).grantConnect(role(stack, 'Reader', 'reader'), 'Stac-Read');
    })).toThrow(/dbUser is "Stac-Read"/);
  });
});

describe('PostgresInstance checks', () => {
  test('fails when the maintenance window overlaps the backup window', () => {
    expect(build({ maintenanceWindow: 'Tue:04:00-Tue:05:00' }))
      .toThrow(/^Test\/Postgres: maintenanceWindow is "Tue:04:00-Tue:05:00"; it overlaps the default backupWindow 03:00-06:00 on tue; RDS refuses/);
    expect(build({ backupWindow: '01:00-02:00' }))
      .toThrow(/^Test\/Postgres: backupWindow is "01:00-02:00"; it overlaps the default maintenanceWindow Mon:00:00-Mon:03:00 on mon/);
    expect(build({ backupWindow: '01:00-02:00', maintenanceWindow: 'Sun:04:00-Sun:05:00' })).not.toThrow();
  });

  test('fails when a window is shorter than RDS allows', () => {
    expect(build({ maintenanceWindow: 'Mon:00:00-Mon:00:15' })).toThrow(/maintenanceWindow is "Mon:00:00-Mon:00:15"; it is 15 minutes long/);
    expect(build({ backupWindow: '03:00-03:20' })).toThrow(/backupWindow is "03:00-03:20"; it is 20 minutes long/);
  });

  test('fails when the master user name is reserved', () => {
    expect(build({ masterUsername: 'rdsadmin' })).toThrow(/^Test\/Postgres: masterUsername is "rdsadmin"; it is reserved by PostgreSQL or RDS/);
    expect(build({ masterUsername: 'select' })).toThrow(/masterUsername is "select"; it is reserved/);
  });

  test('fails when the engine version is of a major RDS does not offer', () => {
    expect(build({ engineVersion: '99.1' })).toThrow(/^Test\/Postgres: engineVersion is "99.1"; RDS offers PostgreSQL majors 11, .*18/);
    expect(build({ parameterGroupFamily: 'postgres99' })).toThrow(/parameterGroupFamily is "postgres99"; use the family of a PostgreSQL major RDS offers/);
  });

  test('fails when two instances of one account and region share an identifier, in any two stacks', () => {
    const app = Testing.app();
    new PostgresInstance(new TerraformStack(app, 'dev-data'), 'Postgres', DEV);
    expect(() => new PostgresInstance(new TerraformStack(app, 'dev-extra'), 'Postgres', DEV))
      .toThrow(/^dev-extra\/Postgres: the derived identifier is "piksel-dev-postgres"; dev-data\/Postgres has it already; DB instance identifiers are unique/);
    expect(() => new PostgresInstance(new TerraformStack(app, 'other-account'), 'Postgres', { ...DEV, account: '111111111111' })).not.toThrow();
  });

  test('fails when a role of another environment is granted without naming it', () => {
    const app = Testing.app();
    const dev = new TerraformStack(app, 'dev-data');
    new PostgresInstance(dev, 'Postgres', DEV);
    const staging = new PostgresInstance(new TerraformStack(app, 'staging-data'), 'Postgres', { ...DEV, environment: 'staging' });
    const devRole = role(dev, 'InitRole', 'piksel-dev-init');
    expect(() => staging.grantReadMasterSecret(devRole))
      .toThrow(/^staging-data\/Postgres: grantReadMasterSecret grantee is "dev-data\/InitRole"; the grantee is of environment "dev" and staging-data\/Postgres of environment "staging", account 236122835646; .*allowFromEnvironment: "dev"/);
    expect(() => staging.grantConnect(devRole, 'stacread')).toThrow(/grantConnect grantee is "dev-data\/InitRole"/);
    expect(() => staging.grantConnect(devRole, 'stacread', { allowFromEnvironment: 'dev' })).not.toThrow();
  });
});

describe('PostgresInstance parameter-group family', () => {
  test('fails when the engine version is known only at apply time and no family is given', () => {
    const stack = new TerraformStack(Testing.app(), 'Test');
    const version = new TerraformVariable(stack, 'engine_version', { type: 'string' }).stringValue;
    expect(() => new PostgresInstance(stack, 'Postgres', { ...DEV, engineVersion: version }))
      .toThrow(/^Test\/Postgres: parameterGroupFamily is undefined; engineVersion is known only at apply time; give the family \(e\.g\. "postgres16"\)/);
    expect(() => new PostgresInstance(stack, 'Given', { ...DEV, identifier: 'piksel-dev-given', engineVersion: version, parameterGroupFamily: 'postgres16' })).not.toThrow();
  });
});
