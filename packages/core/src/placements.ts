import { Token } from 'cdktf';
import { IConstruct } from 'constructs';

/** A taint on every node of a pool of capacity, as Kubernetes spells it. */
export interface CapacityTaint {
  /** Taint key, e.g. `nvidia.com/gpu`. */
  readonly key: string;
  /**
   * Taint value.
   *
   * @default - no value
   */
  readonly value?: string;
  /** `NoSchedule`, `PreferNoSchedule` or `NoExecute`. */
  readonly effect: string;
}

/** A toleration of a pod, as Kubernetes spells it. */
export interface PodToleration {
  /**
   * Key the toleration matches; absent with `Exists` it tolerates every taint.
   *
   * @default - every key (with operator `Exists`)
   */
  readonly key?: string;
  /**
   * `Equal` (the value must match) or `Exists` (any value).
   *
   * @default 'Equal'
   */
  readonly operator?: string;
  /**
   * Value it matches with `Equal`.
   *
   * @default - empty
   */
  readonly value?: string;
  /**
   * Effect it matches.
   *
   * @default - every effect
   */
  readonly effect?: string;
}

/**
 * Where pods of one cluster may run: a Karpenter NodePool or an EKS Fargate profile.
 *
 * A NodePool's nodes carry `karpenter.sh/nodepool: <name>`, the labels it sets, and for each
 * requirement with `In` one of its values; a Fargate profile runs every pod of its namespaces.
 */
export interface Capacity {
  /** What it is, for messages: `NodePool "default"`, `Fargate profile "karpenter"`. */
  readonly description: string;
  /**
   * Namespaces whose pods all run here (a Fargate profile without label selectors).
   *
   * @default - none: a NodePool
   */
  readonly fargateNamespaces?: string[];
  /**
   * Node labels every node has, and the values it may have: one value for a fixed label, more
   * for a requirement `In` several values (a pod selecting any one of them may land here).
   *
   * @default - none
   */
  readonly nodeLabels?: { [key: string]: string[] };
  /**
   * Taints of every node.
   *
   * @default - none
   */
  readonly taints?: CapacityTaint[];
}

/** The scheduling constraints of a workload's pods. */
export interface PodPlacement {
  /** What runs, for messages: `controller of cert-manager`. */
  readonly description: string;
  /** Namespace of the pods. */
  readonly namespace: string;
  /**
   * Node selector of the pods.
   *
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Tolerations of the pods.
   *
   * @default - none
   */
  readonly tolerations?: PodToleration[];
  /**
   * Whether the pods are a DaemonSet's: Fargate runs no DaemonSet, so only NodePools count.
   *
   * @default false
   */
  readonly daemonSet?: boolean;
}

/** Labels every node of the estate's clusters carries whatever its pool: AL2023 is Linux. */
const UNIVERSAL_LABELS: { [key: string]: string[] } = { 'kubernetes.io/os': ['linux'] };

/**
 * The capacity of each cluster and the pods that must fit on it, across every stack of an app.
 *
 * NodePools and Fargate profiles add their capacity; add-ons require a placement for their
 * controllers. Each requirement is checked when the app synthesizes (every stack built by then),
 * so an add-on whose node selector and tolerations match no NodePool and no Fargate profile of
 * its cluster fails `app.synth()` with its construct path, what it would need, and what exists —
 * not a Pending pod after a successful apply.
 *
 * Clusters are known by name; a cluster with no registered capacity at all is not judged (its
 * NodePools may live in another app).
 *
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html
 */
export class Placements {
  /** The registry of the construct tree `scope` belongs to. */
  public static of(scope: IConstruct): Placements {
    const root = scope.node.root;
    let registry = REGISTRIES.get(root);
    if (!registry) {
      registry = new Placements();
      REGISTRIES.set(root, registry);
    }
    return registry;
  }

  private readonly capacity = new Map<string, Array<Capacity & { owner: string }>>();

