import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Placements } from '@piksel/core';
import { TerraformStack, Testing } from 'cdktf';
import { validateChartValues } from '../../../test/schemas/validate';
import { onlyResource, synth } from '../../secrets/test/util';
import { NvidiaDevicePlugin, NvidiaDevicePluginProps } from '../src/nvidia-device-plugin';

const VERSION = '0.20.0';
const PROPS: NvidiaDevicePluginProps = { clusterName: 'piksel-dev', version: VERSION };

function release(props: Partial<NvidiaDevicePluginProps> = {}): any {
  return onlyResource(synth((stack) => new NvidiaDevicePlugin(stack, 'DevicePlugin', { ...PROPS, ...props })), 'helm_release');
}

function valuesOf(props: Partial<NvidiaDevicePluginProps> = {}): any {
  const values = JSON.parse(release(props).values[0]);
  expect(validateChartValues('nvidia-device-plugin', VERSION, values)).toEqual([]);
  return values;
}

/** An app whose cluster has the estate's `default` NodePool, and its `gpu` pool when asked. */
function clusterApp(gpuPool: boolean): TerraformStack {
  const app = Testing.app();
  const nodes = new TerraformStack(app, 'dev-nodes');
  Placements.of(nodes).addCapacity(nodes, 'piksel-dev', { description: 'NodePool "default"', nodeLabels: { 'karpenter.sh/nodepool': ['default'] } });
  if (gpuPool) {
    Placements.of(nodes).addCapacity(nodes, 'piksel-dev', {
      description: 'NodePool "gpu"',
      nodeLabels: { 'karpenter.sh/nodepool': ['gpu'], 'karpenter.k8s.aws/instance-gpu-manufacturer': ['nvidia'] },
      taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
    });
  }
  const addons = new TerraformStack(app, 'dev-addons');
  new HelmProvider(addons, 'Helm', { kubernetes: { host: 'https://example.invalid' } });
  return addons;
}

describe('NvidiaDevicePlugin', () => {
  test('installs chart 0.20.0 from NVIDIA\'s repository into gpu-operator', () => {
    expect(release()).toMatchObject({
      name: 'nvidia-device-plugin',
      chart: 'nvidia-device-plugin',
      repository: 'https://nvidia.github.io/k8s-device-plugin',
      version: VERSION,
      namespace: 'gpu-operator',
      create_namespace: true,
      atomic: true,
    });
  });

  test('selects GPU nodes by Karpenter\'s label and tolerates their taint', () => {
    const values = valuesOf();
    expect(values.nodeSelector).toEqual({ 'karpenter.k8s.aws/instance-gpu-manufacturer': 'nvidia' });
    expect(values.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  test('deletes the chart\'s Node Feature Discovery affinity with null, which Helm reads as "remove the default"', () => {
    const values = valuesOf();
    expect(values).toHaveProperty('affinity', null);
  });

  test('takes a namespace, node selector and tolerations', () => {
    let plugin: NvidiaDevicePlugin | undefined;
    const out = onlyResource(synth((stack) => {
      plugin = new NvidiaDevicePlugin(stack, 'DevicePlugin', {
        ...PROPS, namespace: 'nvidia', nodeSelector: { 'karpenter.sh/nodepool': 'gpu' }, tolerations: [{ operator: 'Exists' }],
      });
    }), 'helm_release');
    const values = JSON.parse(out.values[0]);
    expect(validateChartValues('nvidia-device-plugin', VERSION, values)).toEqual([]);
    expect(out.namespace).toBe('nvidia');
    expect(plugin?.devicePluginNamespace).toBe('nvidia');
    expect(values.nodeSelector).toEqual({ 'karpenter.sh/nodepool': 'gpu' });
    expect(values.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  test.each<[string, Partial<NvidiaDevicePluginProps>, RegExp]>([
    ['the version floats', { version: 'latest' }, /DevicePlugin: version is "latest"; use one released chart version MAJOR.MINOR.PATCH/],
    ['the namespace is default, which the chart refuses', { namespace: 'default' }, /DevicePlugin: namespace is "default"; use a namespace of its own/],
    ['a toleration has an unknown effect', { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoScheduled' }] }, /tolerations\[0\].effect is "NoScheduled"; use one of NoSchedule/],
    ['a toleration with Exists has a value', { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', value: 'true' }] }, /tolerations\[0\].value is "true"; remove the value/],
    ['a selector key is not a label key', { nodeSelector: { 'gpu manufacturer': 'nvidia' } }, /nodeSelector is "gpu manufacturer"/],
  ])('fails when %s', (_name, props, message) => {
    expect(() => release(props)).toThrow(message);
  });

  test('passes the app synth in a cluster with a GPU NodePool', () => {
    const addons = clusterApp(true);
    new NvidiaDevicePlugin(addons, 'DevicePlugin', PROPS);
    expect(() => Testing.fullSynth(addons)).not.toThrow();
  });

  test('fails the app synth in a cluster without a GPU NodePool', () => {
    const addons = clusterApp(false);
    new NvidiaDevicePlugin(addons, 'DevicePlugin', PROPS);
    expect(() => Testing.fullSynth(addons)).toThrow(
      /dev-addons\/DevicePlugin: nodeSelector is nodeSelector \{"karpenter.k8s.aws\/instance-gpu-manufacturer":"nvidia"\} .* the NVIDIA device plugin would schedule nowhere in cluster "piksel-dev": give it a NodePool \(Fargate runs no DaemonSet\)/,
    );
  });

  test('fails the app synth when the tolerations leave out the GPU pool\'s taint', () => {
    const addons = clusterApp(true);
    new NvidiaDevicePlugin(addons, 'DevicePlugin', { ...PROPS, tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }] });
    expect(() => Testing.fullSynth(addons)).toThrow(/the NVIDIA device plugin would schedule nowhere/);
  });
});
