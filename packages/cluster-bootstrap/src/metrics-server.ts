import { checkMatches, checkWholeRange, invalidProp, LibraryVersion } from '@piksel/core';
import { ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AddonOptions, checkAddonOptions, checkNamespace } from './addon-options';
import { helmRelease, placementValues, requirePlacement } from './private/helm-addon';

/** The metrics-server project's chart repository. */
const CHART_REPOSITORY = 'https://kubernetes-sigs.github.io/metrics-server/';
/** Where the Resource Metrics API is conventionally served from (the chart's documented namespace). */
const DEFAULT_NAMESPACE = 'kube-system';
/** Two replicas with a disruption budget: the chart's high-availability advice. */
const DEFAULT_REPLICAS = 2;
/** How often kubelets are scraped: the chart's default, and what Piksel runs today (`--metric-resolution=15s`). */
const DEFAULT_METRIC_RESOLUTION = '15s';
/** Go durations of whole hours, minutes and seconds, in that order: `15s`, `1m`, `1m30s`. */
const DURATION = /^(?=\d)(\d+h)?(\d+m)?(\d+s)?$/;
/**
 * metrics-server refuses a resolution of 10 s or less at start-up: it must be at least 10 s and
 * longer than `--kubelet-request-timeout`, whose default is 10 s.
 */
const MIN_METRIC_RESOLUTION_SECONDS = 11;

/** Properties of `MetricsServer`. */
export interface MetricsServerProps extends AddonOptions {
  /**
   * Namespace of metrics-server.
   *
   * @default 'kube-system'
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
   */
  readonly namespace?: string;

  /**
   * Replicas (1–5); more than one gets a PodDisruptionBudget of `minAvailable: 1`, so draining
   * a node never leaves the Resource Metrics API (and every HorizontalPodAutoscaler) without a
   * server.
   *
   * @default 2
   * @see https://github.com/kubernetes-sigs/metrics-server#high-availability
   */
  readonly replicas?: number;

  /**
   * How often metrics-server scrapes the kubelets (`--metric-resolution`), a Go duration such
   * as `15s` or `1m`, longer than 10 s.
   *
   * @default '15s'
   * @see https://github.com/kubernetes-sigs/metrics-server#configuration
   */
  readonly metricResolution?: string;
}

/**
 * metrics-server, installed with Helm from `https://kubernetes-sigs.github.io/metrics-server/`:
 * the Resource Metrics API (`metrics.k8s.io`) behind `kubectl top` and HorizontalPodAutoscalers.
 * Two replicas with a PodDisruptionBudget; kubelets are reached at their internal IP first
 * (`--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname`) every 15 seconds.
 *
 * The app judges its node selector and tolerations against the cluster's NodePools and Fargate
 * profiles: metrics-server runs on Fargate as well as on EC2 nodes.
 *
 * @see https://github.com/kubernetes-sigs/metrics-server/tree/master/charts/metrics-server
 */
export class MetricsServer extends Construct {
  /** Namespace metrics-server runs in. */
  public readonly metricsServerNamespace: string;
  /** The Helm release, for ordering what needs the Resource Metrics API. */
  public readonly release: ITerraformDependable;

  constructor(scope: Construct, id: string, props: MetricsServerProps) {
    super(scope, id);
    this.validate(props);
    const namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const replicas = props.replicas ?? DEFAULT_REPLICAS;
    const metricResolution = props.metricResolution ?? DEFAULT_METRIC_RESOLUTION;

    this.release = helmRelease(this, 'Release', {
      name: 'metrics-server',
      repository: CHART_REPOSITORY,
      chart: 'metrics-server',
      version: props.version,
      namespace,
      values: {
        replicas,
        podDisruptionBudget: replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false },
        // The chart passes `defaultArgs` and then `args`. Its defaults already carry both flags
        // Piksel sets, so they are written here in place of the defaults rather than appended
        // as `args`: a repeated `--kubelet-preferred-address-types` (a string slice) would list
        // every address type twice. `--cert-dir` and `--kubelet-use-node-status-port` are the
        // chart's own defaults, kept.
        defaultArgs: [
          '--cert-dir=/tmp',
          '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
          '--kubelet-use-node-status-port',
          `--metric-resolution=${metricResolution}`,
        ],
        ...placementValues(props),
      },
    });
    requirePlacement(this, props, { description: 'metrics-server', namespace });
    LibraryVersion.record(this, __dirname);

    this.metricsServerNamespace = namespace;
  }

  private validate(props: MetricsServerProps): void {
    checkAddonOptions(this, props);
    checkNamespace(this, props.namespace);
    checkWholeRange(this, 'replicas', props.replicas, 1, 5, 'replicas');
    const fix = 'use a Go duration longer than 10s, such as "15s", "30s" or "1m" (metrics-server refuses 10s or less)';
    const resolution = props.metricResolution;
    checkMatches(this, 'metricResolution', resolution, DURATION, fix);
    if (resolution !== undefined && !Token.isUnresolved(resolution) && seconds(resolution) < MIN_METRIC_RESOLUTION_SECONDS) {
      throw invalidProp(this, 'metricResolution', resolution, fix);
    }
  }
}

/** The length in seconds of a duration `DURATION` accepts. */
function seconds(duration: string): number {
  const [, hours, minutes, secs] = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(duration) ?? [];
  return Number(hours ?? 0) * 3600 + Number(minutes ?? 0) * 60 + Number(secs ?? 0);
}
