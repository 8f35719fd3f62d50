import { checkWholeRange, LibraryVersion } from '@piksel/core';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AddonOptions, checkAddonOptions, checkNamespace, checkServiceAccountAnnotations } from './addon-options';
import { helmRelease, placementValues, requirePlacement } from './private/helm-addon';

/** The driver project's chart repository. */
const CHART_REPOSITORY = 'https://kubernetes-sigs.github.io/aws-efs-csi-driver/';
/** The chart's documented namespace. */
const DEFAULT_NAMESPACE = 'kube-system';
/** Two controllers (one leads): the chart's default. */
const DEFAULT_CONTROLLER_REPLICAS = 2;
/**
 * The service accounts the estate's IAM roles trust (IRSA `sub` conditions and Pod Identity
 * associations); also the chart's and AWS's documented names.
 */
const CONTROLLER_SERVICE_ACCOUNT = 'efs-csi-controller-sa';
const NODE_SERVICE_ACCOUNT = 'efs-csi-node-sa';
/** Tolerates every taint, so the node plugin runs on every node, GPU nodes included. */
const TOLERATE_EVERYTHING = [{ operator: 'Exists' }];

/** Properties of `EfsCsiDriver`. */
export interface EfsCsiDriverProps extends AddonOptions {
  /**
   * Namespace of the controller and the node DaemonSet.
   *
   * @default 'kube-system'
   * @see https://github.com/kubernetes-sigs/aws-efs-csi-driver/blob/master/docs/install.md
   */
  readonly namespace?: string;

  /**
   * Annotations of the controller's service account `efs-csi-controller-sa`, which creates and
   * deletes access points: `{ 'eks.amazonaws.com/role-arn': <role ARN> }` for IRSA, `{}` for
   * EKS Pod Identity.
   *
   * @default - none
   * @see https://docs.aws.amazon.com/eks/latest/userguide/efs-csi.html
   */
  readonly controllerServiceAccountAnnotations?: { [key: string]: string };

  /**
   * Annotations of the node DaemonSet's service account `efs-csi-node-sa`, which mounts file
   * systems (it needs AWS credentials only for IAM-authorized mounts and cross-account DNS).
   *
   * @default - none
   * @see https://docs.aws.amazon.com/eks/latest/userguide/efs-csi.html
   */
  readonly nodeServiceAccountAnnotations?: { [key: string]: string };

  /**
   * Replicas of the controller (1–5); more than one gets a PodDisruptionBudget of
   * `minAvailable: 1`.
   *
   * @default 2
   * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/
   */
  readonly controllerReplicas?: number;
}

/**
 * The Amazon EFS CSI driver, installed with Helm from
 * `https://kubernetes-sigs.github.io/aws-efs-csi-driver/`: the controller, which provisions
 * volumes as EFS access points (see `EfsStorageClass`), and the node DaemonSet, which mounts them.
 *
 * The node DaemonSet tolerates every taint, so pods on any node (GPU nodes included) can mount
 * EFS volumes; it cannot run on Fargate, which mounts EFS by itself. The controller takes the node
 * selector and tolerations and must run on an EC2 node of a NodePool as well: the chart runs its
 * container privileged, which Fargate refuses, and EKS Pod Identity gives Fargate pods no
 * credentials. The app checks both against the cluster's NodePools.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/efs-csi.html
 * @see https://github.com/kubernetes-sigs/aws-efs-csi-driver/tree/master/charts/aws-efs-csi-driver
 */
export class EfsCsiDriver extends Construct {
  /** Namespace of the controller and the node DaemonSet. */
  public readonly efsCsiDriverNamespace: string;
  /** Name of the controller's service account. */
  public readonly controllerServiceAccountName: string;
  /** Name of the node DaemonSet's service account. */
  public readonly nodeServiceAccountName: string;
  /** The Helm release, for ordering what provisions EFS volumes. */
  public readonly release: ITerraformDependable;

  constructor(scope: Construct, id: string, props: EfsCsiDriverProps) {
    super(scope, id);
    this.validate(props);
    const namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const replicas = props.controllerReplicas ?? DEFAULT_CONTROLLER_REPLICAS;

    this.release = helmRelease(this, 'Release', {
      name: 'aws-efs-csi-driver',
      repository: CHART_REPOSITORY,
      chart: 'aws-efs-csi-driver',
      version: props.version,
      namespace,
      values: {
        controller: {
          replicaCount: replicas,
          podDisruptionBudget: replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false },
          serviceAccount: { create: true, name: CONTROLLER_SERVICE_ACCOUNT, annotations: props.controllerServiceAccountAnnotations ?? {} },
          ...placementValues(props),
        },
        node: {
          serviceAccount: { create: true, name: NODE_SERVICE_ACCOUNT, annotations: props.nodeServiceAccountAnnotations ?? {} },
          // The chart's default too; written so that a chart that narrowed it could not leave
          // GPU (or any tainted) nodes unable to mount EFS.
          tolerations: TOLERATE_EVERYTHING,
        },
      },
    });
    // `daemonSet: true` counts NodePools only. The controller is a Deployment, but it needs an
    // EC2 node too: the chart's `controller.containerSecurityContext.privileged: true` makes
    // Fargate refuse the pod, and Pod Identity (production) does not reach Fargate pods.
    // https://github.com/kubernetes-sigs/aws-efs-csi-driver/issues/1100
    requirePlacement(this, props, { description: 'EFS CSI controller (privileged; Fargate refuses it)', namespace, daemonSet: true });
    requirePlacement(this, { ...props, nodeSelector: undefined, tolerations: TOLERATE_EVERYTHING }, {
      description: 'EFS CSI node DaemonSet', namespace, daemonSet: true,
    });
    LibraryVersion.record(this, __dirname);

    this.efsCsiDriverNamespace = namespace;
    this.controllerServiceAccountName = CONTROLLER_SERVICE_ACCOUNT;
    this.nodeServiceAccountName = NODE_SERVICE_ACCOUNT;
  }

  private validate(props: EfsCsiDriverProps): void {
    checkAddonOptions(this, props);
    checkNamespace(this, props.namespace);
    checkWholeRange(this, 'controllerReplicas', props.controllerReplicas, 1, 5, 'replicas');
    checkServiceAccountAnnotations(this, 'controllerServiceAccountAnnotations', props.controllerServiceAccountAnnotations);
    checkServiceAccountAnnotations(this, 'nodeServiceAccountAnnotations', props.nodeServiceAccountAnnotations);
  }
}
