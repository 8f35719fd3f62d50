import { Estate, nodePools } from './estate';
import { asArray, asObject, asString, getPath } from './yaml-file';

/** A node selector requirement, as Kubernetes spells it (a `nodeSelector` entry is `In` one value). */
export interface Requirement {
  readonly key: string;
  readonly operator: string;
  readonly values: string[];
}

/** A pod toleration. */
export interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

/** A node taint. */
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** The values a node label may take on a capacity's nodes. */
type Domain =
  | { readonly kind: 'none' }
  | { readonly kind: 'any'; readonly except?: ReadonlySet<string> }
  | { readonly kind: 'values'; readonly values: ReadonlySet<string> }
  | { readonly kind: 'range'; readonly gt?: number; readonly lt?: number };

/** Where pods may run: a Karpenter NodePool or an EKS Fargate profile. */
export interface Capacity {
  /** `NodePool "default"`, `Fargate profile "karpenter"`. */
  readonly description: string;
  /** For a Fargate profile: its selectors (a matching pod runs on Fargate and nowhere else). */
  readonly fargateSelectors?: { readonly namespace: string; readonly labels: Record<string, string> }[];
  readonly taints: Taint[];
  domain(key: string): Domain;
}

/** A pod's scheduling constraints, as far as a manifest tells them. */
export interface Placement {
  /** Undefined when the manifest does not say (a patch, a chart). */
  readonly namespace?: string;
  /** The pod's labels, when known (Fargate selectors may match on them). */
  readonly labels?: Record<string, string>;
  /** `nodeSelector` entries and other requirements every node must meet. */
  readonly requirements: Requirement[];
  /** Required node affinity: one of these terms must hold (none given: no term needed). */
  readonly terms: Requirement[][];
  /** Undefined when unknown (a chart's values without `tolerations` keep the chart's defaults). */
  readonly tolerations?: Toleration[];
}

/**
 * Labels Karpenter can put on a node of any NodePool that does not restrict them.
 * @see https://karpenter.sh/docs/concepts/scheduling/#well-known-labels
 */
const WELL_KNOWN = new Set([
  'kubernetes.io/arch', 'kubernetes.io/os', 'kubernetes.io/hostname', 'node.kubernetes.io/instance-type',
  'topology.kubernetes.io/zone', 'topology.kubernetes.io/region', 'karpenter.sh/capacity-type',
]);
/** Labels only instances with accelerators carry. */
const ACCELERATOR_LABEL = /^karpenter\.k8s\.aws\/instance-(gpu|accelerator)-/;
/** EC2 instance categories with NVIDIA GPUs (g4dn, g5, g6, p3, p4d, p5…). */
const GPU_CATEGORIES = ['g', 'p'];
/** Labels of a Fargate node. */
const FARGATE_LABELS: Record<string, Domain> = {
  'eks.amazonaws.com/compute-type': { kind: 'values', values: new Set(['fargate']) },
  'kubernetes.io/os': { kind: 'values', values: new Set(['linux']) },
  'kubernetes.io/arch': { kind: 'values', values: new Set(['amd64']) },
  'kubernetes.io/hostname': { kind: 'any' },
  'topology.kubernetes.io/zone': { kind: 'any' },
  'topology.kubernetes.io/region': { kind: 'any' },
};

/** The estate's NodePools and Fargate profiles of one environment. */
export function capacities(estate: Estate): Capacity[] {
  const pools = nodePools(estate).map((pool): Capacity => {
    const template = asObject(getPath(pool.manifest, ['spec', 'template'])) ?? {};
    const labels = asObject(getPath(template, ['metadata', 'labels'])) ?? {};
    const requirements = asArray(getPath(template, ['spec', 'requirements'])).map(requirement).filter((r): r is Requirement => r !== undefined);
    const taints = asArray(getPath(template, ['spec', 'taints'])).map(taint).filter((t): t is Taint => t !== undefined);
    return { description: `NodePool "${pool.name}"`, taints, domain: (key) => poolDomain(pool.name, labels, requirements, key) };
  });
  const profiles = estate.fargateProfiles.map((profile): Capacity => ({
    description: `Fargate profile "${profile.name}"`,
    fargateSelectors: profile.selectors,
    taints: [],
    domain: (key) => FARGATE_LABELS[key] ?? { kind: 'none' },
  }));
  return [...pools, ...profiles];
}

function poolDomain(name: string, labels: Record<string, unknown>, requirements: Requirement[], key: string): Domain {
  if (key === 'karpenter.sh/nodepool') return { kind: 'values', values: new Set([name]) };
  if (labels[key] !== undefined) return { kind: 'values', values: new Set([String(labels[key])]) };
  const own = requirements.filter((r) => r.key === key);
  if (own.length > 0) return own.map(domainOf).reduce(intersect);
  if (ACCELERATOR_LABEL.test(key)) return mayHaveGpus(requirements) ? { kind: 'any' } : { kind: 'none' };
  return WELL_KNOWN.has(key) || key.startsWith('karpenter.k8s.aws/') ? { kind: 'any' } : { kind: 'none' };
}

/** Whether a pool's category or family requirements leave room for GPU instances. */
function mayHaveGpus(requirements: Requirement[]): boolean {
  return requirements.every((r) => {
    if (r.operator !== 'In') return true;
    if (r.key === 'karpenter.k8s.aws/instance-category') return r.values.some((v) => GPU_CATEGORIES.includes(v));
    if (r.key === 'karpenter.k8s.aws/instance-family') return r.values.some((v) => GPU_CATEGORIES.includes(v[0]));
    return true;
  });
}

