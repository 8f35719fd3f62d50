/* eslint-disable */ // README example: compiled and run by test/outside-consumer.test.ts against the packed libraries, not in this workspace.
import { Cluster, KubernetesVersion } from '@piksel/eks-cluster';
import { SpokeVpc } from '@piksel/spoke-vpc';
import { stack } from '../scope';

// The environment's VPC and cluster, as @piksel/spoke-vpc and @piksel/eks-cluster make them.
const vpc = new SpokeVpc(stack, 'Vpc', {
  name: 'piksel-dev', cidrBlock: '10.1.0.0/16', region: 'ap-southeast-3', clusterName: 'piksel-dev',
});
const cluster = new Cluster(stack, 'Cluster', {
  clusterName: 'piksel-dev', version: KubernetesVersion.V1_36, vpc, account: '236122835646', region: 'ap-southeast-3',
});

// #region README
import { EfsFileSystem } from '@piksel/data-stores';

const shared = new EfsFileSystem(stack, 'SharedFileSystem', {
  name: 'piksel-dev-shared', account: '236122835646', region: 'ap-southeast-3',
  vpcId: vpc.vpcId,
  // One mount target per zone: the VPC lists its private subnets in the order of its zones.
  subnetIds: Object.fromEntries(vpc.availabilityZones.map((zone, i) => [zone, vpc.privateSubnetIds[i]])),
  clientSecurityGroupIds: { cluster: cluster.clusterSecurityGroupId },
});
// The EFS CSI driver mounts as its node service account (mount options tls and iam).
shared.grantReadWrite(cluster.addServiceAccount('kube-system', 'efs-csi-node-sa'));
// #endregion
