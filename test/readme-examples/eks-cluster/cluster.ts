/* eslint-disable */ // README example: compiled and run by test/outside-consumer.test.ts against the packed libraries, not in this workspace.
import { SpokeVpc } from '@piksel/spoke-vpc';
import { stack } from '../scope';

const vpc = new SpokeVpc(stack, 'Vpc', {
  name: 'piksel-dev', cidrBlock: '10.1.0.0/16', region: 'ap-southeast-3', clusterName: 'piksel-dev',
});

// #region README
import { AccessPolicy, Cluster, Karpenter, KubernetesVersion } from '@piksel/eks-cluster';

const cluster = new Cluster(stack, 'Cluster', {
  clusterName: 'piksel-dev', version: KubernetesVersion.V1_36, vpc, // a SpokeVpc
  account: '236122835646', region: 'ap-southeast-3',
});
cluster.addAccessEntry('Deploy', {
  principalArn: 'arn:aws:iam::236122835646:role/piksel-deploy', accessPolicies: [AccessPolicy.CLUSTER_ADMIN],
});
const dns = cluster.addServiceAccount('external-dns', 'external-dns-sa');
dns.addInlinePolicy('assume-hub-dns-role', JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::686410905891:role/piksel-dev-external-dns' }],
}));
new Karpenter(stack, 'Karpenter', { cluster });
// #endregion
