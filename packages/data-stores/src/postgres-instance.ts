import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import {
  checkAccountId,
  checkBackupWindow,
  checkDbIdentifier,
  checkDbInstanceClass,
  checkEnvironmentName,
  checkGrantWithinEnvironment,
  checkLogRetentionDays,
  checkKmsKeyArn,
  checkMaintenanceWindow,
  checkParameterGroupFamily,
  checkPostgresMasterUsername,
  checkPostgresRoleName,
  checkRegion,
  checkTags,
  checkWholeRange,
  checkWindowsApart,
  Claims,
  derivedTooLong,
  GrantOptions,
  invalidProp,
  LibraryVersion,
  Naming,
  postgresMajorVersion,
  postgresParameterGroupFamily,
} from '@piksel/core';
import { Fn, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { IGrantee } from './grantee';
import { PostgresInstanceProps } from './postgres-instance-props';
import { attachInlinePolicy } from './private/grants';
import { viaService } from './private/policy';

/** PostgreSQL's port; the security group admits nothing else. */
const POSTGRES_PORT = 5432;
/** The smallest gp3 volume RDS for PostgreSQL accepts, and the largest. */
const MIN_STORAGE_GIB = 20;
const MAX_STORAGE_GIB = 65536;
/** The estate's windows: backups 03:00-06:00 UTC, maintenance Mon 00:00-03:00 UTC; RDS requires that they not overlap. */
const DEFAULT_BACKUP_WINDOW = '03:00-06:00';
const DEFAULT_MAINTENANCE_WINDOW = 'Mon:00:00-Mon:03:00';
/** RDS's own console default. */
const DEFAULT_BACKUP_RETENTION_DAYS = 7;
const DEFAULT_LOG_RETENTION_DAYS = 90;
/** The console's default master user name for PostgreSQL. */
const DEFAULT_MASTER_USERNAME = 'postgres';
/** Seven days of Performance Insights are free of charge. */
const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;
/** The logs RDS for PostgreSQL can export to CloudWatch. */
const LOG_EXPORTS = ['postgresql', 'upgrade'];

/**
 * TLS always; statements slower than a second, lock waits, schema changes and connections logged
 * (the exported `postgresql` log is the audit trail of who connected and what changed the schema;
 * PgBouncer keeps connections few, so logging them is cheap).
 */
const DEFAULT_PARAMETERS: Record<string, string> = {
  'rds.force_ssl': '1',
  'log_min_duration_statement': '1000',
  'log_lock_waits': '1',
  'log_statement': 'ddl',
  'log_connections': '1',
};

/** An RDS for PostgreSQL instance, created here or referenced. */
export interface IPostgresInstance extends IConstruct {
  /** The DB instance identifier, e.g. `piksel-dev-postgres`. */
  readonly instanceIdentifier: string;
  /** The DNS name clients connect to. */
  readonly instanceEndpointAddress: string;
  /** The port clients connect to (5432). */
  readonly instancePort: number;
  /** The immutable resource ID (`db-…`) that `rds-db:connect` ARNs name. */
  readonly instanceResourceId: string;
  /** ARN of the Secrets Manager secret RDS keeps the master user's credentials in. */
  readonly masterSecretArn: string;
  /** ID of the instance's security group. */
  readonly securityGroupId: string;

  /**
   * Lets `grantee` log in as the PostgreSQL role `dbUser` with an IAM authentication token
   * (`rds-db:connect`). The role must exist and be granted `rds_iam` inside PostgreSQL. A grantee
   * of another environment or account is refused unless `options.allowFromEnvironment` names it.
   */
  grantConnect(grantee: IGrantee, dbUser: string, options?: GrantOptions): void;

  /**
   * Lets `grantee` read the master user secret, and decrypt it through Secrets Manager only. A
   * grantee of another environment or account is refused unless `options.allowFromEnvironment`
   * names it.
   */
  grantReadMasterSecret(grantee: IGrantee, options?: GrantOptions): void;
}

/**
 * PostgreSQL on RDS, secure by default: RDS generates and keeps the master password in Secrets
 * Manager (encrypted with the environment's secrets key), so **no password is ever in Terraform
 * configuration or state**; gp3 storage encrypted with a customer-managed key and autoscaling to a
 * maximum; a parameter group of the engine's family that forces TLS and logs what an operator
 * needs; the `postgresql` and `upgrade` logs exported to retained log groups; Performance
 * Insights and IAM database authentication on; a subnet group of private subnets only; a security
 * group admitting 5432 from one source security group and nothing else; backups, a weekly
 * maintenance window, deletion protection, a final snapshot, minor versions pinned.
 *
 * The applications' databases and login roles are made inside PostgreSQL by GitOps, not here:
 * Terraform has no network path to the instance.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_PostgreSQL.html
 */
export class PostgresInstance extends Construct implements IPostgresInstance {
  public readonly instanceIdentifier: string;
  public readonly instanceEndpointAddress: string;
  public readonly instancePort: number;
  public readonly instanceResourceId: string;
  public readonly masterSecretArn: string;
  public readonly securityGroupId: string;
  /** ARN of the instance. */
  public readonly instanceArn: string;
  /** ARN of the key that encrypts storage, snapshots and Performance Insights. */
  public readonly storageEncryptionKeyArn: string;
  /** ARN of the key that encrypts the master user secret. */
  public readonly masterSecretKeyArn: string;
  /** The environment the instance serves. */
  public readonly environment: string;
  private readonly account: string;
  private readonly region: string;

  constructor(scope: Construct, id: string, props: PostgresInstanceProps) {
    super(scope, id);
    const major = this.validate(props);
    const identifier = props.identifier ?? Naming.of(this).name(props.environment, 'postgres');
    const family = props.parameterGroupFamily ?? (major === undefined ? undefined : postgresParameterGroupFamily(major));
    if (family === undefined) {
      throw invalidProp(this, 'parameterGroupFamily', family, `engineVersion is known only at apply time; give the family (e.g. "${postgresParameterGroupFamily(16)}")`);
    }
    const allocatedStorage = props.allocatedStorage ?? MIN_STORAGE_GIB;
    const maxAllocatedStorage = props.maxAllocatedStorage ?? 2 * allocatedStorage;
    this.validateDerived(props, identifier);
    this.claim(props, identifier);

    const storageKeyArn = props.storageEncryptionKeyArn ?? new KmsKey(this, 'StorageKey', {
      description: `Storage, snapshots and Performance Insights of ${identifier}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: props.tags,
    }).arn;
    const securityGroup = this.createSecurityGroup(identifier, props);
    const subnetGroup = new DbSubnetGroup(this, 'SubnetGroup', {
      name: identifier,
      description: `Private subnets of ${identifier}`,
      subnetIds: props.subnetIds,
      tags: props.tags,
    });
    const parameterGroup = new DbParameterGroup(this, 'ParameterGroup', {
      // A prefix, not a name: any replacement (a new family, description or identifier) makes the
      // new group before the old one goes, and two groups cannot share a fixed name meanwhile.
      namePrefix: `${identifier}-${family}-`,
      family,
      description: `TLS only and operator logs for ${identifier}`,
      parameter: Object.entries({ ...DEFAULT_PARAMETERS, ...props.parameters }).map(([name, value]) => ({ name, value })),
      // RDS refuses to delete a group an instance still uses: the new one is attached first.
      lifecycle: { createBeforeDestroy: true },
      tags: props.tags,
    });
    // RDS creates these groups itself, without retention, unless they exist first.
    const logGroups = LOG_EXPORTS.map((log) => new CloudwatchLogGroup(this, `${log[0].toUpperCase()}${log.slice(1)}LogGroup`, {
      name: logGroupName(identifier, log),
      retentionInDays: props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
      tags: props.tags,
    }));

    const instance = new DbInstance(this, 'Resource', {
      identifier,
      engine: 'postgres',
      engineVersion: props.engineVersion,
      instanceClass: props.instanceClass,
      allowMajorVersionUpgrade: props.allowMajorVersionUpgrade ?? false,
      autoMinorVersionUpgrade: false,
      storageType: 'gp3',
      allocatedStorage,
      maxAllocatedStorage: maxAllocatedStorage > allocatedStorage ? maxAllocatedStorage : undefined,
      storageEncrypted: true,
      kmsKeyId: storageKeyArn,
      username: props.masterUsername ?? DEFAULT_MASTER_USERNAME,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.masterSecretKeyArn,
      iamDatabaseAuthenticationEnabled: true,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [securityGroup.id],
      publiclyAccessible: false,
      parameterGroupName: parameterGroup.name,
      enabledCloudwatchLogsExports: LOG_EXPORTS,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: storageKeyArn,
      performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
      multiAz: props.multiAz ?? false,
      backupRetentionPeriod: props.backupRetentionDays ?? DEFAULT_BACKUP_RETENTION_DAYS,
      backupWindow: props.backupWindow ?? DEFAULT_BACKUP_WINDOW,
      maintenanceWindow: props.maintenanceWindow ?? DEFAULT_MAINTENANCE_WINDOW,
      copyTagsToSnapshot: true,
      deletionProtection: props.deletionProtection ?? true,
      skipFinalSnapshot: false,
      // Unique per instance: the creation time, kept (ignore_changes) until the destroy uses it.
      // A fixed name would make the second destroy of a rebuilt instance fail (the snapshot exists).
      finalSnapshotIdentifier: `${identifier}-final-${Fn.formatdate('YYYYMMDDhhmmss', Fn.timestamp())}`,
      lifecycle: { ignoreChanges: ['final_snapshot_identifier'] },
      tags: props.tags,
      dependsOn: logGroups,
    });
    LibraryVersion.record(this, __dirname);

    this.instanceIdentifier = identifier;
    this.instanceArn = instance.arn;
    this.instanceEndpointAddress = instance.address;
    this.instancePort = instance.port;
    this.instanceResourceId = instance.resourceId;
    this.masterSecretArn = instance.masterUserSecret.get(0).secretArn;
    this.securityGroupId = securityGroup.id;
    this.storageEncryptionKeyArn = storageKeyArn;
    this.masterSecretKeyArn = props.masterSecretKeyArn;
    this.account = props.account;
    this.region = props.region;
    this.environment = props.environment;
  }

  public grantConnect(grantee: IGrantee, dbUser: string, options: GrantOptions = {}): void {
    checkPostgresRoleName(this, 'dbUser', dbUser);
    checkGrantWithinEnvironment(this, 'grantConnect grantee', grantee, this.environment, this.account, options);
    attachInlinePolicy(this, `Connect-${dbUser}`, grantee, [{
      Sid: 'ConnectWithIamToken',
      Effect: 'Allow',
      Action: ['rds-db:connect'],
      Resource: `arn:aws:rds-db:${this.region}:${this.account}:dbuser:${this.instanceResourceId}/${dbUser}`,
    }]);
  }

  public grantReadMasterSecret(grantee: IGrantee, options: GrantOptions = {}): void {
    checkGrantWithinEnvironment(this, 'grantReadMasterSecret grantee', grantee, this.environment, this.account, options);
    attachInlinePolicy(this, 'ReadMasterSecret', grantee, [
      { Sid: 'ReadMasterSecret', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: this.masterSecretArn },
      {
        Sid: 'DecryptViaSecretsManager',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: this.masterSecretKeyArn,
        Condition: { StringEquals: { 'kms:ViaService': viaService('secretsmanager', this.region) } },
      },
    ]);
  }

  private createSecurityGroup(identifier: string, props: PostgresInstanceProps): SecurityGroup {
    // No inline rules: Terraform then also removes the allow-all egress rule AWS adds (RDS never
    // opens connections), and the one ingress rule below is its own resource.
    const group = new SecurityGroup(this, 'SecurityGroup', {
      name: identifier,
      description: `PostgreSQL ${identifier}: ${POSTGRES_PORT} from the source security group only`,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      tags: { ...props.tags, Name: identifier },
    });
    new VpcSecurityGroupIngressRule(this, 'IngressFromSource', {
      securityGroupId: group.id,
      referencedSecurityGroupId: props.sourceSecurityGroupId,
      ipProtocol: 'tcp',
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      description: 'PostgreSQL from the source security group (cluster nodes and pods)',
      tags: props.tags,
    });
    return group;
  }

  /** Checks every prop before anything is created; returns the engine's major version. */
  private validate(props: PostgresInstanceProps): number | undefined {
    checkEnvironmentName(this, 'environment', props.environment);
    checkAccountId(this, 'account', props.account);
    checkRegion(this, 'region', props.region);
    checkDbInstanceClass(this, 'instanceClass', props.instanceClass);
    const major = postgresMajorVersion(this, 'engineVersion', props.engineVersion);
    if (props.parameterGroupFamily !== undefined) {
      checkParameterGroupFamily(this, 'parameterGroupFamily', props.parameterGroupFamily, major, props.engineVersion);
    }
    if (props.identifier !== undefined) checkDbIdentifier(this, 'identifier', props.identifier);
    checkWholeRange(this, 'allocatedStorage', props.allocatedStorage, MIN_STORAGE_GIB, MAX_STORAGE_GIB, 'GiB (gp3 for PostgreSQL)');
    checkWholeRange(this, 'maxAllocatedStorage', props.maxAllocatedStorage, MIN_STORAGE_GIB, MAX_STORAGE_GIB, 'GiB (gp3 for PostgreSQL)');
    const allocated = props.allocatedStorage ?? MIN_STORAGE_GIB;
    const max = props.maxAllocatedStorage;
    if (max !== undefined && !Token.isUnresolved(max) && !Token.isUnresolved(allocated) && max < allocated) {
      throw invalidProp(this, 'maxAllocatedStorage', max, `it is below allocatedStorage (${allocated} GiB); raise it to at least ${allocated}, or equal to turn autoscaling off`);
    }
    checkWholeRange(this, 'backupRetentionDays', props.backupRetentionDays, 0, 35, 'days');
    if (props.backupWindow !== undefined) checkBackupWindow(this, 'backupWindow', props.backupWindow);
    if (props.maintenanceWindow !== undefined) checkMaintenanceWindow(this, 'maintenanceWindow', props.maintenanceWindow);
    checkWindowsApart(this,
      { field: props.backupWindow === undefined ? 'the default backupWindow' : 'backupWindow', value: props.backupWindow ?? DEFAULT_BACKUP_WINDOW },
      { field: props.maintenanceWindow === undefined ? 'the default maintenanceWindow' : 'maintenanceWindow', value: props.maintenanceWindow ?? DEFAULT_MAINTENANCE_WINDOW },
      props.maintenanceWindow === undefined);
    if (props.masterUsername !== undefined) checkPostgresMasterUsername(this, 'masterUsername', props.masterUsername);
    checkLogRetentionDays(this, 'logRetentionDays', props.logRetentionDays);
    checkKmsKeyArn(this, 'masterSecretKeyArn', props.masterSecretKeyArn);
    if (props.storageEncryptionKeyArn !== undefined) checkKmsKeyArn(this, 'storageEncryptionKeyArn', props.storageEncryptionKeyArn);
    if (!Token.isUnresolved(props.subnetIds) && props.subnetIds.length < 2) {
      throw invalidProp(this, 'subnetIds', props.subnetIds, 'give two or more private subnets in different zones (RDS requires two zones in a DB subnet group)');
    }
    if (props.parameters?.['rds.force_ssl'] !== undefined && props.parameters['rds.force_ssl'] !== '1') {
      throw invalidProp(this, "parameters['rds.force_ssl']", props.parameters['rds.force_ssl'], 'remove it: connections without TLS are never allowed');
    }
    checkTags(this, 'tags', props.tags);
    return major;
  }

  /**
   * Claims what must be unique in the account and region, in whatever stack of the app: the
   * identifier and the log groups named after it.
   */
  private claim(props: PostgresInstanceProps, identifier: string): void {
    const claims = Claims.of(this);
    claims.noteEnvironment(this, props.environment);
    const field = props.identifier === undefined ? 'the derived identifier' : 'identifier';
    claims.claimDbInstanceIdentifier(this, field, props.account, props.region, identifier);
    for (const log of LOG_EXPORTS) {
      claims.claimLogGroupName(this, `the ${log} log group`, props.account, props.region, logGroupName(identifier, log), 'identifier');
    }
  }

  /** Checks the names derived from the identifier (the final snapshot's adds `-final`). */
  private validateDerived(props: PostgresInstanceProps, identifier: string): void {
    if (props.identifier === undefined && !Token.isUnresolved(identifier) && identifier.length > 63) {
      throw derivedTooLong(this, 'identifier', identifier, 63, { field: 'environment', value: props.environment, overhead: identifier.length - props.environment.length });
    }
    checkDbIdentifier(this, props.identifier === undefined ? 'the derived identifier' : 'identifier', identifier);
  }
}

/** RDS's name for the log group of an exported log. */
function logGroupName(identifier: string, log: string): string {
  return `/aws/rds/instance/${identifier}/${log}`;
}
