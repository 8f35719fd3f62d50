import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { checkDomainName, checkKubernetesLabelName, checkKubernetesObjectName, checkWholeRange, invalidProp, LibraryVersion, Placements, PodToleration } from '@piksel/core';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { GatewayListenerRef } from './acme-cluster-issuer';
import { checkToleration, renderTolerations } from './addon-options';

/** The controller name Envoy Gateway answers to in a GatewayClass. */
const ENVOY_CONTROLLER = 'gateway.envoyproxy.io/gatewayclass-controller';
/** The plain-HTTP listener: ACME HTTP-01 challenges and redirects. */
const HTTP_LISTENER = 'http';
/** Two proxies, in different zones when the scheduler can. */
const DEFAULT_PROXY_REPLICAS = 2;
/** A Gateway holds at most 64 listeners; one is the HTTP listener. */
const MAX_HOSTNAMES = 63;
/**
 * The legacy AWS cloud provider, which EKS runs in its control plane, makes a Network Load
 * Balancer for a `LoadBalancer` Service with this annotation; TLS passes through it to Envoy.
 */
const NLB_ANNOTATIONS = { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' };

/** Properties of a `PublicGateway`. */
export interface PublicGatewayProps {
  /** Name of the cluster, for the placement check of the proxies. */
  readonly clusterName: string;

  /**
   * Namespace of the Gateway, its EnvoyProxy and its certificates' Secrets. Keep it apart from
   * the namespaces of Helm releases, so whoever reads release records reads no private key.
   */
  readonly namespace: string;

  /**
   * Whether this construct creates the namespace (and the objects wait for it).
   *
   * @default true
   */
  readonly createNamespace?: boolean;

  /**
   * Name of the Gateway; the GatewayClass and the EnvoyProxy are named after it.
   *
   * @default 'public'
   */
  readonly name?: string;

  /**
   * Hostnames served over HTTPS, one listener and one certificate each (at most 63). HTTP-01
   * cannot issue wildcard certificates, so each hostname is named.
   */
  readonly hostnames: string[];

  /** ClusterIssuer that issues the listeners' certificates (`cert-manager.io/cluster-issuer`). */
  readonly clusterIssuer: string;

  /**
   * Replicas of the Envoy proxy (1–10).
   *
   * @default 2
   */
  readonly proxyReplicas?: number;

  /**
   * Node selector of the Envoy proxies.
   *
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };

  /**
   * Tolerations of the Envoy proxies.
   *
   * @default - none
   */
  readonly tolerations?: PodToleration[];
}

/**
 * The environment's one public entry point: a Gateway API `Gateway` served by Envoy Gateway
 * behind an internet-facing Network Load Balancer, with an HTTP listener on port 80 (ACME
 * challenges) and an HTTPS listener on 443 per hostname whose certificate cert-manager issues
 * into the Secret `<hostname with dashes>-tls`. Routes of every namespace may attach
 * (`HTTPRoute` with `parentRefs` to this Gateway and a `sectionName` of `https-<hostname with dashes>`).
 *
 * The namespace, then three `kubernetes_manifest` objects: the `EnvoyProxy` (the proxies' Service and pods), the
 * `GatewayClass` that points at it, and the `Gateway`; all need the Gateway API and Envoy
 * Gateway CRDs when planned, so put them in a stack planned after `EnvoyGateway` is applied.
 *
 * @see https://gateway-api.sigs.k8s.io/api-types/gateway/
 * @see https://cert-manager.io/docs/usage/gateway/
 * @see https://gateway.envoyproxy.io/docs/tasks/operations/customize-envoyproxy/
 */
export class PublicGateway extends Construct {
  /** Name of the Gateway. */
  public readonly gatewayName: string;
  /** Namespace of the Gateway. */
  public readonly gatewayNamespace: string;
  /** The HTTP listener, for `AcmeClusterIssuer.http01Gateway`. */
  public readonly http01Listener: GatewayListenerRef;

  constructor(scope: Construct, id: string, props: PublicGatewayProps) {
    super(scope, id);
    this.validate(props);
    const name = props.name ?? 'public';
    const replicas = props.proxyReplicas ?? DEFAULT_PROXY_REPLICAS;
    const placement = {
      ...(props.nodeSelector === undefined ? {} : { nodeSelector: props.nodeSelector }),
      ...(props.tolerations === undefined ? {} : { tolerations: renderTolerations(props.tolerations) }),
    };

    const namespace = (props.createNamespace ?? true)
      ? [new NamespaceV1(this, 'Namespace', { metadata: { name: props.namespace, labels: { 'app.kubernetes.io/managed-by': 'terraform' } } })]
      : [];
    const proxy = new Manifest(this, 'EnvoyProxy', {
      manifest: {
        apiVersion: 'gateway.envoyproxy.io/v1alpha1',
        kind: 'EnvoyProxy',
        metadata: { name, namespace: props.namespace },
        spec: {
          provider: {
            type: 'Kubernetes',
            kubernetes: {
              envoyService: { type: 'LoadBalancer', annotations: NLB_ANNOTATIONS, externalTrafficPolicy: 'Local' },
              envoyDeployment: { replicas, pod: placement },
              // Karpenter consolidates nodes: keep one proxy up through every voluntary disruption.
              ...(replicas > 1 ? { envoyPDB: { minAvailable: 1 } } : {}),
            },
          },
        },
      },
      dependsOn: namespace,
    });
    const gatewayClass = new Manifest(this, 'GatewayClass', {
      manifest: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'GatewayClass',
        metadata: { name },
        spec: {
          controllerName: ENVOY_CONTROLLER,
          parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name, namespace: props.namespace },
        },
      },
      dependsOn: [proxy],
    });
    new Manifest(this, 'Gateway', {
      manifest: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name, namespace: props.namespace, annotations: { 'cert-manager.io/cluster-issuer': props.clusterIssuer } },
        spec: {
          gatewayClassName: name,
          listeners: [
            { name: HTTP_LISTENER, protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } },
            ...props.hostnames.map((hostname) => ({
              name: `https-${dashed(hostname)}`,
              hostname,
              protocol: 'HTTPS',
              port: 443,
              tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: `${dashed(hostname)}-tls` }] },
              allowedRoutes: { namespaces: { from: 'All' } },
            })),
          ],
        },
      },
      dependsOn: [gatewayClass],
    });
    Placements.of(this).require(this, 'nodeSelector', props.clusterName, {
      description: `Envoy proxies of Gateway "${name}"`,
      namespace: props.namespace,
      nodeSelector: props.nodeSelector,
      tolerations: props.tolerations,
    });
    LibraryVersion.record(this, __dirname);

    this.gatewayName = name;
    this.gatewayNamespace = props.namespace;
    this.http01Listener = { gatewayName: name, gatewayNamespace: props.namespace, listenerName: HTTP_LISTENER };
  }

  private validate(props: PublicGatewayProps): void {
    checkKubernetesLabelName(this, 'namespace', props.namespace);
    if (props.name !== undefined) checkKubernetesLabelName(this, 'name', props.name);
    checkKubernetesObjectName(this, 'clusterIssuer', props.clusterIssuer);
    checkWholeRange(this, 'proxyReplicas', props.proxyReplicas, 1, 10, 'replicas');
    (props.tolerations ?? []).forEach((toleration, index) => checkToleration(this, `tolerations[${index}]`, toleration));
    if (props.hostnames.length === 0 || props.hostnames.length > MAX_HOSTNAMES) {
      throw invalidProp(this, 'hostnames', props.hostnames, `give 1 to ${MAX_HOSTNAMES} hostnames: a Gateway holds at most 64 listeners, one of them for HTTP`);
    }
    const seen = new Set<string>();
    props.hostnames.forEach((hostname, index) => {
      if (Token.isUnresolved(hostname)) {
        throw invalidProp(this, `hostnames[${index}]`, hostname, 'give a literal hostname: it names a listener and a certificate Secret');
      }
      if (hostname.startsWith('*.')) {
        throw invalidProp(this, `hostnames[${index}]`, hostname, 'name each host: HTTP-01 challenges cannot issue wildcard certificates');
      }
      checkDomainName(this, `hostnames[${index}]`, hostname);
      if (seen.has(hostname)) {
        throw invalidProp(this, `hostnames[${index}]`, hostname, 'give each hostname once');
      }
      seen.add(hostname);
    });
  }
}

/** `jupyter.pik-sel.id` → `jupyter-pik-sel-id`: a listener and Secret name. */
function dashed(hostname: string): string {
  return hostname.replace(/\./g, '-');
}