function domainOf(r: Requirement): Domain {
  switch (r.operator) {
    case 'In': return { kind: 'values', values: new Set(r.values) };
    case 'NotIn': return { kind: 'any', except: new Set(r.values) };
    case 'DoesNotExist': return { kind: 'none' };
    case 'Gt': return { kind: 'range', gt: Number(r.values[0]) };
    case 'Lt': return { kind: 'range', lt: Number(r.values[0]) };
    default: return { kind: 'any' };
  }
}

function intersect(a: Domain, b: Domain): Domain {
  if (a.kind === 'none' || b.kind === 'none') return { kind: 'none' };
  if (a.kind === 'values') return { kind: 'values', values: new Set([...a.values].filter((v) => allows(b, v))) };
  if (b.kind === 'values') return intersect(b, a);
  if (a.kind === 'range' && b.kind === 'range') return { kind: 'range', gt: a.gt ?? b.gt, lt: a.lt ?? b.lt };
  return a.kind === 'range' ? a : b;
}

function allows(domain: Domain, value: string): boolean {
  switch (domain.kind) {
    case 'none': return false;
    case 'any': return !(domain.except?.has(value) ?? false);
    case 'values': return domain.values.has(value);
    case 'range': return !Number.isNaN(Number(value)) && (domain.gt === undefined || Number(value) > domain.gt) && (domain.lt === undefined || Number(value) < domain.lt);
  }
}

function meets(domain: Domain, r: Requirement): boolean {
  switch (r.operator) {
    case 'In': return r.values.some((v) => allows(domain, v));
    case 'NotIn': return !(domain.kind === 'values' && [...domain.values].every((v) => r.values.includes(v)));
    case 'Exists': return domain.kind !== 'none';
    case 'DoesNotExist': return domain.kind === 'none';
    case 'Gt': return domain.kind !== 'none' && (domain.kind !== 'values' || [...domain.values].some((v) => Number(v) > Number(r.values[0])));
    case 'Lt': return domain.kind !== 'none' && (domain.kind !== 'values' || [...domain.values].some((v) => Number(v) < Number(r.values[0])));
    default: return true;
  }
}

/** Whether `toleration` tolerates `t`. */
export function tolerates(tol: Toleration, t: Taint): boolean {
  const effect = tol.effect === undefined || tol.effect === '' || tol.effect === t.effect;
  if (tol.operator === 'Exists') return effect && (tol.key === undefined || tol.key === '' || tol.key === t.key);
  return effect && tol.key === t.key && (tol.value ?? '') === (t.value ?? '');
}

/** Why `placement` cannot run on `capacity` (a phrase about its nodes), or undefined when it can. */
export function mismatch(placement: Placement, capacity: Capacity): string | undefined {
  const failed = placement.requirements.find((r) => !meets(capacity.domain(r.key), r));
  if (failed !== undefined) return describeMiss(failed, capacity);
  if (placement.terms.length > 0 && !placement.terms.some((term) => term.every((r) => meets(capacity.domain(r.key), r)))) {
    const misses = placement.terms.map((term) => describeMiss(term.find((r) => !meets(capacity.domain(r.key), r))!, capacity));
    return `${placement.terms.length === 1 ? 'the required node affinity fails' : 'no term of the required node affinity holds'}: ${misses.join('; ')}`;
  }
  if (placement.tolerations !== undefined) {
    const untolerated = capacity.taints.find((t) => t.effect !== 'PreferNoSchedule' && !placement.tolerations!.some((tol) => tolerates(tol, t)));
    if (untolerated !== undefined) return `its taint ${untolerated.key}${untolerated.value === undefined ? '' : `=${untolerated.value}`}:${untolerated.effect} is not tolerated`;
  }
  return undefined;
}

function describeMiss(r: Requirement, capacity: Capacity): string {
  const domain = capacity.domain(r.key);
  if (domain.kind === 'none') return `no node carries the label ${r.key}`;
  if (domain.kind === 'values') return `${r.key} is ${[...domain.values].join(' or ')}, not ${r.operator === 'In' ? r.values.join(' or ') : `${r.operator} ${r.values.join(', ')}`}`;
  return `${r.key} ${r.operator} ${r.values.join(', ')} does not hold`;
}

/** The capacities a pod may be placed on: the Fargate profiles that select it, else every NodePool. */
export function candidates(placement: Placement, all: Capacity[]): Capacity[] {
  if (placement.namespace === undefined) return all;
  const fargate = all.filter((c) => c.fargateSelectors?.some((s) => s.namespace === placement.namespace &&
    Object.entries(s.labels).every(([k, v]) => placement.labels?.[k] === v)));
  return fargate.length > 0 ? fargate : all.filter((c) => c.fargateSelectors === undefined);
}

/** A `nodeSelectorRequirement`, or undefined. */
export function requirement(value: unknown): Requirement | undefined {
  const r = asObject(value);
  const key = asString(r?.key);
  const operator = asString(r?.operator);
  if (key === undefined || operator === undefined) return undefined;
  return { key, operator, values: asArray(r?.values).map(String) };
}

function taint(value: unknown): Taint | undefined {
  const t = asObject(value);
  const key = asString(t?.key);
  const effect = asString(t?.effect);
  return key === undefined || effect === undefined ? undefined : { key, effect, value: t?.value === undefined ? undefined : String(t.value) };
}

/** A toleration from a manifest (values may be numbers or booleans in YAML). */
export function toleration(value: unknown): Toleration {
  const t = asObject(value) ?? {};
  const text = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  return { key: text(t.key), operator: text(t.operator), value: text(t.value), effect: text(t.effect) };
}
