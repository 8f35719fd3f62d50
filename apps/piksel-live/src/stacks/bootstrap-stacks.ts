import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import type * as bootstrapLibrary from '@piksel/cluster-bootstrap';
import type * as eksLibrary from '@piksel/eks-cluster';
import {
  ACME_EMAIL, Environment, ESTATE_TAGS, externalDnsExternalId, externalDnsRoleArn, GITOPS_REPOSITORY, HUB, hubDnsRoleArn,
  SECRET_CONSUMER_NAMESPACES, ServiceAccountRef, stateBucket,
} from '@piksel/estate';
import { DataTerraformRemoteStateS3, Fn } from 'cdktf';
import { Construct } from 'constructs';
import { hubRoleArn, readHubState } from '../hub-outputs';
import { loadPinned } from '../pins';
import { AccountStack } from './account-stack';
import { DATA_OUTPUT, dataServiceAccounts } from './data-stack';
import { publicZoneOutput } from './hub-stack';

/** The EBS CSI driver's IRSA role: made by the environment stack, used by the add-on in stage 2. */
export function ebsCsiRoleName(env: Environment): string {
  return `${env.clusterName}-ebs-csi`;
}

/** The external-secrets role (IRSA or Pod Identity): made by the environment stack, used by the add-on in stage 2. */
export function externalSecretsRoleName(env: Environment): string {
  return `${env.clusterName}-external-secrets`;
}

/** The EFS CSI controller's role (access points): made by the environment stack. */
export function efsCsiControllerRoleName(env: Environment): string {
  return `${env.clusterName}-efs-csi-controller`;
}

/** The EFS CSI node role (IAM-authorized mounts): made by the environment stack, granted the file system by the data stack. */
export function efsCsiNodeRoleName(env: Environment): string {
  return `${env.clusterName}-efs-csi-node`;
}

/**
 * Where each add-on of the platform runs and which service accounts call AWS. None of them is
 * in a namespace a Fargate profile selects except external-dns: the others run on the `default`
 * NodePool, so EKS Pod Identity works for them, and no release shares `kube-system`.
 */
export const PLATFORM = {
  certManager: { namespace: 'cert-manager' },
  envoyGateway: { namespace: 'envoy-gateway-system' },
  externalDns: { namespace: 'external-dns', serviceAccount: 'external-dns-sa' },
  metricsServer: { namespace: 'metrics-server' },
  efsCsiDriver: { namespace: 'aws-efs-csi-driver', controllerServiceAccount: 'efs-csi-controller-sa', nodeServiceAccount: 'efs-csi-node-sa' },
  nvidiaDevicePlugin: { namespace: 'gpu-operator' },
  externalSecrets: { namespace: 'external-secrets', serviceAccount: 'external-secrets' },
  /** The Gateway and its certificates: no Helm release here, so pull-request plans never read these Secrets. */
  gateway: { namespace: 'gateway', name: 'public' },
  clusterIssuers: { production: 'letsencrypt-production', staging: 'letsencrypt-staging' },
  secretStore: 'aws-secrets-manager',
  efsStorageClass: 'efs',
};

/**
 * The service-account annotations of a role the environment stack made for `env`'s kind of
 * workload identity: the IRSA role ARN, or none with EKS Pod Identity (the association is AWS's).
 */
export function identityAnnotations(env: Environment, roleName: string): { [key: string]: string } {
  return env.workloadIdentity === 'irsa' ? { 'eks.amazonaws.com/role-arn': `arn:aws:iam::${env.account}:role/${roleName}` } : {};
}

/** The hub registry's host, which every image of the GitOps repository is pulled from. */
export function registryHost(): string {
  return `${HUB.account}.dkr.ecr.${HUB.region}.amazonaws.com`;
}

/** The environment stack's outputs the in-cluster stages read. */
export const CLUSTER_OUTPUT = {
  endpoint: 'cluster_endpoint',
  certificateAuthorityData: 'cluster_certificate_authority_data',
  karpenterControllerRoleArn: 'karpenter_controller_role_arn',
  karpenterNodeRoleName: 'karpenter_node_role_name',
  interruptionQueueName: 'karpenter_interruption_queue_name',
};

