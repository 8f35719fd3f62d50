/**
 * How an EFS file system trades latency for parallelism.
 *
 * @see https://docs.aws.amazon.com/efs/latest/ug/performance.html#performancemodes
 */
export enum EfsPerformanceMode {
  /** The lowest latency per operation; AWS's recommendation for nearly every workload. */
  GENERAL_PURPOSE = 'generalPurpose',
  /** More aggregate operations per second at a higher latency; not with Elastic throughput. */
  MAX_IO = 'maxIO',
}

/**
 * How an EFS file system's throughput is sized and billed.
 *
 * @see https://docs.aws.amazon.com/efs/latest/ug/performance.html#throughput-modes
 */
export enum EfsThroughputMode {
  /** Scales with the workload, billed per GiB transferred: for spiky use (notebooks, workflows). */
  ELASTIC = 'elastic',
  /** Scales with the amount stored, with burst credits. */
  BURSTING = 'bursting',
  /** A fixed throughput, `provisionedThroughputMibps`, billed whether used or not. */
  PROVISIONED = 'provisioned',
}

/** Properties of an `EfsFileSystem`. */
export interface EfsFileSystemProps {
  /**
   * Name of the file system, lower-case kebab-case of at most 64 characters, e.g.
   * `piksel-dev-shared`: its creation token (unique per account and region, so a retried create
   * never makes a second file system), its `Name` tag and the name of its security group.
   *
   * @see https://docs.aws.amazon.com/efs/latest/ug/API_CreateFileSystem.html#efs-CreateFileSystem-request-CreationToken
   */
  readonly name: string;

  /** The AWS account of the file system (12 digits): with `region`, where `name` must be unique. */
  readonly account: string;

  /** The region of the file system, e.g. `ap-southeast-3`; the zones of `subnetIds` are its zones. */
  readonly region: string;

  /** ID of the VPC of the subnets; the mount targets' security group is made in it. */
  readonly vpcId: string;

  /**
   * The private subnets to put a mount target in, keyed by availability zone
   * (`{ 'ap-southeast-3a': 'subnet-…' }`): EFS allows one mount target per zone, and the zone
   * keys each mount target's construct ID, so adding or removing a zone never replaces the
   * others. The IDs may be known only at apply time; the zones must be literals.
   *
   * @see https://docs.aws.amazon.com/efs/latest/ug/accessing-fs.html
   */
  readonly subnetIds: { [zone: string]: string };

  /**
   * The security groups whose members may connect to the mount targets on NFS (TCP 2049), keyed
   * by a stable kebab-case name that keys the rule's construct ID, e.g.
   * `{ cluster: cluster.clusterSecurityGroupId }` (an EKS cluster's nodes and pods). One ingress
   * rule each, and no other rule: never a CIDR block, no egress.
   *
   * @see https://docs.aws.amazon.com/efs/latest/ug/network-access.html
   */
  readonly clientSecurityGroupIds: { [name: string]: string };

  /**
   * ARN of the customer-managed KMS key that encrypts the file system at rest. Encryption is
   * always on; only the key is a choice.
   *
   * @default - a key is created, rotation on
   * @see https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html
   */
  readonly encryptionKeyArn?: string;

  /**
   * The performance mode; it cannot change after creation.
   *
   * @default EfsPerformanceMode.GENERAL_PURPOSE
   */
  readonly performanceMode?: EfsPerformanceMode;

  /**
   * The throughput mode.
   *
   * @default EfsThroughputMode.ELASTIC
   */
  readonly throughputMode?: EfsThroughputMode;

  /**
   * Throughput in MiB/s, a whole number of 1 or more; with `EfsThroughputMode.PROVISIONED` only,
   * and required with it.
   *
   * @default - none: the throughput mode is not provisioned
   * @see https://docs.aws.amazon.com/efs/latest/ug/provisioned-throughput.html
   */
  readonly provisionedThroughputMibps?: number;

  /**
   * Days without access after which a file moves to the Infrequent Access storage class: 1, 7,
   * 14, 30, 60, 90, 180, 270 or 365 (the values EFS accepts).
   *
   * @default 30
   * @see https://docs.aws.amazon.com/efs/latest/ug/lifecycle-management-efs.html
   */
  readonly transitionToIaDays?: number;

  /**
   * Whether a file in Infrequent Access moves back to Standard storage on its first access, so
   * that a home directory in use is billed no IA access charges.
   *
   * @default true
   * @see https://docs.aws.amazon.com/efs/latest/ug/lifecycle-management-efs.html
   */
  readonly transitionToPrimaryOnAccess?: boolean;

  /**
   * Whether AWS Backup backs the file system up daily (the EFS backup policy), kept 35 days in the
   * vault `aws/efs/automatic-backup-vault`.
   *
   * @default true
   * @see https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html#automatic-backups
   */
  readonly automaticBackups?: boolean;

  /**
   * Whether Terraform refuses any plan that destroys the file system (`prevent_destroy`). EFS has
   * no deletion protection of its own; turn this off, apply, then destroy.
   *
   * @default true
   * @see https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy
   */
  readonly deletionProtection?: boolean;

  /**
   * Tags on the file system, its security group and rules, and a created key.
   *
   * @default - none besides the provider's default tags (the file system's `Name` is always `name`)
   */
  readonly tags?: { [key: string]: string };
}

/** A file system created elsewhere, by its attributes. */
export interface EfsFileSystemAttributes {
  /** ID of the file system, `fs-` followed by hex digits. */
  readonly fileSystemId: string;

  /** ARN of the file system, `arn:aws:elasticfilesystem:<region>:<account>:file-system/<id>`. */
  readonly fileSystemArn: string;

  /** ID of the security group of its mount targets. */
  readonly securityGroupId: string;
}
