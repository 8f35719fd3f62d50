import { EstateRelease } from './estate';
import { Finding } from './findings';
import { groupOf, helmRelease, ManifestObject } from './objects';
import { FileRole } from './repository';
import { error, list, RuleContext, warning } from './rule-context';
import { componentOfGroup, listsKind, rangeOf, removedFromKubernetes, ServedComponent, servedVersionsOf } from './served-apis';
import { asObject, asString, getPath } from './yaml-file';

/** Charts that install a component's CRDs besides the one the table keys on. */
const ALSO_INSTALLED_BY: Record<string, string[]> = {
  'Flux': ['flux2'],
  'cert-manager': ['cert-manager'],
  'Karpenter': ['karpenter-crd', 'karpenter'],
  'Gateway API': ['gateway-crds-helm', 'gateway-helm'],
  'External Secrets': ['external-secrets'],
};

/**
 * `api-not-served`, `api-deprecated`, `api-table-unknown-version`: every apiVersion/kind the pinned
 * component (by the group's owner) or the cluster's Kubernetes version serves.
 */
export function apiRule(context: RuleContext): Finding[] {
  const findings: Finding[] = [];
  const repoCharts = new Set(context.objects.map(helmRelease).map((r) => r?.chart).filter((c): c is string => c !== undefined));
  const unjudged = new Set<string>();
  for (const object of context.objects) {
    const component = componentOfGroup(groupOf(object.apiVersion));
    const finding = component === undefined ? kubernetesFinding(context, object) : componentFinding(context, object, component, repoCharts);
    if (finding === undefined) continue;
    // One warning per component whose version the table does not cover, at its first object.
    if (finding.rule === 'api-table-unknown-version') {
      if (unjudged.has(component!.name)) continue;
      unjudged.add(component!.name);
    }
    findings.push(finding);
  }
  return findings;
}

function componentFinding(context: RuleContext, object: ManifestObject, component: ServedComponent, repoCharts: Set<string>): Finding | undefined {
  const { estate, environment } = context;
  const gvk = `${object.apiVersion} ${object.kind}`;
  const release = installingRelease(estate.releases, component);
  if (release === undefined) {
    if (ALSO_INSTALLED_BY[component.name].some((chart) => repoCharts.has(chart))) return undefined;
    return error('api-not-served', object.file, object.doc.line,
      `${gvk}: ${environment} has no ${component.name}: the estate installs none (stacks ${list(estate.stacks)}) and no HelmRelease here installs it, so the API is not served`,
      `install ${component.name} in the estate (its construct in @piksel/cluster-bootstrap, in an ${environment}-* stack), or remove the object`);
  }
  if (component.name === 'Gateway API' && !gatewayApiStandard(release) && groupOf(object.apiVersion) === 'gateway.networking.k8s.io') {
    return unknownVersion(object, component, release, 'the release does not install the standard channel of the Gateway API CRDs');
  }
  const range = rangeOf(component, release.version ?? '');
  if (range === undefined) return unknownVersion(object, component, release, 'the table of served APIs has no range for that version');
  const patch = object.role === FileRole.PATCH;
  if (listsKind(range.served[object.apiVersion], object.kind)) return undefined;
  const pinned = `${range.label} (chart ${release.chart} ${release.version}, stack ${release.stack})`;
  const served = servedVersionsOf(range, groupOf(object.apiVersion), object.kind);
  const use = served.length === 0 ? `${object.kind} is not a kind of ${range.label}: remove it or install what serves it` : `use apiVersion: ${served[served.length - 1]}`;
  if (listsKind(range.deprecated?.[object.apiVersion], object.kind)) {
    return warning('api-deprecated', object.file, object.doc.line, `${gvk} is deprecated in ${pinned}: a later release stops serving it`, use);
  }
  const message = `${gvk} is not served by ${pinned}${served.length === 0 ? '' : `; it serves ${list(served)}`}`;
  if (patch && object.targeted) {
    return warning('api-not-served', object.file, object.doc.line, `${message} (a targeted patch: kustomize ignores its apiVersion, but write the served one)`, use);
  }
  if (patch) {
    return error('api-not-served', object.file, object.doc.line, `${message} (a patch without a target: kustomize matches it by apiVersion, so it matches nothing)`, use);
  }
  return error('api-not-served', object.file, object.doc.line, message, `${use}; check the fields the new version renamed or removed (${range.source})`);
}

function unknownVersion(object: ManifestObject, component: ServedComponent, release: EstateRelease, why: string) {
  return warning('api-table-unknown-version', object.file, object.doc.line,
    `${object.apiVersion} ${object.kind} and every other ${component.name} kind are not judged: ${component.name} is pinned at chart ${release.chart} ${release.version} (stack ${release.stack}) and ${why}`,
    `read that release's CRDs and add a range to the table of served APIs (served-apis.ts of @piksel/operator-cli); tables exist for ${list(component.ranges.map((r) => r.label))}`);
}

function installingRelease(releases: EstateRelease[], component: ServedComponent): EstateRelease | undefined {
  return releases.find((r) => r.chart === component.chart) ?? releases.find((r) => ALSO_INSTALLED_BY[component.name].includes(r.chart));
}

/** The gateway-crds-helm release installs the Gateway API CRDs of the standard channel. */
function gatewayApiStandard(release: EstateRelease): boolean {
  const gatewayApi = asObject(getPath(release.values, ['crds', 'gatewayAPI']));
  return release.chart !== 'gateway-crds-helm' || (gatewayApi?.enabled === true && (asString(gatewayApi.channel) ?? 'experimental') === 'standard');
}

function kubernetesFinding(context: RuleContext, object: ManifestObject): Finding | undefined {
  const version = context.estate.kubernetesVersion;
  if (version === undefined || object.role !== FileRole.MANIFEST) return undefined;
  const removed = removedFromKubernetes(version, object.apiVersion, object.kind);
  if (removed === undefined) return undefined;
  return error('api-not-served', object.file, object.doc.line,
    `${object.apiVersion} ${object.kind} was removed in Kubernetes ${removed.removedIn}; the ${context.environment} cluster runs ${version}`,
    `use ${removed.use} (https://kubernetes.io/docs/reference/using-api/deprecation-guide/)`);
}