/**
 * A stack that works inside an environment's cluster: Helm and Kubernetes providers pointed at
 * the API server from the environment stack's state, authenticated with a short-lived token
 * (`aws eks get-token`) of whoever runs Terraform — the deploy role, which has an access entry.
 */
abstract class InClusterStack extends AccountStack {
  protected readonly bootstrap: typeof bootstrapLibrary;
  protected readonly eks: typeof eksLibrary;
  protected readonly cluster: DataTerraformRemoteStateS3;

  constructor(scope: Construct, env: Environment, stage: string, pinnedAs: string) {
    super(scope, env, `${env.name}-${stage}`, pinnedAs);
    this.bootstrap = loadPinned<typeof bootstrapLibrary>(pinnedAs, '@piksel/cluster-bootstrap');
    this.eks = loadPinned<typeof eksLibrary>(pinnedAs, '@piksel/eks-cluster');
    this.cluster = new DataTerraformRemoteStateS3(this, 'EnvironmentState', {
      bucket: stateBucket(env.name),
      key: `${env.name}/terraform.tfstate`,
      region: env.region,
      encrypt: true,
    });
    const host = this.cluster.getString(CLUSTER_OUTPUT.endpoint);
    const clusterCaCertificate = Fn.base64decode(this.cluster.getString(CLUSTER_OUTPUT.certificateAuthorityData));
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', env.clusterName, '--region', env.region],
    };
    new KubernetesProvider(this, 'Kubernetes', { host, clusterCaCertificate, exec: [exec] });
    // Release records in ConfigMaps, not Secrets: a plan reads them with the view policy, so the
    // plan role needs no access to any Secret (the records hold values, which carry no secret here).
    new HelmProvider(this, 'Helm', { kubernetes: { host, clusterCaCertificate, exec }, helmDriver: HELM_DRIVER });
  }
}

/** The Kubernetes group of the plan role's access entry; stage 1 lets it read Karpenter's resources. */
export const PLAN_READERS_GROUP = 'piksel-plan-readers';

/**
 * Helm's storage driver for the in-cluster stages: release records are ConfigMaps in each
 * release's namespace. Anyone running the `helm` CLI against these clusters sets
 * `HELM_DRIVER=configmap` to see them.
 *
 * @see https://helm.sh/docs/topics/advanced/#storage-backends
 */
export const HELM_DRIVER = 'configmap';

/**
 * What a pull-request plan of the in-cluster stages reads beyond `AmazonEKSViewPolicy` (which
 * covers namespaces, ConfigMaps — so Helm's release records — and the namespaced core kinds),
 * through the plan readers' group, rule by rule with the provider call that needs it:
 * - CRDs: the Kubernetes provider looks up every `kubernetes_manifest`'s kind at plan time;
 * - the plan readers' own ClusterRole and binding: stage 1 refreshes them on every plan;
 * - each custom kind a stage writes (NodePools, EC2NodeClasses, the Flux sources of the Gateway
 *   API CRDs, ClusterIssuers, the Gateway API and Envoy Gateway objects, the
 *   ClusterSecretStore): refreshed by `kubernetes_manifest`, and
 *   NodeClaims, which Karpenter's objects own;
 * - StorageClasses: cluster-scoped, outside the view policy; refreshed by `kubernetes_storage_class_v1`.
 * Never a Secret.
 */
export const PLAN_READABLE = [
  { apiGroup: 'apiextensions.k8s.io', resources: ['customresourcedefinitions'] },
  { apiGroup: 'rbac.authorization.k8s.io', resources: ['clusterroles', 'clusterrolebindings'] },
  { apiGroup: 'karpenter.sh', resources: ['nodepools', 'nodeclaims'] },
  { apiGroup: 'karpenter.k8s.aws', resources: ['ec2nodeclasses'] },
  { apiGroup: 'cert-manager.io', resources: ['clusterissuers'] },
  { apiGroup: 'gateway.networking.k8s.io', resources: ['gatewayclasses', 'gateways'] },
  { apiGroup: 'gateway.envoyproxy.io', resources: ['envoyproxies'] },
  { apiGroup: 'source.toolkit.fluxcd.io', resources: ['gitrepositories'] },
  { apiGroup: 'kustomize.toolkit.fluxcd.io', resources: ['kustomizations'] },
  { apiGroup: 'external-secrets.io', resources: ['clustersecretstores'] },
  { apiGroup: 'storage.k8s.io', resources: ['storageclasses'] },
];

