/**
 * The Piksel estate: one typed table of environments (DESIGN.md §3). The live app's stacks and
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
  /** The hub's public zone the environment's external-dns writes records in. */
  readonly dnsZone: string;
  /** The secrets the environment holds. */
  readonly secrets: SecretSpec[];
}

/** Secrets every spoke environment holds (DESIGN.md §3 "Secrets"). */
const SPOKE_SECRETS: SecretSpec[] = [
  { kind: 'oauth-client', service: 'argo', tenant: 'Cognito' },
  { kind: 'oauth-client', service: 'jupyterhub', tenant: 'Cognito' },
  { kind: 'oauth-client', service: 'grafana', tenant: 'Cognito' },
  { kind: 'slack-webhook', service: 'alerts', tenant: 'Slack' },
];

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
    dnsZone: 'pik-sel.id',
    secrets: SPOKE_SECRETS,
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
    kubernetesVersion: '1.34',
    dnsZone: 'staging.piksel.big.go.id',
    secrets: SPOKE_SECRETS,
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
    dnsZone: 'piksel.big.go.id',
    secrets: SPOKE_SECRETS,
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
  /** Whether tags may be overwritten; DESIGN.md §3 keeps every repository immutable but `coastlines`. */
  readonly mutableTags?: boolean;
}

/** The hub: shared network, DNS and registry (DESIGN.md §3 "Hub"). */
export const HUB = {
  name: 'hub',
  account: '686410905891',
  region: REGION,
  cidrBlock: '10.0.0.0/16',
  zones: 2,
  nat: 'single' as Nat,
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
  /** GitHub repositories allowed to push images (the OIDC `sub` pattern). */
  githubPushSubject: 'repo:piksel-ina/*',
};

/**
 * The role every pipeline assumes to deploy into an account; spoke stacks assume the hub's to
 * manage their side of the attachment.
 */
export function deployRoleArn(account: string): string {
  return `arn:aws:iam::${account}:role/piksel-deploy`;
}

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

/** The environment called `name`, or `undefined` when the estate has none by that name. */
export function findEnvironment(name: string): Environment | undefined {
  return ENVIRONMENTS.find((env) => env.name === name);
}

/** The S3 bucket holding an environment's Terraform state. */
export function stateBucket(environment: string): string {
  return `piksel-${environment}-tfstate`;
}
