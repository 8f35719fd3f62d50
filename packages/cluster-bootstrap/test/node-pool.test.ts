import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { onlyResource, resourcesOf, synth } from '../../secrets/test/util';
import { Ec2NodeClass } from '../src/ec2-node-class';
import { KarpenterRelease } from '../src/karpenter-release';
import { ConsolidationPolicy, NodePool, NodePoolProps, RequirementOperator, TaintEffect } from '../src/node-pool';

const ARCH = { key: 'kubernetes.io/arch', operator: RequirementOperator.IN, values: ['amd64'] };
const PROPS: NodePoolProps = { name: 'batch', requirements: [ARCH] };

function manifestOf(build: (stack: Construct) => void): any {
  const out = synth((stack) => {
    new KubernetesProvider(stack, 'Kubernetes', { host: 'https://example.invalid' });
    build(stack);
  });
  return onlyResource(out, 'kubernetes_manifest').manifest;
}

describe('NodePool', () => {
  test('renders a karpenter.sh/v1 NodePool on the default EC2NodeClass', () => {
    const manifest = manifestOf((stack) => new NodePool(stack, 'Pool', PROPS));
    expect(manifest).toMatchObject({ apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: 'batch' } });
    expect(manifest.spec.template.spec.nodeClassRef).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' });
    expect(manifest.spec.template.spec.requirements).toEqual([{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }]);
  });

  test('consolidates when empty or underutilized after 20m and expires nodes after 720h by default', () => {
    const { spec } = manifestOf((stack) => new NodePool(stack, 'Pool', PROPS));
    expect(spec.disruption).toEqual({ consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '20m' });
    expect(spec.template.spec.expireAfter).toBe('720h');
    expect(spec.limits).toBeUndefined();
    expect(spec.weight).toBeUndefined();
    expect(spec.template.spec.taints).toBeUndefined();
  });

  test('renders every option: node class, taints, limits, policy, durations and weight', () => {
    const { spec } = manifestOf((stack) => new NodePool(stack, 'Pool', {
      ...PROPS,
      requirements: [ARCH, { key: 'example.com/dedicated', operator: RequirementOperator.EXISTS }],
      nodeClassName: 'batch',
      taints: [{ key: 'dedicated', effect: TaintEffect.NO_EXECUTE }, { key: 'spot', value: 'yes', effect: TaintEffect.PREFER_NO_SCHEDULE }],
      limits: { cpu: '100', memory: '400Gi' },
      consolidationPolicy: ConsolidationPolicy.WHEN_EMPTY,
      consolidateAfter: 'Never',
      expireAfter: '1h30m',
      weight: 50,
    }));
    expect(spec.template.spec.nodeClassRef.name).toBe('batch');
    expect(spec.template.spec.requirements[1]).toEqual({ key: 'example.com/dedicated', operator: 'Exists' });
    expect(spec.template.spec.taints).toEqual([
      { key: 'dedicated', effect: 'NoExecute' },
      { key: 'spot', value: 'yes', effect: 'PreferNoSchedule' },
    ]);
    expect(spec.limits).toEqual({ cpu: '100', memory: '400Gi' });
    expect(spec.disruption).toEqual({ consolidationPolicy: 'WhenEmpty', consolidateAfter: 'Never' });
    expect(spec.template.spec.expireAfter).toBe('1h30m');
    expect(spec.weight).toBe(50);
  });

  test('defaultPool: c and t families, nitro, generation above 2, amd64, cpu limit 10000', () => {
    let pool: NodePool | undefined;
    const manifest = manifestOf((stack) => { pool = NodePool.defaultPool(stack, 'Default'); });
    expect(pool?.nodePoolName).toBe('default');
    expect(manifest.metadata.name).toBe('default');
    expect(manifest.spec.template.spec.requirements).toEqual([
      { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 't'] },
      { key: 'karpenter.k8s.aws/instance-hypervisor', operator: 'In', values: ['nitro'] },
      { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['2'] },
      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
    ]);
    expect(manifest.spec.limits).toEqual({ cpu: '10000' });
    expect(manifest.spec.disruption).toEqual({ consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '20m' });
    expect(manifest.spec.template.spec.expireAfter).toBe('720h');
  });

  test('gpuPool: g5, tainted nvidia.com/gpu=true:NoSchedule, limit 20 GPUs', () => {
    const manifest = manifestOf((stack) => NodePool.gpuPool(stack, 'Gpu'));
    expect(manifest.metadata.name).toBe('gpu');
    expect(manifest.spec.template.spec.requirements).toContainEqual({ key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['g5'] });
    expect(manifest.spec.template.spec.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
    expect(manifest.spec.limits).toEqual({ 'nvidia.com/gpu': '20' });
  });

  test('the estate pools take options but keep their names and requirements', () => {
    const manifest = manifestOf((stack) => NodePool.gpuPool(stack, 'Gpu', { limits: { 'nvidia.com/gpu': '4' }, nodeClassName: 'gpu' }));
    expect(manifest.metadata.name).toBe('gpu');
    expect(manifest.spec.limits).toEqual({ 'nvidia.com/gpu': '4' });
    expect(manifest.spec.template.spec.nodeClassRef.name).toBe('gpu');
    expect(manifest.spec.template.spec.taints).toHaveLength(1);
  });

  test('two pools in one stack are two manifests keyed by construct ID', () => {
    const out = synth((stack) => {
      new KubernetesProvider(stack, 'Kubernetes', { host: 'https://example.invalid' });
      NodePool.defaultPool(stack, 'DefaultPool');
      NodePool.gpuPool(stack, 'GpuPool');
    });
    expect(Object.keys(resourcesOf(out, 'kubernetes_manifest')).sort()).toEqual([
      expect.stringMatching(/^DefaultPool_Manifest_/),
      expect.stringMatching(/^GpuPool_Manifest_/),
    ]);
  });

  const IN = RequirementOperator.IN;
  test.each<[string, Partial<NodePoolProps>, RegExp]>([
    ['the name is not an RFC 1123 label', { name: 'GPU' }, /Pool: name is "GPU"; use a Kubernetes name of 1-63 lower-case letters/],
    ['the node class name is not RFC 1123', { nodeClassName: 'Default' }, /nodeClassName is "Default"/],
    ['a requirement key repeats', { requirements: [ARCH, { ...ARCH, values: ['arm64'] }] }, /requirements\[kubernetes.io\/arch\].key is "kubernetes.io\/arch"; give each key once/],
    ['a requirement key is malformed', { requirements: [{ key: 'bad key', operator: IN, values: ['x'] }] }, /requirements\[bad key\].key is "bad key"; use a Kubernetes qualified name/],
    ['In has no values', { requirements: [{ key: 'a', operator: IN }] }, /requirements\[a\].values is \[\]; give at least one value for In/],
    ['NotIn has no values', { requirements: [{ key: 'a', operator: RequirementOperator.NOT_IN, values: [] }] }, /give at least one value for NotIn/],
    ['Gt has two values', { requirements: [{ key: 'a', operator: RequirementOperator.GT, values: ['1', '2'] }] }, /values is \["1","2"\]; give exactly one non-negative integer for Gt/],
    ['Lt has a non-integer', { requirements: [{ key: 'a', operator: RequirementOperator.LT, values: ['x'] }] }, /give exactly one non-negative integer for Lt/],
    ['Exists has values', { requirements: [{ key: 'a', operator: RequirementOperator.EXISTS, values: ['x'] }] }, /values is \["x"\]; give no values for Exists/],
    ['DoesNotExist has values', { requirements: [{ key: 'a', operator: RequirementOperator.DOES_NOT_EXIST, values: ['x'] }] }, /give no values for DoesNotExist/],
    ['a value is not a label value', { requirements: [{ key: 'a', operator: IN, values: ['a b'] }] }, /values is "a b"; use a label value/],
    ['a value is longer than 63', { requirements: [{ key: 'a', operator: IN, values: ['x'.repeat(64)] }] }, /use a label value: at most 63/],
    ['a taint key is malformed', { taints: [{ key: '-x', effect: TaintEffect.NO_SCHEDULE }] }, /taints.key is "-x"/],
    ['a taint value is malformed', { taints: [{ key: 'x', value: 'a b', effect: TaintEffect.NO_SCHEDULE }] }, /taints\[x\].value is "a b"/],
    ['a taint repeats', { taints: [{ key: 'x', effect: TaintEffect.NO_SCHEDULE }, { key: 'x', value: 'y', effect: TaintEffect.NO_SCHEDULE }] }, /taints is "x:NoSchedule"; give each key and effect once/],
    ['a limit is not a quantity', { limits: { cpu: 'lots' } }, /limits.cpu is "lots"; use a Kubernetes quantity/],
    ['the CPU limit is negative', { limits: { cpu: '-10' } }, /Pool: limits.cpu is "-10"; use a Kubernetes quantity above 0/],
    ['the CPU limit is zero', { limits: { cpu: '0' } }, /Pool: limits.cpu is "0"; use a Kubernetes quantity above 0/],
    ['the CPU limit is a word', { limits: { cpu: 'ten' } }, /Pool: limits.cpu is "ten"; use a Kubernetes quantity above 0/],
    ['the memory limit is zero with a unit', { limits: { memory: '0Gi' } }, /limits.memory is "0Gi"; use a Kubernetes quantity above 0/],
    ['a limit resource is malformed', { limits: { 'bad resource': '1' } }, /limits.bad resource is "bad resource"; use a Kubernetes qualified name such as "kubernetes.io\/arch" or "cpu"/],
    ['consolidateAfter has days', { consolidateAfter: '1d' }, /consolidateAfter is "1d"; use a duration of s, m and h/],
    ['expireAfter is never in lower case', { expireAfter: 'never' }, /expireAfter is "never"/],
    ['the weight is 0', { weight: 0 }, /weight is 0; use a whole number of priority points from 1 to 100/],
    ['the weight is above 100', { weight: 101 }, /weight is 101/],
  ])('fails when %s', (_name, extra, message) => {
    expect(() => manifestOf((stack) => new NodePool(stack, 'Pool', { ...PROPS, ...extra }))).toThrow(message);
  });
});

