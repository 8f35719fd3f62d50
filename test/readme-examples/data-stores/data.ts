/* eslint-disable */ // README example: compiled and run by test/outside-consumer.test.ts against the packed libraries, not in this workspace.
import { Cluster, KubernetesVersion } from '@piksel/eks-cluster';
import { SecretsKey } from '@piksel/secrets';
import { SpokeVpc } from '@piksel/spoke-vpc';
import { stack } from '../scope';

// The environment's VPC, cluster and secrets key, as @piksel/spoke-vpc, @piksel/eks-cluster and @piksel/secrets make them.
const vpc = new SpokeVpc(stack, 'Vpc', {
  name: 'piksel-dev', cidrBlock: '10.1.0.0/16', region: 'ap-southeast-3', clusterName: 'piksel-dev',
});
const cluster = new Cluster(stack, 'Cluster', {
  clusterName: 'piksel-dev', version: KubernetesVersion.V1_36, vpc, account: '236122835646', region: 'ap-southeast-3',
});
const secretsKey = new SecretsKey(stack, 'SecretsKey', { environment: 'dev', account: '236122835646', region: 'ap-southeast-3' });
const vpcId = vpc.vpcId;
const privateSubnetIds = vpc.privateSubnetIds;

// #region README
import { DataBucket, PostgresInstance } from '@piksel/data-stores';

const postgres = new PostgresInstance(stack, 'Postgres', {
  environment: 'dev', account: '236122835646', region: 'ap-southeast-3',
  engineVersion: '16.11', instanceClass: 'db.t4g.medium',
  vpcId, subnetIds: privateSubnetIds,
  sourceSecurityGroupId: cluster.clusterSecurityGroupId,
  masterSecretKeyArn: secretsKey.keyArn,
});
postgres.grantConnect(cluster.addServiceAccount('grafana', 'grafana'), 'grafana');
const artifacts = new DataBucket(stack, 'ArgoArtifacts', {
  environment: 'dev', purpose: 'argo-artifacts', versioned: false, lifecycleExpirationDays: 60,
});
artifacts.grantReadWrite(cluster.addServiceAccount('argo-workflows', 'argo-workflows-server'));
// #endregion
