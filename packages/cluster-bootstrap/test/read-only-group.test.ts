import { onlyResource, synth } from '../../secrets/test/util';
import { ReadOnlyGroup } from '../src/read-only-group';

describe('ReadOnlyGroup', () => {
  test('lets the group get, list and watch only the resources named, cluster-wide', () => {
    const out = synth((stack) => new ReadOnlyGroup(stack, 'PlanReaders', { groupName: 'piksel-plan-readers', readable: ReadOnlyGroup.KARPENTER }));
    const role = onlyResource(out, 'kubernetes_cluster_role_v1');
    expect(role.metadata.name).toBe('piksel-plan-readers');
    expect(role.rule).toEqual([
      { api_groups: ['karpenter.sh'], resources: ['nodepools', 'nodeclaims'], verbs: ['get', 'list', 'watch'] },
      { api_groups: ['karpenter.k8s.aws'], resources: ['ec2nodeclasses'], verbs: ['get', 'list', 'watch'] },
    ]);
    const binding = onlyResource(out, 'kubernetes_cluster_role_binding_v1');
    expect(binding.subject).toEqual([{ api_group: 'rbac.authorization.k8s.io', kind: 'Group', name: 'piksel-plan-readers' }]);
    expect(binding.role_ref).toMatchObject({ kind: 'ClusterRole' });
  });

  test('fails when the group name is not a Kubernetes name, nothing is readable, or a resource is a wildcard', () => {
    const build = (props: object) => synth((stack) => new ReadOnlyGroup(stack, 'Readers', { groupName: 'readers', readable: ReadOnlyGroup.KARPENTER, ...props }));
    expect(() => build({ groupName: 'Plan Readers' })).toThrow(/Readers: groupName is "Plan Readers"/);
    expect(() => build({ readable: [] })).toThrow(/Readers: readable is \[\]; name at least one API group/);
    expect(() => build({ readable: [{ apiGroup: '', resources: ['*'] }] })).toThrow(/readable\[0\].resources is \["\*"\]; .*no wildcard, which would include Secrets/);
  });
});
