import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HubNetworkRole } from '@piksel/account-baseline';
import { AccessPolicy, Cluster, Karpenter, KubernetesVersion } from '@piksel/eks-cluster';
import { NatStrategy } from '@piksel/network-hub';
import { HubState, SpokeVpc } from '@piksel/spoke-vpc';
import { DataTerraformRemoteStateS3, TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { AccountStack } from './account-stack';
import { deployRoleArn, HUB, hubNetworkRoleArn, REGION, Spoke, stateBucket } from './estate';

/** The outputs a spoke stack writes for the stacks that build on it (the data stack). */
export const SPOKE_OUTPUT = {
  vpcId: 'vpc_id',
  privateSubnetIds: 'private_subnet_ids',
  clusterSecurityGroupId: 'cluster_security_group_id',
};

/** A workload account: its VPC attached to the hub (read from the hub's state), an EKS cluster, Karpenter. */
export class SpokeStack extends AccountStack {
  constructor(scope: Construct, id: string, spoke: Spoke) {
    super(scope, id, spoke);
    const hubProvider = new AwsProvider(this, 'HubAws', {
      alias: 'hub', region: REGION, allowedAccountIds: [HUB.account],
      assumeRole: [{ roleArn: hubNetworkRoleArn(spoke), sessionName: `${spoke.clusterName}-network` }],
      // The hub-network role may act only on attachments tagged as this spoke's.
      defaultTags: [{ tags: { [HubNetworkRole.spokeTagKey(this)]: spoke.name } }],
    });
    const hubState = new DataTerraformRemoteStateS3(this, 'HubState', {
      bucket: stateBucket(HUB), key: 'hub/terraform.tfstate', region: REGION, encrypt: true,
      assumeRole: { roleArn: hubNetworkRoleArn(spoke) },
    });
    const { hub, domain } = new HubState(this, 'Hub', {
      remoteState: hubState, hubCidrBlock: HUB.cidrBlock, region: REGION, domainName: spoke.routingDomain,
    });

    const vpc = new SpokeVpc(this, 'Vpc', {
      name: spoke.clusterName,
      cidrBlock: spoke.cidrBlock,
      region: REGION,
      maxAzs: spoke.zones,
      natStrategy: spoke.natPerZone ? NatStrategy.PER_AZ : NatStrategy.SINGLE,
      flowLogs: true,
      flowLogRetentionDays: spoke.flowLogRetentionDays,
      clusterName: spoke.clusterName,
    });
    vpc.attachToHub({ hub, domain, hubProvider, account: spoke.account });

    const cluster = new Cluster(this, 'Cluster', {
      clusterName: spoke.clusterName,
      version: KubernetesVersion.of(spoke.kubernetesVersion),
      vpc,
      account: spoke.account,
      region: REGION,
    });
    cluster.addAccessEntry('Deploy', { principalArn: deployRoleArn(spoke), accessPolicies: [AccessPolicy.CLUSTER_ADMIN] });
    new Karpenter(this, 'Karpenter', { cluster });

    new TerraformOutput(this, SPOKE_OUTPUT.vpcId, { value: vpc.vpcId, staticId: true });
    new TerraformOutput(this, SPOKE_OUTPUT.privateSubnetIds, { value: vpc.privateSubnetIds, staticId: true });
    new TerraformOutput(this, SPOKE_OUTPUT.clusterSecurityGroupId, { value: cluster.clusterSecurityGroupId, staticId: true });
  }
}
