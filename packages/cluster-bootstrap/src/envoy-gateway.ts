import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { checkKubernetesLabelName, checkMatches, checkWholeRange, LibraryVersion } from '@piksel/core';
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
/** Flux's namespace, where the CRDs' GitRepositories and Kustomizations live. */
const DEFAULT_FLUX_NAMESPACE = 'flux-system';
/** The Gateway API's repository; its standard channel's CRDs are `config/crd/standard` at each release tag. */
const GATEWAY_API_REPOSITORY = 'https://github.com/kubernetes-sigs/gateway-api';
const GATEWAY_API_CRDS = 'config/crd/standard';
/** Envoy Gateway's repository; its own CRDs are the controller chart's CRD subchart at each release tag. */
const ENVOY_GATEWAY_REPOSITORY = 'https://github.com/envoyproxy/gateway';
const ENVOY_GATEWAY_CRDS = 'charts/gateway-helm/charts/crds/crds/generated';
/** CRDs change only with a pin: an hourly look is plenty. */
const CRD_INTERVAL = '1h';
/** A release tag of the Gateway API, `v1.6.1`. */
const GATEWAY_API_TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** Properties of `EnvoyGateway`. */
export interface EnvoyGatewayProps extends AddonOptions {
  /**
   * Release of the Gateway API whose standard-channel CRDs to install, `v1.6.1`: the one the
   * Envoy Gateway version supports (its compatibility matrix).
   *
   * @see https://gateway.envoyproxy.io/news/releases/matrix/
   */
  readonly gatewayApiVersion: string;

  /**
   * Replicas of the Envoy Gateway controller (1–5).
   *
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Namespace of Flux, which applies the CRDs.
   *
   * @default 'flux-system'
   */
  readonly fluxNamespace?: string;
}

/**
 * Envoy Gateway, the estate's Gateway API implementation: the Gateway API CRDs (standard
 * channel) and Envoy Gateway's own CRDs, then the `gateway-helm` controller from
 * `oci://docker.io/envoyproxy` with its bundled CRDs switched off, in `envoy-gateway-system`.
 *
 * The CRDs are not a Helm release: they run to about 5 MB, and Helm keeps a whole chart in its
 * release record, which Kubernetes caps at 1 MiB, so `gateway-crds-helm` cannot be installed
 * with Helm (Envoy Gateway's own documentation applies it with `kubectl apply --server-side`).
 * Flux applies them instead, from the upstream repositories at the pinned tags, with pruning
 * off (deleting a CRD deletes every object of its kind); Terraform waits until both
 * Kustomizations are Ready, so whatever depends on `crds` starts with the CRDs in place and
 * upgrades follow the pins.
 *
 * Why Envoy Gateway: ingress-nginx was retired in March 2026; Envoy Gateway is a maintained,
 * conformant Gateway API implementation with a Helm chart, and it terminates TLS itself with the
 * certificates cert-manager writes, so one Network Load Balancer in front of it (see
 * `PublicGateway`) serves every hostname. The AWS Load Balancer Controller's Gateway support
 * terminates TLS on the ALB with ACM certificates instead, which cert-manager cannot issue.
 *
 * Flux's CRDs must exist when this is planned: put it in a stack planned after Flux is applied.
 *
 * @see https://gateway.envoyproxy.io/docs/install/install-helm/
 * @see https://gateway-api.sigs.k8s.io/guides/#installing-gateway-api
 */
export class EnvoyGateway extends Construct {
  /** Namespace of the controller and of the Envoy proxies it runs. */
  public readonly gatewayNamespace: string;
  /** The CRDs, Ready: what creates or watches Gateway API objects depends on it. */
  public readonly crds: ITerraformDependable;
  /** The controller release. */
  public readonly release: ITerraformDependable;

  constructor(scope: Construct, id: string, props: EnvoyGatewayProps) {
    super(scope, id);
    checkAddonOptions(this, props, 'v');
    checkMatches(this, 'gatewayApiVersion', props.gatewayApiVersion, GATEWAY_API_TAG, 'use a Gateway API release tag such as "v1.6.1"');
    checkWholeRange(this, 'replicas', props.replicas, 1, 5, 'replicas');
    if (props.fluxNamespace !== undefined) checkKubernetesLabelName(this, 'fluxNamespace', props.fluxNamespace);
    const replicas = props.replicas ?? DEFAULT_REPLICAS;
    const fluxNamespace = props.fluxNamespace ?? DEFAULT_FLUX_NAMESPACE;

    const gatewayApi = this.crdSource('GatewayApiCrds', { name: 'gateway-api-crds', namespace: fluxNamespace, url: GATEWAY_API_REPOSITORY, tag: props.gatewayApiVersion, path: GATEWAY_API_CRDS });
    const envoy = this.crdSource('EnvoyGatewayCrds', { name: 'envoy-gateway-crds', namespace: fluxNamespace, url: ENVOY_GATEWAY_REPOSITORY, tag: props.version, path: ENVOY_GATEWAY_CRDS }, gatewayApi);
    this.release = helmRelease(this, 'Controller', {
      name: 'envoy-gateway',
      repository: CHART_REPOSITORY,
      chart: 'gateway-helm',
      version: props.version,
      namespace: NAMESPACE,
      skipCrds: true,
      values: {
        crds: { enabled: false },
        deployment: { replicas, pod: placementValues(props) },
        podDisruptionBudget: { minAvailable: replicas > 1 ? 1 : 0 },
      },
      dependsOn: [gatewayApi.manifest, envoy.manifest],
    });
    requirePlacement(this, props, { description: 'Envoy Gateway controller', namespace: NAMESPACE });
    LibraryVersion.record(this, __dirname);

    this.gatewayNamespace = NAMESPACE;
    this.crds = envoy.manifest;
  }

  /**
   * A Flux GitRepository of one directory of a repository at a tag, and the Kustomization that
   * applies it, waited for until Ready; after `after`'s, when given (Envoy Gateway's CRDs refer
   * to the Gateway API's kinds).
   */
  private crdSource(id: string, crds: CrdSource, after?: { manifest: Manifest; name: string }): { manifest: Manifest; name: string } {
    const { name, namespace, url, tag, path } = crds;
    const source = new Manifest(this, `${id}Source`, {
      manifest: {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name, namespace },
        // Only the directory of CRDs is fetched and kept.
        spec: { url, ref: { tag }, interval: CRD_INTERVAL, ignore: `/*\n!/${path}/\n` },
      },
    });
    const manifest = new Manifest(this, id, {
      manifest: {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name, namespace },
        spec: {
          interval: CRD_INTERVAL,
          path: `./${path}`,
          // Never delete a CRD: Kubernetes would delete every object of its kind with it.
          prune: false,
          wait: true,
          timeout: '5m',
          sourceRef: { kind: 'GitRepository', name },
          ...(after === undefined ? {} : { dependsOn: [{ name: after.name }] }),
        },
      },
      wait: { condition: [{ type: 'Ready', status: 'True' }] },
      timeouts: { create: '10m', update: '10m' },
      dependsOn: [source, ...(after === undefined ? [] : [after.manifest])],
    });
    return { manifest, name };
  }
}

/** A directory of CRDs in a Git repository at a tag, applied by Flux as `name`. */
interface CrdSource {
  readonly name: string;
  readonly namespace: string;
  readonly url: string;
  readonly tag: string;
  readonly path: string;
}
