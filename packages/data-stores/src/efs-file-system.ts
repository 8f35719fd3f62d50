import { EfsBackupPolicy } from '@cdktf/provider-aws/lib/efs-backup-policy';
import { EfsFileSystem as EfsFileSystemResource, EfsFileSystemLifecyclePolicy } from '@cdktf/provider-aws/lib/efs-file-system';
import { EfsFileSystemPolicy } from '@cdktf/provider-aws/lib/efs-file-system-policy';
import { EfsMountTarget } from '@cdktf/provider-aws/lib/efs-mount-target';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import {
  checkAccountId,
  checkGrantWithinEnvironment,
  checkKebabName,
  checkKmsKeyArn,
  checkMatches,
  checkPositive,
  checkRegion,
  checkTags,
  checkZone,
  Claims,
  GrantOptions,
  invalidProp,
  LibraryVersion,
} from '@piksel/core';
import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { EfsFileSystemAttributes, EfsFileSystemProps, EfsPerformanceMode, EfsThroughputMode } from './efs-file-system-props';
import { IGrantee } from './grantee';
import { attachInlinePolicy } from './private/grants';
import { policyDocument, PolicyStatement } from './private/policy';

/** NFS; the security group admits nothing else. */
const NFS_PORT = 2049;
/** The longest creation token EFS accepts. */
const MAX_NAME_LENGTH = 64;
/** EFS's own default, and the console's. */
const DEFAULT_IA_DAYS = 30;
/** The `TransitionToIA` values EFS accepts, as days (`AFTER_1_DAY`, `AFTER_7_DAYS`, …). */
const IA_DAYS = [1, 7, 14, 30, 60, 90, 180, 270, 365];
const FILE_SYSTEM_ID = /^fs-[0-9a-f]{8,40}$/;
const FILE_SYSTEM_ARN = /^arn:aws[a-z-]*:elasticfilesystem:[a-z0-9-]+:\d{12}:file-system\/fs-[0-9a-f]{8,40}$/;

/** The NFS client actions of each grant, by the grant's verb. */
const CLIENT_ACTIONS = {
  Read: ['elasticfilesystem:ClientMount'],
  ReadWrite: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
  RootAccess: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite', 'elasticfilesystem:ClientRootAccess'],
};

/** An EFS file system, created here or referenced. */
export interface IEfsFileSystem extends IConstruct {
  /** ID of the file system, `fs-…`: what the EFS CSI driver's volumes name. */
  readonly fileSystemId: string;
  /** ARN of the file system. */
  readonly fileSystemArn: string;
  /** ID of the security group of the mount targets. */
  readonly securityGroupId: string;

  /**
   * Lets `grantee` mount the file system read-only with IAM authorization
   * (`elasticfilesystem:ClientMount`), through a mount target.
   */
  grantRead(grantee: IGrantee, options?: GrantOptions): void;

  /** Lets `grantee` mount the file system and write to it with IAM authorization (adds `ClientWrite`). */
  grantReadWrite(grantee: IGrantee, options?: GrantOptions): void;

  /**
   * Lets `grantee` mount the file system, write, and act as root (uid 0) with IAM authorization
   * (adds `ClientRootAccess`): what a client that creates and `chown`s directories needs.
   *
   * Each grant refuses a grantee of another environment or account than the file system's stack
   * unless `options.allowFromEnvironment` names the grantee's environment.
   */
  grantRootAccess(grantee: IGrantee, options?: GrantOptions): void;
}

/**
 * What an EFS file system made here and one imported by attributes share: the client grants,
 * each an identity policy on the file system's ARN.
 */
export abstract class EfsFileSystemBase extends Construct implements IEfsFileSystem {
  public abstract readonly fileSystemId: string;
  public abstract readonly fileSystemArn: string;
  public abstract readonly securityGroupId: string;

  public grantRead(grantee: IGrantee, options: GrantOptions = {}): void {
    checkGrantWithinEnvironment(this, 'grantRead grantee', grantee, undefined, undefined, options);
    grantClient(this, 'Read', grantee, this.fileSystemArn);
  }

