import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { Placements } from '../src';

/** An app with a Fargate profile for `karpenter` in one stack and two NodePools in another. */
function cluster(): { app: App; addons: TerraformStack } {
  const app = Testing.app();
  const aws = new Construct(new TerraformStack(app, 'dev'), 'Cluster');
  Placements.of(aws).addCapacity(aws, 'piksel-dev', { description: 'Fargate profile "karpenter"', fargateNamespaces: ['karpenter'] });
  const nodes = new TerraformStack(app, 'dev-nodes');
  const pools = new Construct(nodes, 'Pools');
  Placements.of(pools).addCapacity(pools, 'piksel-dev', {
    description: 'NodePool "default"',
    nodeLabels: { 'karpenter.sh/nodepool': ['default'], 'kubernetes.io/arch': ['amd64'] },
  });
  Placements.of(pools).addCapacity(pools, 'piksel-dev', {
    description: 'NodePool "gpu"',
    nodeLabels: { 'karpenter.sh/nodepool': ['gpu'], 'karpenter.k8s.aws/instance-gpu-manufacturer': ['nvidia'] },
    taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
  });
  return { app, addons: new TerraformStack(app, 'dev-addons') };
}

function requireIn(stack: TerraformStack, placement: Parameters<Placements['require']>[3], clusterName = 'piksel-dev'): Construct {
  const addon = new Construct(stack, 'Addon');
  Placements.of(addon).require(addon, 'nodeSelector', clusterName, placement);
  return addon;
}

describe('Placements', () => {
  test('fits pods by namespace on Fargate, by labels and tolerated taints on NodePools', () => {
    const { app } = cluster();
    const placements = Placements.of(app);
    expect(placements.fits('piksel-dev', { description: 'controller', namespace: 'cert-manager' })).toEqual(['NodePool "default"']);
    expect(placements.fits('piksel-dev', { description: 'controller', namespace: 'karpenter' })).toEqual(['Fargate profile "karpenter"', 'NodePool "default"']);
    expect(placements.fits('piksel-dev', { description: 'agent', namespace: 'karpenter', daemonSet: true })).toEqual(['NodePool "default"']);
    expect(placements.fits('piksel-dev', {
      description: 'plugin',
      namespace: 'gpu-operator',
      nodeSelector: { 'karpenter.k8s.aws/instance-gpu-manufacturer': 'nvidia' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      daemonSet: true,
    })).toEqual(['NodePool "gpu"']);
    // Selecting the GPU label without tolerating the pool's taint fits nothing.
    expect(placements.fits('piksel-dev', { description: 'plugin', namespace: 'x', nodeSelector: { 'karpenter.k8s.aws/instance-gpu-manufacturer': 'nvidia' } })).toEqual([]);
    // Every node is Linux.
    expect(placements.fits('piksel-dev', { description: 'c', namespace: 'x', nodeSelector: { 'kubernetes.io/os': 'linux' } })).toEqual(['NodePool "default"']);
  });

  test('a placement that fits passes the synth of its stack', () => {
    const { addons } = cluster();
    requireIn(addons, { description: 'controller of cert-manager', namespace: 'cert-manager' });
    expect(() => Testing.fullSynth(addons)).not.toThrow();
  });

  test('fails at synth when pods select a label no node carries, naming what exists', () => {
    const { addons } = cluster();
    requireIn(addons, { description: 'controller of example', namespace: 'example', nodeSelector: { 'karpenter.sh/controller': 'true' } });
    expect(() => Testing.fullSynth(addons)).toThrow(
      /dev-addons\/Addon: nodeSelector is nodeSelector \{"karpenter.sh\/controller":"true"\} with tolerations \[\] in namespace "example"; the controller of example would schedule nowhere in cluster "piksel-dev": give it a NodePool, or a Fargate profile for namespace "example".*NodePool "default" \(dev-nodes\/Pools\)/,
    );
  });

  test('fails at synth when a DaemonSet would need Fargate', () => {
    const app = Testing.app();
    const aws = new Construct(new TerraformStack(app, 'dev'), 'Cluster');
    Placements.of(aws).addCapacity(aws, 'piksel-dev', { description: 'Fargate profile "kube-system"', fargateNamespaces: ['kube-system'] });
    const stack = new TerraformStack(app, 'addons');
    requireIn(stack, { description: 'node agent', namespace: 'kube-system', daemonSet: true });
    expect(() => Testing.fullSynth(stack)).toThrow(/give it a NodePool \(Fargate runs no DaemonSet\)/);
  });

  test('does not judge a cluster whose capacity the app does not know', () => {
    const { app } = cluster();
    const stack = new TerraformStack(app, 'other');
    requireIn(stack, { description: 'controller', namespace: 'x', nodeSelector: { a: 'b' } }, 'piksel-other');
    expect(() => Testing.fullSynth(stack)).not.toThrow();
  });
});
