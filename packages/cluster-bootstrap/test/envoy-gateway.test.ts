import { validateChartValues, validateManifest } from '../../../test/schemas/validate';
import { resourcesOf, synth, Synthesized } from '../../secrets/test/util';
import { EnvoyGateway, EnvoyGatewayProps } from '../src/envoy-gateway';

const VERSION = 'v1.9.0';
const PROPS: EnvoyGatewayProps = { clusterName: 'piksel-dev', version: VERSION, gatewayApiVersion: 'v1.6.1' };

const build = (props: EnvoyGatewayProps = PROPS): Synthesized => synth((stack) => new EnvoyGateway(stack, 'EnvoyGateway', props));
const manifests = (out: Synthesized) => Object.entries(resourcesOf(out, 'kubernetes_manifest')).map(([address, r]: [string, any]) => ({ address, ...r }));

describe('EnvoyGateway', () => {
  test('has Flux apply the Gateway API and Envoy Gateway CRDs from the pinned tags, pruning nothing, and waits until they are Ready', () => {
    const all = manifests(build());
    const byName = (kind: string, name: string) => all.find((m) => m.manifest.kind === kind && m.manifest.metadata.name === name)!;
    expect(byName('GitRepository', 'gateway-api-crds').manifest.spec).toEqual({
      url: 'https://github.com/kubernetes-sigs/gateway-api', ref: { tag: 'v1.6.1' }, interval: '1h', ignore: '/*\n!/config/crd/standard/\n',
    });
    expect(byName('GitRepository', 'envoy-gateway-crds').manifest.spec).toMatchObject({
      url: 'https://github.com/envoyproxy/gateway', ref: { tag: VERSION }, ignore: '/*\n!/charts/gateway-helm/charts/crds/crds/generated/\n',
    });
    const envoyCrds = byName('Kustomization', 'envoy-gateway-crds');
    expect(envoyCrds.manifest.spec).toEqual({
      interval: '1h',
      path: './charts/gateway-helm/charts/crds/crds/generated',
      prune: false,
      wait: true,
      timeout: '5m',
      sourceRef: { kind: 'GitRepository', name: 'envoy-gateway-crds' },
      dependsOn: [{ name: 'gateway-api-crds' }],
    });
    expect(byName('Kustomization', 'gateway-api-crds').manifest.spec.prune).toBe(false);
    for (const kustomization of all.filter((m) => m.manifest.kind === 'Kustomization')) {
      expect(kustomization.wait).toEqual({ condition: [{ type: 'Ready', status: 'True' }] });
    }
    for (const { manifest } of all) expect(validateManifest(manifest, '2.18.3')).toEqual([]);
  });

  test('installs the controller without its bundled CRDs, after both CRD sources are Ready', () => {
    const out = build();
    const [controller] = Object.values(resourcesOf(out, 'helm_release')) as any[];
    expect(Object.keys(resourcesOf(out, 'helm_release'))).toHaveLength(1);
    expect(controller).toMatchObject({ name: 'envoy-gateway', chart: 'gateway-helm', repository: 'oci://docker.io/envoyproxy', version: VERSION, skip_crds: true, create_namespace: true });
    const kustomizations = manifests(out).filter((m) => m.manifest.kind === 'Kustomization').map((m) => `kubernetes_manifest.${m.address}`);
    expect(controller.depends_on.sort()).toEqual(kustomizations.sort());
    const values = JSON.parse(controller.values[0]);
    expect(values).toEqual({ crds: { enabled: false }, deployment: { replicas: 2, pod: {} }, podDisruptionBudget: { minAvailable: 1 } });
    expect(validateChartValues('gateway-helm', VERSION, values)).toEqual([]);
  });

  test('fails when the version has no v prefix, or the Gateway API version is no release tag', () => {
    expect(() => build({ ...PROPS, version: '1.9.0' })).toThrow(/EnvoyGateway: version is "1.9.0"/);
    expect(() => build({ ...PROPS, gatewayApiVersion: 'main' })).toThrow(/EnvoyGateway: gatewayApiVersion is "main"; use a Gateway API release tag such as "v1.6.1"/);
  });
});