  public grantReadWrite(grantee: IGrantee, options: GrantOptions = {}): void {
    checkGrantWithinEnvironment(this, 'grantReadWrite grantee', grantee, undefined, undefined, options);
    grantClient(this, 'ReadWrite', grantee, this.fileSystemArn);
  }

  public grantRootAccess(grantee: IGrantee, options: GrantOptions = {}): void {
    checkGrantWithinEnvironment(this, 'grantRootAccess grantee', grantee, undefined, undefined, options);
    grantClient(this, 'RootAccess', grantee, this.fileSystemArn);
  }
}

/**
 * An EFS file system shared by the pods of a cluster, secure by default: encrypted at rest with a
 * customer-managed key, always (there is no switch to turn encryption off); one mount target per
 * private subnet, keyed by zone; a security group admitting NFS (2049) from the client security
 * groups only; a file system policy that denies every request without TLS and allows nothing, so
 * only clients that mount with IAM authorization and hold a grant get in (anonymous NFS clients
 * are refused); files moved to Infrequent Access after 30 days without access and back on the
 * first access; automatic daily backups; `prevent_destroy`.
 *
 * Mount with the EFS mount helper's `tls` and `iam` options (the EFS CSI driver: `mountOptions:
 * [tls, iam]`), as a role that `grantReadWrite` or `grantRootAccess` names, e.g. the CSI node
 * service account's.
 *
 * @see https://docs.aws.amazon.com/efs/latest/ug/whatisefs.html
 */
export class EfsFileSystem extends EfsFileSystemBase {
  /** References a file system created elsewhere (another stack, or by hand). */
  public static fromEfsFileSystemAttributes(scope: Construct, id: string, attrs: EfsFileSystemAttributes): IEfsFileSystem {
    return new ImportedEfsFileSystem(scope, id, attrs);
  }

  public readonly fileSystemId: string;
  public readonly fileSystemArn: string;
  public readonly securityGroupId: string;
  /** Name of the file system: its creation token and `Name` tag. */
  public readonly fileSystemName: string;
  /** ARN of the key that encrypts the file system at rest. */
  public readonly encryptionKeyArn: string;

