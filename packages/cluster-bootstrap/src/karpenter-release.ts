import { Release } from '@cdktf/provider-helm/lib/release';
import {
  checkChartVersion, checkEksClusterName, checkIamRoleArn, checkKubernetesLabelName, checkKubernetesQuantity, checkSqsQueueName, checkWholeRange,
  Claims, LibraryVersion,
} from '@piksel/core';
import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { KarpenterRegistry } from './private/karpenter-registry';

/**
 * Karpenter 1.14.1: the newest release at the time of writing; it supports Kubernetes 1.34
 * (needs >= 1.6) and 1.36 (needs >= 1.13).
 * @see https://karpenter.sh/docs/upgrading/compatibility/
 */
const DEFAULT_VERSION = '1.14.1';
/** Two controller replicas, the chart's default (`charts/karpenter/values.yaml`, `replicas`). */
const DEFAULT_REPLICAS = 2;
/** The namespace the cluster's `karpenter` Fargate profile selects (the controller runs on Fargate). */
const DEFAULT_NAMESPACE = 'karpenter';
/**
 * 1 vCPU and 1 GiB, requests equal to limits: the Fargate variant of the getting-started guide
 * (`scripts/step08-apply-helm-chart-fargate.sh`). On Fargate this size picks the pod's tier.
 */
const DEFAULT_CONTROLLER_CPU = '1';
const DEFAULT_CONTROLLER_MEMORY = '1Gi';
/** Karpenter's charts, published to the public ECR gallery as OCI artifacts. */
const CHART_REPOSITORY = 'oci://public.ecr.aws/karpenter';
/** Fargate schedules each pod on a fresh micro-VM; allow 10 minutes for both replicas to start. */
const RELEASE_TIMEOUT_SECONDS = 600;

/** An installed Karpenter controller. */
export interface IKarpenterRelease extends IConstruct {
  /** Namespace the controller runs in. */
  readonly karpenterNamespace: string;

  /** Chart version of both the controller and its CRDs. */
  readonly karpenterVersion: string;
}

/** Properties of a `KarpenterRelease`. */
export interface KarpenterReleaseProps {
  /** Name of the EKS cluster Karpenter provisions nodes for (`settings.clusterName`). */
  readonly clusterName: string;

  /**
   * Name (not ARN) of the SQS queue that receives EC2 interruption events
   * (`settings.interruptionQueue`).
   *
   * @see https://karpenter.sh/docs/concepts/disruption/#interruption
   */
  readonly interruptionQueueName: string;

  /**
   * ARN of the controller's IRSA role, written to the service account annotation
   * `eks.amazonaws.com/role-arn`. The controller runs on Fargate, where EKS Pod Identity is not
   * available, so IRSA is the only way to give it AWS credentials.
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
   */
  readonly controllerRoleArn: string;

  /**
   * Version of the `karpenter` and `karpenter-crd` charts (always the same).
   *
   * @default '1.14.1'
   * @see https://karpenter.sh/docs/upgrading/compatibility/
   */
  readonly version?: string;

  /**
   * Number of controller replicas (1–10); one leads, the others stand by.
   *
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Namespace of the controller. It must be the namespace a Fargate profile selects.
   *
   * @default 'karpenter'
   */
  readonly namespace?: string;

  /**
   * CPU of each controller pod, request and limit (a Kubernetes quantity).
   *
   * @default '1'
   */
  readonly controllerCpu?: string;

  /**
   * Memory of each controller pod, request and limit (a Kubernetes quantity).
   *
   * @default '1Gi'
   */
  readonly controllerMemory?: string;
}

