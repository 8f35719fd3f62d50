import { readFileSync } from 'fs';
import { join } from 'path';
import { ENVIRONMENTS, ESTATE_TAGS, GITOPS_REPOSITORY, HUB } from '@piksel/estate';
import { App, Testing } from 'cdktf';
import { buildEstate } from '../src/main';
import { CLUSTER_OUTPUT } from '../src/stacks/bootstrap-stacks';
import { DATA_OUTPUT } from '../src/stacks/data-stack';
import { publicZoneOutput } from '../src/stacks/hub-stack';

function synthEstate(): Record<string, any> {
  const app = Testing.app() as App;
  buildEstate(app);
  return Object.fromEntries(app.node.children.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack as any))]));
}

const stacks = synthEstate();
const OUTPUT_REF = (name: string) => new RegExp(`data\\.terraform_remote_state\\.EnvironmentState\\.outputs\\.${name}`);
const DATA_REF = (name: string) => new RegExp(`^\\$\\{data\\.terraform_remote_state\\.DataState\\.outputs\\.${name}\\}$`);
const HUB_REF = (name: string) => new RegExp(`^\\$\\{data\\.terraform_remote_state\\.HubState\\.outputs\\.${name}\\}$`);

/**
 * The keys of the `cluster-values` ConfigMap as the app's README lists them: the first column of
 * the table under "GitOps contract".
 */
