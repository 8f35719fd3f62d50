import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import type * as bootstrapLibrary from '@piksel/cluster-bootstrap';
import type * as eksLibrary from '@piksel/eks-cluster';
import { Environment, ESTATE_TAGS, externalDnsExternalId, externalDnsRoleArn, GITOPS_REPOSITORY, hubDnsRoleArn, ServiceAccountRef, stateBucket } from '@piksel/estate';
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

/** The external-secrets IRSA role: made by the environment stack, named to GitOps in stage 1. */
export function externalSecretsRoleName(env: Environment): string {
  return `${env.clusterName}-external-secrets`;
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
    super(scope, env, `${env.name}-${stage}`);
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
    new HelmProvider(this, 'Helm', { kubernetes: { host, clusterCaCertificate, exec } });
  }
}

/**
 * Stage 1 of an environment's cluster: Helm releases only (Karpenter with its CRDs, Flux with its
 * sync of `piksel-gitops` `clusters/<env>`) and the ConfigMap of values GitOps substitutes. A
 * Helm release needs no CRD at plan time, so the first plan of a fresh cluster succeeds.
 */
/** The Kubernetes group of the plan role's access entry; stage 1 lets it read Karpenter's resources. */
export const PLAN_READERS_GROUP = 'piksel-plan-readers';

/** The namespaces stage 1 installs Helm releases into, whose release records a plan reads. */
export const HELM_RELEASE_NAMESPACES = ['karpenter', 'flux-system'];

export class BootstrapStack extends InClusterStack {
  /** @param pinnedAs the environment whose pins build this stack */
  constructor(scope: Construct, env: Environment, pinnedAs: string = env.name) {
    super(scope, env, 'bootstrap', pinnedAs);
    const { bootstrap, cluster } = this;
    const karpenterRoleArn = cluster.getString(CLUSTER_OUTPUT.karpenterControllerRoleArn);
    const interruptionQueueName = cluster.getString(CLUSTER_OUTPUT.interruptionQueueName);

    new bootstrap.KarpenterRelease(this, 'Karpenter', { clusterName: env.clusterName, interruptionQueueName, controllerRoleArn: karpenterRoleArn });
    // Pull-request plans of stage 2 read Karpenter's NodePools and EC2NodeClasses through this group.
    new bootstrap.ReadOnlyGroup(this, 'PlanReaders', { groupName: PLAN_READERS_GROUP, readable: bootstrap.ReadOnlyGroup.KARPENTER });
    // HTTPS to the public repository, no credentials: nothing secret enters Terraform state.
    const flux = new bootstrap.FluxRelease(this, 'Flux', { gitRepositoryUrl: GITOPS_REPOSITORY, path: `clusters/${env.name}` });
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
      extra: { environment: env.name, ...this.externalDnsValues(env), ...this.dataValues(env) },
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
    const data = new DataTerraformRemoteStateS3(this, 'DataState', {
      bucket: stateBucket(env.name),
      key: `${env.name}-data/terraform.tfstate`,
      region: env.region,
      encrypt: true,
    });
    const values: { [key: string]: string } = {
      postgresEndpoint: data.getString(DATA_OUTPUT.postgresEndpoint),
      postgresPort: data.getString(DATA_OUTPUT.postgresPort),
      postgresMasterSecretArn: data.getString(DATA_OUTPUT.postgresMasterSecretArn),
      postgresDatabases: data.getString(DATA_OUTPUT.postgresDatabases),
      postgresCredentialSecrets: data.getString(DATA_OUTPUT.postgresCredentialSecrets),
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
 * `default` and `gpu` — and the EBS CSI driver add-on, whose controller runs on the nodes
 * Karpenter starts (created before nodes exist, the add-on would wait on Pending pods).
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
    bootstrap.NodePool.defaultPool(this, 'DefaultNodePool');
    bootstrap.NodePool.gpuPool(this, 'GpuNodePool');
    new eks.Addon(this, 'EbsCsiDriver', {
      clusterName: env.clusterName,
      addonName: 'aws-ebs-csi-driver',
      addonVersion: env.addonVersions['aws-ebs-csi-driver'],
      serviceAccountRoleArn: `arn:aws:iam::${env.account}:role/${ebsCsiRoleName(env)}`,
    });
  }
}
