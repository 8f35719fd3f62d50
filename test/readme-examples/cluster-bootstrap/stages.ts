/* eslint-disable */ // README example: compiled and run by test/outside-consumer.test.ts against the packed libraries, not in this workspace.
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack } from 'cdktf';
import { app } from '../scope';

// Two in-cluster stacks, and what the AWS stack's state would give them (Karpenter of @piksel/eks-cluster).
const stage1 = new TerraformStack(app, 'bootstrap');
const stage2 = new TerraformStack(app, 'bootstrap-nodes');
for (const stage of [stage1, stage2]) {
  new KubernetesProvider(stage, 'Kubernetes', {});
  new HelmProvider(stage, 'Helm', {});
}
const account = '236122835646';
const interruptionQueueName = 'piksel-dev';
const controllerRoleArn = 'arn:aws:iam::236122835646:role/piksel-dev-karpenter';
const karpenterRoleArn = controllerRoleArn;
const nodeRoleName = 'piksel-dev-karpenter-node';

// #region README
import { Ec2NodeClass, FluxRelease, GitOpsValues, KarpenterRelease, NodePool } from '@piksel/cluster-bootstrap';

// Stage 1: Helm releases and values only (no CRD needed at plan time).
new KarpenterRelease(stage1, 'Karpenter', { clusterName: 'piksel-dev', interruptionQueueName, controllerRoleArn });
const flux = new FluxRelease(stage1, 'Flux', { gitRepositoryUrl: 'https://github.com/piksel-ina/piksel-gitops.git', path: 'clusters/dev' });
new GitOpsValues(stage1, 'GitOpsValues', { flux, clusterName: 'piksel-dev', region: 'ap-southeast-3', account, karpenterRoleArn, interruptionQueueName });

// Stage 2: manifests that need stage 1's CRDs.
new Ec2NodeClass(stage2, 'DefaultNodeClass', { clusterName: 'piksel-dev', nodeRoleName });
NodePool.defaultPool(stage2, 'DefaultNodePool');
// #endregion
