import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import {
  checkKubernetesLabelName, checkKubernetesLabelValue, checkKubernetesObjectName, checkKubernetesQualifiedName, checkKubernetesQuantity, checkMatches,
  checkWholeRange, invalidProp, LibraryVersion, Placements,
} from '@piksel/core';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { KarpenterRegistry } from './private/karpenter-registry';

/** The `Ec2NodeClass` default name. */
const DEFAULT_NODE_CLASS = 'default';
/** Consolidate 20 minutes after a node becomes empty or underutilized: the estate's NodePools. */
const DEFAULT_CONSOLIDATE_AFTER = '20m';
/** Replace nodes after 30 days (720 h), picking up new AMIs: the estate's NodePools, and the Karpenter default. */
const DEFAULT_EXPIRE_AFTER = '720h';
/** The estate's pools: `default` limited to 10000 CPUs, `gpu` to 20 GPUs. */
const DEFAULT_POOL_CPU_LIMIT = '10000';
const GPU_POOL_GPU_LIMIT = '20';

/** The CRD's duration pattern for `consolidateAfter` and `expireAfter`. */
const DURATION = /^(([0-9]+(s|m|h))+|Never)$/;

/**
 * How a requirement compares a node label with its values.
 *
 * @see https://karpenter.sh/docs/concepts/scheduling/#well-known-labels
 */
export class RequirementOperator {
  /** The label has one of the values (one or more values). */
  public static readonly IN = new RequirementOperator('In');
  /** The label has none of the values, or is absent (one or more values). */
  public static readonly NOT_IN = new RequirementOperator('NotIn');
  /** The label is present (no values). */
  public static readonly EXISTS = new RequirementOperator('Exists');
  /** The label is absent (no values). */
  public static readonly DOES_NOT_EXIST = new RequirementOperator('DoesNotExist');
  /** The label, an integer, is greater than the one value. */
  public static readonly GT = new RequirementOperator('Gt');
  /** The label, an integer, is less than the one value. */
  public static readonly LT = new RequirementOperator('Lt');

  /** The operator as the API spells it. */
  public readonly value: string;

  private constructor(value: string) { this.value = value; }
}

/**
 * What a taint does to pods that do not tolerate it.
 *
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
 */
export class TaintEffect {
  /** New pods are not scheduled on the node. */
  public static readonly NO_SCHEDULE = new TaintEffect('NoSchedule');
  /** The scheduler avoids the node when it can. */
  public static readonly PREFER_NO_SCHEDULE = new TaintEffect('PreferNoSchedule');
  /** New pods are not scheduled, and running pods are evicted. */
  public static readonly NO_EXECUTE = new TaintEffect('NoExecute');

  /** The effect as the API spells it. */
  public readonly value: string;

  private constructor(value: string) { this.value = value; }
}

/**
 * Which nodes Karpenter may remove or replace to save cost.
 *
 * @see https://karpenter.sh/docs/concepts/disruption/#consolidation
 */
export class ConsolidationPolicy {
  /** Nodes without pods, and nodes whose pods fit elsewhere or on a cheaper node. */
  public static readonly WHEN_EMPTY_OR_UNDERUTILIZED = new ConsolidationPolicy('WhenEmptyOrUnderutilized');
  /** Only nodes without (non-daemon) pods. */
  public static readonly WHEN_EMPTY = new ConsolidationPolicy('WhenEmpty');

  /** The policy as the API spells it. */
  public readonly value: string;

  private constructor(value: string) { this.value = value; }
}

/** One scheduling requirement on the nodes of a pool: a node label compared with values. */
export interface NodeRequirement {
  /** Node label, e.g. `karpenter.k8s.aws/instance-category` or `kubernetes.io/arch`. */
  readonly key: string;

  /** How the label is compared. */
  readonly operator: RequirementOperator;

