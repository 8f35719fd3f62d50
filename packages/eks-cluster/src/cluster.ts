import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import {
  addressesCovered, checkAccountId, checkCidrBlock, checkLogRetentionDays, checkCidrBlockUnlessToken, checkEksClusterName, checkKubernetesLabelName,
  checkRegion, Claims, derivedTooLong, invalidProp, IPV4_ADDRESSES, LibraryVersion, parseCidr,
} from '@piksel/core';
import type { IVpc } from '@piksel/network-hub';
import { Annotations, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AccessEntry, AccessEntryOptions } from './access-entry';
import { Addon, AddonOptions } from './addon';
import { ICluster } from './cluster-interface';
import { EndpointAccess, isAnywhere } from './endpoint-access';
import { claimFargateSelectors, FargateProfile, FargateProfileOptions, registerFargateCapacity } from './fargate-profile';
import { KubernetesVersion } from './kubernetes-version';
import { PodIdentityRole } from './pod-identity-role';
import { allowSecretsEncryption, serviceRole, ServiceRole } from './private/cluster-roles';
import { ServiceAccountOptions, ServiceAccountRole } from './service-account';
import { IWorkloadRole, WorkloadIdentity } from './workload-identity';
import { ServiceAccountIdentityOptions } from './workload-role';

/** A control-plane log stream. */
export enum ControlPlaneLogType {
  API = 'api',
  AUDIT = 'audit',
  AUTHENTICATOR = 'authenticator',
  CONTROLLER_MANAGER = 'controllerManager',
  SCHEDULER = 'scheduler',
}

/** Properties of a `Cluster`. */
export interface ClusterProps {
  /** Name of the cluster, e.g. `piksel-dev` (1–100 letters, digits, - and _). */
  readonly clusterName: string;
  /** Kubernetes version of the control plane. */
  readonly version: KubernetesVersion;
  /**
   * The VPC; the control plane, Fargate pods and nodes use its private subnets. Its region must be
   * the cluster's, and when it tags its subnets for a cluster (`SpokeVpc` `clusterName`), that
   * cluster must be this one: Karpenter finds subnets by that tag.
   */
  readonly vpc: IVpc;
  /** The cluster's AWS account (12 digits): scopes Fargate trust and Karpenter's policies. */
  readonly account: string;
  /** The cluster's region. */
  readonly region: string;

  /**
   * Where the API server can be reached from.
   *
   * @default EndpointAccess.PRIVATE
   */
  readonly endpointAccess?: EndpointAccess;

  /**
   * ARN of the customer-managed KMS key that envelope-encrypts Kubernetes secrets.
   *
   * @default - a key is created, rotation on
   */
  readonly secretsEncryptionKeyArn?: string;

  /**
   * Control-plane logs sent to CloudWatch.
   *
   * @default - all five: api, audit, authenticator, controllerManager, scheduler
   */
  readonly logTypes?: ControlPlaneLogType[];

  /**
   * Days CloudWatch keeps control-plane logs.
   *
   * @default 90
   */
  readonly logRetentionDays?: number;

  /**
   * Versions of the default add-ons by name (`vpc-cni`, `coredns`, `kube-proxy`,
   * `eks-pod-identity-agent`).
   *
   * @default - EKS's default version of each for the Kubernetes version
   */
  readonly addonVersions?: { [addonName: string]: string };

  /**
   * Namespaces whose pods all run on Fargate, each with a profile of its own name. CoreDNS
   * (`kube-system`, `k8s-app=kube-dns`) always has a profile: it must run before any node exists.
   *
   * @default ['karpenter', 'flux-system', 'external-dns'] (the controllers that must run before Karpenter starts nodes)
   */
  readonly fargateNamespaces?: string[];

