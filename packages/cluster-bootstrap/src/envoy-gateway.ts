import { checkWholeRange, LibraryVersion } from '@piksel/core';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AddonOptions, checkAddonOptions } from './addon-options';
import { helmRelease, placementValues, requirePlacement } from './private/helm-addon';

/** Envoy Gateway publishes its charts as OCI artifacts on Docker Hub. */
const CHART_REPOSITORY = 'oci://docker.io/envoyproxy';
/** The namespace the chart's documentation installs into; its Envoy proxies run there too. */
const NAMESPACE = 'envoy-gateway-system';
/** Two controllers (one leads) with a disruption budget. */
const DEFAULT_REPLICAS = 2;

/** Properties of `EnvoyGateway`. */
export interface EnvoyGatewayProps extends AddonOptions {
  /**
   * Replicas of the Envoy Gateway controller (1–5).
   *
   * @default 2
   */
  readonly replicas?: number;
}

/**
 * Envoy Gateway, the estate's Gateway API implementation: first the `gateway-crds-helm` chart
 * (the Gateway API CRDs of the standard channel and Envoy Gateway's own, as templates, so
 * upgrades update them), then the `gateway-helm` controller with its bundled CRDs switched off,
 * both from `oci://docker.io/envoyproxy` at the same pinned version, in `envoy-gateway-system`.
 *
 * Why Envoy Gateway: ingress-nginx was retired in March 2026; Envoy Gateway is a maintained,
 * conformant Gateway API implementation with a Helm chart, and it terminates TLS itself with the
 * certificates cert-manager writes, so one Network Load Balancer in front of it (see
 * `PublicGateway`) serves every hostname. The AWS Load Balancer Controller's Gateway support
 * terminates TLS on the ALB with ACM certificates instead, which cert-manager cannot issue.
 *
 * @see https://gateway.envoyproxy.io/docs/install/install-helm/
 * @see https://gateway-api.sigs.k8s.io/implementations/
 */
export class EnvoyGateway extends Construct {
  /** Namespace of the controller and of the Envoy proxies it runs. */
  public readonly gatewayNamespace: string;
  /** The CRD release: Gateway API and Envoy Gateway CRDs. What creates Gateway API objects depends on it. */
  public readonly crdsRelease: ITerraformDependable;
  /** The controller release. */
  public readonly release: ITerraformDependable;

  constructor(scope: Construct, id: string, props: EnvoyGatewayProps) {
    super(scope, id);
    checkAddonOptions(this, props, 'v');
    checkWholeRange(this, 'replicas', props.replicas, 1, 5, 'replicas');
    const replicas = props.replicas ?? DEFAULT_REPLICAS;

    const crds = helmRelease(this, 'Crds', {
      name: 'envoy-gateway-crds',
      repository: CHART_REPOSITORY,
      chart: 'gateway-crds-helm',
      version: props.version,
      namespace: NAMESPACE,
      values: { crds: { gatewayAPI: { enabled: true, channel: 'standard' }, envoyGateway: { enabled: true } } },
    });
    this.release = helmRelease(this, 'Controller', {
      name: 'envoy-gateway',
      repository: CHART_REPOSITORY,
      chart: 'gateway-helm',
      version: props.version,
      namespace: NAMESPACE,
      createNamespace: false,
      skipCrds: true,
      values: {
        crds: { enabled: false },
        deployment: { replicas, pod: placementValues(props) },
        podDisruptionBudget: { minAvailable: replicas > 1 ? 1 : 0 },
      },
      dependsOn: [crds],
    });
    requirePlacement(this, props, { description: 'Envoy Gateway controller', namespace: NAMESPACE });
    LibraryVersion.record(this, __dirname);

    this.gatewayNamespace = NAMESPACE;
    this.crdsRelease = crds;
  }
}
