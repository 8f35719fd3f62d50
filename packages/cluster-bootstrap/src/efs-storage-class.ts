import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import { checkKubernetesObjectName, checkMatches, LibraryVersion } from '@piksel/core';
import { Construct } from 'constructs';

/** The StorageClass name claims of the estate refer to. */
const DEFAULT_NAME = 'efs';
/** Owner-only access to each volume's directory. */
const DEFAULT_DIRECTORY_PERMS = '700';
/** Where the driver creates one directory per volume, away from anything mounted at the root. */
const DEFAULT_BASE_PATH = '/dynamic';
/** Encrypt NFS traffic in transit (efs-utils' TLS tunnel). */
const DEFAULT_MOUNT_OPTIONS = ['tls'];
/** An EFS file system ID: `fs-` and 8 or 17 hex digits (the API allows up to 40). */
const FILE_SYSTEM_ID = /^fs-[0-9a-f]{8,40}$/;
/** Unix permission bits in octal. */
const DIRECTORY_PERMS = /^[0-7]{3,4}$/;
/** An absolute path of letters, digits and `._-`, without `.`/`..` segments or a trailing slash. */
const BASE_PATH = /^(\/(?!\.\.?(\/|$))[A-Za-z0-9._-]+)+$/;
/** Mount options: `tls`, `iam`, `accesspoint=…`, `noresvport` … */
const MOUNT_OPTION = /^[a-z][a-z0-9_-]*(=[A-Za-z0-9._:/-]+)?$/;

/**
 * What happens to a dynamically provisioned volume when its claim is deleted.
 *
 * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/#reclaiming
 */
export class VolumeReclaimPolicy {
  /**
   * The volume (its EFS access point and directory) stays, released, until an operator deletes
   * it or binds it to a new claim.
   */
  public static readonly RETAIN = new VolumeReclaimPolicy('Retain');
  /**
   * The volume and its access point are deleted with the claim; the directory and its files too
   * only where the controller runs with `deleteAccessPointRootDir` (off in `EfsCsiDriver`).
   */
  public static readonly DELETE = new VolumeReclaimPolicy('Delete');

  /** The policy as the API spells it. */
  public readonly value: string;

  private constructor(value: string) { this.value = value; }
}

/** Properties of an `EfsStorageClass`. */
export interface EfsStorageClassProps {
  /**
   * Name of the StorageClass, which claims name in `storageClassName`.
   *
   * @default 'efs'
   * @see https://kubernetes.io/docs/concepts/storage/storage-classes/
   */
  readonly name?: string;

  /**
   * ID of the EFS file system volumes are provisioned on (`fs-` and hex digits); may be a token.
   *
   * @see https://github.com/kubernetes-sigs/aws-efs-csi-driver/blob/master/docs/parameters.md
   */
  readonly fileSystemId: string;

  /**
   * Permission bits (octal) of the directory the driver creates for each volume.
   *
   * @default '700'
   * @see https://github.com/kubernetes-sigs/aws-efs-csi-driver/blob/master/docs/parameters.md
   */
  readonly directoryPerms?: string;

  /**
   * Directory of the file system under which each volume gets a directory of its own.
   *
   * @default '/dynamic'
   * @see https://github.com/kubernetes-sigs/aws-efs-csi-driver/blob/master/docs/parameters.md
   */
  readonly basePath?: string;

  /**
   * What happens to a volume when its claim is deleted. `RETAIN` by default: JupyterHub home
   * directories live on these volumes, and a deleted claim (a user removed by mistake, a chart
   * uninstalled) must not take a home directory with it; an operator deletes released volumes.
   *
   * @default VolumeReclaimPolicy.RETAIN
   * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/#reclaiming
   */
  readonly reclaimPolicy?: VolumeReclaimPolicy;

  /**
   * Mount options of the volumes.
   *
   * @default ['tls']
   * @see https://docs.aws.amazon.com/efs/latest/ug/encryption-in-transit.html
   */
  readonly mountOptions?: string[];
}

/**
 * A StorageClass (`kubernetes_storage_class_v1`) that provisions each claim as an EFS access
 * point on one file system (`provisioner: efs.csi.aws.com`, `provisioningMode: efs-ap`), with a
 * directory of its own under `basePath`, mounted over TLS. Volumes bind at once (`Immediate`):
 * an EFS file system is reachable from every zone that has a mount target, so waiting for the
 * pod's zone gains nothing.
 *
 * Needs the EFS CSI driver (`EfsCsiDriver`) and, for its controller, permission to create access
 * points on the file system.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/efs-csi.html
 * @see https://github.com/kubernetes-sigs/aws-efs-csi-driver/tree/master/examples/kubernetes/dynamic_provisioning
 */
export class EfsStorageClass extends Construct {
  /** Name of the StorageClass. */
  public readonly storageClassName: string;

  constructor(scope: Construct, id: string, props: EfsStorageClassProps) {
    super(scope, id);
    this.validate(props);
    const name = props.name ?? DEFAULT_NAME;

    new StorageClassV1(this, 'StorageClass', {
      metadata: { name },
      storageProvisioner: 'efs.csi.aws.com',
      parameters: {
        provisioningMode: 'efs-ap',
        fileSystemId: props.fileSystemId,
        directoryPerms: props.directoryPerms ?? DEFAULT_DIRECTORY_PERMS,
        basePath: props.basePath ?? DEFAULT_BASE_PATH,
      },
      reclaimPolicy: (props.reclaimPolicy ?? VolumeReclaimPolicy.RETAIN).value,
      volumeBindingMode: 'Immediate',
      mountOptions: props.mountOptions ?? DEFAULT_MOUNT_OPTIONS,
    });
    LibraryVersion.record(this, __dirname);

    this.storageClassName = name;
  }

  private validate(props: EfsStorageClassProps): void {
    if (props.name !== undefined) checkKubernetesObjectName(this, 'name', props.name);
    checkMatches(this, 'fileSystemId', props.fileSystemId, FILE_SYSTEM_ID, 'give the file system ID, "fs-" and its hex digits, e.g. "fs-0123456789abcdef0" (not its ARN or DNS name)');
    checkMatches(this, 'directoryPerms', props.directoryPerms, DIRECTORY_PERMS, 'use octal permission bits such as "700" or "0750"');
    checkMatches(this, 'basePath', props.basePath, BASE_PATH, 'use an absolute path such as "/dynamic", without a trailing slash or "." and ".." segments');
    (props.mountOptions ?? []).forEach((option, index) => checkMatches(this, `mountOptions[${index}]`, option, MOUNT_OPTION, 'use an EFS mount option such as "tls" or "iam"'));
  }
}