  private constructor() {}

  /** Records capacity of `clusterName` (a NodePool, a Fargate profile). A cluster name that is a token is ignored. */
  public addCapacity(owner: IConstruct, clusterName: string, capacity: Capacity): void {
    if (Token.isUnresolved(clusterName)) return;
    const list = this.capacity.get(clusterName) ?? [];
    list.push({ ...capacity, owner: owner.node.path });
    this.capacity.set(clusterName, list);
  }

  /**
   * Requires that `placement` fits some capacity of `clusterName`; checked when `owner`'s stack
   * synthesizes. `field` names the owner's prop that sets the placement.
   */
  public require(owner: IConstruct, field: string, clusterName: string, placement: PodPlacement): void {
    owner.node.addValidation({ validate: () => this.problems(owner, field, clusterName, placement) });
  }

  /** The capacity of `clusterName` that `placement` fits, by description. */
  public fits(clusterName: string, placement: PodPlacement): string[] {
    return (this.capacity.get(clusterName) ?? []).filter((capacity) => fitsOn(placement, capacity)).map((capacity) => capacity.description);
  }

  private problems(owner: IConstruct, field: string, clusterName: string, placement: PodPlacement): string[] {
    const known = this.capacity.get(clusterName);
    if (Token.isUnresolved(clusterName) || known === undefined || this.fits(clusterName, placement).length > 0) {
      return [];
    }
    const selector = JSON.stringify(placement.nodeSelector ?? {});
    const tolerations = JSON.stringify(placement.tolerations ?? []);
    const where = placement.daemonSet ? 'a NodePool (Fargate runs no DaemonSet)' : `a NodePool, or a Fargate profile for namespace "${placement.namespace}"`;
    const existing = known.map((capacity) => `${capacity.description} (${capacity.owner})`).join(', ');
    return [
      `${owner.node.path}: ${field} is nodeSelector ${selector} with tolerations ${tolerations} in namespace "${placement.namespace}"; ` +
      `the ${placement.description} would schedule nowhere in cluster "${clusterName}": give it ${where} whose nodes carry every selected label ` +
      `and whose taints it tolerates, or change the selector and tolerations to fit one of: ${existing}`,
    ];
  }
}

/** Whether pods of `placement` may be scheduled on `capacity`. */
function fitsOn(placement: PodPlacement, capacity: Capacity): boolean {
  const selector = placement.nodeSelector ?? {};
  if (capacity.fargateNamespaces !== undefined) {
    // A Fargate profile takes every pod of its namespace; its node satisfies no other selector.
    const fargateSelector = Object.entries(selector).every(([key, value]) => key === 'eks.amazonaws.com/compute-type' && value === 'fargate');
    return !placement.daemonSet && capacity.fargateNamespaces.includes(placement.namespace) && fargateSelector;
  }
  const labels = { ...UNIVERSAL_LABELS, ...capacity.nodeLabels };
  const selected = Object.entries(selector).every(([key, value]) => (labels[key] ?? []).includes(value));
  const tolerated = (capacity.taints ?? [])
    .filter((taint) => taint.effect !== 'PreferNoSchedule')
    .every((taint) => (placement.tolerations ?? []).some((toleration) => tolerates(toleration, taint)));
  return selected && tolerated;
}

/** Kubernetes' rule: an empty key with `Exists` tolerates everything; otherwise key, value and effect must match. */
function tolerates(toleration: PodToleration, taint: CapacityTaint): boolean {
  const operator = toleration.operator ?? 'Equal';
  if (toleration.effect !== undefined && toleration.effect !== taint.effect) return false;
  if (toleration.key === undefined) return operator === 'Exists';
  if (toleration.key !== taint.key) return false;
  return operator === 'Exists' || (toleration.value ?? '') === (taint.value ?? '');
}

const REGISTRIES = new WeakMap<object, Placements>();
