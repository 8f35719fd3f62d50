/** Properties of a `PostgresInstance`. */
export interface PostgresInstanceProps {
  /**
   * The environment the instance serves, lower-case kebab-case (`dev`): names the instance
   * `<prefix>-<environment>-postgres` (see `Naming` in `@piksel/core`).
   */
  readonly environment: string;

  /** The AWS account of the instance (12 digits): part of the `rds-db:connect` ARNs of `grantConnect`. */
  readonly account: string;

  /** The region of the instance, e.g. `ap-southeast-3`. */
  readonly region: string;

  /**
   * The engine version, pinned to major and minor (`16.11`, `17.7`): minor upgrades are promoted
   * like library versions, so RDS never upgrades by itself (`auto_minor_version_upgrade` is off).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-versions.html
   */
  readonly engineVersion: string;

  /**
   * The instance class, e.g. `db.t4g.medium` or `db.m7g.large`.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.html
   */
  readonly instanceClass: string;

  /** ID of the VPC the instance's security group belongs to. */
  readonly vpcId: string;

  /**
   * The private subnets of the DB subnet group: two or more, in different zones. Never public
   * subnets: the instance is not publicly accessible and stays off any route to the internet.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html
   */
  readonly subnetIds: string[];

  /**
   * The security group whose members may connect on 5432, e.g. an EKS cluster's security group
   * (nodes and pods). The only ingress rule: never a CIDR block.
   */
  readonly sourceSecurityGroupId: string;

  /**
   * ARN of the customer-managed KMS key that encrypts the master user secret RDS keeps in Secrets
   * Manager: the environment's secrets key.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
   */
  readonly masterSecretKeyArn: string;

  /**
   * The DB instance identifier.
   *
   * @default `<prefix>-<environment>-postgres`
   */
  readonly identifier?: string;

  /**
   * The parameter-group family; it must be the engine version's (`postgres16` for `16.x`).
   *
   * @default `postgres<major version>`
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithParamGroups.html
   */
  readonly parameterGroupFamily?: string;

  /**
   * Parameters beside the defaults (`rds.force_ssl = 1`, `log_min_duration_statement = 1000`,
   * `log_lock_waits = 1`, `log_statement = ddl`, `log_connections = 1`); they may override the log
   * settings but never turn off `rds.force_ssl`.
   *
   * @default - the defaults only
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.Parameters.html
   */
  readonly parameters?: { [name: string]: string };

  /**
   * Storage allocated at creation, in GiB (gp3: 20 to 65536).
   *
   * @default 20
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html
   */
  readonly allocatedStorage?: number;

  /**
   * Upper bound of storage autoscaling, in GiB; at least `allocatedStorage` (equal turns
   * autoscaling off).
   *
   * @default - twice `allocatedStorage`
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html
   */
  readonly maxAllocatedStorage?: number;

  /**
   * ARN of the customer-managed KMS key that encrypts storage, snapshots and Performance Insights.
   *
   * @default - a key is created, rotation on
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html
   */
  readonly storageEncryptionKeyArn?: string;

  /**
   * Days of automated backups (0 to 35; 0 turns them off).
   *
   * @default 7
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html
   */
  readonly backupRetentionDays?: number;

  /**
   * Daily backup window, `hh24:mi-hh24:mi` in UTC.
   *
   * @default '03:00-06:00'
   */
  readonly backupWindow?: string;

  /**
   * Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` in UTC.
   *
   * @default 'Mon:00:00-Mon:03:00'
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Maintenance.html
   */
  readonly maintenanceWindow?: string;

  /**
   * Whether a standby runs in a second zone (Multi-AZ DB instance).
   *
   * @default false
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html
   */
  readonly multiAz?: boolean;

  /**
   * Whether the instance refuses to be deleted. A final snapshot is taken on deletion either way.
   *
   * @default true
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html
   */
  readonly deletionProtection?: boolean;

  /**
   * Whether a change of `engineVersion` may cross a major version. Set it for the apply that
   * upgrades, together with the new `engineVersion` (and so the new parameter-group family).
   *
   * @default false
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.PostgreSQL.MajorVersion.html
   */
  readonly allowMajorVersionUpgrade?: boolean;

  /**
   * Name of the master user; its password is generated and rotated by RDS in Secrets Manager.
   *
   * @default 'postgres'
   */
  readonly masterUsername?: string;

  /**
   * Days CloudWatch keeps the exported `postgresql` and `upgrade` logs.
   *
   * @default 90
   */
  readonly logRetentionDays?: number;

  /**
   * Tags on every resource.
   *
   * @default - none besides the provider's default tags
   */
  readonly tags?: { [key: string]: string };
}
