import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { checkIamRoleNameOrDerived, Claims, invalidProp, isChartVersion, LibraryVersion } from '@piksel/core';
import { Annotations, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { AccessEntryType } from './access-entry';
import { ICluster } from './cluster-interface';
import { InterruptionQueue } from './interruption-queue';
import { checkQueueName, controllerPolicies, ec2Trust, policyDocument } from './private/karpenter-policy';

/** Suffixes of the derived role names, after the cluster name. */
const CONTROLLER_ROLE_SUFFIX = '-karpenter';
const NODE_ROLE_SUFFIX = '-karpenter-node';

/** The chart line the controller policies are copied from (KP-CFN of `website/content/en/v1.14`). */
const POLICY_CHART_LINE = '1.14';
/** The chart's service account: namespace of the getting-started guide, default `serviceAccount.name` (fact sheet §1.5, §6). */
const CONTROLLER_NAMESPACE = 'karpenter';
const CONTROLLER_SERVICE_ACCOUNT = 'karpenter';
/** The node role's AWS managed policies (KP-CFN `KarpenterNodeRole.ManagedPolicyArns`, v1.14: ECR PullOnly, not ReadOnly). */
const NODE_MANAGED_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore'];

/**
 * A Karpenter chart version (`oci://public.ecr.aws/karpenter/karpenter`).
 *
 * The controller's IAM policy of this library matches the 1.14 chart line: it is copied from
 * `cloudformation.yaml` of the v1.14 getting-started guide. A newer chart may need other
 * permissions: before moving to one, compare its `cloudformation.yaml`
 * (`website/content/en/v<line>/getting-started/getting-started-with-karpenter/`) with this policy.
 * `Karpenter` warns at synth when the version is of another line.
 *
 * @see https://karpenter.sh/docs/upgrading/compatibility/
 */
export class KarpenterVersion {
  /** Karpenter 1.14.1 (Kubernetes 1.34–1.36). */
  public static readonly V1_14_1 = KarpenterVersion.of('1.14.1');

  /**
   * Any chart version, e.g. `KarpenterVersion.of('1.15.0')` for one newer than this library.
   *
   * @param version `MAJOR.MINOR.PATCH` with major 1 or later, e.g. `1.14.1`
   */
  public static of(version: string): KarpenterVersion {
    // A released chart version of major 1 or later: 0.x charts use other APIs and policies.
    if (!isChartVersion(version) || version.startsWith('0.')) {
      throw new Error(`KarpenterVersion.of: version is ${JSON.stringify(version)}; use a v1 or later chart version such as "1.14.1"`);
    }
    return new KarpenterVersion(version);
  }

  /** The chart version, e.g. `1.14.1`. */
  public readonly version: string;
  /** The chart line, `MAJOR.MINOR`, e.g. `1.14`. */
  public readonly line: string;

  private constructor(version: string) {
    this.version = version;
    this.line = version.split('.').slice(0, 2).join('.');
  }
}

/** What the in-cluster bootstrap of Karpenter needs from its AWS side. */
export interface IKarpenter extends IConstruct {
  /** ARN of the controller's IRSA role: Helm value `serviceAccount.annotations."eks.amazonaws.com/role-arn"`. */
  readonly controllerRoleArn: string;
  /** Name of the node role: `EC2NodeClass.spec.role`. */
  readonly nodeRoleName: string;
  /** ARN of the node role. */
  readonly nodeRoleArn: string;
  /** Name of the interruption queue: Helm value `settings.interruptionQueue`. */
  readonly interruptionQueueName: string;
  /** ARN of the interruption queue. */
  readonly interruptionQueueArn: string;
  /** The chart version the controller policy was written for. */
  readonly version: KarpenterVersion;
}

/** Properties of `Karpenter`. */
export interface KarpenterProps {
  /** The cluster whose nodes Karpenter provisions. */
  readonly cluster: ICluster;

  /**
   * The Karpenter chart version the bootstrap installs.
   *
   * @default KarpenterVersion.V1_14_1
   */
  readonly version?: KarpenterVersion;

  /**
   * Name of the controller's IRSA role (at most 64 characters).
   *
   * @default `<cluster>-karpenter`
   */
  readonly controllerRoleName?: string;

  /**
   * Name of the node role (at most 64 characters).
   *
   * @default `<cluster>-karpenter-node`
   */
  readonly nodeRoleName?: string;

  /**
   * Name of the interruption queue (at most 42 characters, so the rule names
   * `<queue>-<event>` fit EventBridge's 64).
   *
   * @default - the cluster name, as in Karpenter's getting-started guide
   */
  readonly interruptionQueueName?: string;

  /**
   * Tags for the node role, the queue and the rules. (The controller role is made by
   * `cluster.addServiceAccount`, which takes no tags.)
   *
   * @default - none besides the provider's default tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * The AWS side of Karpenter for one cluster, as in Karpenter's getting-started guide (v1.14):
 *
 * - the controller role, an IRSA role for `karpenter/karpenter` with the six controller policies
 *   of that guide as inline policies, scoped to this cluster's name, account and region. It is
 *   IRSA, not EKS Pod Identity: the controller runs on Fargate, where Pod Identity does not work;
 * - the node role (`ec2.amazonaws.com` trust; EKS worker, CNI, ECR pull-only and SSM managed
 *   policies) and its `EC2_LINUX` access entry. There is no instance profile: Karpenter v1 makes
 *   and deletes instance profiles itself from `EC2NodeClass.spec.role` = `nodeRoleName`;
 * - the interruption queue and its EventBridge rules (`InterruptionQueue`).
 *
 * The chart and its `EC2NodeClass`/`NodePool` are installed by the in-cluster bootstrap, from
 * this construct's attributes.
 *
 * @see https://karpenter.sh/docs/getting-started/getting-started-with-karpenter/
 * @see https://karpenter.sh/docs/reference/cloudformation/
 * @see https://docs.aws.amazon.com/eks/latest/userguide/service-accounts.html (Pod Identity: not on Fargate)
 */
export class Karpenter extends Construct implements IKarpenter {
  /** ARN of the controller's IRSA role: Helm value `serviceAccount.annotations."eks.amazonaws.com/role-arn"`. */
  public readonly controllerRoleArn: string;
  /** Name of the node role: `EC2NodeClass.spec.role`. */
  public readonly nodeRoleName: string;
  /** ARN of the node role. */
  public readonly nodeRoleArn: string;
  /** Name of the interruption queue: Helm value `settings.interruptionQueue`. */
  public readonly interruptionQueueName: string;
  /** ARN of the interruption queue. */
  public readonly interruptionQueueArn: string;
  /** The chart version the bootstrap installs. */
  public readonly version: KarpenterVersion;

  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    const { cluster } = props;
    const clusterName = cluster.clusterName;
    const controllerRoleName = props.controllerRoleName ?? `${clusterName}${CONTROLLER_ROLE_SUFFIX}`;
    const nodeRoleName = props.nodeRoleName ?? `${clusterName}${NODE_ROLE_SUFFIX}`;
    const queueName = props.interruptionQueueName ?? clusterName;
    this.validate(props, controllerRoleName, nodeRoleName, queueName);
    const version = props.version ?? KarpenterVersion.V1_14_1;
    if (version.line !== POLICY_CHART_LINE) {
      Annotations.of(this).addWarning(`Karpenter ${version.version}: the controller policy matches chart line ${POLICY_CHART_LINE}; check it against cloudformation.yaml of v${version.line}`);
    }

    const queue = new InterruptionQueue(this, 'InterruptionQueue', { queueName, tags: props.tags });
    Claims.of(this).claimIamRole(this, props.nodeRoleName === undefined ? 'the derived nodeRoleName' : 'nodeRoleName', nodeRoleName, props.cluster.account, 'nodeRoleName');
    const nodeRole = new IamRole(this, 'NodeRole', {
      name: nodeRoleName,
      description: `Nodes that Karpenter launches for ${clusterName}`,
      assumeRolePolicy: ec2Trust(),
      tags: props.tags,
    });
    for (const policy of NODE_MANAGED_POLICIES) {
      new IamRolePolicyAttachment(nodeRole, policy, { role: nodeRole.name, policyArn: `arn:aws:iam::aws:policy/${policy}` });
    }
    cluster.addAccessEntry('KarpenterNode', { principalArn: nodeRole.arn, type: AccessEntryType.EC2_LINUX });

    const controller = cluster.addServiceAccount(CONTROLLER_NAMESPACE, CONTROLLER_SERVICE_ACCOUNT, { roleName: controllerRoleName });
    const policyScope = { clusterName, account: cluster.account, region: cluster.region, nodeRoleArn: nodeRole.arn, queueArn: queue.queueArn };
    for (const [name, statements] of Object.entries(controllerPolicies(policyScope))) {
      controller.addInlinePolicy(name, policyDocument(statements));
    }
    LibraryVersion.record(this, __dirname);

    this.controllerRoleArn = controller.roleArn;
    this.nodeRoleName = nodeRoleName;
    this.nodeRoleArn = nodeRole.arn;
    this.interruptionQueueName = queue.queueName;
    this.interruptionQueueArn = queue.queueArn;
    this.version = version;
  }

  /** Fails on names IAM or SQS would refuse, naming the prop that fixes a derived one. */
  private validate(props: KarpenterProps, controllerRoleName: string, nodeRoleName: string, queueName: string): void {
    if (Token.isUnresolved(props.cluster.clusterName)) {
      throw invalidProp(this, 'cluster.clusterName', props.cluster.clusterName, 'use a cluster whose name is a literal: the controller policy conditions name it');
    }
    // A derived name is wrong only because the cluster name is long: say which input to shorten.
    const clusterName = props.cluster.clusterName;
    const from = (suffix: string, override: string) => ({ field: 'cluster.clusterName', value: clusterName, overhead: suffix.length, override });
    checkIamRoleNameOrDerived(this, 'controllerRoleName', props.controllerRoleName, controllerRoleName, from(CONTROLLER_ROLE_SUFFIX, 'controllerRoleName'));
    checkIamRoleNameOrDerived(this, 'nodeRoleName', props.nodeRoleName, nodeRoleName, from(NODE_ROLE_SUFFIX, 'nodeRoleName'));
    checkQueueName(this, props.interruptionQueueName === undefined ? 'interruptionQueueName (derived from cluster.clusterName)' : 'interruptionQueueName', queueName, 'give an interruptionQueueName');
  }
}
