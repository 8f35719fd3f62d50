/**
 * Which apiVersion/kind each pinned component serves, per version range of the chart that pins it.
 *
 * Read from the CRDs each chart installs (`served: true`; `deprecated: true` marks a version that is
 * served with a warning), at every release of the range; each range names where it was read. A
 * version outside every range is not judged (rule `api-table-unknown-version`): read the new
 * release's CRDs and add a range here.
 */

/** One range of chart versions and the group/versions it serves, each with its kinds (`*`: every kind). */
export interface ServedRange {
  /** First chart version of the range (inclusive). */
  readonly from: string;
  /** First chart version after it (exclusive). */
  readonly to: string;
  /** What the range is called in messages, e.g. `Flux 2.8`. */
  readonly label: string;
  readonly served: { readonly [groupVersion: string]: readonly string[] };
  /** Served but deprecated. */
  readonly deprecated?: { readonly [groupVersion: string]: readonly string[] };
  readonly source: string;
}

/** A component the estate installs with Helm, and the API groups it owns. */
export interface ServedComponent {
  readonly name: string;
  /** The chart whose version selects the range. */
  readonly chart: string;
  readonly groups: readonly string[];
  readonly ranges: readonly ServedRange[];
}

const FLUX_CRDS = 'https://github.com/fluxcd-community/helm-charts/tree/flux2-2.18.3/charts/flux2/templates (*.crds.yaml; likewise the tags flux2-2.16.x and flux2-2.17.x)';
const FLUX_SOURCE_V1 = ['Bucket', 'GitRepository', 'HelmChart', 'HelmRepository', 'OCIRepository'];
const FLUX_COMMON = {
  'helm.toolkit.fluxcd.io/v2': ['HelmRelease'],
  'kustomize.toolkit.fluxcd.io/v1': ['Kustomization'],
  'notification.toolkit.fluxcd.io/v1': ['Receiver'],
  'notification.toolkit.fluxcd.io/v1beta3': ['Alert', 'Provider'],
};

/** What Flux 2.7 and later serve: `ExternalArtifact`, `ArtifactGenerator`, image automation at v1. */
const FLUX_27_SERVED = {
  ...FLUX_COMMON,
  'source.toolkit.fluxcd.io/v1': [...FLUX_SOURCE_V1, 'ExternalArtifact'],
  'source.extensions.fluxcd.io/v1beta1': ['ArtifactGenerator'],
  'image.toolkit.fluxcd.io/v1': ['ImagePolicy', 'ImageRepository', 'ImageUpdateAutomation'],
};

const FLUX: ServedComponent = {
  name: 'Flux',
  chart: 'flux2',
  groups: ['source.toolkit.fluxcd.io', 'kustomize.toolkit.fluxcd.io', 'helm.toolkit.fluxcd.io', 'notification.toolkit.fluxcd.io', 'image.toolkit.fluxcd.io', 'source.extensions.fluxcd.io'],
  ranges: [
    {
      from: '2.16.0',
      to: '2.17.0',
      label: 'Flux 2.6',
      source: FLUX_CRDS,
      served: {
        ...FLUX_COMMON,
        'source.toolkit.fluxcd.io/v1': FLUX_SOURCE_V1,
        'image.toolkit.fluxcd.io/v1beta2': ['ImagePolicy', 'ImageRepository', 'ImageUpdateAutomation'],
        'image.toolkit.fluxcd.io/v1beta1': ['ImagePolicy', 'ImageRepository'],
      },
      deprecated: {
        'image.toolkit.fluxcd.io/v1beta1': ['ImageUpdateAutomation'],
        'source.toolkit.fluxcd.io/v1beta2': FLUX_SOURCE_V1,
        'source.toolkit.fluxcd.io/v1beta1': ['Bucket', 'GitRepository', 'HelmChart', 'HelmRepository'],
        'kustomize.toolkit.fluxcd.io/v1beta2': ['Kustomization'],
        'kustomize.toolkit.fluxcd.io/v1beta1': ['Kustomization'],
        'helm.toolkit.fluxcd.io/v2beta2': ['HelmRelease'],
        'helm.toolkit.fluxcd.io/v2beta1': ['HelmRelease'],
        'notification.toolkit.fluxcd.io/v1beta2': ['Alert', 'Provider', 'Receiver'],
        'notification.toolkit.fluxcd.io/v1beta1': ['Alert', 'Provider', 'Receiver'],
      },
    },
    {
      from: '2.17.0',
      to: '2.18.0',
      label: 'Flux 2.7',
      source: FLUX_CRDS,
      served: FLUX_27_SERVED,
      deprecated: {
        'source.toolkit.fluxcd.io/v1beta2': FLUX_SOURCE_V1,
        'kustomize.toolkit.fluxcd.io/v1beta2': ['Kustomization'],
        'helm.toolkit.fluxcd.io/v2beta2': ['HelmRelease'],
        'notification.toolkit.fluxcd.io/v1beta2': ['Alert', 'Provider', 'Receiver'],
        'image.toolkit.fluxcd.io/v1beta2': ['ImagePolicy', 'ImageRepository', 'ImageUpdateAutomation'],
      },
    },
    {
      from: '2.18.0',
      to: '2.19.0',
      label: 'Flux 2.8',
      source: FLUX_CRDS,
      served: FLUX_27_SERVED,
      deprecated: {
        'notification.toolkit.fluxcd.io/v1beta2': ['Alert', 'Provider', 'Receiver'],
        'image.toolkit.fluxcd.io/v1beta2': ['ImagePolicy', 'ImageRepository', 'ImageUpdateAutomation'],
      },
    },
  ],
};

