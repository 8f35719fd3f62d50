import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { checkEksClusterName, checkIamRoleName, checkKubernetesObjectName, checkMatches, checkWholeRange, Claims, invalidProp, LibraryVersion } from '@piksel/core';
import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { KarpenterRegistry } from './private/karpenter-registry';

/** The class NodePools refer to when they name none (`NodePool`'s `nodeClassName` default). */
const DEFAULT_NAME = 'default';
/**
 * The newest EKS-optimized Amazon Linux 2023 AMI. `latest` drifts nodes when AWS releases an
 * AMI; pin `al2023@v<date>` where unplanned node replacement is unwelcome.
 * @see https://karpenter.sh/docs/concepts/nodeclasses/#specamiselectorterms
 */
const DEFAULT_AMI_ALIAS = 'al2023@latest';
/**
 * 100 GiB root volume (the AMI's own is 20 GiB): our data-cube, Jupyter and GeoMAD images are
 * several GiB each, and image layers live on the root volume. Same size as the Karpenter docs'
 * example.
 */
const DEFAULT_ROOT_VOLUME_SIZE = '100Gi';
/**
 * One hop: only the node itself reaches IMDS; pods on the pod network cannot, so they cannot take
 * the node role's credentials. Pods get AWS credentials from IRSA instead.
 * @see https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_restrict_access_to_the_instance_profile_assigned_to_the_worker_node
 */
const DEFAULT_HOP_LIMIT = 1;
/** The tag Karpenter discovers the cluster's subnets and node security group by; its value is the cluster's name. */
const DISCOVERY_TAG = 'karpenter.sh/discovery';
/** Root device of AL2 and AL2023 AMIs. */
const ROOT_DEVICE = '/dev/xvda';

/** Families whose root device is `/dev/xvda`; the CRD also allows bottlerocket and Windows. */
const AMI_ALIAS = /^(al2|al2023)@(latest|v\d{8})$/;
/** Whole GiB, up to the EC2NodeClass CRD's bound for `Gi` sizes (59000Gi). */
const VOLUME_SIZE = /^[1-9]\d{0,4}Gi$/;
const MAX_VOLUME_GIB = 59000;

/** Which AMI aliases an `Ec2NodeClass` accepts. */
export enum AmiPolicy {
  /** `@latest` or a pinned release. */
  ALLOW_LATEST = 'ALLOW_LATEST',
  /**
   * Only a pinned release (`al2023@vYYYYMMDD`): `@latest` fails at synth. For environments where
   * an AMI must be proven elsewhere first: with `@latest`, Karpenter drifts every node whenever AWS
   * publishes an AMI.
   * @see https://karpenter.sh/docs/concepts/nodeclasses/#specamiselectorterms
   */
  PINNED_ONLY = 'PINNED_ONLY',
}

/** A Karpenter `EC2NodeClass`. */
export interface IEc2NodeClass extends IConstruct {
  /** Name of the EC2NodeClass, which NodePools refer to. */
  readonly nodeClassName: string;
}

/** Properties of an `Ec2NodeClass`. */
export interface Ec2NodeClassProps {
  /** Name of the EKS cluster: the value of the `karpenter.sh/discovery` tag on its subnets and node security group. */
  readonly clusterName: string;

  /**
   * Name (not ARN) of the node IAM role; Karpenter makes and manages the instance profile.
   *
   * @see https://karpenter.sh/docs/concepts/nodeclasses/#specrole
   */
  readonly nodeRoleName: string;

  /**
   * Name of the EC2NodeClass.
   *
   * @default 'default'
   */
  readonly name?: string;

  /**
   * AMI alias, `al2023@latest` or a pinned `al2023@vYYYYMMDD` (`al2` is accepted too).
   *
   * @default 'al2023@latest'
   * @see https://karpenter.sh/docs/concepts/nodeclasses/#specamiselectorterms
   */
  readonly amiAlias?: string;

  /**
   * Which aliases are accepted; `AmiPolicy.PINNED_ONLY` refuses `@latest` (give `amiAlias` a
   * pinned release).
   *
   * @default AmiPolicy.ALLOW_LATEST
   */
  readonly amiPolicy?: AmiPolicy;

  /**
   * Size of the encrypted gp3 root volume, in `Gi`.
   *
   * @default '100Gi'
   */
  readonly rootVolumeSize?: string;

  /**
   * IMDSv2 response hop limit (1–64). Keep 1 so that pods cannot reach the node's instance
   * metadata (and its role); raise it only for host-network agents that need IMDS.
   *
   * @default 1
   * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html
   */
  readonly httpPutResponseHopLimit?: number;

