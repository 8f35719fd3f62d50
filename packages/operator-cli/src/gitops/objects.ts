import { BuildContext, FileRole, ReachedFile, RepositoryScan } from './repository';
import { asObject, asString, getPath, YamlDoc, YamlPath } from './yaml-file';

/**
 * Kinds without a namespace. kustomize leaves their namespace alone; a kind not listed here and
 * not in a namespaced list below is treated as namespaced only when it names a namespace itself.
 */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'ClusterRole',
  'ClusterRoleBinding', 'CustomResourceDefinition', 'PriorityClass', 'RuntimeClass', 'IngressClass', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'ClusterIssuer', 'ClusterSecretStore', 'ClusterExternalSecret', 'ClusterPushSecret', 'ClusterGenerator', 'GatewayClass',
  'NodePool', 'NodeClaim', 'EC2NodeClass', 'NodeOverlay', 'VolumeSnapshotClass', 'FlowSchema', 'PriorityLevelConfiguration',
]);
/** Built-in kinds that live in a namespace. */
const NAMESPACED = new Set([
  'ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job',
  'CronJob', 'Ingress', 'NetworkPolicy', 'PersistentVolumeClaim', 'Role', 'RoleBinding', 'HorizontalPodAutoscaler',
  'PodDisruptionBudget', 'Endpoints', 'EndpointSlice', 'LimitRange', 'ResourceQuota', 'Lease',
]);

/** A Kubernetes object of a reached file, in one build. */
export interface ManifestObject {
  readonly file: string;
  readonly doc: YamlDoc;
  readonly value: Record<string, unknown>;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name?: string;
  /** The namespace it lands in after every override; undefined when cluster-scoped (or unknown). */
  readonly namespace?: string;
  readonly context: BuildContext;
  /** A patch describes a change to another object, not an object of its own. */
  readonly role: FileRole;
  readonly targeted?: boolean;
}

/** Every object (manifest and patch documents) of the reached files, once per build that reads it. */
export function manifestObjects(scan: RepositoryScan): ManifestObject[] {
  return scan.reached.filter((r) => r.role !== FileRole.KUSTOMIZATION && !r.bootstrap).flatMap((reached) => objectsOf(reached));
}

function objectsOf(reached: ReachedFile): ManifestObject[] {
  const objects: ManifestObject[] = [];
  for (const doc of reached.file.docs) {
    const value = asObject(doc.value);
    const apiVersion = asString(value?.apiVersion);
    const kind = asString(value?.kind);
    if (value === undefined || apiVersion === undefined || kind === undefined) continue;
    for (const context of reached.contexts) {
      objects.push({
        file: reached.file.path,
        doc,
        value,
        apiVersion,
        kind,
        name: asString(getPath(value, ['metadata', 'name'])),
        namespace: effectiveNamespace(kind, asString(getPath(value, ['metadata', 'namespace'])), context),
        context,
        role: reached.role,
        targeted: reached.targeted,
      });
    }
  }
  return objects;
}

function effectiveNamespace(kind: string, declared: string | undefined, context: BuildContext): string | undefined {
  if (CLUSTER_SCOPED.has(kind)) return undefined;
  if (context.namespace !== undefined && (NAMESPACED.has(kind) || declared !== undefined || isFluxKind(kind))) return context.namespace;
  return declared ?? (NAMESPACED.has(kind) || isFluxKind(kind) ? 'default' : undefined);
}

function isFluxKind(kind: string): boolean {
  return ['Kustomization', 'HelmRelease', 'GitRepository', 'HelmRepository', 'OCIRepository', 'Bucket', 'HelmChart', 'Alert', 'Provider', 'Receiver'].includes(kind);
}

/** The API group of an apiVersion (`''` for the core group). */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/** A Flux HelmRelease: where its chart installs, which chart, and its values (path into the doc). */
export interface HelmReleaseView {
  readonly namespace?: string;
  readonly releaseName: string;
  readonly chart?: string;
  readonly createNamespace: boolean;
  readonly values: Record<string, unknown>;
  readonly valuesPath: YamlPath;
}

/** The HelmRelease view of `object`, if it is one. */
export function helmRelease(object: ManifestObject): HelmReleaseView | undefined {
  if (object.kind !== 'HelmRelease' || groupOf(object.apiVersion) !== 'helm.toolkit.fluxcd.io') return undefined;
  const spec = asObject(object.value.spec) ?? {};
  return {
    namespace: asString(spec.targetNamespace) ?? object.namespace,
    releaseName: asString(spec.releaseName) ?? object.name ?? '',
    chart: asString(getPath(spec, ['chart', 'spec', 'chart'])),
    createNamespace: getPath(spec, ['install', 'createNamespace']) === true,
    values: asObject(spec.values) ?? {},
    valuesPath: ['spec', 'values'],
  };
}

/** Where the pod template of a workload kind sits. */
const POD_SPEC: Record<string, YamlPath> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** The pod spec of a workload, with its path and the pod template's labels. */
export function podSpec(object: ManifestObject): { spec: Record<string, unknown>; path: YamlPath; labels?: Record<string, string> } | undefined {
  const path = POD_SPEC[object.kind];
  if (path === undefined || object.role !== FileRole.MANIFEST) return undefined;
  const spec = asObject(getPath(object.value, path));
  if (spec === undefined) return undefined;
  const labels = asObject(getPath(object.value, [...path.slice(0, -1), 'metadata', 'labels']));
  return { spec, path, labels: labels === undefined ? undefined : Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])) };
}

/** The service account an Argo Workflows object runs its pods as, with its path. */
export function argoServiceAccount(object: ManifestObject): { name: string; path: YamlPath } | undefined {
  if (groupOf(object.apiVersion) !== 'argoproj.io') return undefined;
  for (const path of [['spec', 'serviceAccountName'], ['spec', 'workflowSpec', 'serviceAccountName']]) {
    const name = asString(getPath(object.value, path));
    if (name !== undefined) return { name, path };
  }
  return undefined;
}
