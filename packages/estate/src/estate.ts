/**
 * The Piksel estate: one typed table of environments (package README). The live app's stacks and
 * the operator tools read it; nothing else decides per environment.
 */

/** The region every Piksel environment runs in (Jakarta). */
export const REGION = 'ap-southeast-3';

/** Tags every resource of the estate carries, through the AWS provider's `default_tags`. */
export const ESTATE_TAGS = {
  ManagedBy: 'Terraform',
  Project: 'Piksel',
  Owner: 'Piksel-Devops-Team',
};

/** The kinds of secret the estate holds, as `SecretKind.id` in @piksel/secrets names them. */
export type SecretKindId = 'oauth-client' | 'slack-webhook';

/** A secret an environment holds; its value is put by operators, never by Terraform. */
export interface SecretSpec {
  /** What the secret holds (see `SecretKind` in @piksel/secrets). */
  readonly kind: SecretKindId;
  /** The `Service` tag and name part, e.g. `grafana`. */
  readonly service: string;
  /** The `Tenant` tag: who issued the credential. */
  readonly tenant: string;
}

/**
 * A Kubernetes service account, `<namespace>/<name>`, that GitOps creates and annotates with the
 * IRSA role the data stack makes for it.
 */
export type ServiceAccountRef = string;

/** The environment's PostgreSQL instance; `PostgresInstance` in @piksel/data-stores. */
export interface PostgresSpec {
  /**
   * Engine version pinned to major and minor, promoted like library pins (RDS never upgrades by
   * itself). Offered in ap-southeast-3: `aws rds describe-db-engine-versions --engine postgres
   * --region ap-southeast-3`.
   */
  readonly engineVersion: string;
  /** RDS instance class. */
  readonly instanceClass: string;
  /** Storage at creation, GiB. */
  readonly allocatedStorage: number;
  /** Storage autoscaling limit, GiB. */
  readonly maxAllocatedStorage: number;
  /** Days of automated backups. */
  readonly backupRetentionDays: number;
  /** Whether a standby runs in a second zone. */
  readonly multiAz: boolean;
  /** Whether the instance refuses deletion (a final snapshot is taken either way). */
  readonly deletionProtection: boolean;
}

/** An application database, created in-cluster by GitOps (not by Terraform). */
export interface DatabaseSpec {
  /** Database name, also its owner's login role. */
  readonly name: string;
  /** Read-only login roles of the database. */
  readonly readers: string[];
  /** Extensions GitOps creates in it. */
  readonly extensions: string[];
}

/** Access a service account gets to a bucket. */
export type BucketAccess = 'read' | 'read-write';

/** A bucket of the environment, `piksel-<env>-<purpose>`; `DataBucket` in @piksel/data-stores. */
export interface BucketSpec {
  /** What the bucket holds; the name's last part. */
  readonly purpose: string;
  /** Published open data: anyone may list and read it (the one deliberate public bucket). */
  readonly openData?: boolean;
  /** Whether S3 keeps object versions (data that cannot be rebuilt). */
  readonly versioned: boolean;
  /** Days after which objects are deleted. */
  readonly expireDays?: number;
  /** Days after which incomplete multipart uploads are aborted (the library defaults to 7). */
  readonly abortMultipartDays?: number;
  /** Days after which objects move to Intelligent-Tiering. */
  readonly intelligentTieringDays?: number;
  /** Days after which noncurrent versions are deleted. */
  readonly noncurrentVersionExpireDays?: number;
  /** Whether browsers of any origin may GET and HEAD objects (CORS). */
  readonly corsGetFromAnyOrigin?: boolean;
  /** Service accounts that use the bucket, and how. */
  readonly access: Record<ServiceAccountRef, BucketAccess>;
}

/**
 * The environment's shared file system, `piksel-<env>-shared` (JupyterHub home directories, Argo);
 * `EfsFileSystem` in @piksel/data-stores.
 */
export interface EfsSpec {
  /** Days without access after which a file moves to Infrequent Access (1, 7, 14, 30, 60, 90, 180, 270 or 365). */
  readonly transitionToIaDays: number;
  /** Whether Terraform refuses to destroy the file system (`prevent_destroy`). */
  readonly deletionProtection: boolean;
}