  /**
   * Tags on every resource.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/** 90 days of control-plane logs, as for VPC flow logs. */
const DEFAULT_LOG_RETENTION_DAYS = 90;
/**
 * The most addresses `EndpointAccess.publicFrom` may admit together: a /8's worth (16,777,216).
 * No office, VPN or CI egress is larger; a list covering more opens the API server to a large part
 * of the internet, which only `PUBLIC_FROM_ANYWHERE_AND_PRIVATE` does on purpose.
 */
const MAX_PUBLIC_ENDPOINT_ADDRESSES = 2 ** 24;

/** The longest role name the cluster derives: `<cluster>-fargate-pods`. */
const FARGATE_ROLE_SUFFIX = '-fargate-pods';
/** The namespaces whose pods always run on Fargate, besides CoreDNS's: Karpenter's, Flux's, external-dns's. */
const DEFAULT_FARGATE_NAMESPACES = ['karpenter', 'flux-system', 'external-dns'];

/**
 * An EKS cluster for a spoke VPC: the control plane in the private subnets, secrets
 * envelope-encrypted with a rotating customer-managed key, every control-plane log in a retained
 * log group, access entries only (`API` authentication mode, no `aws-auth` ConfigMap, no implicit
 * admin for the creator), the cluster security group tagged for Karpenter discovery, Fargate
 * profiles for `kube-system` CoreDNS, `karpenter`, `flux-system` and `external-dns`, and the
 * add-ons `vpc-cni` (with its IRSA role), `kube-proxy`, `eks-pod-identity-agent` and `coredns`
 * (configured for Fargate, created after its profile).
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/clusters.html
 */
export class Cluster extends Construct implements ICluster {
  public readonly clusterName: string;
  public readonly clusterArn: string;
  public readonly clusterEndpoint: string;
  public readonly clusterCertificateAuthorityData: string;
  public readonly clusterSecurityGroupId: string;
  public readonly account: string;
  public readonly region: string;
  public readonly privateSubnetIds: string[];
  /** Issuer URL of the cluster's OIDC provider. */
  public readonly oidcIssuerUrl: string;
  /** ARN of the key that encrypts Kubernetes secrets. */
  public readonly secretsEncryptionKeyArn: string;
  /** Name of the control-plane log group, `/aws/eks/<cluster>/cluster`. */
  public readonly logGroupName: string;
  private readonly resource: EksCluster;
  private readonly tags?: { [key: string]: string };
  private readonly fargatePodRole: ServiceRole;
  private readonly profiles = new Map<string, FargateProfile>();
  /** Namespaces a Fargate profile selects without labels (every pod on Fargate), and that profile's name. */
  private readonly fargateNamespaces = new Map<string, string>();
  /** Namespaces with a Pod Identity role, and that role's path. */
  private readonly podIdentityNamespaces = new Map<string, string>();
  private oidcProvider?: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(scope, id);
    this.validate(props);
    const endpointAccess = props.endpointAccess ?? EndpointAccess.PRIVATE;
    const logTypes = props.logTypes ?? Object.values(ControlPlaneLogType);
    const logGroupName = `/aws/eks/${props.clusterName}/cluster`;
    Claims.of(this).claimLogGroupName(this, 'the control-plane log group', props.account, props.region, logGroupName, 'clusterName');
    this.tags = props.tags;

