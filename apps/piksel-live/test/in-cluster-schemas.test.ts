import { ENVIRONMENTS, Environment, PlatformChart } from '@piksel/estate';
import { App, Testing } from 'cdktf';
import { validateChartValues, validateManifest } from '../../../test/schemas/validate';
import { buildEstate } from '../src/main';

/**
 * Every object the in-cluster stages write, judged by the upstream schema of the version the
 * environment pins: each Helm release's values by its chart's `values.schema.json` (or the keys
 * of its default `values.yaml`), each `kubernetes_manifest` by its CRD's `openAPIV3Schema`. The
 * schemas are fixtures under `test/schemas` (sources in its SOURCES.md): a pin that moves without
 * its schemas fails here.
 */

function synthEstate(): Record<string, any> {
  const app = Testing.app() as App;
  buildEstate(app);
  return Object.fromEntries(app.node.children.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack as any))]));
}

/** The component whose pinned version serves each API group the stages write. */
function versionServing(env: Environment, apiVersion: string): string {
  const group = apiVersion.split('/')[0];
  const chart: Record<string, PlatformChart> = {
    'karpenter.sh': 'karpenter',
    'karpenter.k8s.aws': 'karpenter',
    'cert-manager.io': 'cert-manager',
    'gateway.envoyproxy.io': 'envoy-gateway',
    'external-secrets.io': 'external-secrets',
    'source.toolkit.fluxcd.io': 'flux2',
    'kustomize.toolkit.fluxcd.io': 'flux2',
  };
  if (group === 'gateway.networking.k8s.io') return env.chartVersions['gateway-api'];
  if (!(group in chart)) throw new Error(`${apiVersion}: no pinned component serves this API group; map it to its chart here`);
  return env.chartVersions[chart[group]];
}

/**
 * The GitRepository and Kustomization the `flux2-sync` chart renders from a release's values,
 * field by field as its templates write them at the pinned version (`charts/flux2-sync/templates/
 * flux-gitrepository.yaml` and `flux-kustomization.yaml` at tag `flux2-sync-1.14.5`): the chart
 * passes the values through, so these objects are what Flux receives.
 */
function fluxSyncObjects(release: { name: string; namespace: string; values: string[] }): object[] {
  const values = JSON.parse(release.values[0]);
  const metadata = { name: release.name, namespace: release.namespace };
  const git = values.gitRepository.spec;
  const kustomization = values.kustomization.spec;
  return [
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata,
      // The template writes secretRef only when it is not empty.
      spec: {
        url: git.url,
        ...(Object.keys(git.secretRef ?? {}).length > 0 ? { secretRef: git.secretRef } : {}),
        interval: git.interval,
        ref: git.ref,
      },
    },
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata,
      spec: {
        interval: kustomization.interval,
        path: kustomization.path,
        postBuild: kustomization.postBuild,
        prune: kustomization.prune,
        sourceRef: { kind: 'GitRepository', name: release.name },
      },
    },
  ];
}

const stacks = synthEstate();