/** An environment's data tier: PostgreSQL, its databases, buckets and readers, the shared file system. */
export interface DataTier {
  readonly postgres: PostgresSpec;
  readonly efs: EfsSpec;
  readonly databases: DatabaseSpec[];
  readonly buckets: BucketSpec[];
  /** Public buckets other accounts own, read by `externalBucketReaders`. */
  readonly externalBuckets: string[];
  readonly externalBucketReaders: ServiceAccountRef[];
  /**
   * The in-cluster job that creates databases and login roles: reads the master secret and puts
   * each login role's credentials into its `<role>-db-credentials-<env>` secret.
   */
  readonly databaseInitServiceAccount: ServiceAccountRef;
}

/** The EKS managed add-ons whose versions each environment pins. */
export type AddonName = 'vpc-cni' | 'coredns' | 'kube-proxy' | 'eks-pod-identity-agent' | 'aws-ebs-csi-driver';

/**
 * Add-on versions for Kubernetes 1.36 (every environment). Sources, as of AMI release v20260903:
 * `coredns` and `kube-proxy` from the EKS user guide's version tables ("Manage CoreDNS",
 * "Manage kube-proxy"); `vpc-cni`, `eks-pod-identity-agent` and `aws-ebs-csi-driver` are the
 * versions `aws eks describe-addon-versions --kubernetes-version 1.34` lists (the VPC CNI guide's
 * table gives one version for every Kubernetes version): confirm them for 1.36 with
 * `aws eks describe-addon-versions --addon-name <name> --kubernetes-version 1.36` before the first
 * apply, and promote a newer one like a library pin.
 */
const ADDONS_1_36: Record<AddonName, string> = {
  'vpc-cni': 'v1.21.1-eksbuild.3',
  'coredns': 'v1.14.3-eksbuild.3',
  'kube-proxy': 'v1.36.0-eksbuild.14',
  'eks-pod-identity-agent': 'v1.3.8-eksbuild.2',
  'aws-ebs-csi-driver': 'v1.48.0-eksbuild.2',
};

/**
 * The Helm charts of each cluster's platform: the add-ons every workload leans on, installed by
 * the in-cluster stages at the version each environment pins here.
 */
export type PlatformChart =
  | 'karpenter' | 'flux2' | 'flux2-sync' | 'cert-manager' | 'envoy-gateway' | 'gateway-api' | 'external-dns'
  | 'metrics-server' | 'aws-efs-csi-driver' | 'nvidia-device-plugin' | 'external-secrets';

/**
 * Chart versions, each the newest release that supports Kubernetes 1.34-1.36 when pinned, and each
 * checked against the upstream schemas kept in the repository's `test/schemas` for that version:
 * Karpenter 1.14.1 (compatibility matrix: 1.26-1.36); flux2 2.18.3 and flux2-sync 1.14.5 (Flux
 * 2.8.5); cert-manager v1.21.1; Envoy Gateway v1.9.0 (Gateway API v1.6.1, Kubernetes 1.33-1.36);
 * external-dns 1.21.1 (app 0.21.0); metrics-server 3.13.1 (app 0.8.1); aws-efs-csi-driver 4.4.1
 * (driver 3.4.1); nvidia-device-plugin 0.20.0; external-secrets 2.9.0. cert-manager and Envoy
 * Gateway publish their chart versions with a `v`.
 */
const PLATFORM_CHARTS: Record<PlatformChart, string> = {
  'karpenter': '1.14.1',
  'flux2': '2.18.3',
  'flux2-sync': '1.14.5',
  'cert-manager': 'v1.21.1',
  'envoy-gateway': 'v1.9.0',
  // Not a chart: the Gateway API release whose CRDs Envoy Gateway v1.9.0 supports (its matrix).
  'gateway-api': 'v1.6.1',
  'external-dns': '1.21.1',
  'metrics-server': '3.13.1',
  'aws-efs-csi-driver': '4.4.1',
  'nvidia-device-plugin': '0.20.0',
  'external-secrets': '2.9.0',
};

/**
 * How the add-ons that run on EC2 nodes get AWS credentials (`WorkloadIdentity` in
 * @piksel/eks-cluster): IAM roles for service accounts, or EKS Pod Identity. Pods on Fargate
 * (Karpenter, external-dns) always use IRSA: Pod Identity's agent runs on EC2 nodes only.
 */
export type WorkloadIdentityKind = 'irsa' | 'pod-identity';

/** The Let's Encrypt account's contact for every environment: expiry and policy notices go there. */
export const ACME_EMAIL = 'piksel@big.go.id';

/**
 * The application hostnames each environment's Gateway serves over HTTPS, as the first label
 * under the environment's zone: one listener and one certificate each (HTTP-01 issues no wildcard).
 * The GitOps applications' routes use them: sandbox (JupyterHub), argo, explorer, maps (TerriaMap),
 * ows and ows-uncached.
 */
