import { AccessPolicy, Cluster, Karpenter, KubernetesVersion } from '@piksel/eks-cluster';
import { NatStrategy } from '@piksel/network-hub';
import { HubAttachment, HubState, SpokeVpc } from '@piksel/spoke-vpc';
import { DataTerraformRemoteStateS3, TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { AccountStack } from './account-stack';
import { deployRoleArn, HUB, Spoke, stateBucket, zonesOf } from './estate';

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
    // The hub's state, read as the spoke's hub-network role (the hub baseline's acme-<spoke>-hub-network).
    const hubState = new DataTerraformRemoteStateS3(this, 'HubState', {
      bucket: stateBucket(HUB), key: 'hub/terraform.tfstate', region: this.region, encrypt: true,
      assumeRole: { roleArn: HubAttachment.hubNetworkRoleArn(this, HUB.account, spoke.name) },
    });
    const { hub, domain } = new HubState(this, 'Hub', {
      remoteState: hubState, hubCidrBlock: HUB.cidrBlock, region: this.region, domainName: spoke.routingDomain,
    });

    const vpc = new SpokeVpc(this, 'Vpc', {
      name: spoke.clusterName,
      cidrBlock: spoke.cidrBlock,
      region: this.region,
      availabilityZones: zonesOf(this, spoke.zones),
      maxAzs: spoke.zones,
      natStrategy: spoke.natPerZone ? NatStrategy.PER_AZ : NatStrategy.SINGLE,
      flowLogs: true,
      flowLogRetentionDays: spoke.flowLogRetentionDays,
      clusterName: spoke.clusterName,
    });
    // The hub side: as the same role, the acceptance tagged acme:spoke = <spoke>.
    vpc.attachToHub({ hub, domain, account: spoke.account, environment: spoke.name, hubAccount: HUB.account });

    const cluster = new Cluster(this, 'Cluster', {
      clusterName: spoke.clusterName,
      version: KubernetesVersion.of(spoke.kubernetesVersion),
      vpc,
      account: spoke.account,
      region: this.region,
    });
    cluster.addAccessEntry('Deploy', { principalArn: deployRoleArn(spoke), accessPolicies: [AccessPolicy.CLUSTER_ADMIN] });
    new Karpenter(this, 'Karpenter', { cluster });

    new TerraformOutput(this, SPOKE_OUTPUT.vpcId, { value: vpc.vpcId, staticId: true });
    new TerraformOutput(this, SPOKE_OUTPUT.privateSubnetIds, { value: vpc.privateSubnetIds, staticId: true });
    new TerraformOutput(this, SPOKE_OUTPUT.clusterSecurityGroupId, { value: cluster.clusterSecurityGroupId, staticId: true });
  }
}