  /**
   * Tags Karpenter adds to the instances, volumes and launch templates it creates.
   *
   * @default - Karpenter's own tags only
   * @see https://karpenter.sh/docs/concepts/nodeclasses/#spectags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * A Karpenter `EC2NodeClass` (`karpenter.k8s.aws/v1`): how nodes are launched. Amazon Linux 2023
 * by alias, the node role by name, subnets and security groups discovered by the
 * `karpenter.sh/discovery: <cluster>` tag, IMDSv2 required (tokens, IPv4 endpoint, hop limit 1),
 * and an encrypted gp3 root volume deleted with the instance.
 *
 * Rendered as a `kubernetes_manifest`, which needs Karpenter's CRDs to exist when planned: put
 * it in the second bootstrap stack, after the one with `KarpenterRelease` is applied.
 *
 * Checked against the rest of the app: a second EC2NodeClass of the same name and cluster fails
 * when built; at `app.synth()`, when the app has any `KarpenterRelease`, one must be for this
 * class's cluster, and NodePools naming this cluster must name one of its classes.
 *
 * @see https://karpenter.sh/docs/concepts/nodeclasses/
 */
export class Ec2NodeClass extends Construct implements IEc2NodeClass {
  public readonly nodeClassName: string;

  constructor(scope: Construct, id: string, props: Ec2NodeClassProps) {
    super(scope, id);
    this.validate(props);
    const name = props.name ?? DEFAULT_NAME;
    const discovery = [{ tags: { [DISCOVERY_TAG]: props.clusterName } }];
    if (!Token.isUnresolved(props.clusterName)) {
      Claims.of(this).claimValue(this, 'name', `@piksel/cluster-bootstrap:${props.clusterName}:ec2-node-classes`, name,
        `give each EC2NodeClass of cluster "${props.clusterName}" its own name`);
    }
    KarpenterRegistry.of(this).addNodeClass(this, props.clusterName, name);

    new Manifest(this, 'Manifest', {
      manifest: {
        apiVersion: 'karpenter.k8s.aws/v1',
        kind: 'EC2NodeClass',
        metadata: { name },
        spec: {
          role: props.nodeRoleName,
          amiSelectorTerms: [{ alias: props.amiAlias ?? DEFAULT_AMI_ALIAS }],
          subnetSelectorTerms: discovery,
          securityGroupSelectorTerms: discovery,
          metadataOptions: {
            httpEndpoint: 'enabled',
            httpProtocolIPv6: 'disabled',
            httpPutResponseHopLimit: props.httpPutResponseHopLimit ?? DEFAULT_HOP_LIMIT,
            httpTokens: 'required',
          },
          blockDeviceMappings: [{
            deviceName: ROOT_DEVICE,
            ebs: {
              volumeSize: props.rootVolumeSize ?? DEFAULT_ROOT_VOLUME_SIZE,
              volumeType: 'gp3',
              encrypted: true,
              deleteOnTermination: true,
            },
          }],
          ...(props.tags === undefined ? {} : { tags: props.tags }),
        },
      },
    });
    LibraryVersion.record(this, __dirname);

    this.nodeClassName = name;
  }

  private validate(props: Ec2NodeClassProps): void {
    if (props.name !== undefined) checkKubernetesObjectName(this, 'name', props.name);
    // The name is only a tag value in the selector terms, so one known at apply time will do.
    if (!Token.isUnresolved(props.clusterName)) checkEksClusterName(this, 'clusterName', props.clusterName);
    checkIamRoleName(this, 'nodeRoleName', props.nodeRoleName);
    checkMatches(this, 'amiAlias', props.amiAlias, AMI_ALIAS, 'use "al2023@latest" or a pinned "al2023@vYYYYMMDD" (the root volume is /dev/xvda, which other families do not use)');
    const alias = props.amiAlias ?? DEFAULT_AMI_ALIAS;
    if (props.amiPolicy === AmiPolicy.PINNED_ONLY && alias.endsWith('@latest')) {
      throw invalidProp(this, 'amiAlias', alias, 'pin an AMI release such as "al2023@v20260818" (amiPolicy is PINNED_ONLY: with @latest every node drifts whenever AWS publishes an AMI)');
    }
    const size = props.rootVolumeSize;
    if (size !== undefined && !(VOLUME_SIZE.test(size) && parseInt(size, 10) <= MAX_VOLUME_GIB)) {
      throw invalidProp(this, 'rootVolumeSize', size, `use whole GiB from 1Gi to ${MAX_VOLUME_GIB}Gi, e.g. "100Gi"`);
    }
    checkWholeRange(this, 'httpPutResponseHopLimit', props.httpPutResponseHopLimit, 1, 64, 'hops');
  }
}