describe.each(ENVIRONMENTS)('what the in-cluster stages of $name write', (env) => {
  const inCluster = Object.entries(stacks).filter(([name]) => name.startsWith(`${env.name}-bootstrap`) || name === `${env.name}-platform`);
  const releases = inCluster.flatMap(([stack, json]) => Object.entries(json.resource?.helm_release ?? {}).map(([id, r]: [string, any]) => ({ where: `${stack}/${id}`, ...r })));
  const manifests = inCluster.flatMap(([stack, json]) => Object.entries(json.resource?.kubernetes_manifest ?? {}).map(([id, r]: [string, any]) => ({ where: `${stack}/${id}`, manifest: r.manifest })));

  test('has three stages, and each chart it installs at the version the estate pins', () => {
    expect(inCluster.map(([name]) => name).sort()).toEqual([`${env.name}-bootstrap`, `${env.name}-bootstrap-nodes`, `${env.name}-platform`]);
    const pinned = new Set(Object.values(env.chartVersions));
    // The Gateway API is pinned with Envoy Gateway: the release its compatibility matrix names.
    expect({ envoy: env.chartVersions['envoy-gateway'], gatewayApi: env.chartVersions['gateway-api'] }).toEqual({ envoy: 'v1.9.0', gatewayApi: 'v1.6.1' });
    for (const release of releases) {
      const { where, version } = release;
      expect({ where, version, pinned: pinned.has(version) }).toEqual({ where, version, pinned: true });
    }
    // Ten charts and Karpenter's CRD chart; the NodePools, the Flux sources of the Gateway API and
    // Envoy Gateway CRDs, the issuers, the Gateway and the store.
    expect(releases).toHaveLength(11);
    expect(manifests.map((m) => m.manifest.kind).sort()).toEqual([
      'ClusterIssuer', 'ClusterIssuer', 'ClusterSecretStore', 'EC2NodeClass', 'EnvoyProxy', 'Gateway', 'GatewayClass',
      'GitRepository', 'GitRepository', 'Kustomization', 'Kustomization', 'NodePool', 'NodePool',
    ]);
  });

  test('every Helm release\'s values pass its chart\'s schema', () => {
    const problems = releases.flatMap((release) => {
      const values = release.values === undefined ? {} : JSON.parse(release.values[0]);
      return validateChartValues(release.chart, release.version, values).map((error) => `${release.where} (${release.chart} ${release.version}) ${error}`);
    });
    expect(problems).toEqual([]);
  });

  test('every kubernetes_manifest passes the CRD of the version that serves it', () => {
    const problems = manifests.flatMap(({ where, manifest }) => {
      const version = versionServing(env, manifest.apiVersion);
      return validateManifest(manifest, version).map((error) => `${where} (${manifest.kind} at ${version}) ${error}`);
    });
    expect(problems).toEqual([]);
  });
});

describe.each(ENVIRONMENTS)('the Flux sync objects of $name', (env) => {
  test('pass the CRDs of the Flux the pinned flux2 chart installs', () => {
    const sync = Object.values(stacks[`${env.name}-bootstrap`].resource.helm_release).find((r: any) => r.chart === 'flux2-sync') as any;
    const objects = fluxSyncObjects(sync);
    expect(objects.map((o: any) => o.kind)).toEqual(['GitRepository', 'Kustomization']);
    for (const object of objects) expect(validateManifest(object, env.chartVersions.flux2)).toEqual([]);
  });
});

describe('the schema check itself', () => {
  const dev = ENVIRONMENTS[0];
  const nodePool = () => structuredClone(Object.values(stacks[`${dev.name}-bootstrap-nodes`].resource.kubernetes_manifest)
    .map((r: any) => r.manifest).find((m: any) => m.kind === 'NodePool'));

  test('refuses a synthesized object broken in each way the API server would refuse it', () => {
    const version = dev.chartVersions.karpenter;
    expect(validateManifest(nodePool(), version)).toEqual([]);
    const unknown = nodePool();
    unknown.spec.disruption.consolidateAfterr = '20m';
    expect(validateManifest(unknown, version).join('\n')).toMatch(/\/spec\/disruption.*consolidateAfterr/);
    const wrongType = nodePool();
    wrongType.spec.weight = 'heavy';
    expect(validateManifest(wrongType, version).join('\n')).toMatch(/\/spec\/weight/);
    const missing = nodePool();
    delete missing.spec.template.spec.nodeClassRef;
    expect(validateManifest(missing, version).join('\n')).toMatch(/nodeClassRef/);
  });

  test('fails when a pin moves to a version whose schemas are not kept', () => {
    expect(() => validateManifest(nodePool(), '1.99.0')).toThrow(/no schema fixture/);
    expect(() => validateChartValues('cert-manager', 'v9.9.9', {})).toThrow(/no schema fixture/);
  });
});