  /**
   * Values: one or more for `IN`/`NOT_IN`, exactly one integer for `GT`/`LT`, none for
   * `EXISTS`/`DOES_NOT_EXIST`.
   *
   * @default - none
   */
  readonly values?: string[];
}

/** A taint on every node of a pool. */
export interface NodeTaint {
  /** Taint key, e.g. `nvidia.com/gpu`. */
  readonly key: string;

  /** What the taint does to pods that do not tolerate it. */
  readonly effect: TaintEffect;

  /**
   * Taint value.
   *
   * @default - no value
   */
  readonly value?: string;
}

/** Options of a `NodePool` that the estate's pools let you change. */
export interface NodePoolOptions {
  /**
   * Name of the cluster whose Karpenter runs the pool. Given, the pool's labels and taints are
   * registered with `Placements` (`@piksel/core`), and the add-ons of that cluster, in any stack
   * of the app, must fit this pool or another NodePool or Fargate profile of the cluster. And at
   * `app.synth()`: `nodeClassName` must be an `Ec2NodeClass` of this cluster when the app has any
   * `Ec2NodeClass`, and a `KarpenterRelease` of this cluster must exist when the app has any.
   *
   * @default - the pool is not registered; add-ons are not judged against it
   */
  readonly clusterName?: string;

  /**
   * Name of the `Ec2NodeClass` the pool launches nodes with.
   *
   * @default 'default'
   */
  readonly nodeClassName?: string;

  /**
   * Taints on every node of the pool.
   *
   * @default - none (`gpuPool`: `nvidia.com/gpu=true:NoSchedule`)
   */
  readonly taints?: NodeTaint[];

  /**
   * Most the pool may provision in total, by resource (`cpu`, `memory`, `nvidia.com/gpu`), as
   * Kubernetes quantities.
   *
   * @default - no limit (`defaultPool`: cpu 10000; `gpuPool`: nvidia.com/gpu 20)
   */
  readonly limits?: { [resource: string]: string };

  /**
   * Which nodes consolidation may remove or replace.
   *
   * @default ConsolidationPolicy.WHEN_EMPTY_OR_UNDERUTILIZED
   */
  readonly consolidationPolicy?: ConsolidationPolicy;

  /**
   * How long a node must be empty or underutilized before consolidation (`30s`, `20m`, `1h`,
   * or `Never`).
   *
   * @default '20m'
   */
  readonly consolidateAfter?: string;

  /**
   * Age after which a node is replaced (`720h`, or `Never`).
   *
   * @default '720h'
   */
  readonly expireAfter?: string;

  /**
   * Priority among pools (1–100); Karpenter tries higher weights first.
   *
   * @default - no weight (treated as 0)
   */
  readonly weight?: number;
}

/** Properties of a `NodePool`. */
export interface NodePoolProps extends NodePoolOptions {
  /** Name of the NodePool (an RFC 1123 label; it becomes the `karpenter.sh/nodepool` label). */
  readonly name: string;

  /**
   * Requirements every node of the pool meets; one per label key, at least one (without any,
   * Karpenter may launch any instance type).
   */
  readonly requirements: NodeRequirement[];
}

/**
 * A Karpenter `NodePool` (`karpenter.sh/v1`): which nodes Karpenter may launch for pending pods,
 * with which taints, up to which limits, and when it consolidates or expires them.
 *
 * `NodePool.defaultPool` and `NodePool.gpuPool` make the estate's two pools. Rendered as a
 * `kubernetes_manifest`, which needs Karpenter's CRDs when planned: put it in the second
 * bootstrap stack.
 *
 * @see https://karpenter.sh/docs/concepts/nodepools/
 */