const CERT_MANAGER: ServedComponent = {
  name: 'cert-manager',
  chart: 'cert-manager',
  groups: ['cert-manager.io', 'acme.cert-manager.io'],
  ranges: [{
    from: '1.7.0',
    to: '1.22.0',
    label: 'cert-manager 1.7–1.21',
    source: 'https://github.com/cert-manager/cert-manager/tree/v1.21.1/deploy/crds (the same at v1.7.0 through v1.21.1)',
    served: {
      'cert-manager.io/v1': ['Certificate', 'CertificateRequest', 'ClusterIssuer', 'Issuer'],
      'acme.cert-manager.io/v1': ['Challenge', 'Order'],
    },
  }],
};

const KARPENTER_CRDS = 'https://github.com/aws/karpenter-provider-aws/tree/v1.14.1/pkg/apis/crds (likewise at each v1.x tag)';
const KARPENTER_V1 = { 'karpenter.sh/v1': ['NodeClaim', 'NodePool'], 'karpenter.k8s.aws/v1': ['EC2NodeClass'] };
const KARPENTER: ServedComponent = {
  name: 'Karpenter',
  chart: 'karpenter-crd',
  groups: ['karpenter.sh', 'karpenter.k8s.aws'],
  ranges: [
    { from: '1.0.0', to: '1.1.0', label: 'Karpenter 1.0', source: KARPENTER_CRDS, served: { ...KARPENTER_V1, 'karpenter.sh/v1beta1': ['NodeClaim', 'NodePool'], 'karpenter.k8s.aws/v1beta1': ['EC2NodeClass'] } },
    { from: '1.1.0', to: '1.7.0', label: 'Karpenter 1.1–1.6', source: KARPENTER_CRDS, served: KARPENTER_V1 },
    { from: '1.7.0', to: '1.15.0', label: 'Karpenter 1.7–1.14', source: KARPENTER_CRDS, served: { ...KARPENTER_V1, 'karpenter.sh/v1alpha1': ['NodeOverlay'] } },
  ],
};

const GATEWAY_CRDS = 'https://github.com/envoyproxy/gateway/tree/v1.9.0/charts/gateway-crds-helm/templates (standard-gatewayapi-crds.yaml, generated/; likewise at each v1.x tag)';
const ENVOY = { 'gateway.envoyproxy.io/v1alpha1': ['*'] };
const GATEWAY_V1 = ['GRPCRoute', 'Gateway', 'GatewayClass', 'HTTPRoute'];
const GATEWAY_V1BETA1 = { 'gateway.networking.k8s.io/v1beta1': ['Gateway', 'GatewayClass', 'HTTPRoute', 'ReferenceGrant'] };

/**
 * Gateway API as the estate installs it: the standard channel of Envoy Gateway's
 * `gateway-crds-helm` chart (whose version is Envoy Gateway's), with Envoy Gateway's own CRDs.
 */
