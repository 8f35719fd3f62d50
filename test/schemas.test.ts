import { fixtureVersions, validateChartValues, validateManifest } from './schemas/validate';

/**
 * The upstream schema fixtures and their validator: for every CRD kind and every chart kept under
 * test/schemas, a minimal object passes and deliberately broken ones are refused with the path
 * named; a version without a fixture fails loudly, so a pin cannot move without its schemas.
 */

type Json = { [key: string]: unknown };

/** One deliberate breakage: the value set at a JSON pointer (`undefined` deletes it), and the error expected. */
interface Breakage { readonly at: string; readonly value: unknown; readonly error: RegExp }

interface ManifestCase {
  readonly version: string;
  readonly valid: Json;
  readonly unknownField: Breakage;
  readonly wrongType: Breakage;
  readonly missingRequired: Breakage;
}

interface ChartCase {
  readonly valid: Json;
  readonly typo: Breakage;
  readonly wrongType: Breakage;
}

const meta = (name: string, namespace?: string) => (namespace ? { name, namespace } : { name });

/** Keyed `<apiVersion> <kind>`; every CRD fixture must have a case. */
const MANIFESTS: Record<string, ManifestCase> = {
  'cert-manager.io/v1 ClusterIssuer': {
    version: 'v1.21.1',
    valid: {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: meta('letsencrypt'),
      spec: {
        acme: {
          server: 'https://acme-v02.api.letsencrypt.org/directory',
          email: 'ops@example.org',
          privateKeySecretRef: { name: 'letsencrypt-account' },
          solvers: [{ http01: { gatewayHTTPRoute: { parentRefs: [{ name: 'public', namespace: 'envoy-gateway-system', kind: 'Gateway' }] } } }],
        },
      },
    },
    unknownField: { at: '/spec/acme/privateKeySecretRef/nam', value: 'x', error: /^\/spec\/acme\/privateKeySecretRef\/nam: unknown field$/ },
    wrongType: { at: '/spec/acme/skipTLSVerify', value: 'yes', error: /^\/spec\/acme\/skipTLSVerify: must be boolean$/ },
    missingRequired: { at: '/spec/acme/server', value: undefined, error: /^\/spec\/acme\/server: required field is missing$/ },
  },
  'gateway.networking.k8s.io/v1 GatewayClass': {
    version: 'v1.6.1',
    valid: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: meta('envoy'), spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } },
    unknownField: { at: '/spec/controller', value: 'x', error: /^\/spec\/controller: unknown field$/ },
    wrongType: { at: '/spec/description', value: 42, error: /^\/spec\/description: must be string$/ },
    missingRequired: { at: '/spec/controllerName', value: undefined, error: /^\/spec\/controllerName: required field is missing$/ },
  },
  'gateway.networking.k8s.io/v1 Gateway': {
    version: 'v1.6.1',
    valid: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: meta('public', 'envoy-gateway-system'),
      spec: {
        gatewayClassName: 'envoy',
        listeners: [
          { name: 'http', protocol: 'HTTP', port: 80 },
          { name: 'https', protocol: 'HTTPS', port: 443, hostname: '*.example.org', tls: { mode: 'Terminate', certificateRefs: [{ name: 'wildcard-tls' }] } },
        ],
      },
    },
    unknownField: { at: '/spec/listeners/0/hostName', value: 'a.example.org', error: /^\/spec\/listeners\/0\/hostName: unknown field$/ },
    wrongType: { at: '/spec/listeners/0/port', value: '80', error: /^\/spec\/listeners\/0\/port: must be integer$/ },
    missingRequired: { at: '/spec/gatewayClassName', value: undefined, error: /^\/spec\/gatewayClassName: required field is missing$/ },
  },
  'gateway.networking.k8s.io/v1 HTTPRoute': {
    version: 'v1.6.1',
    valid: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: meta('stac', 'stac'),
      spec: {
        parentRefs: [{ name: 'public', namespace: 'envoy-gateway-system', sectionName: 'https' }],
        hostnames: ['stac.example.org'],
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'stac', port: 8080 }] }],
      },
    },
    unknownField: { at: '/spec/rules/0/backendRefs/0/service', value: 'stac', error: /^\/spec\/rules\/0\/backendRefs\/0\/service: unknown field$/ },
    wrongType: { at: '/spec/hostnames', value: 'stac.example.org', error: /^\/spec\/hostnames: must be array$/ },
    missingRequired: { at: '/spec/parentRefs/0/name', value: undefined, error: /^\/spec\/parentRefs\/0\/name: required field is missing$/ },
  },
  'gateway.envoyproxy.io/v1alpha1 EnvoyProxy': {
    version: 'v1.9.0',
    valid: {
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      kind: 'EnvoyProxy',
      metadata: meta('public', 'envoy-gateway-system'),
      spec: {
        provider: {
          type: 'Kubernetes',
          kubernetes: { envoyService: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' } }, envoyDeployment: { replicas: 2 } },
        },
      },
    },
    unknownField: { at: '/spec/provider/kubernetes/envoyServices', value: {}, error: /^\/spec\/provider\/kubernetes\/envoyServices: unknown field$/ },
    wrongType: { at: '/spec/provider/kubernetes/envoyDeployment/replicas', value: 'two', error: /^\/spec\/provider\/kubernetes\/envoyDeployment\/replicas: must be integer$/ },
    missingRequired: { at: '/spec/provider/type', value: undefined, error: /^\/spec\/provider\/type: required field is missing$/ },
  },
  'external-secrets.io/v1 ClusterSecretStore': {
    version: '2.9.0',
    valid: {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: meta('aws-secrets-manager'),
      spec: { provider: { aws: { service: 'SecretsManager', region: 'eu-west-1', auth: { jwt: { serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' } } } } } },
    },
    unknownField: { at: '/spec/provider/aws/regoin', value: 'eu-west-1', error: /^\/spec\/provider\/aws\/regoin: unknown field$/ },
    wrongType: { at: '/spec/retrySettings/maxRetries', value: '3', error: /^\/spec\/retrySettings\/maxRetries: must be integer$/ },
    missingRequired: { at: '/spec/provider/aws/service', value: undefined, error: /^\/spec\/provider\/aws\/service: required field is missing$/ },
  },
  'karpenter.k8s.aws/v1 EC2NodeClass': {
    version: '1.14.1',
    valid: {
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: meta('default'),
      spec: {
        role: 'piksel-dev-karpenter-node',
        amiSelectorTerms: [{ alias: 'al2023@v20260801' }],
        subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'piksel-dev' } }],
        securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'piksel-dev' } }],
        blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: '100Gi', volumeType: 'gp3', encrypted: true } }],
      },
    },
    unknownField: { at: '/spec/subnetSelectorTerm', value: [], error: /^\/spec\/subnetSelectorTerm: unknown field$/ },
    wrongType: { at: '/spec/blockDeviceMappings/0/ebs/encrypted', value: 'true', error: /^\/spec\/blockDeviceMappings\/0\/ebs\/encrypted: must be boolean$/ },
    missingRequired: { at: '/spec/amiSelectorTerms', value: undefined, error: /^\/spec\/amiSelectorTerms: required field is missing$/ },
  },
  'karpenter.sh/v1 NodePool': {
    version: '1.14.1',
    valid: {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: meta('general'),
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
            requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] }],
          },
        },
        limits: { cpu: 1000, memory: '4000Gi' },
        disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' },
      },
    },
    unknownField: { at: '/spec/template/spec/nodeClass', value: {}, error: /^\/spec\/template\/spec\/nodeClass: unknown field$/ },
    wrongType: { at: '/spec/weight', value: 'high', error: /^\/spec\/weight: must be integer$/ },
    missingRequired: { at: '/spec/template/spec/nodeClassRef', value: undefined, error: /^\/spec\/template\/spec\/nodeClassRef: required field is missing$/ },
  },
  'source.toolkit.fluxcd.io/v1 GitRepository': {
    version: '2.18.3',
    valid: {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: meta('flux-system', 'flux-system'),
      spec: { url: 'https://github.com/example/piksel-gitops', interval: '1m', ref: { branch: 'main' }, secretRef: { name: 'flux-system' } },
    },
    unknownField: { at: '/spec/branch', value: 'main', error: /^\/spec\/branch: unknown field$/ },
    wrongType: { at: '/spec/suspend', value: 'false', error: /^\/spec\/suspend: must be boolean$/ },
    missingRequired: { at: '/spec/url', value: undefined, error: /^\/spec\/url: required field is missing$/ },
  },
  'kustomize.toolkit.fluxcd.io/v1 Kustomization': {
    version: '2.18.3',
    valid: {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: meta('flux-system', 'flux-system'),
      spec: { interval: '10m', path: './clusters/dev', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    },
    unknownField: { at: '/spec/sourceRef/namespaces', value: 'flux-system', error: /^\/spec\/sourceRef\/namespaces: unknown field$/ },
    wrongType: { at: '/spec/prune', value: 'true', error: /^\/spec\/prune: must be boolean$/ },
    missingRequired: { at: '/spec/sourceRef', value: undefined, error: /^\/spec\/sourceRef: required field is missing$/ },
  },
};

