import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { checkEmailAddress, checkKubernetesLabelName, checkKubernetesObjectName, LibraryVersion } from '@piksel/core';
import { Construct } from 'constructs';

/**
 * An ACME directory that issues certificates.
 *
 * @see https://letsencrypt.org/docs/staging-environment/
 */
export class AcmeServer {
  /** Let's Encrypt: certificates browsers trust, under rate limits. */
  public static readonly LETS_ENCRYPT_PRODUCTION = new AcmeServer('https://acme-v02.api.letsencrypt.org/directory');
  /** Let's Encrypt's staging directory: untrusted certificates, generous limits, for trying things out. */
  public static readonly LETS_ENCRYPT_STAGING = new AcmeServer('https://acme-staging-v02.api.letsencrypt.org/directory');

  /** The directory URL. */
  public readonly url: string;

  private constructor(url: string) { this.url = url; }
}

/** The Gateway listener an HTTP-01 solver answers challenges on. */
export interface GatewayListenerRef {
  /** Name of the Gateway. */
  readonly gatewayName: string;
  /** Namespace of the Gateway. */
  readonly gatewayNamespace: string;
  /** Name of its plain-HTTP listener (port 80), where ACME servers fetch challenges. */
  readonly listenerName: string;
}

/** Properties of an `AcmeClusterIssuer`. */
export interface AcmeClusterIssuerProps {
  /** Name of the ClusterIssuer, which `cert-manager.io/cluster-issuer` annotations refer to. */
  readonly name: string;

  /** The ACME directory. */
  readonly server: AcmeServer;

  /** Email of the ACME account: expiry and policy notices go there. */
  readonly email: string;

  /** The Gateway listener HTTP-01 challenges are answered on. */
  readonly http01Gateway: GatewayListenerRef;
}

/**
 * A cert-manager `ClusterIssuer` (`cert-manager.io/v1`) for an ACME directory such as Let's
 * Encrypt, solving HTTP-01 challenges with an `HTTPRoute` on the estate's Gateway. The ACME
 * account key lives in the Secret `<name>-account-key` in cert-manager's namespace.
 *
 * Rendered as a `kubernetes_manifest`, which needs cert-manager's CRDs when planned: put it in a
 * stack planned after cert-manager's release is applied.
 *
 * @see https://cert-manager.io/docs/configuration/acme/http01/#configuring-the-http-01-gateway-api-solver
 */
export class AcmeClusterIssuer extends Construct {
  /** Name of the ClusterIssuer. */
  public readonly issuerName: string;

  constructor(scope: Construct, id: string, props: AcmeClusterIssuerProps) {
    super(scope, id);
    checkKubernetesObjectName(this, 'name', props.name);
    checkEmailAddress(this, 'email', props.email);
    checkKubernetesObjectName(this, 'http01Gateway.gatewayName', props.http01Gateway.gatewayName);
    checkKubernetesLabelName(this, 'http01Gateway.gatewayNamespace', props.http01Gateway.gatewayNamespace);
    checkKubernetesObjectName(this, 'http01Gateway.listenerName', props.http01Gateway.listenerName);

    new Manifest(this, 'Manifest', {
      manifest: {
        apiVersion: 'cert-manager.io/v1',
        kind: 'ClusterIssuer',
        metadata: { name: props.name },
        spec: {
          acme: {
            server: props.server.url,
            email: props.email,
            privateKeySecretRef: { name: `${props.name}-account-key` },
            solvers: [{
              http01: {
                gatewayHTTPRoute: {
                  parentRefs: [{
                    group: 'gateway.networking.k8s.io',
                    kind: 'Gateway',
                    name: props.http01Gateway.gatewayName,
                    namespace: props.http01Gateway.gatewayNamespace,
                    sectionName: props.http01Gateway.listenerName,
                  }],
                },
              },
            }],
          },
        },
      },
    });
    LibraryVersion.record(this, __dirname);

    this.issuerName = props.name;
  }
}
