import { validateManifest } from '../../../test/schemas/validate';
import { onlyResource, synth } from '../../secrets/test/util';
import { AcmeClusterIssuer, AcmeClusterIssuerProps, AcmeServer } from '../src/acme-cluster-issuer';

const PROPS: AcmeClusterIssuerProps = {
  name: 'letsencrypt-production',
  server: AcmeServer.LETS_ENCRYPT_PRODUCTION,
  email: 'piksel@big.go.id',
  http01Gateway: { gatewayName: 'public', gatewayNamespace: 'gateway', listenerName: 'http' },
};

describe('AcmeClusterIssuer', () => {
  test('solves HTTP-01 challenges on the Gateway\'s HTTP listener, valid against cert-manager\'s CRD', () => {
    const manifest = onlyResource(synth((stack) => new AcmeClusterIssuer(stack, 'Issuer', PROPS)), 'kubernetes_manifest').manifest;
    expect(manifest).toEqual({
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'letsencrypt-production' },
      spec: {
        acme: {
          server: 'https://acme-v02.api.letsencrypt.org/directory',
          email: 'piksel@big.go.id',
          privateKeySecretRef: { name: 'letsencrypt-production-account-key' },
          solvers: [{ http01: { gatewayHTTPRoute: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway', sectionName: 'http' }] } } }],
        },
      },
    });
    expect(validateManifest(manifest, 'v1.21.1')).toEqual([]);
  });

  test('uses Let\'s Encrypt\'s staging directory when asked', () => {
    const manifest = onlyResource(synth((stack) => new AcmeClusterIssuer(stack, 'Issuer', { ...PROPS, name: 'letsencrypt-staging', server: AcmeServer.LETS_ENCRYPT_STAGING })), 'kubernetes_manifest').manifest;
    expect(manifest.spec.acme.server).toBe('https://acme-staging-v02.api.letsencrypt.org/directory');
  });

  test('fails when the ACME email is not an email', () => {
    expect(() => synth((stack) => new AcmeClusterIssuer(stack, 'Issuer', { ...PROPS, email: 'piksel.big.go.id' })))
      .toThrow(/Issuer: email is "piksel.big.go.id"; use an email address such as "devops@example.org"/);
  });

  test('fails when a name is not a Kubernetes name', () => {
    expect(() => synth((stack) => new AcmeClusterIssuer(stack, 'Issuer', { ...PROPS, name: 'Lets_Encrypt' }))).toThrow(/Issuer: name is "Lets_Encrypt"/);
    expect(() => synth((stack) => new AcmeClusterIssuer(stack, 'Issuer', { ...PROPS, http01Gateway: { ...PROPS.http01Gateway, listenerName: 'HTTP' } })))
      .toThrow(/http01Gateway.listenerName is "HTTP"/);
  });
});