/** Keyed `<chart> <version>`; every chart fixture must have a case. */
const CHARTS: Record<string, ChartCase> = {
  'cert-manager v1.21.1': {
    valid: {
      crds: { enabled: true },
      serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/cert-manager' } },
      config: { apiVersion: 'controller.config.cert-manager.io/v1alpha1', kind: 'ControllerConfiguration', gatewayAPI: { enabled: true } },
    },
    typo: { at: '/crd', value: { enabled: true }, error: /^\/crd: unknown field$/ },
    wrongType: { at: '/replicaCount', value: 'two', error: /^\/replicaCount: must be number$/ },
  },
  'gateway-helm v1.9.0': {
    valid: { deployment: { replicas: 2, envoyGateway: { resources: { limits: { cpu: '1' } } } }, config: { envoyGateway: { extensionApis: { enableBackend: true } } } },
    typo: { at: '/deployment/replica', value: 2, error: /^\/deployment\/replica: unknown key \(not in the chart's values.yaml\)$/ },
    wrongType: { at: '/deployment/replicas', value: 'two', error: /^\/deployment\/replicas: is string; the chart's default is a number$/ },
  },
  'gateway-crds-helm v1.9.0': {
    valid: { crds: { gatewayAPI: { enabled: true, channel: 'standard' }, envoyGateway: { enabled: true } } },
    typo: { at: '/crds/gatewayApi', value: { enabled: true }, error: /^\/crds\/gatewayApi: unknown key/ },
    wrongType: { at: '/crds/envoyGateway/enabled', value: 'true', error: /^\/crds\/envoyGateway\/enabled: is string; the chart's default is a boolean$/ },
  },
  'external-dns 1.21.1': {
    valid: {
      provider: { name: 'aws' },
      policy: 'sync',
      txtOwnerId: 'piksel-dev',
      domainFilters: ['dev.example.org'],
      sources: ['service', 'gateway-httproute'],
      serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/external-dns' } },
    },
    typo: { at: '/txtOwnerID', value: 'piksel-dev', error: /^\/txtOwnerID: unknown field$/ },
    wrongType: { at: '/domainFilters', value: 'dev.example.org', error: /^\/domainFilters: must be array$/ },
  },
  'metrics-server 3.13.1': {
    valid: { replicas: 2, args: ['--kubelet-insecure-tls'], podDisruptionBudget: { enabled: true, minAvailable: 1 }, resources: { limits: { memory: '256Mi' } } },
    typo: { at: '/podDisruptionBudget/enable', value: true, error: /^\/podDisruptionBudget\/enable: unknown key/ },
    wrongType: { at: '/hostNetwork/enabled', value: 'false', error: /^\/hostNetwork\/enabled: is string; the chart's default is a boolean$/ },
  },
  'aws-efs-csi-driver 4.4.1': {
    valid: {
      controller: { serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/efs-csi' } }, podDisruptionBudget: { enabled: true, maxUnavailable: 1 } },
      storageClasses: [{ name: 'efs', parameters: { provisioningMode: 'efs-ap', fileSystemId: 'fs-0123456789abcdef0', directoryPerms: '700' } }],
    },
    typo: { at: '/controller/serviceaccount', value: {}, error: /^\/controller\/serviceaccount: unknown key/ },
    wrongType: { at: '/controller/replicaCount', value: '2', error: /^\/controller\/replicaCount: is string; the chart's default is a number$/ },
  },
  'nvidia-device-plugin 0.20.0': {
    valid: { gfd: { enabled: true }, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }], nodeSelector: { 'karpenter.k8s.aws/instance-gpu-manufacturer': 'nvidia' } },
    typo: { at: '/gfd/enable', value: true, error: /^\/gfd\/enable: unknown key/ },
    wrongType: { at: '/tolerations', value: { key: 'nvidia.com/gpu' }, error: /^\/tolerations: is map; the chart's default is a list$/ },
  },
  'external-secrets 2.9.0': {
    valid: { installCRDs: true, serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/external-secrets' } }, webhook: { create: true } },
    typo: { at: '/installCrds', value: true, error: /^\/installCrds: unknown field$/ },
    wrongType: { at: '/installCRDs', value: 'yes', error: /^\/installCRDs: must be boolean$/ },
  },
  'karpenter 1.14.1': {
    valid: {
      settings: { clusterName: 'piksel-dev', interruptionQueue: 'piksel-dev-karpenter', featureGates: { spotToSpotConsolidation: true } },
      serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/karpenter' } },
      podDisruptionBudget: { name: 'karpenter', maxUnavailable: '50%' },
      controller: { resources: { requests: { cpu: '1', memory: '1Gi' } } },
    },
    typo: { at: '/settings/clustername', value: 'piksel-dev', error: /^\/settings\/clustername: unknown key/ },
    wrongType: { at: '/replicas', value: 'two', error: /^\/replicas: is string; the chart's default is a number$/ },
  },
  'karpenter-crd 1.14.1': {
    valid: { additionalAnnotations: { 'helm.sh/resource-policy': 'keep' } },
    typo: { at: '/additionalAnnotation', value: {}, error: /^\/additionalAnnotation: unknown key/ },
    wrongType: { at: '/additionalAnnotations', value: 'keep', error: /^\/additionalAnnotations: is string; the chart's default is a map$/ },
  },
  'flux2 2.18.3': {
    valid: { installCRDs: true, imageAutomationController: { create: false }, imageReflectionController: { create: false }, sourceController: { resources: { limits: { memory: '1Gi' } } } },
    typo: { at: '/imageReflectorController', value: { create: false }, error: /^\/imageReflectorController: unknown key/ },
    wrongType: { at: '/watchAllNamespaces', value: 'true', error: /^\/watchAllNamespaces: is string; the chart's default is a boolean$/ },
  },
  'flux2-sync 1.14.5': {
    valid: {
      gitRepository: { spec: { url: 'https://github.com/example/piksel-gitops', interval: '1m', ref: { tag: 'v1.0.0' }, secretRef: { name: 'flux-system' } } },
      kustomization: { spec: { path: './clusters/dev', interval: '10m', prune: true } },
    },
    typo: { at: '/gitRepository/spec/uri', value: 'https://example.org', error: /^\/gitRepository\/spec\/uri: unknown key/ },
    wrongType: { at: '/kustomization/spec/prune', value: 'yes', error: /^\/kustomization\/spec\/prune: is string; the chart's default is a boolean$/ },
  },
};

/** A deep copy of `object` with the value at a JSON pointer set, or deleted when `value` is undefined. */
function withChange(object: Json, at: string, value: unknown): Json {
  const copy = structuredClone(object);
  const keys = at.split('/').slice(1);
  const parent = keys.slice(0, -1).reduce<Json>((node, key) => (node[key] ??= {}) as Json, copy);
  const last = keys[keys.length - 1];
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

describe('upstream schema fixtures', () => {
  const { crds, charts } = fixtureVersions();

  test('every CRD fixture and every chart fixture has its cases here', () => {
    expect(Object.entries(MANIFESTS).map(([key, c]) => `${key} ${c.version}`).sort())
      .toEqual(crds.map((f) => `${f.apiVersion} ${f.kind} ${f.componentVersion}`).sort());
    expect(Object.keys(CHARTS).sort()).toEqual(charts.map((f) => `${f.chart} ${f.version}`).sort());
  });

  describe.each(Object.entries(MANIFESTS))('%s', (_, c) => {
    test('accepts a minimal object', () => {
      expect(validateManifest(c.valid, c.version)).toEqual([]);
    });
    test.each([['an unknown field', c.unknownField], ['a field of the wrong type', c.wrongType], ['a required field is missing', c.missingRequired]])(
      'fails when %s', (__, broken) => {
        const errors = validateManifest(withChange(c.valid, broken.at, broken.value), c.version);
        expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(broken.error)]));
      });
  });

  describe.each(Object.entries(CHARTS))('chart %s', (key, c) => {
    const [chart, version] = key.split(' ');
    test('accepts typical values', () => {
      expect(validateChartValues(chart, version, c.valid)).toEqual([]);
    });
    test.each([['a key is misspelt', c.typo], ['a value has the wrong type', c.wrongType]])('fails when %s', (__, broken) => {
      const errors = validateChartValues(chart, version, withChange(c.valid, broken.at, broken.value));
      expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(broken.error)]));
    });
  });

  describe('validateManifest', () => {
    const nodePool = MANIFESTS['karpenter.sh/v1 NodePool'].valid;

    test('fails when no fixture exists for the pinned version', () => {
      expect(() => validateManifest(nodePool, '1.15.0')).toThrow(
        'no schema fixture for karpenter 1.15.0 (karpenter.sh/v1 NodePool): add test/schemas/crds/karpenter.sh/NodePool/karpenter-1.15.0.json '
        + 'from aws/karpenter-provider-aws (pkg/apis/crds, charts/karpenter) (see SOURCES.md)');
    });

    test('fails when the version differs only by its v prefix, and says which fixture exists', () => {
      expect(() => validateManifest(nodePool, 'v1.14.1')).toThrow(/no schema fixture for karpenter v1\.14\.1 .*; a fixture exists for 1\.14\.1/);
    });

    test('fails when a cluster-scoped object has a namespace', () => {
      expect(validateManifest(withChange(nodePool, '/metadata/namespace', 'karpenter'), '1.14.1'))
        .toEqual(['/metadata/namespace: NodePool is cluster-scoped; remove the namespace']);
    });

    test('fails when metadata has an unknown field or no name', () => {
      expect(validateManifest(withChange(nodePool, '/metadata/label', {}), '1.14.1')).toEqual(['/metadata/label: unknown field']);
      expect(validateManifest(withChange(nodePool, '/metadata/name', undefined), '1.14.1')).toEqual(['/metadata/name: required field is missing']);
    });

    test('accepts int-or-string quantities and fails on a malformed one', () => {
      expect(validateManifest(withChange(nodePool, '/spec/limits', { cpu: '100', memory: 1024 }), '1.14.1')).toEqual([]);
      expect(validateManifest(withChange(nodePool, '/spec/limits', { cpu: true }), '1.14.1'))
        .toEqual(expect.arrayContaining([expect.stringMatching(/^\/spec\/limits\/cpu: must be integer$/)]));
    });

    test('names the allowed values of an enum', () => {
      expect(validateManifest(withChange(nodePool, '/spec/disruption/consolidationPolicy', 'Always'), '1.14.1'))
        .toEqual(['/spec/disruption/consolidationPolicy: must be one of ["WhenEmpty","WhenEmptyOrUnderutilized","Balanced"]']);
    });
  });

  describe('validateChartValues', () => {
    test('fails when no fixture exists for the pinned chart version', () => {
      expect(() => validateChartValues('external-dns', '1.22.0', {})).toThrow(
        'no schema fixture for external-dns 1.22.0: add test/schemas/charts/external-dns/1.22.0/values.schema.json (or values.yaml) '
        + 'from kubernetes-sigs/external-dns (charts/external-dns) (see SOURCES.md)');
    });

    test('accepts anything below an empty default map and a null value for any key', () => {
      expect(validateChartValues('metrics-server', '3.13.1', { podAnnotations: { a: { b: 1 } }, image: null, revisionHistoryLimit: 3 })).toEqual([]);
    });
  });
});
