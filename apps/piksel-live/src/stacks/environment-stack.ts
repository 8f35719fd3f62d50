import { DataAwsIamRoles } from '@cdktf/provider-aws/lib/data-aws-iam-roles';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type * as accountBaselineLibrary from '@piksel/account-baseline';
import type * as eksLibrary from '@piksel/eks-cluster';
import { deployRoleArn, Environment, ESTATE_TAGS, externalDnsRoleName, GITHUB_REPOSITORY, githubRunnerProjectName, HUB, hubDnsRoleArn, planRoleArn } from '@piksel/estate';
import type * as networkHubLibrary from '@piksel/network-hub';
import type * as secretsLibrary from '@piksel/secrets';
import type * as spokeVpcLibrary from '@piksel/spoke-vpc';
import { Fn, TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { hubRoleArn, readHubState } from '../hub-outputs';
import { loadPinned } from '../pins';
import { AccountStack } from './account-stack';
import {
  CLUSTER_OUTPUT, ebsCsiRoleName, efsCsiControllerRoleName, efsCsiNodeRoleName, externalSecretsRoleName, PLAN_READERS_GROUP,
  PLATFORM,
} from './bootstrap-stacks';
import { ENVIRONMENT_OUTPUT } from './data-stack';
import { natStrategy, pascal } from './hub-stack';

/**
 * One spoke environment's AWS stack, built with the construct versions pinned for that
 * environment in pins.json: its VPC attached to the hub, and its secrets.
 */
export class EnvironmentStack extends AccountStack {
  /**
   * @param pinnedAs the environment whose pins build this stack (its own name, but for synthetic
   *   environments such as the benchmark's)
   */
  constructor(scope: Construct, env: Environment, private readonly pinnedAs: string = env.name) {
    super(scope, env, env.name, pinnedAs);
    const vpc = this.addNetwork(env);
    const secrets = this.addSecrets(env);
    this.addCluster(env, vpc, secrets);
  }

  private addNetwork(env: Environment): networkHubLibrary.IVpc {
    // The hub's library is pinned once, for the hub: spoke-vpc takes it as a peer dependency.
    const network = loadPinned<typeof networkHubLibrary>(HUB.name, '@piksel/network-hub');
    const spokes = loadPinned<typeof spokeVpcLibrary>(this.pinnedAs, '@piksel/spoke-vpc');

    const baseline = loadPinned<typeof accountBaselineLibrary>(this.pinnedAs, '@piksel/account-baseline');

    // The hub account's side of the attachment, managed with this environment's hub-network role
    // (hub-baseline). That role acts only on attachments tagged as this spoke's: attachToHub tags
    // the acceptance (environment), and the provider's default tags carry the same tag.
    const hubRole = hubRoleArn(this, env);
    const hubProvider = new AwsProvider(this, 'HubAws', {
      alias: 'hub',
      region: HUB.region,
      assumeRole: [{ roleArn: hubRole, sessionName: `piksel-${env.name}-network` }],
      allowedAccountIds: [HUB.account],
      defaultTags: [{ tags: { ...ESTATE_TAGS, Environment: env.name, [baseline.HubNetworkRole.spokeTagKey(this)]: env.name } }],
    });
    // The hub's contract, read in one call from its state (the library's output names).
    const { hub, domain } = new spokes.HubState(this, 'HubContract', {
      remoteState: readHubState(this, hubRole),
      hubCidrBlock: HUB.cidrBlock,
      region: HUB.region,
      domainName: env.routingDomain,
    });

    const vpc = new spokes.SpokeVpc(this, 'Vpc', {
      name: `piksel-${env.name}`,
      cidrBlock: env.cidrBlock,
      region: env.region,
      maxAzs: env.zones,
      natStrategy: natStrategy(network, env.nat),
      flowLogs: env.flowLogRetentionDays !== undefined,
      flowLogRetentionDays: env.flowLogRetentionDays,
      // Narrows the flow-logs role's trust to this account's flow logs (aws:SourceAccount/SourceArn).
      account: env.account,
      clusterName: env.clusterName,
    });
    vpc.attachToHub({ hub, domain, hubProvider, account: env.account, environment: env.name });
    return vpc;
  }

  private addCluster(env: Environment, vpc: networkHubLibrary.IVpc, secrets: EnvironmentSecrets): void {
    const eks = loadPinned<typeof eksLibrary>(this.pinnedAs, '@piksel/eks-cluster');
    const cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: env.clusterName,
      version: eks.KubernetesVersion.of(env.kubernetesVersion),
      vpc,
      account: env.account,
      region: env.region,
      addonVersions: env.addonVersions,
    });
    // IAM Identity Center names its roles AWSReservedSSO_<permission set>_<random>: only AWS knows the suffix.
    const ssoAdmin = new DataAwsIamRoles(this, 'SsoAdministratorRole', {
      nameRegex: SSO_ADMINISTRATOR_ROLE_REGEX,
      pathPrefix: '/aws-reserved/sso.amazonaws.com/',
      // Without it, one() of an empty set fails with a bare "Missing required argument" (issue 12).
      lifecycle: { postcondition: [{ condition: '${length(self.arns) == 1}', errorMessage: ssoAdministratorMessage(env) }] },
    });
    cluster.addAccessEntry('SsoAdministrator', {
      principalArn: Fn.one(Fn.tolist(ssoAdmin.arns)),
      accessPolicies: [eks.AccessPolicy.CLUSTER_ADMIN],
    });
    // The in-cluster stages run as these two roles (GitHub OIDC on the in-VPC runner, below).
    cluster.addAccessEntry('Deploy', { principalArn: deployRoleArn(env.account), accessPolicies: [eks.AccessPolicy.CLUSTER_ADMIN] });
    // Pull-request plans change nothing. They read the cluster (view, which covers Helm's release
    // records: the stages keep them in ConfigMaps), and the CRDs and custom objects the stages
    // write through a group the bootstrap stage binds (ReadOnlyGroup, PLAN_READABLE): no Secret.
    cluster.addAccessEntry('Plan', {
      principalArn: planRoleArn(env.account),
      accessPolicies: [eks.AccessPolicy.VIEW],
      kubernetesGroups: [PLAN_READERS_GROUP],
    });
    // The path to the private API endpoint: a CodeBuild-hosted GitHub Actions runner in the private
    // subnets, and only its security group admitted on 443 (root README "Pipelines").
    const runner = new eks.GithubRunner(this, 'DeployRunner', {
      vpc,
      account: env.account,
      region: env.region,
      projectName: githubRunnerProjectName(env),
      repositoryUrl: `https://github.com/${GITHUB_REPOSITORY}`,
      sourceConnectionArn: env.githubConnectionArn,
    });
    cluster.admitSecurityGroupToApi('DeployRunnerApiAccess', runner.securityGroupId, `HTTPS from the deploy runner ${runner.projectName}`);

    // The GitOps contract (app README "GitOps contract"): one IRSA role per controller that calls AWS.
    cluster.addServiceAccount('kube-system', 'ebs-csi-controller-sa', {
      roleName: ebsCsiRoleName(env),
      managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy'],
    });
    const externalDns = cluster.addServiceAccount('external-dns', 'external-dns-sa', { roleName: externalDnsRoleName(env) });
    externalDns.addInlinePolicy('assume-hub-dns-role', JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: hubDnsRoleArn(env) }],
    }));
    // Add-ons on EC2 nodes get the environment's kind of workload identity (Fargate pods: IRSA, above).
    const identity = env.workloadIdentity === 'pod-identity' ? eks.WorkloadIdentity.POD_IDENTITY : eks.WorkloadIdentity.IRSA;
    const efs = PLATFORM.efsCsiDriver;
    cluster.addServiceAccountIdentity(efs.namespace, efs.controllerServiceAccount, {
      identity,
      roleName: efsCsiControllerRoleName(env),
      managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy'],
    });
    // The node plugin mounts with IAM authorization; the data stack grants it the file system.
    cluster.addServiceAccountIdentity(efs.namespace, efs.nodeServiceAccount, { identity, roleName: efsCsiNodeRoleName(env) });
    const externalSecrets = cluster.addServiceAccountIdentity(PLATFORM.externalSecrets.namespace, PLATFORM.externalSecrets.serviceAccount, {
      identity,
      roleName: externalSecretsRoleName(env),
    });
    new secrets.library.SecretsReadByTagPolicy(this, 'ExternalSecretsRead', {
      policyName: `${env.clusterName}-external-secrets-read`,
      environment: env.name,
      account: env.account,
      region: env.region,
      encryptionKey: secrets.key,
    }).attachTo(externalSecrets);
    const karpenter = new eks.Karpenter(this, 'Karpenter', { cluster });

    // What the data stack and the bootstrap stages read from this stack's state.
    const outputs: Record<string, string> = {
      [ENVIRONMENT_OUTPUT.vpcId]: vpc.vpcId,
      [ENVIRONMENT_OUTPUT.clusterSecurityGroupId]: cluster.clusterSecurityGroupId,
      [ENVIRONMENT_OUTPUT.oidcProviderArn]: cluster.openIdConnectProviderArn,
      [ENVIRONMENT_OUTPUT.oidcIssuerUrl]: cluster.oidcIssuerUrl,
      [ENVIRONMENT_OUTPUT.secretsKeyArn]: secrets.key.keyArn,
      [CLUSTER_OUTPUT.endpoint]: cluster.clusterEndpoint,
      [CLUSTER_OUTPUT.certificateAuthorityData]: cluster.clusterCertificateAuthorityData,
      [CLUSTER_OUTPUT.karpenterControllerRoleArn]: karpenter.controllerRoleArn,
      [CLUSTER_OUTPUT.karpenterNodeRoleName]: karpenter.nodeRoleName,
      [CLUSTER_OUTPUT.interruptionQueueName]: karpenter.interruptionQueueName,
    };
    for (const [name, value] of Object.entries(outputs)) {
      new TerraformOutput(this, name, { value, staticId: true });
    }
    new TerraformOutput(this, ENVIRONMENT_OUTPUT.privateSubnetIds, { value: vpc.privateSubnetIds, staticId: true });
  }

  private addSecrets(env: Environment): EnvironmentSecrets {
    const secrets = loadPinned<typeof secretsLibrary>(this.pinnedAs, '@piksel/secrets');
    const key = new secrets.SecretsKey(this, 'SecretsKey', {
      environment: env.name,
      account: env.account,
      region: env.region,
    });
    for (const spec of env.secrets) {
      const kind = spec.kind === 'oauth-client' ? secrets.SecretKind.OAUTH_CLIENT : secrets.SecretKind.SLACK_WEBHOOK;
      new secrets.TaggedSecret(this, pascal(`${spec.service}-${spec.kind}`), {
        kind,
        service: spec.service,
        environment: env.name,
        tenant: spec.tenant,
        recoveryWindowDays: env.secretRecoveryWindowDays,
        encryptionKey: key,
      });
    }
    return { library: secrets, key };
  }
}

/** The names IAM Identity Center gives the roles of the AdministratorAccess permission set. */
export const SSO_ADMINISTRATOR_ROLE_REGEX = '^AWSReservedSSO_AdministratorAccess_[0-9a-f]+$';

/** What the SSO administrator lookup says when it finds no role, or several. */
export function ssoAdministratorMessage(env: Environment): string {
  return `Expected exactly one IAM Identity Center role AWSReservedSSO_AdministratorAccess_* in account ${env.account} (${env.name}), ` +
    `found none or several: provision the permission set AdministratorAccess in account ${env.account} ` +
    '(IAM Identity Center > AWS accounts > assign users or groups with AdministratorAccess), or remove the duplicate; ' +
    `"piksel-preflight --env ${env.name}" checks it.`;
}

/** The environment's secrets library (as pinned) and key, for grants made elsewhere in the stack. */
interface EnvironmentSecrets {
  readonly library: typeof secretsLibrary;
  readonly key: secretsLibrary.SecretsKey;
}