function readmeKeys(): string[] {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf-8');
  const section = readme.split(/^## GitOps contract/m)[1]?.split(/^## /m)[0];
  if (!section) throw new Error('README.md has no "## GitOps contract" section');
  return [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
}
const configMapOf = (env: { name: string }) => Object.values(stacks[`${env.name}-bootstrap`].resource.kubernetes_config_map_v1)[0] as any;

describe.each(ENVIRONMENTS)('in-cluster stages of $name', (env) => {
  const stage1 = () => stacks[`${env.name}-bootstrap`];
  const stage2 = () => stacks[`${env.name}-bootstrap-nodes`];
  const releases = () => Object.values(stage1().resource.helm_release) as any[];
  const release = (name: string) => releases().find((r) => r.name === name);
  const values = (name: string) => JSON.parse(release(name).values[0]);

  test('reach the cluster from the environment stack\'s outputs with a short-lived EKS token', () => {
    for (const stack of [stage1(), stage2()]) {
      expect(stack.data.terraform_remote_state.EnvironmentState.config).toMatchObject({ bucket: `piksel-${env.name}-tfstate`, key: `${env.name}/terraform.tfstate` });
      const [kubernetes] = stack.provider.kubernetes;
      expect(kubernetes.host).toMatch(OUTPUT_REF(CLUSTER_OUTPUT.endpoint));
      expect(kubernetes.exec[0]).toEqual({
        api_version: 'client.authentication.k8s.io/v1beta1',
        command: 'aws',
        args: ['eks', 'get-token', '--cluster-name', env.clusterName, '--region', env.region],
      });
      expect(stack.provider.helm[0].kubernetes.host).toMatch(OUTPUT_REF(CLUSTER_OUTPUT.endpoint));
    }
    expect(stage1().terraform.backend.s3.key).toBe(`${env.name}-bootstrap/terraform.tfstate`);
    expect(stage2().terraform.backend.s3.key).toBe(`${env.name}-bootstrap-nodes/terraform.tfstate`);
  });

  test('stage 1 holds Helm releases, a ConfigMap and RBAC only, so it plans before any CRD exists', () => {
    expect(Object.keys(stage1().resource).sort()).toEqual(['helm_release', 'kubernetes_cluster_role_binding_v1', 'kubernetes_cluster_role_v1', 'kubernetes_config_map_v1']);
    expect(releases().map((r) => r.name).sort()).toEqual(['flux-system', 'flux2', 'karpenter', 'karpenter-crd']);
  });

  test('lets the plan role\'s group read the CRDs, its own role, and the objects the stages write, and no Secret', () => {
    const role = Object.values(stage1().resource.kubernetes_cluster_role_v1)[0] as any;
    expect(role.rule.flatMap((r: any) => r.resources).sort()).toEqual([
      'clusterissuers', 'clusterrolebindings', 'clusterroles', 'clustersecretstores', 'customresourcedefinitions', 'ec2nodeclasses',
      'envoyproxies', 'gatewayclasses', 'gateways', 'gitrepositories', 'kustomizations', 'nodeclaims', 'nodepools', 'storageclasses',
    ]);
    // Every kind a stage writes is readable (the core kinds through AmazonEKSViewPolicy).
    const readable = new Set(role.rule.flatMap((r: any) => r.resources));
    for (const stage of [stage2(), stacks[`${env.name}-platform`]]) {
      for (const manifest of Object.values(stage.resource.kubernetes_manifest ?? {}) as any[]) {
        const kind = manifest.manifest.kind.toLowerCase();
        const plural = /[^aeiou]y$/.test(kind) ? `${kind.slice(0, -1)}ies` : kind.endsWith('s') ? `${kind}es` : `${kind}s`;
        expect({ kind, readable: readable.has(plural) }).toEqual({ kind, readable: true });
      }
    }
    // And no rule grants more: each readable kind is one a stage writes, one Karpenter's objects
    // own, or one a provider reads at plan time (named, with the call, in PLAN_READABLE).
    const written = new Set<string>();
    for (const stage of [stage1(), stage2(), stacks[`${env.name}-platform`]]) {
      for (const manifest of Object.values(stage.resource.kubernetes_manifest ?? {}) as any[]) {
        const kind = manifest.manifest.kind.toLowerCase();
        written.add(/[^aeiou]y$/.test(kind) ? `${kind.slice(0, -1)}ies` : kind.endsWith('s') ? `${kind}es` : `${kind}s`);
      }
    }
    const providerReads = ['customresourcedefinitions', 'clusterroles', 'clusterrolebindings', 'storageclasses', 'nodeclaims'];
    expect([...readable].filter((resource) => !written.has(resource as string) && !providerReads.includes(resource as string))).toEqual([]);
    expect(readable.has('secrets')).toBe(false);
    expect(role.rule.every((r: any) => r.verbs.join() === 'get,list,watch')).toBe(true);
    const binding = Object.values(stage1().resource.kubernetes_cluster_role_binding_v1)[0] as any;
    expect(binding.subject[0]).toMatchObject({ kind: 'Group', name: 'piksel-plan-readers' });
  });

  test('external-dns writes the environment\'s zone only, never a zone delegated from it', () => {
    const externalDns = Object.values(stage2().resource.helm_release).find((r: any) => r.chart === 'external-dns') as any;
    const dns = JSON.parse(externalDns.values[0]);
    expect(dns.domainFilters).toEqual([env.dnsZone]);
    expect(dns.excludeDomains).toEqual(env.name === 'production' ? ['staging.piksel.big.go.id'] : undefined);
    expect(dns.extraArgs[0]).toBe(`--zone-id-filter=${'${'}data.terraform_remote_state.HubState.outputs.${publicZoneOutput(env.dnsZone)}}`);
  });

  test('serves secrets only to the applications\' namespaces', () => {
    const store = Object.values(stacks[`${env.name}-platform`].resource.kubernetes_manifest as Record<string, any>)
      .map((m) => m.manifest).find((m) => m.kind === 'ClusterSecretStore');
    expect(store.spec.conditions).toEqual([{ namespaces: ['argo-workflows', 'jupyterhub', 'monitoring', 'open-datacube', 'odc-stac', 'database'] }]);
    expect(configMapOf(env).data.secretStoreNamespaces).toBe('argo-workflows,jupyterhub,monitoring,open-datacube,odc-stac,database');
  });

  test('keeps Helm\'s release records in ConfigMaps, so the plan role reads them with the view policy and reads no Secret', () => {
    for (const stage of [stage1(), stage2(), stacks[`${env.name}-platform`]]) {
      expect(stage.provider.helm[0].helm_driver).toBe('configmap');
    }
    const plan = Object.entries(stacks[env.name].resource.aws_eks_access_policy_association as Record<string, any>)
      .filter(([address]) => address.startsWith('Cluster_Plan_')).map(([, association]) => association);
    expect(plan.map((a) => [a.policy_arn, a.access_scope.type])).toEqual([['arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', 'cluster']]);
  });

  test('installs Karpenter 1.14.1 with its CRDs first, for this cluster, queue and IRSA role', () => {
    expect(release('karpenter-crd')).toMatchObject({ repository: 'oci://public.ecr.aws/karpenter', chart: 'karpenter-crd', version: '1.14.1', namespace: 'karpenter' });
    expect(release('karpenter')).toMatchObject({ chart: 'karpenter', version: '1.14.1', skip_crds: true });
    expect(release('karpenter').depends_on[0]).toMatch(/^helm_release\./);
    const karpenter = values('karpenter');
    expect(karpenter.settings.clusterName).toBe(env.clusterName);
    expect(karpenter.settings.interruptionQueue).toMatch(OUTPUT_REF(CLUSTER_OUTPUT.interruptionQueueName));
    expect(karpenter.serviceAccount.annotations['eks.amazonaws.com/role-arn']).toMatch(OUTPUT_REF(CLUSTER_OUTPUT.karpenterControllerRoleArn));
    expect(karpenter.dnsPolicy).toBe('Default');
  });

  test('syncs Flux from piksel-gitops clusters/<env>, substituting the cluster values', () => {
    expect(release('flux2')).toMatchObject({ chart: 'flux2', namespace: 'flux-system' });
    const sync = values('flux-system');
    expect(sync.gitRepository.spec).toMatchObject({ url: GITOPS_REPOSITORY, ref: { branch: 'main' } });
    expect(sync.kustomization.spec).toMatchObject({ path: `clusters/${env.name}`, prune: true });
    expect(sync.kustomization.spec.postBuild.substituteFrom).toEqual([{ kind: 'ConfigMap', name: 'cluster-values' }]);
  });

  test('gives GitOps the values it substitutes: cluster, region, account, role ARNs, queue, DNS', () => {
    const configMap = Object.values(stage1().resource.kubernetes_config_map_v1)[0] as any;
    expect(configMap.metadata).toMatchObject({ name: 'cluster-values', namespace: 'flux-system' });
    expect(configMap.data).toMatchObject({
      clusterName: env.clusterName,
      region: env.region,
      account: env.account,
      externalDnsRoleArn: `arn:aws:iam::${env.account}:role/piksel-${env.name}-external-dns`,
      externalSecretsRoleArn: `arn:aws:iam::${env.account}:role/${env.clusterName}-external-secrets`,
      externalDnsAssumeRoleArn: `arn:aws:iam::${HUB.account}:role/piksel-${env.name}-external-dns`,
      externalDnsZone: env.dnsZone,
      environment: env.name,
    });
    expect(configMap.data.karpenterRoleArn).toMatch(OUTPUT_REF(CLUSTER_OUTPUT.karpenterControllerRoleArn));
    expect(configMap.data.interruptionQueueName).toMatch(OUTPUT_REF(CLUSTER_OUTPUT.interruptionQueueName));
  });

  test('gives external-dns the hub role, its external ID and the ID of its own zone only (from the hub\'s state)', () => {
    const { data } = configMapOf(env);
    expect(data.externalDnsExternalId).toBe(`piksel-${env.name}-external-dns`);
    expect(data.externalDnsZoneIds).toMatch(HUB_REF(publicZoneOutput(env.dnsZone)));
    expect(stacks[HUB.name].output[publicZoneOutput(env.dnsZone)]).toBeDefined();
    // The hub role's trust demands the same external ID.
    const hubRole = (Object.values(stacks[HUB.name].resource.aws_iam_role) as any[]).find((r) => r.name === `piksel-${env.name}-external-dns`);
    expect(JSON.stringify(JSON.parse(hubRole.assume_role_policy))).toContain(`"sts:ExternalId":"piksel-${env.name}-external-dns"`);
  });

  test('gives GitOps the data tier from the data stack\'s state: PostgreSQL, databases, buckets, IRSA roles', () => {
    const { data } = configMapOf(env);
    expect(stage1().data.terraform_remote_state.DataState.config).toMatchObject({ bucket: `piksel-${env.name}-tfstate`, key: `${env.name}-data/terraform.tfstate` });
    expect(data.postgresEndpoint).toMatch(DATA_REF(DATA_OUTPUT.postgresEndpoint));
    expect(data.postgresPort).toMatch(DATA_REF(DATA_OUTPUT.postgresPort));
    expect(data.postgresMasterSecretArn).toMatch(DATA_REF(DATA_OUTPUT.postgresMasterSecretArn));
    expect(data.postgresDatabases).toMatch(DATA_REF(DATA_OUTPUT.postgresDatabases));
    expect(data.bucketPublicData).toMatch(DATA_REF(DATA_OUTPUT.bucket('public-data')));
    expect(data.roleArnArgoWorkflowsArgoWorkflowsExecutor).toMatch(DATA_REF(DATA_OUTPUT.roleArn('argo-workflows/argo-workflows-executor')));
    // Every value read from the data stack's state is an output that stack writes.
    const dataOutputs = Object.keys(stacks[`${env.name}-data`].output);
    for (const value of Object.values<string>(data)) {
      const read = /DataState\.outputs\.(\w+)/.exec(value)?.[1];
      if (read) expect(dataOutputs).toContain(read);
    }
  });

  test('the ConfigMap holds exactly the keys the README lists', () => {
    expect(Object.keys(configMapOf(env).data).sort()).toEqual(readmeKeys().sort());
  });

  test('stage 2 pins the node image of the estate table and tags instances and volumes with the estate tags', () => {
    const manifests = (Object.values(stage2().resource.kubernetes_manifest) as any[]).map((m) => m.manifest);
    const nodeClass = manifests.find((m) => m.kind === 'EC2NodeClass');
    expect(nodeClass.spec.amiSelectorTerms).toEqual([{ alias: env.nodeImage }]);
    expect(env.nodeImage).toMatch(/^al2023@v\d{8}$/);
    expect(nodeClass.spec.tags).toEqual({ ...ESTATE_TAGS, Environment: env.name });
  });

  test('stage 2 declares the default EC2NodeClass and the default and gpu NodePools', () => {
    const manifests = (Object.values(stage2().resource.kubernetes_manifest) as any[]).map((m) => m.manifest);
    const nodeClass = manifests.find((m) => m.kind === 'EC2NodeClass');
    expect(nodeClass.spec).toMatchObject({
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': env.clusterName } }],
      securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': env.clusterName } }],
      metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
    });
    expect(nodeClass.spec.role).toMatch(OUTPUT_REF(CLUSTER_OUTPUT.karpenterNodeRoleName));
    expect(nodeClass.spec.blockDeviceMappings[0].ebs).toMatchObject({ volumeType: 'gp3', encrypted: true });
    const pools = Object.fromEntries(manifests.filter((m) => m.kind === 'NodePool').map((m) => [m.metadata.name, m.spec]));
    expect(Object.keys(pools).sort()).toEqual(['default', 'gpu']);
    expect(pools.default.limits).toEqual({ cpu: '10000' });
    expect(pools.default.disruption).toMatchObject({ consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '20m' });
    expect(pools.default.template.spec.expireAfter).toBe('720h');
    expect(pools.gpu.template.spec.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
    expect(pools.gpu.limits).toEqual({ 'nvidia.com/gpu': '20' });
  });

  test('stage 2 installs the EBS CSI driver with its IRSA role, once Karpenter can start nodes for it', () => {
    const addon = Object.values(stage2().resource.aws_eks_addon)[0] as any;
    expect(addon).toMatchObject({
      cluster_name: env.clusterName,
      addon_name: 'aws-ebs-csi-driver',
      addon_version: env.addonVersions['aws-ebs-csi-driver'],
      service_account_role_arn: `arn:aws:iam::${env.account}:role/${env.clusterName}-ebs-csi`,
    });
    const role = Object.values(stacks[env.name].resource.aws_iam_role).find((r: any) => r.name === `${env.clusterName}-ebs-csi`);
    expect(role).toBeDefined();
  });
});

describe('node images and add-ons, promoted like code', () => {
  test('production pins its node image to a release, and every add-on version is a pinned EKS build', () => {
    const production = ENVIRONMENTS.find((env) => env.name === 'production')!;
    expect(production.requirePinnedNodeImage).toBe(true);
    for (const env of ENVIRONMENTS) {
      expect(Object.keys(env.addonVersions).sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
      for (const version of Object.values(env.addonVersions)) expect(version).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
      // kube-proxy follows the cluster's minor version.
      expect(env.addonVersions['kube-proxy']).toMatch(new RegExp(`^v${env.kubernetesVersion.replace('.', '\\.')}\\.`));
    }
  });

  test('the cluster installs the pinned add-on versions', () => {
    for (const env of ENVIRONMENTS) {
      const addons = Object.values(stacks[env.name].resource.aws_eks_addon) as any[];
      for (const name of ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent'] as const) {
        expect(addons.find((a) => a.addon_name === name)?.addon_version).toBe(env.addonVersions[name]);
      }
    }
  });

  test('fails at synth when production follows @latest', () => {
    const production = ENVIRONMENTS.find((env) => env.name === 'production')!;
    const app = Testing.app() as App;
    expect(() => buildEstate(app, { extraEnvironments: [{ ...production, name: 'prod-two', account: '210987654321', cidrBlock: '10.9.0.0/16', clusterName: 'piksel-prod-two', nodeImage: 'al2023@latest' }], extraPinnedAs: 'production' }))
      .toThrow(/prod-two-bootstrap-nodes\/DefaultNodeClass: amiAlias is "al2023@latest"; pin an AMI release/);
  });

  test('a platform chart that floats, in any environment, fails at synth with the add-on\'s path', () => {
    const production = ENVIRONMENTS.find((env) => env.name === 'production')!;
    const floating = { ...production, name: 'prod-two', account: '210987654321', cidrBlock: '10.9.0.0/16', clusterName: 'piksel-prod-two' };
    for (const [chart, path] of [['cert-manager', 'CertManager'], ['external-dns', 'ExternalDns'], ['karpenter', 'Karpenter']] as const) {
      const app = Testing.app() as App;
      const extra = { ...floating, chartVersions: { ...production.chartVersions, [chart]: 'latest' } };
      expect(() => buildEstate(app, { extraEnvironments: [extra], extraPinnedAs: 'production' }))
        .toThrow(new RegExp(`prod-two-bootstrap(-nodes)?/${path}: version is "latest"; use one released chart version`));
    }
  });
});
