import { invalidProp, LibraryVersion, PodToleration } from '@piksel/core';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { checkAddonOptions, checkNamespace, renderTolerations } from './addon-options';
import { helmRelease, requirePlacement } from './private/helm-addon';

/** NVIDIA's chart repository for the device plugin. */
const CHART_REPOSITORY = 'https://nvidia.github.io/k8s-device-plugin';
/** The namespace Piksel's clusters run the plugin in today, `gpu-operator`. */
const DEFAULT_NAMESPACE = 'gpu-operator';
/**
 * Karpenter labels every node with the maker of its instance type's GPUs, so this selects the
 * GPU nodes of any NodePool, without Node Feature Discovery.
 * @see https://karpenter.sh/docs/concepts/scheduling/#well-known-labels
 */
const DEFAULT_NODE_SELECTOR = { 'karpenter.k8s.aws/instance-gpu-manufacturer': 'nvidia' };
/** The taint of the estate's `gpu` NodePool (`nvidia.com/gpu=true:NoSchedule`), whatever its value. */
const DEFAULT_TOLERATIONS: PodToleration[] = [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }];

/**
 * Properties of `NvidiaDevicePlugin`: the fields of `AddonOptions`, spelled out because the node
 * selector and tolerations have other defaults here (jsii forbids re-declaring inherited members).
 */
export interface NvidiaDevicePluginProps {
  /**
   * Name of the EKS cluster. The DaemonSet is judged against the NodePools the app registers for
   * this cluster (`Placements` in `@piksel/core`).
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/clusters.html
   */
  readonly clusterName: string;

  /**
   * Chart version, exactly as the chart repository publishes it (`0.20.0`): no default, the
   * estate pins it per environment.
   *
   * @see https://github.com/NVIDIA/k8s-device-plugin/releases
   */
  readonly version: string;

  /**
   * Namespace of the plugin's DaemonSet. The chart refuses `default`.
   *
   * @default 'gpu-operator'
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
   */
  readonly namespace?: string;

  /**
   * Node selector of the plugin's DaemonSet: the nodes whose GPUs it advertises.
   *
   * @default { 'karpenter.k8s.aws/instance-gpu-manufacturer': 'nvidia' }
   * @see https://karpenter.sh/docs/concepts/scheduling/#well-known-labels
   */
  readonly nodeSelector?: { [key: string]: string };

  /**
   * Tolerations of the plugin's DaemonSet: the taints of the GPU nodes.
   *
   * @default [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
   */
  readonly tolerations?: PodToleration[];
}

/**
 * The NVIDIA device plugin, installed with Helm from `https://nvidia.github.io/k8s-device-plugin`:
 * a DaemonSet on every GPU node that advertises the node's GPUs as the `nvidia.com/gpu`
 * resource, so pods can request them. Install it only in clusters with a GPU NodePool.
 *
 * The chart's default node affinity requires labels of Node Feature Discovery (or a
 * hand-set `nvidia.com/gpu.present`), which Karpenter's nodes do not carry; the plugin selects
 * Karpenter's GPU label instead (see `nodeSelector`). The app checks that the DaemonSet fits a
 * NodePool of the cluster.
 *
 * @see https://github.com/NVIDIA/k8s-device-plugin#deployment-via-helm
 * @see https://kubernetes.io/docs/concepts/extend-kubernetes/compute-storage-net/device-plugins/
 */
export class NvidiaDevicePlugin extends Construct {
  /** Namespace the plugin runs in. */
  public readonly devicePluginNamespace: string;
  /** The Helm release. */
  public readonly release: ITerraformDependable;

  constructor(scope: Construct, id: string, props: NvidiaDevicePluginProps) {
    super(scope, id);
    this.validate(props);
    const namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const nodeSelector = props.nodeSelector ?? DEFAULT_NODE_SELECTOR;
    const tolerations = props.tolerations ?? DEFAULT_TOLERATIONS;

    this.release = helmRelease(this, 'Release', {
      name: 'nvidia-device-plugin',
      repository: CHART_REPOSITORY,
      chart: 'nvidia-device-plugin',
      version: props.version,
      namespace,
      values: {
        nodeSelector,
        tolerations: renderTolerations(tolerations),
        // The chart's default `affinity` requires a node label of Node Feature Discovery
        // (`feature.node.kubernetes.io/pci-10de.present`, `…cpu-model.vendor_id`) or
        // `nvidia.com/gpu.present`; Karpenter's nodes carry none, so the DaemonSet would match no
        // node. Helm merges maps into the chart's defaults: `{}` would keep the default rule, and
        // only `null` deletes the key. The template writes `affinity` only when it is set.
        // https://helm.sh/docs/chart_template_guide/values_files/#deleting-a-default-key
        affinity: null,
      },
    });
    requirePlacement(this, { ...props, nodeSelector, tolerations }, { description: 'NVIDIA device plugin', namespace, daemonSet: true });
    LibraryVersion.record(this, __dirname);

    this.devicePluginNamespace = namespace;
  }

  private validate(props: NvidiaDevicePluginProps): void {
    checkAddonOptions(this, props);
    checkNamespace(this, props.namespace);
    if (props.namespace === 'default') {
      throw invalidProp(this, 'namespace', props.namespace, 'use a namespace of its own, e.g. "gpu-operator": the chart refuses to install into "default"');
    }
  }
}
