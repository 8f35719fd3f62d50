import { Finding } from './findings';
import { argoServiceAccount, helmRelease, ManifestObject, podSpec } from './objects';
import { FileRole } from './repository';
import { error, RuleContext } from './rule-context';
import { asObject, asString, walkObjects, YamlPath } from './yaml-file';

/** Namespaces whose service accounts EKS and its add-ons manage: not judged. */
const SYSTEM_NAMESPACES = ['kube-system'];

/** Something that installs charts into a namespace, whose service accounts follow the chart's naming. */
interface ChartInstall {
  readonly namespace: string;
  readonly release: string;
  readonly chart: string;
}

/** A namespace or service account that an object needs, and where. */
interface Use {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly by: string;
}

/**
 * `missing-namespace`, `missing-service-account`: what workloads and objects run in or as that
 * neither the repository (Namespace and ServiceAccount objects, HelmReleases that create them) nor
 * the estate (its Helm releases' namespaces and charts' service accounts, its objects) creates.
 */
export function namespaceRule(context: RuleContext): Finding[] {
  const objects = context.objects.filter((o) => o.role === FileRole.MANIFEST);
  const installs = chartInstalls(context, objects);
  const namespaces = new Set([...context.estate.namespaces, ...objects.filter((o) => o.kind === 'Namespace' && o.name !== undefined).map((o) => o.name!)]);
  for (const o of objects) {
    const release = helmRelease(o);
    if (release?.createNamespace && release.namespace !== undefined) namespaces.add(release.namespace);
  }
  const accounts = serviceAccounts(context, objects);
  const findings: Finding[] = [];
  for (const [ns, uses] of grouped(objects.flatMap(namespaceUses))) {
    if (namespaces.has(ns)) continue;
    findings.push(error('missing-namespace', uses[0].file, uses[0].line,
      `namespace ${ns} (${uses[0].by}${more(uses)}) is created by nothing: no Namespace here, no HelmRelease with install.createNamespace, nothing in the estate`,
      `add a Namespace ${ns} to a Kustomization the others depend on (the reference layout keeps them in infrastructure/${context.environment}/namespaces.yaml)`));
  }
  for (const [sa, uses] of grouped(objects.flatMap(serviceAccountUses))) {
    const [ns, name] = sa.split('/');
    if (name === 'default' || SYSTEM_NAMESPACES.includes(ns) || accounts.has(sa) || installs.some((i) => i.namespace === ns && chartNamed(i, name))) continue;
    findings.push(error('missing-service-account', uses[0].file, uses[0].line,
      `service account ${sa} (${uses[0].by}${more(uses)}) is created by nothing: no ServiceAccount here, no chart here or in the estate names it; the pods are refused until it exists`,
      `add a ServiceAccount ${name} in ${ns} (with the estate's role annotation, if it has one), or set the chart's serviceAccount.create and name`));
  }
  return findings;
}

function more(uses: Use[]): string {
  const files = new Set(uses.map((u) => u.file));
  return uses.length === 1 ? '' : `, and ${uses.length - 1} more use${uses.length === 2 ? '' : 's'} in ${files.size} file${files.size === 1 ? '' : 's'}`;
}

function grouped(uses: Use[]): Map<string, Use[]> {
  const map = new Map<string, Use[]>();
  for (const use of [...uses].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)) map.set(use.name, [...(map.get(use.name) ?? []), use]);
  return map;
}

function namespaceUses(o: ManifestObject): Use[] {
  if (o.kind === 'Namespace' || o.namespace === undefined) return [];
  const uses: Use[] = [{ name: o.namespace, file: o.file, line: o.doc.line, by: `${o.kind} ${o.name ?? ''}`.trim() }];
  const release = helmRelease(o);
  if (release?.namespace !== undefined && release.namespace !== o.namespace && !release.createNamespace) {
    uses.push({ name: release.namespace, file: o.file, line: o.doc.lineOf(['spec', 'targetNamespace']), by: `HelmRelease ${o.name} (targetNamespace)` });
  }
  return uses;
}

function serviceAccountUses(o: ManifestObject): Use[] {
  const by = `${o.kind} ${o.name ?? ''}`.trim();
  const use = (name: string | undefined, ns: string | undefined, path: YamlPath): Use[] =>
    name === undefined || ns === undefined ? [] : [{ name: `${ns}/${name}`, file: o.file, line: o.doc.lineOf(path), by }];
  const pod = podSpec(o);
  if (pod !== undefined) {
    const field = pod.spec.serviceAccountName !== undefined ? 'serviceAccountName' : 'serviceAccount';
    return use(asString(pod.spec[field]), o.namespace, [...pod.path, field]);
  }
  const argo = argoServiceAccount(o);
  if (argo !== undefined) return use(argo.name, o.namespace, argo.path);
  const release = helmRelease(o);
  if (release === undefined) return [];
  const uses = use(asString(asObject(o.value.spec)?.serviceAccountName), o.namespace, ['spec', 'serviceAccountName']);
  walkObjects(release.values, (values, path) => {
    uses.push(...use(asString(values.serviceAccountName), release.namespace, [...release.valuesPath, ...path, 'serviceAccountName']));
    const sa = asObject(values.serviceAccount);
    if (sa?.create === false) uses.push(...use(asString(sa.name), asString(sa.namespace) ?? release.namespace, [...release.valuesPath, ...path, 'serviceAccount', 'name']));
  });
  return uses;
}

/** Service accounts created by ServiceAccount objects and by charts whose values name them. */
function serviceAccounts(context: RuleContext, objects: ManifestObject[]): Set<string> {
  const found = new Set<string>();
  for (const o of objects) {
    if (o.kind === 'ServiceAccount' && o.namespace !== undefined) found.add(`${o.namespace}/${o.name}`);
    const release = helmRelease(o);
    if (release?.namespace !== undefined) chartAccounts(release.values, release.namespace).forEach((sa) => found.add(sa));
  }
  for (const o of context.estate.objects) if (o.kind === 'ServiceAccount') found.add(`${o.namespace ?? 'default'}/${o.name}`);
  for (const r of context.estate.releases) chartAccounts(r.values, r.namespace).forEach((sa) => found.add(sa));
  return found;
}

/** `serviceAccount: { name, create }` anywhere in a chart's values: created unless `create: false`. */
function chartAccounts(values: Record<string, unknown>, namespace: string): string[] {
  const found: string[] = [];
  walkObjects(values, (object) => {
    const sa = asObject(object.serviceAccount);
    const name = asString(sa?.name);
    if (sa !== undefined && name !== undefined && sa.create !== false) found.push(`${asString(sa.namespace) ?? namespace}/${name}`);
  });
  return found;
}

function chartInstalls(context: RuleContext, objects: ManifestObject[]): ChartInstall[] {
  const fromRepo = objects.map(helmRelease).filter((r) => r?.namespace !== undefined)
    .map((r) => ({ namespace: r!.namespace!, release: r!.releaseName, chart: r!.chart ?? r!.releaseName }));
  return [...fromRepo, ...context.estate.releases.map((r) => ({ namespace: r.namespace, release: r.name, chart: r.chart }))];
}

/** Whether a chart's default naming (`<release>`, `<chart>`, `<release>-<component>`) gives `name`. */
function chartNamed(install: ChartInstall, name: string): boolean {
  return [install.release, install.chart].some((prefix) => name === prefix || name.startsWith(`${prefix}-`));
}