/**
 * Stage 1 of an environment's cluster: Helm releases only (Karpenter with its CRDs, Flux with its
 * sync of `piksel-gitops` `clusters/<env>`) and the ConfigMap of values GitOps substitutes. A
 * Helm release needs no CRD at plan time, so the first plan of a fresh cluster succeeds.
 */
export class BootstrapStack extends InClusterStack {
  /** @param pinnedAs the environment whose pins build this stack */
  constructor(scope: Construct, env: Environment, pinnedAs: string = env.name) {
    super(scope, env, 'bootstrap', pinnedAs);
    const { bootstrap, cluster } = this;
    const karpenterRoleArn = cluster.getString(CLUSTER_OUTPUT.karpenterControllerRoleArn);
    const interruptionQueueName = cluster.getString(CLUSTER_OUTPUT.interruptionQueueName);

    new bootstrap.KarpenterRelease(this, 'Karpenter', {
      clusterName: env.clusterName, interruptionQueueName, controllerRoleArn: karpenterRoleArn, version: env.chartVersions.karpenter,
    });
    // Pull-request plans of stage 2 read Karpenter's NodePools and EC2NodeClasses through this group.
    new bootstrap.ReadOnlyGroup(this, 'PlanReaders', { groupName: PLAN_READERS_GROUP, readable: PLAN_READABLE });
    // HTTPS to the public repository, no credentials: nothing secret enters Terraform state.
    const flux = new bootstrap.FluxRelease(this, 'Flux', {
      gitRepositoryUrl: GITOPS_REPOSITORY,
      path: `clusters/${env.name}`,
      version: env.chartVersions.flux2,
      syncVersion: env.chartVersions['flux2-sync'],
    });
    // The contract with piksel-gitops: every key is listed, with its meaning, in the app's README.
    new bootstrap.GitOpsValues(this, 'GitOpsValues', {
      flux,
      clusterName: env.clusterName,
      region: env.region,
      account: env.account,
      karpenterRoleArn,
      interruptionQueueName,
      externalDnsRoleArn: externalDnsRoleArn(env),
      externalSecretsRoleArn: `arn:aws:iam::${env.account}:role/${externalSecretsRoleName(env)}`,
      extra: { environment: env.name, ...this.externalDnsValues(env), ...this.dataValues(env), ...platformValues(env) },
    });
  }

  /** What external-dns needs to write its own zone only: the hub role, its external ID, the zone's ID. */
  private externalDnsValues(env: Environment): { [key: string]: string } {
    const hub = readHubState(this, hubRoleArn(this, env));
    return {
      externalDnsAssumeRoleArn: hubDnsRoleArn(env),
      externalDnsExternalId: externalDnsExternalId(env),
      externalDnsZone: env.dnsZone,
      externalDnsZoneIds: hub.getString(publicZoneOutput(env.dnsZone)),
    };
  }

  /** The data tier, read from the data stack's state (`<env>-data`, applied before this stage). */
  private dataValues(env: Environment): { [key: string]: string } {
    const data = readDataState(this, env);
    const values: { [key: string]: string } = {
      postgresEndpoint: data.getString(DATA_OUTPUT.postgresEndpoint),
      postgresPort: data.getString(DATA_OUTPUT.postgresPort),
      postgresMasterSecretArn: data.getString(DATA_OUTPUT.postgresMasterSecretArn),
      postgresDatabases: data.getString(DATA_OUTPUT.postgresDatabases),
      postgresCredentialSecrets: data.getString(DATA_OUTPUT.postgresCredentialSecrets),
      efsFileSystemId: data.getString(DATA_OUTPUT.efsFileSystemId),
    };
    for (const bucket of env.data.buckets) {
      values[gitOpsKey('bucket', bucket.purpose)] = data.getString(DATA_OUTPUT.bucket(bucket.purpose));
    }
    for (const serviceAccount of dataServiceAccounts(env)) {
      values[gitOpsKey('roleArn', serviceAccount)] = data.getString(DATA_OUTPUT.roleArn(serviceAccount));
    }
    return values;
  }
}

