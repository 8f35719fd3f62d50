import { validateChartValues } from '../../../test/schemas/validate';
import { resourcesOf, synth } from '../../secrets/test/util';
import { EnvoyGateway } from '../src/envoy-gateway';

const VERSION = 'v1.9.0';

describe('EnvoyGateway', () => {
  const releases = () => Object.values(resourcesOf(synth((stack) => new EnvoyGateway(stack, 'EnvoyGateway', { clusterName: 'piksel-dev', version: VERSION })), 'helm_release')) as any[];

  test('installs the standard Gateway API CRDs and its own from the CRD chart, then the controller without its bundled CRDs', () => {
    const [crds, controller] = ['envoy-gateway-crds', 'envoy-gateway'].map((name) => releases().find((r) => r.name === name));
    expect(crds).toMatchObject({ chart: 'gateway-crds-helm', repository: 'oci://docker.io/envoyproxy', version: VERSION, namespace: 'envoy-gateway-system', create_namespace: true });
    expect(JSON.parse(crds.values[0])).toEqual({ crds: { gatewayAPI: { enabled: true, channel: 'standard' }, envoyGateway: { enabled: true } } });
    expect(controller).toMatchObject({ chart: 'gateway-helm', version: VERSION, skip_crds: true, create_namespace: false });
    expect(controller.depends_on).toEqual([expect.stringMatching(/^helm_release\.EnvoyGateway_Crds_/)]);
    const values = JSON.parse(controller.values[0]);
    expect(values).toEqual({ crds: { enabled: false }, deployment: { replicas: 2, pod: {} }, podDisruptionBudget: { minAvailable: 1 } });
    expect(validateChartValues('gateway-crds-helm', VERSION, JSON.parse(crds.values[0]))).toEqual([]);
    expect(validateChartValues('gateway-helm', VERSION, values)).toEqual([]);
  });

  test('fails when the version has no v prefix', () => {
    expect(() => synth((stack) => new EnvoyGateway(stack, 'EnvoyGateway', { clusterName: 'piksel-dev', version: '1.9.0' }))).toThrow(/EnvoyGateway: version is "1.9.0"/);
  });
});