const APPLICATION_HOSTS = ['sandbox', 'argo', 'explorer', 'maps', 'ows', 'ows-uncached'];

/** How a VPC's private subnets reach the internet (`NatStrategy` in @piksel/network-hub). */
export type Nat = 'none' | 'single' | 'per-az';

/** One environment of the estate. */
export interface Environment {
  /** `dev`, `staging` or `production`; also the stack name. */
  readonly name: string;
  /** The environment's AWS account. */
  readonly account: string;
  /** The environment's region. */
  readonly region: string;
  /** CIDR block of the environment's VPC; no two VPCs on the hub overlap. */
  readonly cidrBlock: string;
  /** How many of the region's zones the VPC spans. */
  readonly zones: number;
  /** NAT gateways of the VPC. */
  readonly nat: Nat;
  /** Days of VPC flow logs to keep, or none for no flow logs. */
  readonly flowLogRetentionDays?: number;
  /** The Transit Gateway routing domain: `nonprod` spokes can never reach `prod` ones. */
  readonly routingDomain: string;
  /** Name of the EKS cluster; tags the subnets it and Karpenter discover. */
  readonly clusterName: string;
  /** Kubernetes minor version of the cluster, e.g. `1.36`. */
  readonly kubernetesVersion: string;
  /**
   * The nodes' image, a Karpenter AMI alias: `al2023@v<release date>` (a release of
   * awslabs/amazon-eks-ami that has AMIs for the cluster's Kubernetes version). Promoting an image
   * is a one-line change here, dev first, like a library pin; `al2023@latest` follows every release.
   */
  readonly nodeImage: string;
  /**
   * Days Secrets Manager keeps a deleted secret of the environment recoverable, 7–30, or 0 to delete
   * at once. A name stays taken while its secret is recoverable, so rebuilding an environment
   * within the window fails: dev, rebuilt at will, deletes at once; values are put again with
   * `piksel-secrets`.
   */
  readonly secretRecoveryWindowDays: number;
  /** Whether the node image must be a pinned release: `@latest` then fails at synth (production). */
  readonly requirePinnedNodeImage: boolean;
  /** Versions of the EKS managed add-ons, pinned for the cluster's Kubernetes version. */
  readonly addonVersions: Record<AddonName, string>;
  /**
   * The CodeConnections connection the account's CodeBuild GitHub source credential uses, when it
   * is one (`arn:aws:codeconnections:…:connection/…`): the in-VPC runner's role may then use that
   * connection, and no other. Leave it out for an OAuth app or a personal access token.
   */
  readonly githubConnectionArn?: string;
  /** The hub's public zone the environment's external-dns writes records in. */
  readonly dnsZone: string;
  /**
   * Versions of the platform's Helm charts, pinned per environment and promoted like library pins
   * (dev first); a chart version is always exact.
   */
  readonly chartVersions: Record<PlatformChart, string>;
  /** How the add-ons on EC2 nodes get AWS credentials (Fargate pods always use IRSA). */
  readonly workloadIdentity: WorkloadIdentityKind;
  /** Hostnames the environment's Gateway serves over HTTPS, each under `dnsZone`. */
  readonly gatewayHosts: string[];
  /** The secrets the environment holds. */
  readonly secrets: SecretSpec[];
  /** The data tier: PostgreSQL, databases, buckets (`DataTier`). */
  readonly data: DataTier;
}

/** Secrets every spoke environment holds: OAuth clients of Argo, JupyterHub and Grafana, and a Slack webhook for alerts. */
const SPOKE_SECRETS: SecretSpec[] = [
  { kind: 'oauth-client', service: 'argo', tenant: 'Cognito' },
  { kind: 'oauth-client', service: 'jupyterhub', tenant: 'Cognito' },
  { kind: 'oauth-client', service: 'grafana', tenant: 'Cognito' },
  { kind: 'slack-webhook', service: 'alerts', tenant: 'Slack' },
];

/** The application databases every environment's PostgreSQL holds (created in-cluster by GitOps, not by Terraform). */
const DATABASES: DatabaseSpec[] = [
  { name: 'argo', readers: [], extensions: [] },
  { name: 'jupyterhub', readers: [], extensions: [] },
  { name: 'grafana', readers: [], extensions: [] },
  { name: 'stac', readers: ['stacread'], extensions: ['postgis'] },
  { name: 'odc', readers: ['odcread'], extensions: ['postgis'] },
];