export class NodePool extends Construct {
  /**
   * The `default` pool: c and t instance families, Nitro, generation above 2, amd64; cpu limit
   * 10000.
   */
  public static defaultPool(scope: Construct, id: string, options: NodePoolOptions = {}): NodePool {
    return new NodePool(scope, id, {
      limits: { cpu: DEFAULT_POOL_CPU_LIMIT },
      ...options,
      name: 'default',
      requirements: [
        { key: 'karpenter.k8s.aws/instance-category', operator: RequirementOperator.IN, values: ['c', 't'] },
        { key: 'karpenter.k8s.aws/instance-hypervisor', operator: RequirementOperator.IN, values: ['nitro'] },
        { key: 'karpenter.k8s.aws/instance-generation', operator: RequirementOperator.GT, values: ['2'] },
        { key: 'kubernetes.io/arch', operator: RequirementOperator.IN, values: ['amd64'] },
      ],
    });
  }

  /**
   * The `gpu` pool: g5 instances (NVIDIA A10G, so `karpenter.k8s.aws/instance-gpu-manufacturer: nvidia`), amd64, tainted `nvidia.com/gpu=true:NoSchedule`
   * so only pods that tolerate it land there; limit 20 GPUs.
   */
  public static gpuPool(scope: Construct, id: string, options: NodePoolOptions = {}): NodePool {
    return new NodePool(scope, id, {
      limits: { 'nvidia.com/gpu': GPU_POOL_GPU_LIMIT },
      taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: TaintEffect.NO_SCHEDULE }],
      ...options,
      name: 'gpu',
      requirements: [
        { key: 'karpenter.k8s.aws/instance-family', operator: RequirementOperator.IN, values: ['g5'] },
        // Every g5 is NVIDIA; saying so lets the device plugin select GPU nodes by this label.
        { key: 'karpenter.k8s.aws/instance-gpu-manufacturer', operator: RequirementOperator.IN, values: ['nvidia'] },
        { key: 'kubernetes.io/arch', operator: RequirementOperator.IN, values: ['amd64'] },
      ],
    });
  }

  /** Name of the NodePool. */
  public readonly nodePoolName: string;

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    this.validate(props);
    const policy = props.consolidationPolicy ?? ConsolidationPolicy.WHEN_EMPTY_OR_UNDERUTILIZED;

    new Manifest(this, 'Manifest', {
      manifest: {
        apiVersion: 'karpenter.sh/v1',
        kind: 'NodePool',
        metadata: { name: props.name },
        spec: {
          template: {
            spec: {
              nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: props.nodeClassName ?? DEFAULT_NODE_CLASS },
              requirements: props.requirements.map(renderRequirement),
              ...(props.taints?.length ? { taints: props.taints.map(renderTaint) } : {}),
              expireAfter: props.expireAfter ?? DEFAULT_EXPIRE_AFTER,
            },
          },
          disruption: { consolidationPolicy: policy.value, consolidateAfter: props.consolidateAfter ?? DEFAULT_CONSOLIDATE_AFTER },
          ...(props.limits === undefined ? {} : { limits: props.limits }),
          ...(props.weight === undefined ? {} : { weight: props.weight }),
        },
      },
    });
    if (props.clusterName !== undefined) {
      KarpenterRegistry.of(this).addNodePool(this, props.clusterName, props.nodeClassName ?? DEFAULT_NODE_CLASS);
      Placements.of(this).addCapacity(this, props.clusterName, {
        description: `NodePool "${props.name}"`,
        nodeLabels: nodeLabels(props),
        taints: (props.taints ?? []).map((taint) => ({ key: taint.key, value: taint.value, effect: taint.effect.value })),
      });
    }
    LibraryVersion.record(this, __dirname);

    this.nodePoolName = props.name;
  }

  private validate(props: NodePoolProps): void {
    // The name is the value of the `karpenter.sh/nodepool` label: an RFC 1123 label.
    checkKubernetesLabelName(this, 'name', props.name);
    if (props.nodeClassName !== undefined) checkKubernetesObjectName(this, 'nodeClassName', props.nodeClassName);
    // Without requirements Karpenter may launch any instance type the node class allows: any
    // family, size, architecture and price (https://karpenter.sh/docs/concepts/nodepools/).
    check(this, 'requirements', props.requirements, props.requirements.length > 0,
      'give at least one requirement, e.g. karpenter.k8s.aws/instance-category In ["c", "m"] and kubernetes.io/arch In ["amd64"]: without any, Karpenter may launch any instance type');
    const seen = new Set<string>();
    props.requirements.forEach((requirement) => {
      const field = `requirements[${requirement.key}]`;
      check(this, `${field}.key`, requirement.key, !seen.has(requirement.key), 'give each key once: put all its values in one requirement');
      seen.add(requirement.key);
      this.validateRequirement(field, requirement);
    });
    const taintIds = new Set<string>();
    for (const taint of props.taints ?? []) {
      checkKubernetesQualifiedName(this, 'taints.key', taint.key);
      if (taint.value !== undefined) checkKubernetesLabelValue(this, `taints[${taint.key}].value`, taint.value);
      const taintId = `${taint.key}:${taint.effect.value}`;
      check(this, 'taints', taintId, !taintIds.has(taintId), 'give each key and effect once');
      taintIds.add(taintId);
    }
    for (const [resource, quantity] of Object.entries(props.limits ?? {})) {
      checkKubernetesQualifiedName(this, `limits.${resource}`, resource);
      // A limit of 0 or less lets the pool launch nothing: a limit must be above 0.
      checkKubernetesQuantity(this, `limits.${resource}`, quantity, 0, true);
    }
    checkMatches(this, 'consolidateAfter', props.consolidateAfter, DURATION, 'use a duration of s, m and h such as "20m", or "Never"');
    checkMatches(this, 'expireAfter', props.expireAfter, DURATION, 'use a duration of s, m and h such as "720h", or "Never"');
    checkWholeRange(this, 'weight', props.weight, 1, 100, 'priority points');
  }

  private validateRequirement(field: string, requirement: NodeRequirement): void {
    const values = requirement.values ?? [];
    const operator = requirement.operator;
    checkKubernetesQualifiedName(this, `${field}.key`, requirement.key);
    if (operator === RequirementOperator.IN || operator === RequirementOperator.NOT_IN) {
      check(this, `${field}.values`, values, values.length > 0, `give at least one value for ${operator.value}`);
    } else if (operator === RequirementOperator.GT || operator === RequirementOperator.LT) {
      check(this, `${field}.values`, values, values.length === 1 && /^\d+$/.test(values[0]), `give exactly one non-negative integer for ${operator.value}, e.g. ["2"]`);
    } else {
      check(this, `${field}.values`, values, values.length === 0, `give no values for ${operator.value}`);
    }
    values.forEach((value) => checkKubernetesLabelValue(this, `${field}.values`, value));
  }
}

/** The labels every node of the pool carries: its name, and each requirement `In` its values. */
function nodeLabels(props: NodePoolProps): { [key: string]: string[] } {
  const labels: { [key: string]: string[] } = { 'karpenter.sh/nodepool': [props.name] };
  for (const requirement of props.requirements) {
    if (requirement.operator === RequirementOperator.IN) labels[requirement.key] = requirement.values ?? [];
  }
  return labels;
}

function renderRequirement(requirement: NodeRequirement): { [key: string]: unknown } {
  const values = requirement.values ?? [];
  return { key: requirement.key, operator: requirement.operator.value, ...(values.length > 0 ? { values } : {}) };
}

function renderTaint(taint: NodeTaint): { [key: string]: string } {
  return { key: taint.key, ...(taint.value === undefined ? {} : { value: taint.value }), effect: taint.effect.value };
}

/** Fails with `fix` unless `ok`, for the NodePool's own rules; values that are tokens are not checked. */
function check(scope: Construct, field: string, value: unknown, ok: boolean, fix: string): void {
  if (!ok && !(typeof value === 'string' && Token.isUnresolved(value))) {
    throw invalidProp(scope, field, value, fix);
  }
}
