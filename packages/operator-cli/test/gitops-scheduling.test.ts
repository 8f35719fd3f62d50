import { rmSync } from 'fs';
import { readEstate } from '../src/gitops/estate';
import { candidates, Capacity, capacities, mismatch, Placement, tolerates } from '../src/gitops/scheduling';
import { fixtureEstate } from './fixtures/gitops/harness';

let dir: string;
let all: Capacity[];

beforeAll(() => {
  dir = fixtureEstate();
  all = capacities(readEstate(dir, 'staging'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function placement(selector: Record<string, string>, extra: Partial<Placement> = {}): Placement {
  return { requirements: Object.entries(selector).map(([key, v]) => ({ key, operator: 'In', values: [v] })), terms: [], tolerations: [], ...extra };
}

function fits(p: Placement): string[] {
  return candidates(p, all).filter((c) => mismatch(p, c) === undefined).map((c) => c.description);
}

describe('scheduling against NodePools and Fargate profiles', () => {
  test('reads the NodePools and Fargate profiles of the environment', () => {
    expect(all.map((c) => c.description)).toEqual(['NodePool "default"', 'NodePool "gpu"', 'Fargate profile "karpenter"', 'Fargate profile "flux-system"']);
  });

  test('a label no NodePool sets or requires is on no node', () => {
    expect(fits(placement({ 'karpenter.sh/controller': 'true' }, { namespace: 'shop' }))).toEqual([]);
    expect(mismatch(placement({ 'karpenter.sh/controller': 'true' }), all[0])).toBe('no node carries the label karpenter.sh/controller');
  });

  test('well-known labels fit where the pool allows them; the pool name and requirements are labels', () => {
    expect(fits(placement({ 'karpenter.sh/nodepool': 'default' }, { namespace: 'shop' }))).toEqual(['NodePool "default"']);
    expect(fits(placement({ 'kubernetes.io/arch': 'arm64' }, { namespace: 'shop' }))).toEqual([]);
    expect(fits(placement({ 'topology.kubernetes.io/zone': 'ap-southeast-3a' }, { namespace: 'shop' }))).toEqual(['NodePool "default"']);
  });

  test('GPU labels only on a pool that may launch GPU instances, and its taint must be tolerated', () => {
    const gpu = { 'karpenter.k8s.aws/instance-gpu-manufacturer': 'nvidia' };
    expect(fits(placement(gpu, { namespace: 'shop' }))).toEqual([]);
    expect(fits(placement(gpu, { namespace: 'shop', tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] }))).toEqual(['NodePool "gpu"']);
    // A chart's values without tolerations keep the chart's defaults: not judged.
    expect(fits(placement(gpu, { namespace: 'shop', tolerations: undefined }))).toEqual(['NodePool "gpu"']);
  });

  test('a pod in a namespace a Fargate profile selects runs on Fargate only', () => {
    expect(candidates(placement({}, { namespace: 'karpenter' }), all).map((c) => c.description)).toEqual(['Fargate profile "karpenter"']);
    expect(fits(placement({ 'kubernetes.io/arch': 'amd64' }, { namespace: 'karpenter' }))).toEqual(['Fargate profile "karpenter"']);
    expect(fits(placement({ 'karpenter.sh/nodepool': 'default' }, { namespace: 'karpenter' }))).toEqual([]);
  });

  test('required node affinity: one term must hold', () => {
    const terms = [[{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }], [{ key: 'karpenter.sh/capacity-type', operator: 'Exists', values: [] }]];
    expect(fits({ namespace: 'shop', requirements: [], terms, tolerations: [] })).toEqual(['NodePool "default"']);
    expect(fits({ namespace: 'shop', requirements: [], terms: [terms[0]], tolerations: [] })).toEqual([]);
  });

  test('tolerations match by key, value and effect, or by Exists', () => {
    const taint = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' };
    expect(tolerates({ key: 'nvidia.com/gpu', operator: 'Equal', value: 'true' }, taint)).toBe(true);
    expect(tolerates({ key: 'nvidia.com/gpu', operator: 'Equal', value: 'false' }, taint)).toBe(false);
    expect(tolerates({ operator: 'Exists' }, taint)).toBe(true);
    expect(tolerates({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoExecute' }, taint)).toBe(false);
  });
});