    const { role, policies: clusterPolicies } = serviceRole(this, 'ClusterRole', `${props.clusterName}-cluster`,
      { Principal: { Service: 'eks.amazonaws.com' } }, ['arn:aws:iam::aws:policy/AmazonEKSClusterPolicy'],
      { account: props.account, field: 'the cluster role', rename: 'clusterName' });
    const keyArn = props.secretsEncryptionKeyArn ?? new KmsKey(this, 'SecretsKey', {
      description: `Envelope encryption of Kubernetes secrets in ${props.clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags: props.tags,
    }).arn;
    const secretsEncryption = allowSecretsEncryption(role, keyArn);
    // EKS creates this group itself, without retention, unless it exists first.
    const logGroup = new CloudwatchLogGroup(this, 'LogGroup', { name: logGroupName, retentionInDays: props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS, tags: props.tags });

    this.resource = new EksCluster(this, 'Resource', {
      name: props.clusterName,
      version: props.version.version,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: props.vpc.privateSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: endpointAccess.publicAccess,
        publicAccessCidrs: endpointAccess.publicAccess ? endpointAccess.publicCidrs : undefined,
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn } },
      enabledClusterLogTypes: logTypes,
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      tags: props.tags,
      // The hashicorp/aws aws_eks_cluster example: without these edges Terraform may create the
      // cluster before its role may manage EC2 (and use the key), and on destroy would remove the
      // permissions first, leaving EKS unable to delete what it made (ENIs, security groups).
      dependsOn: [logGroup, ...clusterPolicies, secretsEncryption],
    });
    const securityGroupId = this.resource.vpcConfig.clusterSecurityGroupId;
    new Ec2Tag(this, 'KarpenterDiscoveryTag', { resourceId: securityGroupId, key: 'karpenter.sh/discovery', value: props.clusterName });
    this.fargatePodRole = serviceRole(this, 'FargatePodRole', `${props.clusterName}${FARGATE_ROLE_SUFFIX}`, {
      Principal: { Service: 'eks-fargate-pods.amazonaws.com' },
      Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:eks:${props.region}:${props.account}:fargateprofile/${props.clusterName}/*` } },
    }, ['arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy'], { account: props.account, field: 'the Fargate pod role', rename: 'clusterName' });
    LibraryVersion.record(this, __dirname);

    this.clusterName = props.clusterName;
    this.clusterArn = this.resource.arn;
    this.clusterEndpoint = this.resource.endpoint;
    this.clusterCertificateAuthorityData = this.resource.certificateAuthority.get(0).data;
    this.clusterSecurityGroupId = securityGroupId;
    this.account = props.account;
    this.region = props.region;
    this.privateSubnetIds = props.vpc.privateSubnetIds;
    this.oidcIssuerUrl = this.resource.identity.get(0).oidc.get(0).issuer;
    this.secretsEncryptionKeyArn = keyArn;
    this.logGroupName = logGroupName;
    this.addDefaultProfilesAndAddons(props);
  }

  /** The cluster's IAM OIDC provider, created when first needed (by the first IRSA role). */
  public get openIdConnectProviderArn(): string {
    this.oidcProvider ??= new IamOpenidConnectProvider(this, 'OidcProvider', {
      url: this.oidcIssuerUrl,
      clientIdList: ['sts.amazonaws.com'],
      tags: this.tags,
    });
    return this.oidcProvider.arn;
  }

  public addServiceAccount(namespace: string, name: string, options: ServiceAccountOptions = {}): ServiceAccountRole {
    const id = this.serviceAccountId(namespace, name);
    return new ServiceAccountRole(this, id, {
      roleName: options.roleName,
      managedPolicyArns: options.managedPolicyArns,
      clusterName: this.clusterName,
      account: this.account,
      oidcProviderArn: this.openIdConnectProviderArn,
      oidcIssuerUrl: this.oidcIssuerUrl,
      namespace,
      serviceAccountName: name,
    });
  }

  /**
   * A role for the Kubernetes service account `namespace/name`, of the kind `options.identity`
   * says: a `ServiceAccountRole` (IRSA, as `addServiceAccount`) or a `PodIdentityRole` (EKS Pod
   * Identity, its trust pinned to this cluster and service account, plus the association).
   *
   * Both kinds share one construct ID per service account, so changing `identity` later updates
   * the same role in place (name, ARN and policies stay). A Pod Identity role in a namespace that
   * a Fargate profile selects without labels fails: Fargate pods get no Pod Identity credentials.
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/service-accounts.html#service-accounts-iam
   */
  public addServiceAccountIdentity(namespace: string, name: string, options: ServiceAccountIdentityOptions): IWorkloadRole {
    const roleOptions = { roleName: options.roleName, managedPolicyArns: options.managedPolicyArns };
    if (options.identity !== WorkloadIdentity.POD_IDENTITY) {
      return this.addServiceAccount(namespace, name, roleOptions);
    }
    const role = new PodIdentityRole(this, this.serviceAccountId(namespace, name), {
      ...roleOptions,
      clusterName: this.clusterName,
      // The resource's attribute, so that the role, and the association after it, wait for the cluster.
      clusterArn: this.clusterArn,
      account: this.account,
      region: this.region,
      namespace,
      serviceAccountName: name,
      fargateNamespaces: [...this.fargateNamespaces.keys()],
    });
    this.podIdentityNamespaces.set(namespace, role.node.path);
    return role;
  }

  /**
   * Admits a security group to the API endpoint: HTTPS (443) into the cluster security group
   * from `securityGroupId` — e.g. a runner in the VPC that applies the in-cluster stacks.
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html
   */
  public admitSecurityGroupToApi(id: string, securityGroupId: string, description: string): VpcSecurityGroupIngressRule {
    return new VpcSecurityGroupIngressRule(this, id, {
      securityGroupId: this.clusterSecurityGroupId,
      referencedSecurityGroupId: securityGroupId,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description,
      tags: this.tags,
    });
  }

  /**
   * Admits a CIDR block to the API endpoint: HTTPS (443) into the cluster security group from
   * `cidrBlock` — a network routed to the VPC (a VPN, the hub). `0.0.0.0/0` is refused.
   */
  public admitCidrToApi(id: string, cidrBlock: string, description: string): VpcSecurityGroupIngressRule {
    checkCidrBlockUnlessToken(this, 'cidrBlock', cidrBlock);
    if (isAnywhere(cidrBlock)) {
      throw invalidProp(this, 'cidrBlock', cidrBlock, 'admit the network that needs the API, never the whole internet');
    }
    return new VpcSecurityGroupIngressRule(this, id, {
      securityGroupId: this.clusterSecurityGroupId,
      cidrIpv4: cidrBlock,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description,
      tags: this.tags,
    });
  }

  public addAccessEntry(id: string, options: AccessEntryOptions): AccessEntry {
    return new AccessEntry(this, id, { ...options, clusterName: this.resource.name });
  }

  /** Runs the pods matching `options.selectors` on Fargate, with the cluster's pod execution role. */
  public addFargateProfile(id: string, options: FargateProfileOptions): FargateProfile {
    if (this.profiles.has(options.profileName)) {
      throw invalidProp(this, 'profileName', options.profileName, 'a profile of that name exists; give each Fargate profile its own name');
    }
    const wholeNamespaces = options.selectors.filter((s) => Object.keys(s.labels ?? {}).length === 0).map((s) => s.namespace);
    this.checkNoPodIdentityOnFargate(wholeNamespaces);
    const profile = new FargateProfile(this, id, {
      ...options,
      clusterName: this.resource.name,
      podExecutionRoleArn: this.fargatePodRole.role.arn,
      podExecutionRolePolicies: this.fargatePodRole.policies,
      subnetIds: this.privateSubnetIds,
      tags: this.tags,
    });
    // The profile was given the resource's name (a token) and claimed nothing: claim under the literal name.
    claimFargateSelectors(profile, this.clusterName, options.selectors);
    registerFargateCapacity(profile, this.clusterName, options.profileName, options.selectors);
    this.profiles.set(options.profileName, profile);
    wholeNamespaces.forEach((namespace) => this.fargateNamespaces.set(namespace, options.profileName));
    return profile;
  }

  /** Installs an EKS managed add-on. */
  public addAddon(addonName: string, options: AddonOptions = {}): Addon {
    return new Addon(this, pascal(addonName), { ...options, clusterName: this.resource.name, addonName });
  }

  /** The one construct ID of a service account's role, whatever its kind; a second role fails. */
  private serviceAccountId(namespace: string, name: string): string {
    const id = `${pascal(namespace)}${pascal(name)}ServiceAccount`;
    if (this.node.tryFindChild(id)) {
      throw invalidProp(this, 'service account', `${namespace}/${name}`, 'it already has a role; reuse the role returned the first time');
    }
    return id;
  }

  /** A profile added after a Pod Identity role must not move that role's pods to Fargate. */
  private checkNoPodIdentityOnFargate(namespaces: string[]): void {
    for (const namespace of namespaces) {
      const role = this.podIdentityNamespaces.get(namespace);
      if (role !== undefined) {
        throw invalidProp(this, 'selectors[].namespace', namespace,
          `the Pod Identity role ${role} serves this namespace, and EKS Pod Identity gives Fargate pods no credentials; `
          + 'make that role with WorkloadIdentity.IRSA, or narrow the selector with labels that its pods do not carry');
      }
    }
  }

  private addDefaultProfilesAndAddons(props: ClusterProps): void {
    const versions = props.addonVersions ?? {};
    // CoreDNS needs a Fargate profile before it is created, or its pods stay Pending forever.
    const coreDns = this.addFargateProfile('CoreDnsProfile', {
      profileName: 'kube-system-coredns',
      selectors: [{ namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }],
    });
    for (const namespace of props.fargateNamespaces ?? DEFAULT_FARGATE_NAMESPACES) {
      this.addFargateProfile(`${pascal(namespace)}Profile`, { profileName: namespace, selectors: [{ namespace }] });
    }
    const cni = this.addServiceAccount('kube-system', 'aws-node', { managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy'] });
    this.addAddon('vpc-cni', { addonVersion: versions['vpc-cni'], serviceAccountRoleArn: cni.roleArn });
    this.addAddon('kube-proxy', { addonVersion: versions['kube-proxy'] });
    this.addAddon('eks-pod-identity-agent', { addonVersion: versions['eks-pod-identity-agent'] });
    new Addon(this, 'Coredns', {
      clusterName: this.resource.name,
      addonName: 'coredns',
      addonVersion: versions.coredns,
      configurationValues: JSON.stringify({ computeType: 'Fargate' }),
      dependsOn: [coreDns.resource],
    });
  }

  private validate(props: ClusterProps): void {
    checkEksClusterName(this, 'clusterName', props.clusterName);
    // The longest derived role name is `<cluster>-fargate-pods`; IAM allows 64 characters.
    const fargateRoleName = `${props.clusterName}${FARGATE_ROLE_SUFFIX}`;
    if (fargateRoleName.length > 64) {
      throw derivedTooLong(this, 'the Fargate pod execution role name', fargateRoleName, 64, { field: 'clusterName', value: props.clusterName, overhead: FARGATE_ROLE_SUFFIX.length });
    }
    checkAccountId(this, 'account', props.account);
    checkRegion(this, 'region', props.region);
    this.checkVpc(props);
    this.checkEndpointAccess(props.endpointAccess);
    (props.fargateNamespaces ?? []).forEach((namespace, index) => checkKubernetesLabelName(this, `fargateNamespaces[${index}]`, namespace));
    checkLogRetentionDays(this, 'logRetentionDays', props.logRetentionDays);
    if (new Set(props.logTypes ?? []).size !== (props.logTypes ?? []).length) {
      throw invalidProp(this, 'logTypes', props.logTypes, 'name each log type once');
    }
  }

  /** The cluster and its VPC must agree on region and on the cluster its subnets are tagged for. */
  private checkVpc(props: ClusterProps): void {
    const vpc = props.vpc;
    if (!Token.isUnresolved(vpc.region) && !Token.isUnresolved(props.region) && vpc.region !== props.region) {
      throw invalidProp(this, 'region', props.region, `the VPC ${vpc.node.path} is in ${vpc.region}; give the VPC's region`);
    }
    if (vpc.clusterName === undefined) {
      Annotations.of(this).addWarning(`the VPC ${vpc.node.path} tags no subnets for cluster ${props.clusterName} (karpenter.sh/discovery): Karpenter finds no subnets; give the VPC clusterName "${props.clusterName}"`);
    } else if (!Token.isUnresolved(vpc.clusterName) && vpc.clusterName !== props.clusterName) {
      throw invalidProp(this, 'clusterName', props.clusterName, `the VPC ${vpc.node.path} tags its subnets for cluster "${vpc.clusterName}" (karpenter.sh/discovery), so Karpenter would find no subnets; use the same name in both`);
    }
  }

  /** Public CIDRs named by the user are checked like every CIDR, and never open to everyone. */
  private checkEndpointAccess(access: EndpointAccess | undefined): void {
    if (!access?.named) return;
    if (access.publicCidrs.length === 0) {
      throw invalidProp(this, 'endpointAccess', [], 'name at least one CIDR block in EndpointAccess.publicFrom(...), or use EndpointAccess.PRIVATE');
    }
    access.publicCidrs.forEach((cidr, index) => {
      if (Token.isUnresolved(cidr)) return;
      checkCidrBlock(this, `endpointAccess.publicCidrs[${index}]`, cidr);
      if (isAnywhere(cidr)) {
        throw invalidProp(this, `endpointAccess.publicCidrs[${index}]`, cidr, 'name the networks that need the API; to open it to the whole internet deliberately, use EndpointAccess.PUBLIC_FROM_ANYWHERE_AND_PRIVATE');
      }
    });
    this.checkEndpointBreadth(access.publicCidrs);
  }

  /**
   * Judged by the addresses the blocks cover together, not by their spelling: `0.0.0.0/1` and
   * `128.0.0.0/1` are the whole internet too. At most a /8's worth may be named.
   */
  private checkEndpointBreadth(cidrs: string[]): void {
    const literal = cidrs.filter((cidr) => !Token.isUnresolved(cidr)).map((cidr) => parseCidr(cidr)!);
    const covered = addressesCovered(literal);
    if (covered <= MAX_PUBLIC_ENDPOINT_ADDRESSES) return;
    const share = covered === IPV4_ADDRESSES ? 'all of IPv4' : `${(100 * covered / IPV4_ADDRESSES).toFixed(1)}% of IPv4`;
    throw invalidProp(this, 'endpointAccess.publicCidrs', cidrs,
      `together they cover ${covered} addresses (${share}; at most a /8's worth, ${MAX_PUBLIC_ENDPOINT_ADDRESSES}, may be named); `
      + 'name the networks that need the API; to open it to the whole internet deliberately, use EndpointAccess.PUBLIC_FROM_ANYWHERE_AND_PRIVATE');
  }
}

/** `kube-system` → `KubeSystem`, `aws-node` → `AwsNode`: construct IDs keyed by name. */
function pascal(text: string): string {
  return text.split(/[-_.]/).filter(Boolean).map((part) => part[0].toUpperCase() + part.slice(1)).join('');
}