/**
 * The namespaces whose `ExternalSecret`s may read the environment's secrets through the cluster's
 * store (the ClusterSecretStore refuses every other): the applications holding OAuth clients,
 * webhooks and database logins, and the database init job's.
 */
export const SECRET_CONSUMER_NAMESPACES = ['argo-workflows', 'jupyterhub', 'monitoring', 'open-datacube', 'odc-stac', 'database'];

/** The service accounts that read data: JupyterHub users, the ODC and STAC readers. */
const DATA_READERS: ServiceAccountRef[] = ['jupyterhub/user-read', 'open-datacube/odc-data-reader', 'odc-stac/stac-data-reader'];

/** Every environment's buckets, `piksel-<env>-<purpose>`. */
const BUCKETS: BucketSpec[] = [
  {
    // Published products are costly to rebuild: versioned, old versions kept 30 days.
    purpose: 'public-data',
    openData: true,
    versioned: true,
    abortMultipartDays: 7,
    intelligentTieringDays: 60,
    noncurrentVersionExpireDays: 30,
    corsGetFromAnyOrigin: true,
    access: {
      'argo-workflows/argo-workflows-executor': 'read-write',
      ...Object.fromEntries(DATA_READERS.map((reader) => [reader, 'read' as BucketAccess])),
    },
  },
  {
    // Workflow artifacts are rebuilt by re-running the workflow.
    purpose: 'argo-artifacts',
    versioned: false,
    expireDays: 60,
    abortMultipartDays: 7,
    access: { 'argo-workflows/argo-workflows-server': 'read-write', 'argo-workflows/argo-workflows-executor': 'read-write' },
  },
  {
    purpose: 'terria',
    versioned: false,
    expireDays: 60,
    access: { 'terria/terria-sa': 'read-write' },
  },
];

/** The data tier of an environment with `postgres`. */
function dataTier(postgres: PostgresSpec): DataTier {
  return {
    postgres,
    // EFS's default transition; protected where the database is (dev is rebuilt at will).
    efs: { transitionToIaDays: 30, deletionProtection: postgres.deletionProtection },
    databases: DATABASES,
    buckets: BUCKETS,
    externalBuckets: ['usgs-landsat', 'copernicus-dem-30m', 'e84-earth-search-sentinel-data'],
    externalBucketReaders: DATA_READERS,
    databaseInitServiceAccount: 'database/database-init',
  };
}

/** The spoke environments, in promotion order. */
export const ENVIRONMENTS: Environment[] = [
  {
    name: 'dev',
    account: '236122835646',
    region: REGION,
    cidrBlock: '10.1.0.0/16',
    zones: 2,
    nat: 'single',
    routingDomain: 'nonprod',
    clusterName: 'piksel-dev',
    kubernetesVersion: '1.36',
    nodeImage: 'al2023@v20260903',
    requirePinnedNodeImage: false,
    secretRecoveryWindowDays: 0,
    addonVersions: ADDONS_1_36,
    dnsZone: 'pik-sel.id',
    chartVersions: PLATFORM_CHARTS,
    // Production's kind, tried in dev first; staging keeps IRSA, as Piksel's staging cluster does.
    workloadIdentity: 'pod-identity',
    gatewayHosts: APPLICATION_HOSTS.map((host) => `${host}.pik-sel.id`),
    secrets: SPOKE_SECRETS,
    data: dataTier({
      engineVersion: '16.11',
      instanceClass: 'db.t4g.medium',
      allocatedStorage: 20,
      maxAllocatedStorage: 50,
      backupRetentionDays: 7,
      multiAz: false,
      // dev is rebuilt at will; a final snapshot is still taken.
      deletionProtection: false,
    }),
  },
  {
    name: 'staging',
    account: '326641642924',
    region: REGION,
    cidrBlock: '10.2.0.0/16',
    zones: 2,
    nat: 'single',
    routingDomain: 'nonprod',
    clusterName: 'piksel-staging',
    kubernetesVersion: '1.36',
    nodeImage: 'al2023@v20260818',
    requirePinnedNodeImage: false,
    secretRecoveryWindowDays: 30,
    addonVersions: ADDONS_1_36,
    dnsZone: 'staging.piksel.big.go.id',
    chartVersions: PLATFORM_CHARTS,
    workloadIdentity: 'irsa',
    gatewayHosts: APPLICATION_HOSTS.map((host) => `${host}.staging.piksel.big.go.id`),
    secrets: SPOKE_SECRETS,
    data: dataTier({
      engineVersion: '16.11',
      instanceClass: 'db.t4g.large',
      allocatedStorage: 50,
      maxAllocatedStorage: 100,
      backupRetentionDays: 14,
      multiAz: false,
      deletionProtection: true,
    }),
  },
  {
    name: 'production',
    account: '522783511350',
    region: REGION,
    cidrBlock: '10.3.0.0/16',
    zones: 3,
    nat: 'per-az',
    flowLogRetentionDays: 90,
    routingDomain: 'prod',
    clusterName: 'piksel-production',
    kubernetesVersion: '1.36',
    nodeImage: 'al2023@v20260818',
    requirePinnedNodeImage: true,
    secretRecoveryWindowDays: 30,
    addonVersions: ADDONS_1_36,
    dnsZone: 'piksel.big.go.id',
    chartVersions: PLATFORM_CHARTS,
    workloadIdentity: 'pod-identity',
    gatewayHosts: APPLICATION_HOSTS.map((host) => `${host}.piksel.big.go.id`),
    secrets: SPOKE_SECRETS,
    data: dataTier({
      engineVersion: '17.7',
      instanceClass: 'db.m7g.large',
      allocatedStorage: 70,
      maxAllocatedStorage: 200,
      backupRetentionDays: 30,
      multiAz: true,
      deletionProtection: true,
    }),
  },
];

