import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Placements } from '@piksel/core';
import { TerraformStack, Testing } from 'cdktf';
import { validateChartValues } from '../../../test/schemas/validate';
import { onlyResource, synth } from '../../secrets/test/util';
import { MetricsServer, MetricsServerProps } from '../src/metrics-server';

const VERSION = '3.13.1';
const PROPS: MetricsServerProps = { clusterName: 'piksel-dev', version: VERSION };

function release(props: Partial<MetricsServerProps> = {}): any {
  return onlyResource(synth((stack) => new MetricsServer(stack, 'MetricsServer', { ...PROPS, ...props })), 'helm_release');
}

function valuesOf(props: Partial<MetricsServerProps> = {}): any {
  const values = JSON.parse(release(props).values[0]);
  expect(validateChartValues('metrics-server', VERSION, values)).toEqual([]);
  return values;
}

/** An app whose cluster has the estate's `default` NodePool and CoreDNS's Fargate profile. */
function clusterApp(): TerraformStack {
  const app = Testing.app();
  const nodes = new TerraformStack(app, 'dev-nodes');
  Placements.of(nodes).addCapacity(nodes, 'piksel-dev', {
    description: 'NodePool "default"', nodeLabels: { 'karpenter.sh/nodepool': ['default'], 'kubernetes.io/arch': ['amd64'] },
  });
  const addons = new TerraformStack(app, 'dev-addons');
  new HelmProvider(addons, 'Helm', { kubernetes: { host: 'https://example.invalid' } });
  return addons;
}

describe('MetricsServer', () => {
  test('installs chart 3.13.1 from the metrics-server repository into kube-system', () => {
    expect(release()).toMatchObject({
      name: 'metrics-server',
      chart: 'metrics-server',
      repository: 'https://kubernetes-sigs.github.io/metrics-server/',
      version: VERSION,
      namespace: 'kube-system',
      atomic: true,
      wait: true,
    });
  });

  test('runs two replicas with a disruption budget that keeps one', () => {
    const values = valuesOf();
    expect(values.replicas).toBe(2);
    expect(values.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
  });

  test('prefers internal IPs and scrapes every 15 seconds, each flag once', () => {
    const values = valuesOf();
    expect(values.defaultArgs).toEqual([
      '--cert-dir=/tmp',
      '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
      '--kubelet-use-node-status-port',
      '--metric-resolution=15s',
    ]);
    expect(values.args).toBeUndefined();
  });

  test('takes a resolution, one replica without a budget, a namespace and a placement', () => {
    let server: MetricsServer | undefined;
    const out = onlyResource(synth((stack) => {
      server = new MetricsServer(stack, 'MetricsServer', {
        ...PROPS,
        metricResolution: '1m30s',
        replicas: 1,
        namespace: 'monitoring',
        nodeSelector: { 'karpenter.sh/nodepool': 'default' },
        tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
      });
    }), 'helm_release');
    const values = JSON.parse(out.values[0]);
    expect(validateChartValues('metrics-server', VERSION, values)).toEqual([]);
    expect(out.namespace).toBe('monitoring');
    expect(server?.metricsServerNamespace).toBe('monitoring');
    expect(values.defaultArgs).toContain('--metric-resolution=1m30s');
    expect(values.replicas).toBe(1);
    expect(values.podDisruptionBudget).toEqual({ enabled: false });
    expect(values.nodeSelector).toEqual({ 'karpenter.sh/nodepool': 'default' });
    expect(values.tolerations).toEqual([{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  test.each<[string, Partial<MetricsServerProps>, RegExp]>([
    ['the version floats', { version: 'latest' }, /MetricsServer: version is "latest"; use one released chart version MAJOR.MINOR.PATCH/],
    ['the version has a v prefix', { version: 'v3.13.1' }, /version is "v3.13.1"; .*no "v" prefix/],
    ['the resolution is not a duration', { metricResolution: '15' }, /MetricsServer: metricResolution is "15"; use a Go duration longer than 10s/],
    ['the resolution is 10 seconds', { metricResolution: '10s' }, /metricResolution is "10s"; use a Go duration longer than 10s/],
    ['there are no replicas', { replicas: 0 }, /replicas is 0; use a whole number of replicas from 1 to 5/],
    ['a toleration has no key and operator Equal', { tolerations: [{ operator: 'Equal' }] }, /tolerations\[0\].operator is "Equal"; give a key, or use "Exists"/],
    ['the namespace is not a label', { namespace: 'Kube-System' }, /namespace is "Kube-System"; use a Kubernetes name/],
  ])('fails when %s', (_name, props, message) => {
    expect(() => release(props)).toThrow(message);
  });

  test('passes the app synth when it fits a NodePool of the cluster', () => {
    const addons = clusterApp();
    new MetricsServer(addons, 'MetricsServer', PROPS);
    expect(() => Testing.fullSynth(addons)).not.toThrow();
  });

  test('fails the app synth when its selector fits no NodePool or Fargate profile of the cluster', () => {
    const addons = clusterApp();
    new MetricsServer(addons, 'MetricsServer', { ...PROPS, nodeSelector: { 'karpenter.sh/nodepool': 'system' } });
    expect(() => Testing.fullSynth(addons)).toThrow(
      /dev-addons\/MetricsServer: nodeSelector is nodeSelector \{"karpenter.sh\/nodepool":"system"\} .* the metrics-server would schedule nowhere in cluster "piksel-dev".*NodePool "default"/,
    );
  });
});