/** What the platform offers the applications: the registry, the Gateway, the issuers, the secret store, the storage class. */
function platformValues(env: Environment): { [key: string]: string } {
  return {
    registryHost: registryHost(),
    gatewayName: PLATFORM.gateway.name,
    gatewayNamespace: PLATFORM.gateway.namespace,
    gatewayHosts: env.gatewayHosts.join(','),
    clusterIssuer: PLATFORM.clusterIssuers.production,
    clusterIssuerStaging: PLATFORM.clusterIssuers.staging,
    secretStore: PLATFORM.secretStore,
    secretStoreNamespaces: SECRET_CONSUMER_NAMESPACES.join(','),
    efsStorageClass: PLATFORM.efsStorageClass,
  };
}

/** The data stack's state (`<env>-data`), applied before the in-cluster stages. */
function readDataState(stack: InClusterStack, env: Environment): DataTerraformRemoteStateS3 {
  return new DataTerraformRemoteStateS3(stack, 'DataState', {
    bucket: stateBucket(env.name),
    key: `${env.name}-data/terraform.tfstate`,
    region: env.region,
    encrypt: true,
  });
}

/**
 * A ConfigMap key as Flux substitutes it (letters and digits only): `bucket` + `public-data` →
 * `bucketPublicData`, `roleArn` + `argo-workflows/argo-workflows-server` →
 * `roleArnArgoWorkflowsArgoWorkflowsServer`.
 */
export function gitOpsKey(prefix: string, name: string | ServiceAccountRef): string {
  return prefix + name.split(/[^a-zA-Z0-9]+/).filter(Boolean).map((part) => part[0].toUpperCase() + part.slice(1)).join('');
}

/**
 * Stage 2: what needs stage 1's CRDs to plan — Karpenter's default EC2NodeClass and the NodePools
 * `default` and `gpu` — then what runs on the nodes Karpenter starts: the EBS CSI driver add-on
 * and the platform's Helm releases (Envoy Gateway with the Gateway API CRDs, cert-manager,
 * external-dns on Fargate, metrics-server, the EFS CSI driver and its StorageClass, the NVIDIA
 * device plugin, External Secrets). A Helm release needs no CRD at plan time; the objects of the
 * CRDs these releases install wait for stage 3.
 */
export class BootstrapNodesStack extends InClusterStack {
  /** @param pinnedAs the environment whose pins build this stack */
  constructor(scope: Construct, env: Environment, pinnedAs: string = env.name) {
    super(scope, env, 'bootstrap-nodes', pinnedAs);
    const { bootstrap, eks, cluster } = this;

    new bootstrap.Ec2NodeClass(this, 'DefaultNodeClass', {
      clusterName: env.clusterName,
      nodeRoleName: cluster.getString(CLUSTER_OUTPUT.karpenterNodeRoleName),
      // The image is pinned in the estate table and promoted like a library version.
      amiAlias: env.nodeImage,
      amiPolicy: env.requirePinnedNodeImage ? bootstrap.AmiPolicy.PINNED_ONLY : bootstrap.AmiPolicy.ALLOW_LATEST,
      // Karpenter's instances and volumes are not Terraform's: the provider's default tags miss them.
      tags: { ...ESTATE_TAGS, Environment: env.name },
    });
    bootstrap.NodePool.defaultPool(this, 'DefaultNodePool', { clusterName: env.clusterName });
    bootstrap.NodePool.gpuPool(this, 'GpuNodePool', { clusterName: env.clusterName });
    new eks.Addon(this, 'EbsCsiDriver', {
      clusterName: env.clusterName,
      addonName: 'aws-ebs-csi-driver',
      addonVersion: env.addonVersions['aws-ebs-csi-driver'],
      serviceAccountRoleArn: `arn:aws:iam::${env.account}:role/${ebsCsiRoleName(env)}`,
    });
    this.addPlatform(env);
  }

