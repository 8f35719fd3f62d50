import { validateManifest } from '../../../test/schemas/validate';
import { resourcesOf, synth } from '../../secrets/test/util';
import { PublicGateway, PublicGatewayProps } from '../src/public-gateway';

const PROPS: PublicGatewayProps = {
  clusterName: 'piksel-dev',
  namespace: 'gateway',
  hostnames: ['sandbox.pik-sel.id', 'argo.pik-sel.id'],
  clusterIssuer: 'letsencrypt-production',
};

function manifests(props: PublicGatewayProps = PROPS): Record<string, any> {
  const out = synth((stack) => new PublicGateway(stack, 'Gateway', props));
  return Object.fromEntries(Object.values(resourcesOf(out, 'kubernetes_manifest')).map((r: any) => [r.manifest.kind, r.manifest]));
}

describe('PublicGateway', () => {
  test('serves HTTP for ACME challenges and HTTPS per hostname with a cert-manager certificate each', () => {
    const gateway = manifests().Gateway;
    expect(gateway.metadata).toEqual({ name: 'public', namespace: 'gateway', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt-production' } });
    expect(gateway.spec.gatewayClassName).toBe('public');
    expect(gateway.spec.listeners).toEqual([
      { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } },
      {
        name: 'https-sandbox-pik-sel-id',
        hostname: 'sandbox.pik-sel.id',
        protocol: 'HTTPS',
        port: 443,
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'sandbox-pik-sel-id-tls' }] },
        allowedRoutes: { namespaces: { from: 'All' } },
      },
      {
        name: 'https-argo-pik-sel-id',
        hostname: 'argo.pik-sel.id',
        protocol: 'HTTPS',
        port: 443,
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'argo-pik-sel-id-tls' }] },
        allowedRoutes: { namespaces: { from: 'All' } },
      },
    ]);
  });

  test('runs Envoy behind a Network Load Balancer through its own GatewayClass', () => {
    const { GatewayClass: gatewayClass, EnvoyProxy: proxy } = manifests({ ...PROPS, proxyReplicas: 3, nodeSelector: { 'karpenter.sh/nodepool': 'default' } });
    expect(gatewayClass.spec).toEqual({
      controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
      parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: 'public', namespace: 'gateway' },
    });
    expect(proxy.spec.provider.kubernetes).toEqual({
      envoyService: { type: 'LoadBalancer', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' }, externalTrafficPolicy: 'Local' },
      envoyDeployment: { replicas: 3, pod: { nodeSelector: { 'karpenter.sh/nodepool': 'default' } } },
      envoyPDB: { minAvailable: 1 },
    });
    expect(manifests({ ...PROPS, proxyReplicas: 1 }).EnvoyProxy.spec.provider.kubernetes.envoyPDB).toBeUndefined();
  });

  test('writes objects valid against the Gateway API and Envoy Gateway CRDs', () => {
    const all = manifests();
    expect(validateManifest(all.Gateway, 'v1.6.1')).toEqual([]);
    expect(validateManifest(all.GatewayClass, 'v1.6.1')).toEqual([]);
    expect(validateManifest(all.EnvoyProxy, 'v1.9.0')).toEqual([]);
  });

  test('fails when a hostname is a wildcard, repeated, or not a domain, or none is given', () => {
    expect(() => manifests({ ...PROPS, hostnames: ['*.pik-sel.id'] })).toThrow(/Gateway: hostnames\[0\] is "\*.pik-sel.id"; name each host: HTTP-01 challenges cannot issue wildcard certificates/);
    expect(() => manifests({ ...PROPS, hostnames: ['a.pik-sel.id', 'a.pik-sel.id'] })).toThrow(/hostnames\[1\] is "a.pik-sel.id"; give each hostname once/);
    expect(() => manifests({ ...PROPS, hostnames: ['Sandbox'] })).toThrow(/hostnames\[0\] is "Sandbox"/);
    expect(() => manifests({ ...PROPS, hostnames: [] })).toThrow(/hostnames is \[\]; give 1 to 63 hostnames/);
  });
});