/**
 * Karpenter's controller, installed with Helm on Fargate: first the `karpenter-crd` chart (its
 * CRDs are templates, so upgrades update them), then the `karpenter` chart with `skip_crds`, both
 * from `oci://public.ecr.aws/karpenter` at the same pinned version.
 *
 * Values: `settings.clusterName`, `settings.interruptionQueue`, the IRSA annotation on the
 * service account, `replicas`, equal controller requests and limits, and `dnsPolicy: Default` so
 * the controller resolves AWS endpoints through the VPC resolver and can start before CoreDNS
 * runs. Both releases are atomic: a failed install or upgrade rolls back.
 *
 * Planning these releases needs no CRD to exist, so they belong in the first bootstrap stack;
 * `EC2NodeClass` and `NodePool` objects go in a second stack planned after this one is applied.
 *
 * Checked against the rest of the app: a second release for the same cluster fails when built;
 * at `app.synth()`, when the app has any `Ec2NodeClass`, one must be for this release's cluster
 * (and each `Ec2NodeClass` and cluster-naming `NodePool` must find a release of its cluster).
 *
 * @see https://karpenter.sh/docs/getting-started/getting-started-with-karpenter/
 * @see https://karpenter.sh/docs/troubleshooting/#failed-resolving-sts-credentials-with-io-timeout
 * @see https://karpenter.sh/docs/upgrading/upgrade-guide/#crd-upgrades
 */
export class KarpenterRelease extends Construct implements IKarpenterRelease {
  public readonly karpenterNamespace: string;
  public readonly karpenterVersion: string;

  constructor(scope: Construct, id: string, props: KarpenterReleaseProps) {
    super(scope, id);
    this.validate(props);
    if (!Token.isUnresolved(props.clusterName)) {
      Claims.of(this).claimValue(this, 'clusterName', '@piksel/cluster-bootstrap:karpenter-releases', props.clusterName, 'install Karpenter once per cluster');
    }
    KarpenterRegistry.of(this).addRelease(this, props.clusterName);
    const version = props.version ?? DEFAULT_VERSION;
    const namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const cpu = props.controllerCpu ?? DEFAULT_CONTROLLER_CPU;
    const memory = props.controllerMemory ?? DEFAULT_CONTROLLER_MEMORY;

    const crds = new Release(this, 'Crds', {
      name: 'karpenter-crd',
      repository: CHART_REPOSITORY,
      chart: 'karpenter-crd',
      version,
      namespace,
      createNamespace: true,
      atomic: true,
      wait: true,
    });
    new Release(this, 'Controller', {
      name: 'karpenter',
      repository: CHART_REPOSITORY,
      chart: 'karpenter',
      version,
      namespace,
      skipCrds: true,
      atomic: true,
      wait: true,
      timeout: RELEASE_TIMEOUT_SECONDS,
      values: [JSON.stringify({
        replicas: props.replicas ?? DEFAULT_REPLICAS,
        dnsPolicy: 'Default',
        settings: { clusterName: props.clusterName, interruptionQueue: props.interruptionQueueName },
        serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': props.controllerRoleArn } },
        controller: { resources: { requests: { cpu, memory }, limits: { cpu, memory } } },
      })],
      dependsOn: [crds],
    });
    LibraryVersion.record(this, __dirname);

    this.karpenterNamespace = namespace;
    this.karpenterVersion = version;
  }

  private validate(props: KarpenterReleaseProps): void {
    // The name only goes into the chart's values, so one known at apply time will do.
    if (!Token.isUnresolved(props.clusterName)) checkEksClusterName(this, 'clusterName', props.clusterName);
    checkSqsQueueName(this, 'interruptionQueueName', props.interruptionQueueName);
    checkIamRoleArn(this, 'controllerRoleArn', props.controllerRoleArn);
    if (props.version !== undefined) checkChartVersion(this, 'version', props.version);
    if (props.namespace !== undefined) checkKubernetesLabelName(this, 'namespace', props.namespace);
    // A controller with no CPU or memory never starts: both must be above 0.
    if (props.controllerCpu !== undefined) checkKubernetesQuantity(this, 'controllerCpu', props.controllerCpu, 0, true);
    if (props.controllerMemory !== undefined) checkKubernetesQuantity(this, 'controllerMemory', props.controllerMemory, 0, true);
    checkWholeRange(this, 'replicas', props.replicas, 1, 10, 'replicas');
  }
}