const GATEWAY_API: ServedComponent = {
  name: 'Gateway API',
  chart: 'gateway-crds-helm',
  groups: ['gateway.networking.k8s.io', 'gateway.envoyproxy.io'],
  ranges: [
    { from: '1.4.0', to: '1.6.0', label: 'Gateway API 1.3 (Envoy Gateway 1.4–1.5)', source: GATEWAY_CRDS, served: { ...ENVOY, ...GATEWAY_V1BETA1, 'gateway.networking.k8s.io/v1': GATEWAY_V1 } },
    { from: '1.6.0', to: '1.8.0', label: 'Gateway API 1.4 (Envoy Gateway 1.6–1.7)', source: GATEWAY_CRDS, served: { ...ENVOY, ...GATEWAY_V1BETA1, 'gateway.networking.k8s.io/v1': [...GATEWAY_V1, 'BackendTLSPolicy'] } },
    {
      from: '1.8.0',
      to: '1.9.0',
      label: 'Gateway API 1.5 (Envoy Gateway 1.8)',
      source: GATEWAY_CRDS,
      served: { ...ENVOY, ...GATEWAY_V1BETA1, 'gateway.networking.k8s.io/v1': [...GATEWAY_V1, 'BackendTLSPolicy', 'ListenerSet', 'ReferenceGrant', 'TLSRoute'] },
    },
    {
      from: '1.9.0',
      to: '1.10.0',
      label: 'Gateway API 1.6 (Envoy Gateway 1.9)',
      source: GATEWAY_CRDS,
      served: { ...ENVOY, ...GATEWAY_V1BETA1, 'gateway.networking.k8s.io/v1': [...GATEWAY_V1, 'BackendTLSPolicy', 'ListenerSet', 'ReferenceGrant', 'TCPRoute', 'TLSRoute', 'UDPRoute'] },
    },
  ],
};

const ESO_CRDS = 'https://github.com/external-secrets/external-secrets/tree/v2.9.0/config/crds/bases (likewise at each release from v0.16.0)';
const ESO_V1 = ['ClusterExternalSecret', 'ClusterSecretStore', 'ExternalSecret', 'SecretStore'];
const ESO_ALPHA = { 'external-secrets.io/v1alpha1': ['ClusterPushSecret', 'PushSecret'], 'generators.external-secrets.io/v1alpha1': ['*'] };
const EXTERNAL_SECRETS: ServedComponent = {
  name: 'External Secrets',
  chart: 'external-secrets',
  groups: ['external-secrets.io', 'generators.external-secrets.io'],
  ranges: [
    { from: '0.16.0', to: '0.17.0', label: 'External Secrets 0.16', source: ESO_CRDS, served: { ...ESO_ALPHA, 'external-secrets.io/v1': ESO_V1, 'external-secrets.io/v1beta1': ESO_V1 } },
    // From 0.17.0 the CRDs still list v1beta1 with served: false.
    { from: '0.17.0', to: '2.10.0', label: 'External Secrets 0.17–2.9', source: ESO_CRDS, served: { ...ESO_ALPHA, 'external-secrets.io/v1': ESO_V1 } },
  ],
};

/** The components whose served versions the table knows. */
export const SERVED_COMPONENTS: readonly ServedComponent[] = [FLUX, CERT_MANAGER, KARPENTER, GATEWAY_API, EXTERNAL_SECRETS];

/** The component that owns an API group, if the table knows it. */
export function componentOfGroup(group: string): ServedComponent | undefined {
  return SERVED_COMPONENTS.find((c) => c.groups.includes(group));
}

/** The range of `component` that covers chart `version` (a leading `v` is ignored). */
export function rangeOf(component: ServedComponent, version: string): ServedRange | undefined {
  const parsed = parseVersion(version);
  if (parsed === undefined) return undefined;
  return component.ranges.find((r) => compareVersions(parsed, parseVersion(r.from)!) >= 0 && compareVersions(parsed, parseVersion(r.to)!) < 0);
}

/** Whether `kinds` lists `kind` (or every kind). */
export function listsKind(kinds: readonly string[] | undefined, kind: string): boolean {
  return kinds !== undefined && (kinds.includes('*') || kinds.includes(kind));
}

/** The group/versions of a range that serve `kind`, for the fix. */
export function servedVersionsOf(range: ServedRange, group: string, kind: string): string[] {
  return Object.entries(range.served).filter(([gv, kinds]) => gv.startsWith(`${group}/`) && listsKind(kinds, kind)).map(([gv]) => gv);
}