  constructor(scope: Construct, id: string, props: EfsFileSystemProps) {
    super(scope, id);
    this.validate(props);
    Claims.of(this).claimValue(this, 'name', `@piksel/data-stores:${props.account}:${props.region}:efs-creation-tokens`, props.name,
      'give each EFS file system of an account and region its own name (its creation token)');
    const throughputMode = props.throughputMode ?? EfsThroughputMode.ELASTIC;

    const keyArn = props.encryptionKeyArn ?? new KmsKey(this, 'EncryptionKey', {
      description: `Encryption at rest of the EFS file system ${props.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: props.tags,
    }).arn;
    const fileSystem = new EfsFileSystemResource(this, 'Resource', {
      creationToken: props.name,
      encrypted: true,
      kmsKeyId: keyArn,
      performanceMode: props.performanceMode ?? EfsPerformanceMode.GENERAL_PURPOSE,
      throughputMode,
      provisionedThroughputInMibps: props.provisionedThroughputMibps,
      lifecyclePolicy: this.lifecyclePolicies(props),
      lifecycle: { preventDestroy: props.deletionProtection ?? true },
      tags: { ...props.tags, Name: props.name },
    });
    const securityGroup = this.createSecurityGroup(props);
    for (const [zone, subnetId] of Object.entries(props.subnetIds)) {
      new EfsMountTarget(this, `MountTarget${pascal(zone)}`, {
        fileSystemId: fileSystem.id,
        subnetId,
        securityGroups: [securityGroup.id],
      });
    }
    new EfsFileSystemPolicy(this, 'Policy', {
      fileSystemId: fileSystem.id,
      policy: policyDocument(fileSystemPolicy(fileSystem.arn)),
    });
    new EfsBackupPolicy(this, 'BackupPolicy', {
      fileSystemId: fileSystem.id,
      backupPolicy: { status: (props.automaticBackups ?? true) ? 'ENABLED' : 'DISABLED' },
    });
    LibraryVersion.record(this, __dirname);

    this.fileSystemId = fileSystem.id;
    this.fileSystemArn = fileSystem.arn;
    this.securityGroupId = securityGroup.id;
    this.fileSystemName = props.name;
    this.encryptionKeyArn = keyArn;
  }


  /** One policy per transition: EFS refuses a lifecycle policy object with two. */
  private lifecyclePolicies(props: EfsFileSystemProps): EfsFileSystemLifecyclePolicy[] {
    const days = props.transitionToIaDays ?? DEFAULT_IA_DAYS;
    const policies: EfsFileSystemLifecyclePolicy[] = [{ transitionToIa: days === 1 ? 'AFTER_1_DAY' : `AFTER_${days}_DAYS` }];
    if (props.transitionToPrimaryOnAccess ?? true) {
      policies.push({ transitionToPrimaryStorageClass: 'AFTER_1_ACCESS' });
    }
    return policies;
  }

  private createSecurityGroup(props: EfsFileSystemProps): SecurityGroup {
    // No inline rules: Terraform then also removes the allow-all egress rule AWS adds (mount
    // targets never open connections), and each ingress rule is its own resource.
    const group = new SecurityGroup(this, 'SecurityGroup', {
      name: props.name,
      description: `EFS ${props.name}: NFS ${NFS_PORT} from the client security groups only`,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      tags: { ...props.tags, Name: props.name },
    });
    for (const [client, sourceId] of Object.entries(props.clientSecurityGroupIds)) {
      new VpcSecurityGroupIngressRule(this, `IngressFrom${pascal(client)}`, {
        securityGroupId: group.id,
        referencedSecurityGroupId: sourceId,
        ipProtocol: 'tcp',
        fromPort: NFS_PORT,
        toPort: NFS_PORT,
        description: `NFS from the ${client} security group`,
        tags: props.tags,
      });
    }
    return group;
  }

  /** Checks every prop before anything is created. */
  private validate(props: EfsFileSystemProps): void {
    checkKebabName(this, 'name', props.name, MAX_NAME_LENGTH, 'piksel-dev-shared');
    checkAccountId(this, 'account', props.account);
    checkRegion(this, 'region', props.region);
    // A caller without types (plain JavaScript) could still pass the resource's own switch.
    const encrypted = (props as { encrypted?: unknown }).encrypted;
    if (encrypted !== undefined && encrypted !== true) {
      throw invalidProp(this, 'encrypted', encrypted, 'remove it: an EFS file system is always encrypted at rest (choose the key with encryptionKeyArn)');
    }
    if (props.encryptionKeyArn !== undefined) checkKmsKeyArn(this, 'encryptionKeyArn', props.encryptionKeyArn);
    this.validateSubnets(props);
    this.validateClients(props);
    this.validateThroughput(props);
    const days = props.transitionToIaDays;
    if (days !== undefined && !Token.isUnresolved(days) && !IA_DAYS.includes(days)) {
      throw invalidProp(this, 'transitionToIaDays', days, `use one of the values EFS accepts: ${IA_DAYS.join(', ')}`);
    }
    checkTags(this, 'tags', props.tags);
  }

  private validateSubnets(props: EfsFileSystemProps): void {
    const zones = Token.isUnresolved(props.subnetIds) ? [] : Object.keys(props.subnetIds);
    if (zones.length === 0) {
      throw invalidProp(this, 'subnetIds', props.subnetIds, 'give one private subnet per zone as a literal map keyed by zone, e.g. { "ap-southeast-3a": "subnet-…" }');
    }
    for (const zone of zones) {
      checkZone(this, 'subnetIds key', zone, props.region);
    }
  }

  private validateClients(props: EfsFileSystemProps): void {
    const clients = Token.isUnresolved(props.clientSecurityGroupIds) ? [] : Object.keys(props.clientSecurityGroupIds);
    if (clients.length === 0) {
      throw invalidProp(this, 'clientSecurityGroupIds', props.clientSecurityGroupIds, 'name one or more client security groups as a literal map, e.g. { cluster: cluster.clusterSecurityGroupId }');
    }
    for (const client of clients) {
      checkKebabName(this, 'clientSecurityGroupIds key', client, 40, 'cluster');
    }
  }

  private validateThroughput(props: EfsFileSystemProps): void {
    const throughputMode = props.throughputMode ?? EfsThroughputMode.ELASTIC;
    if (props.performanceMode === EfsPerformanceMode.MAX_IO && throughputMode === EfsThroughputMode.ELASTIC) {
      throw invalidProp(this, 'performanceMode', props.performanceMode, 'Elastic throughput needs General Purpose: use EfsPerformanceMode.GENERAL_PURPOSE, or another throughputMode');
    }
    const mibps = props.provisionedThroughputMibps;
    if (throughputMode === EfsThroughputMode.PROVISIONED && mibps === undefined) {
      throw invalidProp(this, 'provisionedThroughputMibps', mibps, 'give the throughput in MiB/s: EfsThroughputMode.PROVISIONED needs it');
    }
    if (throughputMode !== EfsThroughputMode.PROVISIONED && mibps !== undefined) {
      throw invalidProp(this, 'provisionedThroughputMibps', mibps, `remove it, or use EfsThroughputMode.PROVISIONED: the throughput mode is ${throughputMode}`);
    }
    checkPositive(this, 'provisionedThroughputMibps', mibps, 'MiB/s');
  }
}

/** A file system made elsewhere, by its attributes; grants work as on `EfsFileSystem`. */
class ImportedEfsFileSystem extends EfsFileSystemBase {
  public readonly fileSystemId: string;
  public readonly fileSystemArn: string;
  public readonly securityGroupId: string;

  constructor(scope: Construct, id: string, attrs: EfsFileSystemAttributes) {
    super(scope, id);
    checkMatches(this, 'fileSystemId', attrs.fileSystemId, FILE_SYSTEM_ID, 'use an EFS file system ID, "fs-" and hex digits, e.g. "fs-0123456789abcdef0"');
    checkMatches(this, 'fileSystemArn', attrs.fileSystemArn, FILE_SYSTEM_ARN, 'use an EFS file system ARN, arn:aws:elasticfilesystem:<region>:<account>:file-system/<id>');
    if (!Token.isUnresolved(attrs.fileSystemArn) && !Token.isUnresolved(attrs.fileSystemId) && !attrs.fileSystemArn.endsWith(`/${attrs.fileSystemId}`)) {
      throw invalidProp(this, 'fileSystemArn', attrs.fileSystemArn, `name the same file system as fileSystemId (${attrs.fileSystemId})`);
    }
    this.fileSystemId = attrs.fileSystemId;
    this.fileSystemArn = attrs.fileSystemArn;
    this.securityGroupId = attrs.securityGroupId;
  }

}

/**
 * Denies every request without TLS, and allows nothing: once a file system policy exists, EFS no
 * longer grants anonymous clients (mounts without `iam`) full access, so only IAM-authorized
 * clients whose identity policy allows it (the grants) get in.
 * @see https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html#default-filesystempolicy
 */
function fileSystemPolicy(fileSystemArn: string): PolicyStatement[] {
  return [{
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: ['*'],
    Resource: fileSystemArn,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  }];
}

/**
 * Attaches the NFS client actions of `verb` to the grantee's role, on the file system, through a
 * mount target only. No KMS permission: EFS decrypts for its clients.
 */
function grantClient(scope: Construct, verb: keyof typeof CLIENT_ACTIONS, grantee: IGrantee, fileSystemArn: string): void {
  attachInlinePolicy(scope, verb, grantee, [{
    Sid: 'MountWithIam',
    Effect: 'Allow',
    Action: CLIENT_ACTIONS[verb],
    Resource: fileSystemArn,
    Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
  }]);
}

/** `ap-southeast-3a` → `ApSoutheast3a`, `eks-nodes` → `EksNodes`: a construct ID from a key. */
function pascal(key: string): string {
  return key.split(/[^A-Za-z0-9]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