/** A public hosted zone of the hub, delegated from `parent` when given. */
export interface PublicZoneSpec {
  readonly name: string;
  readonly parent?: string;
}

/** An ECR repository of the central registry. */
export interface RepositorySpec {
  readonly name: string;
  /** Whether tags may be overwritten; the estate keeps every repository immutable but `coastlines`. */
  readonly mutableTags?: boolean;
}

/**
 * A GitHub repository whose workflows push images to the hub registry: one push role each,
 * trusted by `repo:<githubRepository>:ref:<ref>` for each ref and allowed to push `repositories`
 * only (issue 10, "Push role, least privilege").
 */
export interface ImagePusherSpec {
  /** The GitHub repository, `owner/name`; never a wildcard. */
  readonly githubRepository: string;
  /** The registry's repositories its workflows may push, by name. */
  readonly repositories: string[];
  /**
   * The Git refs whose workflow runs may push (`*` only inside a ref). Defaults to
   * `DEFAULT_PUSH_REFS`: the default branch, which pushes build tags, and release tags `v*`,
   * which push release images.
   */
  readonly refs?: string[];
}

/**
 * Refs that push unless a pusher says otherwise: `refs/heads/main` (builds, `sha-<commit>`) and
 * `refs/tags/v*` (releases, `v<semver>`). Pull requests and other branches never push: their
 * workflows run unreviewed code.
 */
export const DEFAULT_PUSH_REFS = ['refs/heads/main', 'refs/tags/v*'];

/** The hub: shared network, DNS and registry. */
export const HUB = {
  name: 'hub',
  account: '686410905891',
  region: REGION,
  cidrBlock: '10.0.0.0/16',
  zones: 2,
  nat: 'single' as Nat,
  /** Days of the hub VPC's flow logs to keep: it carries every spoke's traffic to shared services. */
  flowLogRetentionDays: 90,
  /** Transit Gateway ASN. */
  amazonSideAsn: 64512,
  routingDomains: ['nonprod', 'prod'],
  publicZones: [
    { name: 'piksel.big.go.id' },
    { name: 'staging.piksel.big.go.id', parent: 'piksel.big.go.id' },
    { name: 'pik-sel.id' },
  ] as PublicZoneSpec[],
  repositories: [
    { name: 'piksel-core' },
    { name: 'inadc-core' },
    { name: 'data-production' },
    { name: 'coastlines', mutableTags: true },
    { name: 'terriamap' },
    { name: 'ows' },
    { name: 'dc-explorer' },
    { name: 'inadc-ows' },
    { name: 'jupyter-lab' },
    { name: 'jupyter-dev' },
    { name: 'geomad' },
  ] as RepositorySpec[],
  /** Image tags of releases, never expired by the registry's lifecycle. */
  releaseTagPatterns: ['v*'],
  /** Image tags of builds (`sha-<commit>`, `pr-<number>`): the newest of each are kept, older ones expire. */
  buildTagPatterns: ['sha-*', 'pr-*'],
  /**
   * Who pushes which repository. Each image is built in the `piksel-ina` repository of the same
   * name (our reading of the estate; change a line here when an image moves), on the default refs.
   */
  imagePushers: [
    { githubRepository: 'piksel-ina/piksel-core', repositories: ['piksel-core'] },
    { githubRepository: 'piksel-ina/inadc-core', repositories: ['inadc-core'] },
    { githubRepository: 'piksel-ina/data-production', repositories: ['data-production'] },
    { githubRepository: 'piksel-ina/coastlines', repositories: ['coastlines'] },
    { githubRepository: 'piksel-ina/terriamap', repositories: ['terriamap'] },
    { githubRepository: 'piksel-ina/ows', repositories: ['ows'] },
    { githubRepository: 'piksel-ina/dc-explorer', repositories: ['dc-explorer'] },
    { githubRepository: 'piksel-ina/inadc-ows', repositories: ['inadc-ows'] },
    { githubRepository: 'piksel-ina/jupyter-lab', repositories: ['jupyter-lab'] },
    { githubRepository: 'piksel-ina/jupyter-dev', repositories: ['jupyter-dev'] },
    { githubRepository: 'piksel-ina/geomad', repositories: ['geomad'] },
  ] as ImagePusherSpec[],
};

