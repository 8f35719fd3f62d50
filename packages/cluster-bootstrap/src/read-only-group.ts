import { ClusterRoleBindingV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-binding-v1';
import { ClusterRoleV1 } from '@cdktf/provider-kubernetes/lib/cluster-role-v1';
import { checkKubernetesObjectName, invalidProp, LibraryVersion } from '@piksel/core';
import { Construct } from 'constructs';

/** Resources of one API group that a `ReadOnlyGroup` may read. */
export interface ReadableResources {
  /** The API group, e.g. `karpenter.sh` (`''` for the core group). */
  readonly apiGroup: string;
  /** Resource names (plural, lower-case), e.g. `nodepools`. */
  readonly resources: string[];
}

/** Properties of a `ReadOnlyGroup`. */
export interface ReadOnlyGroupProps {
  /**
   * The Kubernetes group that may read, as an EKS access entry names it (`kubernetesGroups`).
   */
  readonly groupName: string;

  /** What the group may read (get, list, watch), nothing else. */
  readonly readable: ReadableResources[];

  /**
   * Name of the ClusterRole and its binding.
   *
   * @default - the group name
   */
  readonly name?: string;
}

/**
 * Read access (get, list, watch) for a Kubernetes group to named custom resources, cluster-wide:
 * a ClusterRole and its binding. With an EKS access entry that puts a principal in the group, this
 * lets a read-only identity read what `AmazonEKSViewPolicy` leaves out — custom resources such as
 * Karpenter's NodePools — without `AmazonEKSAdminViewPolicy`, which would also let it read every
 * Secret in the cluster.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 */
export class ReadOnlyGroup extends Construct {
  /** Karpenter's custom resources: NodePools, NodeClaims and EC2NodeClasses. */
  public static readonly KARPENTER: ReadableResources[] = [
    { apiGroup: 'karpenter.sh', resources: ['nodepools', 'nodeclaims'] },
    { apiGroup: 'karpenter.k8s.aws', resources: ['ec2nodeclasses'] },
  ];

  /** Name of the ClusterRole. */
  public readonly clusterRoleName: string;

  constructor(scope: Construct, id: string, props: ReadOnlyGroupProps) {
    super(scope, id);
    checkKubernetesObjectName(this, 'groupName', props.groupName);
    const name = props.name ?? props.groupName;
    checkKubernetesObjectName(this, 'name', name);
    if (props.readable.length === 0) {
      throw invalidProp(this, 'readable', [], 'name at least one API group and its resources');
    }
    props.readable.forEach((rule, index) => {
      if (rule.resources.length === 0 || rule.resources.some((resource) => resource === '*' || !/^[a-z0-9]+$/.test(resource))) {
        throw invalidProp(this, `readable[${index}].resources`, rule.resources, 'name each resource (plural, lower-case, e.g. "nodepools"); no wildcard, which would include Secrets');
      }
    });

    const role = new ClusterRoleV1(this, 'ClusterRole', {
      metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'terraform' } },
      rule: props.readable.map((rule) => ({ apiGroups: [rule.apiGroup], resources: rule.resources, verbs: ['get', 'list', 'watch'] })),
    });
    new ClusterRoleBindingV1(this, 'Binding', {
      metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'terraform' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name },
      subject: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: props.groupName }],
    });
    LibraryVersion.record(this, __dirname);
    this.clusterRoleName = name;
  }
}
