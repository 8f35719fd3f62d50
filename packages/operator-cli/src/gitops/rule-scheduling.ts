import { Finding } from './findings';
import { helmRelease, ManifestObject, podSpec } from './objects';
import { FileRole } from './repository';
import { error, list, RuleContext } from './rule-context';
import { candidates, Capacity, capacities, mismatch, Placement, requirement, Requirement, tolerates, toleration } from './scheduling';
import { asArray, asObject, asString, getPath, walkObjects, YamlDoc, YamlPath } from './yaml-file';

/** A placement found in a file, and the line to report it at. */
interface FoundPlacement {
  readonly file: string;
  readonly line: number;
  /** What states the constraints: `the node selector and affinity of Deployment x's pods`. */
  readonly what: string;
  readonly plural?: boolean;
  readonly placement: Placement;
}

/**
 * `unschedulable`: node selectors and required node affinity (with the pod's tolerations, where the
 * manifest states them) that no NodePool or Fargate profile of the environment satisfies. A pod
 * whose namespace a Fargate profile selects runs on Fargate only.
 */
export function schedulingRule(context: RuleContext): Finding[] {
  const all = capacities(context.estate);
  const found = [...context.objects.flatMap(objectPlacements), ...jsonPatchPlacements(context)];
  return found.flatMap((f) => {
    const options = candidates(f.placement, all);
    const reasons = options.map((c) => mismatch(f.placement, c));
    if (options.length > 0 && reasons.some((r) => r === undefined)) return [];
    return [error('unschedulable', f.file, f.line, `${f.what} ${f.plural ? 'are' : 'is'} met by no NodePool or Fargate profile of ${context.environment}: ${describe(options, reasons, f.placement, all)}`,
      fixFor(f.placement, options))];
  });
}

function describe(options: Capacity[], reasons: (string | undefined)[], placement: Placement, all: Capacity[]): string {
  if (options.length === 0) return 'the estate has no NodePool or Fargate profile for it (is the nodes stage synthesized?)';
  const useless = (placement.tolerations ?? []).filter((t) => !all.some((c) => c.taints.some((taint) => tolerates(t, taint))) && t.key !== undefined);
  const tolerationNote = useless.length === 0 ? '' : `; it tolerates ${list(useless.map((t) => t.key!))}, which no NodePool taints (nodes this estate does not have)`;
  const byReason = new Map<string, string[]>();
  options.forEach((c, i) => byReason.set(reasons[i]!, [...(byReason.get(reasons[i]!) ?? []), c.description]));
  return `${[...byReason.entries()].map(([reason, names]) => `${list(names)}: ${reason}`).join('; ')}${tolerationNote}`;
}

function fixFor(placement: Placement, options: Capacity[]): string {
  const fargate = options.filter((c) => c.fargateSelectors !== undefined);
  if (placement.namespace !== undefined && fargate.length === options.length && fargate.length > 0) {
    return `pods of ${placement.namespace} run on Fargate (${list(fargate.map((c) => c.description))}), whose nodes are linux/amd64 and carry no NodePool labels: ` +
      'drop the constraint, or run the pods in a namespace no Fargate profile selects';
  }
  const pools = options.filter((c) => c.fargateSelectors === undefined).map((c) => c.description);
  return 'select nodes by a label a NodePool gives (karpenter.sh/nodepool, karpenter.sh/capacity-type, kubernetes.io/arch, karpenter.k8s.aws/*) or drop the selector; ' +
    `tolerate the taints of the pool you select${pools.length === 0 ? '' : ` (${list(pools)})`}`;
}

/** Pod specs of workloads, and `nodeSelector`/`affinity` anywhere else (chart values, Argo templates). */
function objectPlacements(object: ManifestObject): FoundPlacement[] {
  const pod = podSpec(object);
  const release = helmRelease(object);
  const namespace = release?.namespace ?? object.namespace;
  const found: FoundPlacement[] = [];
  const where = `${object.kind} ${object.name ?? ''}`.trim();
  walkObjects(object.value, (candidate, path) => {
    const isPod = pod !== undefined && samePath(path, pod.path);
    const placement = placementOf(candidate, namespace, isPod ? pod.labels : undefined, isPod);
    if (placement === undefined) return;
    const at = candidate.nodeSelector !== undefined ? [...path, 'nodeSelector'] : [...path, 'affinity'];
    const stated = placement.terms.length === 0 ? 'the node selector' : placement.requirements.length === 0 ? 'the required node affinity' : 'the node selector and required node affinity';
    const of = isPod ? `${where}'s pods` : `${where}${object.role === FileRole.PATCH ? ' (a patch)' : ''} at ${path.join('.')}`;
    found.push({ file: object.file, line: object.doc.lineOf(at), what: `${stated} of ${of}`, plural: placement.terms.length > 0 && placement.requirements.length > 0, placement });
  });
  return found;
}

function samePath(a: YamlPath, b: YamlPath): boolean {
  return a.length === b.length && a.every((step, i) => step === b[i]);
}

/** The constraints an object states, if it states a node selector or required node affinity. */
function placementOf(
  object: Record<string, unknown>, namespace: string | undefined, labels: Record<string, string> | undefined, isPod: boolean,
): Placement | undefined {
  const selector = asObject(object.nodeSelector);
  const terms = asArray(getPath(object, ['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms']))
    .map((term) => asArray(asObject(term)?.matchExpressions).map(requirement).filter((r): r is Requirement => r !== undefined));
  if ((selector === undefined || Object.keys(selector).length === 0) && terms.length === 0) return undefined;
  const requirements = Object.entries(selector ?? {}).filter(([, v]) => v !== null && typeof v !== 'object')
    .map(([key, v]) => ({ key, operator: 'In', values: [String(v)] }));
  // A chart's values without tolerations keep the chart's defaults, which the check cannot see.
  const tolerations = Array.isArray(object.tolerations) ? object.tolerations.map(toleration) : isPod ? [] : undefined;
  return { namespace, labels, requirements, terms: terms.filter((t) => t.length > 0), tolerations };
}

/** JSON 6902 patches (lists of operations) that add a `nodeSelector` to whatever they target. */
function jsonPatchPlacements(context: RuleContext): FoundPlacement[] {
  return context.scan.reached.filter((r) => r.role === FileRole.PATCH).flatMap((r) => r.file.docs.flatMap((doc) => opsPlacements(r.file.path, doc)));
}

function opsPlacements(file: string, doc: YamlDoc): FoundPlacement[] {
  if (!Array.isArray(doc.value)) return [];
  const ops = doc.value.map(asObject);
  const tolerationsOp = ops.find((op) => /\/tolerations$/.test(asString(op?.path) ?? ''));
  const tolerations = tolerationsOp === undefined ? undefined : asArray(tolerationsOp.value).map(toleration);
  return ops.flatMap((op, index) => {
    const selector = asObject(op?.value);
    if (!/\/nodeSelector$/.test(asString(op?.path) ?? '') || selector === undefined) return [];
    const requirements = Object.entries(selector).map(([key, v]) => ({ key, operator: 'In', values: [String(v)] }));
    return [{ file, line: doc.lineOf([index, 'value']), what: `the node selector the patch adds at ${asString(op?.path)}`, placement: { requirements, terms: [], tolerations } }];
  });
}