/**
 * Longest session of the deploy role, in seconds: an apply of a cluster, its Fargate profiles and
 * a Multi-AZ database can outlast an hour. deploy.yml asks for the same.
 */
export const DEPLOY_SESSION_SECONDS = 14400;

/**
 * The role every pipeline assumes to deploy into an account. Spoke stacks never assume the hub's:
 * they apply the hub side of their attachment with `hubNetworkRoleArn`.
 */
export function deployRoleArn(account: string): string {
  return `arn:aws:iam::${account}:role/piksel-deploy`;
}

/** The read-only role pull-request plans assume in an account (a spoke's plans, the hub's too). */
export function planRoleArn(account: string): string {
  return `arn:aws:iam::${account}:role/piksel-plan`;
}

/**
 * Name of the hub role an environment's deploy role assumes for the hub side of its network
 * (`HubNetworkRole` of @piksel/account-baseline, made by hub-baseline): least privilege, trusted
 * by that environment's `piksel-deploy` only.
 */
export function hubNetworkRoleName(env: Environment): string {
  return `piksel-${env.name}-hub-network`;
}

/** The ARN of `hubNetworkRoleName(env)` in the hub account. */
export function hubNetworkRoleArn(env: Environment): string {
  return `arn:aws:iam::${HUB.account}:role/${hubNetworkRoleName(env)}`;
}

/** The GitHub repository (`owner/name`) whose workflows plan and deploy the estate. */
export const GITHUB_REPOSITORY = 'piksel-ina/piksel-constructs';

/** The Git repository Flux syncs every cluster from (path `clusters/<env>`). */
export const GITOPS_REPOSITORY = 'https://github.com/piksel-ina/piksel-gitops.git';

/** The hub's DNS role that an environment's external-dns assumes to write its zone. */
export function hubDnsRoleArn(env: Environment): string {
  return `arn:aws:iam::${HUB.account}:role/${externalDnsRoleName(env)}`;
}

/** Name of the environment's external-dns role (IRSA); the hub's DNS role for the environment has the same name. */
export function externalDnsRoleName(env: Environment): string {
  return `piksel-${env.name}-external-dns`;
}

/** The environment's external-dns role (IRSA), which may assume the hub DNS role of its zone. */
export function externalDnsRoleArn(env: Environment): string {
  return `arn:aws:iam::${env.account}:role/${externalDnsRoleName(env)}`;
}

/**
 * The external ID the environment's external-dns presents to the hub's DNS role
 * (`--aws-assume-role-external-id`): a guard against a confused deputy, not a secret.
 */
export function externalDnsExternalId(env: Environment): string {
  return `piksel-${env.name}-external-dns`;
}

/**
 * The CodeBuild project that serves as the environment's GitHub Actions runner inside its VPC;
 * a job runs on it with `runs-on: codebuild-<project>-${{ github.run_id }}-${{ github.run_attempt }}`.
 */
export function githubRunnerProjectName(env: Environment): string {
  return `piksel-${env.name}-deploy-runner`;
}

/** The environment called `name`, or `undefined` when the estate has none by that name. */
export function findEnvironment(name: string): Environment | undefined {
  return ENVIRONMENTS.find((env) => env.name === name);
}

/** The S3 bucket holding an environment's Terraform state. */
export function stateBucket(environment: string): string {
  return `piksel-${environment}-tfstate`;
}