function parseVersion(version: string): number[] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return match === null ? undefined : [Number(match[1]), Number(match[2]), Number(match[3])];
}

function compareVersions(a: number[], b: number[]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** A Kubernetes API version (or some of its kinds) removed from the API server. */
export interface KubernetesRemoval {
  readonly groupVersion: string;
  readonly kinds: readonly string[];
  /** The minor release that stopped serving it. */
  readonly removedIn: string;
  /** What to use instead. */
  readonly use: string;
}

/**
 * Kubernetes API versions removed from the API server, with the minor release that removed them.
 * @see https://kubernetes.io/docs/reference/using-api/deprecation-guide/
 */
export const KUBERNETES_REMOVED: readonly KubernetesRemoval[] = [
  { groupVersion: 'extensions/v1beta1', kinds: ['*'], removedIn: '1.22', use: 'apps/v1 (workloads), networking.k8s.io/v1 (Ingress, NetworkPolicy)' },
  { groupVersion: 'apps/v1beta1', kinds: ['*'], removedIn: '1.16', use: 'apps/v1' },
  { groupVersion: 'apps/v1beta2', kinds: ['*'], removedIn: '1.16', use: 'apps/v1' },
  { groupVersion: 'networking.k8s.io/v1beta1', kinds: ['*'], removedIn: '1.22', use: 'networking.k8s.io/v1' },
  { groupVersion: 'rbac.authorization.k8s.io/v1beta1', kinds: ['*'], removedIn: '1.22', use: 'rbac.authorization.k8s.io/v1' },
  { groupVersion: 'apiextensions.k8s.io/v1beta1', kinds: ['*'], removedIn: '1.22', use: 'apiextensions.k8s.io/v1' },
  { groupVersion: 'admissionregistration.k8s.io/v1beta1', kinds: ['*'], removedIn: '1.22', use: 'admissionregistration.k8s.io/v1' },
  { groupVersion: 'scheduling.k8s.io/v1beta1', kinds: ['*'], removedIn: '1.22', use: 'scheduling.k8s.io/v1' },
  { groupVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], removedIn: '1.22', use: 'storage.k8s.io/v1' },
  { groupVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], removedIn: '1.27', use: 'storage.k8s.io/v1' },
  { groupVersion: 'batch/v1beta1', kinds: ['*'], removedIn: '1.25', use: 'batch/v1' },
  { groupVersion: 'policy/v1beta1', kinds: ['*'], removedIn: '1.25', use: 'policy/v1 (PodDisruptionBudget); PodSecurityPolicy has no successor (Pod Security Admission)' },
  { groupVersion: 'autoscaling/v2beta1', kinds: ['*'], removedIn: '1.25', use: 'autoscaling/v2' },
  { groupVersion: 'autoscaling/v2beta2', kinds: ['*'], removedIn: '1.26', use: 'autoscaling/v2' },
  { groupVersion: 'discovery.k8s.io/v1beta1', kinds: ['*'], removedIn: '1.25', use: 'discovery.k8s.io/v1' },
  { groupVersion: 'events.k8s.io/v1beta1', kinds: ['*'], removedIn: '1.25', use: 'events.k8s.io/v1' },
  { groupVersion: 'node.k8s.io/v1beta1', kinds: ['*'], removedIn: '1.25', use: 'node.k8s.io/v1' },
  { groupVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', kinds: ['*'], removedIn: '1.26', use: 'flowcontrol.apiserver.k8s.io/v1' },
  { groupVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kinds: ['*'], removedIn: '1.29', use: 'flowcontrol.apiserver.k8s.io/v1' },
  { groupVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kinds: ['*'], removedIn: '1.32', use: 'flowcontrol.apiserver.k8s.io/v1' },
];

/** Whether Kubernetes `version` (`1.34`) has removed `groupVersion` `kind`; returns the entry. */
export function removedFromKubernetes(version: string, groupVersion: string, kind: string): KubernetesRemoval | undefined {
  const [major, minor] = version.split('.').map(Number);
  return KUBERNETES_REMOVED.find((entry) => {
    const [rMajor, rMinor] = entry.removedIn.split('.').map(Number);
    return entry.groupVersion === groupVersion && listsKind(entry.kinds, kind) && (major > rMajor || (major === rMajor && minor >= rMinor));
  });
}