  /** The platform's add-ons, each at the chart version the environment pins. */
  private addPlatform(env: Environment): void {
    const { bootstrap } = this;
    const clusterName = env.clusterName;
    const charts = env.chartVersions;
    const gateway = new bootstrap.EnvoyGateway(this, 'EnvoyGateway', {
      clusterName,
      version: charts['envoy-gateway'],
      gatewayApiVersion: charts['gateway-api'],
    });
    // cert-manager and external-dns watch Gateways and HTTPRoutes: their CRDs come first.
    new bootstrap.CertManager(this, 'CertManager', { clusterName, version: charts['cert-manager'], dependsOn: [gateway.crds] });
    const hub = readHubState(this, hubRoleArn(this, env));
    new bootstrap.ExternalDns(this, 'ExternalDns', {
      clusterName,
      version: charts['external-dns'],
      region: env.region,
      domain: env.dnsZone,
      // Zones delegated from this one (staging's under production's) are another environment's.
      excludeDomains: HUB.publicZones.filter((zone) => zone.parent === env.dnsZone).map((zone) => zone.name),
      zoneId: hub.getString(publicZoneOutput(env.dnsZone)),
      assumeRoleArn: hubDnsRoleArn(env),
      assumeRoleExternalId: externalDnsExternalId(env),
      // On Fargate (its namespace has a profile), where only IRSA gives pods credentials.
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': externalDnsRoleArn(env) },
      dependsOn: [gateway.crds],
    });
    new bootstrap.MetricsServer(this, 'MetricsServer', { clusterName, version: charts['metrics-server'], namespace: PLATFORM.metricsServer.namespace });
    new bootstrap.EfsCsiDriver(this, 'EfsCsiDriver', {
      clusterName,
      version: charts['aws-efs-csi-driver'],
      namespace: PLATFORM.efsCsiDriver.namespace,
      controllerServiceAccountAnnotations: identityAnnotations(env, efsCsiControllerRoleName(env)),
      nodeServiceAccountAnnotations: identityAnnotations(env, efsCsiNodeRoleName(env)),
    });
    new bootstrap.EfsStorageClass(this, 'EfsStorageClass', {
      name: PLATFORM.efsStorageClass,
      fileSystemId: readDataState(this, env).getString(DATA_OUTPUT.efsFileSystemId),
      // The file system admits IAM-authorized clients only: the node plugin's role holds the grant.
      mountOptions: ['tls', 'iam'],
    });
    new bootstrap.NvidiaDevicePlugin(this, 'NvidiaDevicePlugin', { clusterName, version: charts['nvidia-device-plugin'], namespace: PLATFORM.nvidiaDevicePlugin.namespace });
    new bootstrap.ExternalSecrets(this, 'ExternalSecrets', {
      clusterName,
      version: charts['external-secrets'],
      serviceAccountAnnotations: identityAnnotations(env, externalSecretsRoleName(env)),
    });
  }
}

/**
 * Stage 3: the objects of the CRDs stage 2 installs, planned once they exist — the Let's Encrypt
 * ClusterIssuers (production and staging), the public Gateway with a certificate per application
 * hostname, and the ClusterSecretStore through which External Secrets reads the environment's
 * tagged secrets.
 */
export class PlatformStack extends InClusterStack {
  /** @param pinnedAs the environment whose pins build this stack */
  constructor(scope: Construct, env: Environment, pinnedAs: string = env.name) {
    super(scope, env, 'platform', pinnedAs);
    const { bootstrap } = this;

    const gateway = new bootstrap.PublicGateway(this, 'PublicGateway', {
      clusterName: env.clusterName,
      namespace: PLATFORM.gateway.namespace,
      name: PLATFORM.gateway.name,
      hostnames: env.gatewayHosts,
      clusterIssuer: PLATFORM.clusterIssuers.production,
    });
    new bootstrap.AcmeClusterIssuer(this, 'LetsEncryptProduction', {
      name: PLATFORM.clusterIssuers.production,
      server: bootstrap.AcmeServer.LETS_ENCRYPT_PRODUCTION,
      email: ACME_EMAIL,
      http01Gateway: gateway.http01Listener,
    });
    new bootstrap.AcmeClusterIssuer(this, 'LetsEncryptStaging', {
      name: PLATFORM.clusterIssuers.staging,
      server: bootstrap.AcmeServer.LETS_ENCRYPT_STAGING,
      email: ACME_EMAIL,
      http01Gateway: gateway.http01Listener,
    });
    // Only the applications' namespaces may read through it: any namespace that can create an
    // ExternalSecret could otherwise read every secret of the environment.
    new bootstrap.SecretsManagerStore(this, 'SecretsManagerStore', { name: PLATFORM.secretStore, region: env.region, namespaces: SECRET_CONSUMER_NAMESPACES });
  }
}
