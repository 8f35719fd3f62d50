import { LibraryVersion, checkWholeRange } from '@piksel/core';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AddonOptions, checkAddonOptions, checkNamespace } from './addon-options';
import { helmRelease, placementValues, requirePlacement } from './private/helm-addon';

/** Jetstack's chart repository, where cert-manager publishes its chart. */
const CHART_REPOSITORY = 'https://charts.jetstack.io';
/** The chart's documented namespace. */
const DEFAULT_NAMESPACE = 'cert-manager';
/** Two controllers (one leads) with a disruption budget: the chart's advice for production. */
const DEFAULT_REPLICAS = 2;

/** Properties of `CertManager`. */
export interface CertManagerProps extends AddonOptions {
  /**
   * Namespace of cert-manager's controller, webhook and CA injector.
   *
   * @default 'cert-manager'
   */
  readonly namespace?: string;

  /**
   * Replicas of the controller and the webhook (1–5); more than one gets a PodDisruptionBudget.
   *
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Whether cert-manager solves HTTP-01 challenges with Gateway API `HTTPRoute`s and issues
   * certificates for annotated `Gateway`s (`--enable-gateway-api`). The Gateway API CRDs must be
   * installed first: pass their release in `dependsOn`.
   *
   * @default true
   * @see https://cert-manager.io/docs/usage/gateway/
   */
  readonly gatewayApi?: boolean;

  /**
   * What must be applied before cert-manager starts, e.g. the Gateway API CRDs.
   *
   * @default - nothing
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * cert-manager, installed with Helm from `https://charts.jetstack.io` with its CRDs (kept when
 * the release is uninstalled, so certificates survive a reinstall), and, by default, with
 * Gateway API support so ACME HTTP-01 challenges are answered through the estate's Gateway.
 *
 * The controller, webhook, CA injector and start-up check share the node selector and
 * tolerations; the app judges them against the cluster's NodePools and Fargate profiles.
 *
 * @see https://cert-manager.io/docs/installation/helm/
 */
export class CertManager extends Construct {
  /** Namespace cert-manager runs in. */
  public readonly certManagerNamespace: string;
  /** The Helm release, for ordering what needs cert-manager's CRDs or webhook. */
  public readonly release: ITerraformDependable;

  constructor(scope: Construct, id: string, props: CertManagerProps) {
    super(scope, id);
    checkAddonOptions(this, props, 'v');
    checkNamespace(this, props.namespace);
    checkWholeRange(this, 'replicas', props.replicas, 1, 5, 'replicas');
    const namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const replicas = props.replicas ?? DEFAULT_REPLICAS;
    const placement = placementValues(props);
    const highlyAvailable = replicas > 1 ? { podDisruptionBudget: { enabled: true } } : {};

    this.release = helmRelease(this, 'Release', {
      name: 'cert-manager',
      repository: CHART_REPOSITORY,
      chart: 'cert-manager',
      version: props.version,
      namespace,
      values: {
        crds: { enabled: true, keep: true },
        replicaCount: replicas,
        ...highlyAvailable,
        ...(props.gatewayApi ?? true ? { extraArgs: ['--enable-gateway-api'] } : {}),
        ...placement,
        webhook: { replicaCount: replicas, ...highlyAvailable, ...placement },
        cainjector: placement,
        startupapicheck: placement,
      },
      dependsOn: props.dependsOn,
    });
    requirePlacement(this, props, { description: 'cert-manager', namespace });
    LibraryVersion.record(this, __dirname);

    this.certManagerNamespace = namespace;
  }
}
