import { Placements } from '@piksel/core';
import { TerraformStack, Testing } from 'cdktf';
import { validateChartValues } from '../../../test/schemas/validate';
import { onlyResource, synth } from '../../secrets/test/util';
import { CertManager } from '../src/cert-manager';

const VERSION = 'v1.21.1';

describe('CertManager', () => {
  test('installs the chart with its CRDs kept, two replicas with a budget, and Gateway API support', () => {
    const release = onlyResource(synth((stack) => new CertManager(stack, 'CertManager', { clusterName: 'piksel-dev', version: VERSION })), 'helm_release');
    expect(release).toMatchObject({ name: 'cert-manager', chart: 'cert-manager', repository: 'https://charts.jetstack.io', version: VERSION, namespace: 'cert-manager', atomic: true, create_namespace: true });
    const values = JSON.parse(release.values[0]);
    expect(values).toMatchObject({
      crds: { enabled: true, keep: true },
      replicaCount: 2,
      podDisruptionBudget: { enabled: true },
      extraArgs: ['--enable-gateway-api'],
      webhook: { replicaCount: 2, podDisruptionBudget: { enabled: true } },
    });
    expect(validateChartValues('cert-manager', VERSION, values)).toEqual([]);
  });

  test('puts every component on the given nodes, and leaves Gateway API off when asked', () => {
    const release = onlyResource(synth((stack) => new CertManager(stack, 'CertManager', {
      clusterName: 'piksel-dev',
      version: VERSION,
      replicas: 1,
      gatewayApi: false,
      nodeSelector: { 'karpenter.sh/nodepool': 'default' },
      tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
    })), 'helm_release');
    const values = JSON.parse(release.values[0]);
    expect(values.extraArgs).toBeUndefined();
    expect(values.podDisruptionBudget).toBeUndefined();
    for (const part of [values, values.webhook, values.cainjector, values.startupapicheck]) {
      expect(part.nodeSelector).toEqual({ 'karpenter.sh/nodepool': 'default' });
      expect(part.tolerations).toEqual([{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }]);
    }
    expect(validateChartValues('cert-manager', VERSION, values)).toEqual([]);
  });

  test('fails when the version floats or lacks the chart\'s v prefix', () => {
    for (const version of ['latest', '1.21.1', 'v1.21']) {
      expect(() => synth((stack) => new CertManager(stack, 'CertManager', { clusterName: 'piksel-dev', version })))
        .toThrow(/CertManager: version is ".*"; use one released chart version vMAJOR.MINOR.PATCH/);
    }
  });

  test('fails when a toleration is malformed or replicas are out of range', () => {
    expect(() => synth((stack) => new CertManager(stack, 'CertManager', { clusterName: 'piksel-dev', version: VERSION, tolerations: [{ operator: 'Equal' }] })))
      .toThrow(/tolerations\[0\].operator is "Equal"; give a key, or use "Exists"/);
    expect(() => synth((stack) => new CertManager(stack, 'CertManager', { clusterName: 'piksel-dev', version: VERSION, tolerations: [{ key: 'a', effect: 'Sometimes' }] })))
      .toThrow(/tolerations\[0\].effect is "Sometimes"; use one of NoSchedule, PreferNoSchedule, NoExecute/);
    expect(() => synth((stack) => new CertManager(stack, 'CertManager', { clusterName: 'piksel-dev', version: VERSION, replicas: 0 })))
      .toThrow(/replicas is 0/);
  });

  test('fails at synth when its pods fit no NodePool or Fargate profile of the cluster', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'nodes');
    Placements.of(stack).addCapacity(stack, 'piksel-dev', { description: 'NodePool "gpu"', taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }] });
    new CertManager(stack, 'CertManager', { clusterName: 'piksel-dev', version: VERSION });
    expect(() => Testing.fullSynth(stack)).toThrow(/nodes\/CertManager: nodeSelector is .* the cert-manager would schedule nowhere in cluster "piksel-dev".*NodePool "gpu"/);
  });
});