describe('NodePool relations', () => {
  /** Karpenter in one stack, node classes and pools in another, as the two bootstrap stages are. */
  function stages(pool: (stack: TerraformStack) => void, nodeClassCluster = 'piksel-dev') {
    // The nodes stage is built first: the app reports the first stack's problems, and these are the pool's.
    const app = Testing.app();
    const second = new TerraformStack(app, 'BootstrapNodes');
    new KubernetesProvider(second, 'Kubernetes', { host: 'https://example.invalid' });
    new Ec2NodeClass(second, 'DefaultNodeClass', { clusterName: nodeClassCluster, nodeRoleName: 'piksel-dev-karpenter-node' });
    pool(second);
    const first = new TerraformStack(app, 'Bootstrap');
    new HelmProvider(first, 'Helm', { kubernetes: { host: 'https://example.invalid' } });
    new KarpenterRelease(first, 'Karpenter', { clusterName: 'piksel-dev', interruptionQueueName: 'piksel-dev', controllerRoleArn: 'arn:aws:iam::236122835646:role/piksel-dev-karpenter' });
    return app;
  }

  test('synthesizes when the pool names an EC2NodeClass of its cluster', () => {
    expect(() => stages((stack) => NodePool.defaultPool(stack, 'DefaultNodePool', { clusterName: 'piksel-dev' })).synth()).not.toThrow();
  });

  test('fails at synth when its EC2NodeClass does not exist for its cluster, naming both', () => {
    const app = stages((stack) => NodePool.gpuPool(stack, 'GpuNodePool', { clusterName: 'piksel-dev', nodeClassName: 'gpu' }));
    expect(() => app.synth()).toThrow(
      /BootstrapNodes\/GpuNodePool: nodeClassName is "gpu"; no EC2NodeClass of that name is for cluster "piksel-dev" in the app \(of this cluster: "default" BootstrapNodes\/DefaultNodeClass\), so Karpenter would launch no node for this pool; give the name of an EC2NodeClass of cluster "piksel-dev"/);
  });

  test('fails at synth when its EC2NodeClass of that name is for another cluster, naming both', () => {
    const app = stages((stack) => NodePool.defaultPool(stack, 'DefaultNodePool', { clusterName: 'piksel-dev' }), 'piksel-staging');
    expect(() => app.synth()).toThrow(/BootstrapNodes\/DefaultNodePool: nodeClassName is "default"; .*\(of this cluster: none; of that name: EC2NodeClass BootstrapNodes\/DefaultNodeClass for "piksel-staging"\)/);
  });

  test('fails when it has no requirement', () => {
    expect(() => manifestOf((stack) => new NodePool(stack, 'Pool', { name: 'any', requirements: [] })))
      .toThrow(/Pool: requirements is \[\]; give at least one requirement, .*: without any, Karpenter may launch any instance type/);
  });
});
