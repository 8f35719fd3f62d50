import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Placements } from '@piksel/core';
import { TerraformStack, Testing } from 'cdktf';
import { validateChartValues } from '../../../test/schemas/validate';
import { onlyResource, synth } from '../../secrets/test/util';
import { EfsCsiDriver, EfsCsiDriverProps } from '../src/efs-csi-driver';

const VERSION = '4.4.1';
const CONTROLLER_ROLE = 'arn:aws:iam::326641642924:role/piksel-staging-efs-csi-controller';
const PROPS: EfsCsiDriverProps = { clusterName: 'piksel-staging', version: VERSION };

function release(props: Partial<EfsCsiDriverProps> = {}): any {
  return onlyResource(synth((stack) => new EfsCsiDriver(stack, 'EfsCsi', { ...PROPS, ...props })), 'helm_release');
}

function valuesOf(props: Partial<EfsCsiDriverProps> = {}): any {
  const values = JSON.parse(release(props).values[0]);
  expect(validateChartValues('aws-efs-csi-driver', VERSION, values)).toEqual([]);
  return values;
}

/** An app whose cluster runs every kube-system pod on Fargate, with or without the `default` and `gpu` NodePools. */
function clusterApp(nodePools: boolean): TerraformStack {
  const app = Testing.app();
  const nodes = new TerraformStack(app, 'staging-nodes');
  Placements.of(nodes).addCapacity(nodes, 'piksel-staging', { description: 'Fargate profile "kube-system"', fargateNamespaces: ['kube-system'] });
  if (nodePools) {
    Placements.of(nodes).addCapacity(nodes, 'piksel-staging', { description: 'NodePool "default"', nodeLabels: { 'karpenter.sh/nodepool': ['default'] } });
    Placements.of(nodes).addCapacity(nodes, 'piksel-staging', {
      description: 'NodePool "gpu"',
      nodeLabels: { 'karpenter.sh/nodepool': ['gpu'] },
      taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
    });
  }
  const addons = new TerraformStack(app, 'staging-addons');
  new HelmProvider(addons, 'Helm', { kubernetes: { host: 'https://example.invalid' } });
  return addons;
}

describe('EfsCsiDriver', () => {
  test('installs chart 4.4.1 from the driver\'s repository into kube-system', () => {
    expect(release()).toMatchObject({
      name: 'aws-efs-csi-driver',
      chart: 'aws-efs-csi-driver',
      repository: 'https://kubernetes-sigs.github.io/aws-efs-csi-driver/',
      version: VERSION,
      namespace: 'kube-system',
      atomic: true,
      wait: true,
    });
  });

  test('names the service accounts the estate\'s roles trust, annotated as given', () => {
    let driver: EfsCsiDriver | undefined;
    synth((stack) => { driver = new EfsCsiDriver(stack, 'EfsCsi', PROPS); });
    const values = valuesOf({ controllerServiceAccountAnnotations: { 'eks.amazonaws.com/role-arn': CONTROLLER_ROLE } });
    expect(values.controller.serviceAccount).toEqual({ create: true, name: 'efs-csi-controller-sa', annotations: { 'eks.amazonaws.com/role-arn': CONTROLLER_ROLE } });
    expect(values.node.serviceAccount).toEqual({ create: true, name: 'efs-csi-node-sa', annotations: {} });
    expect(driver?.controllerServiceAccountName).toBe('efs-csi-controller-sa');
    expect(driver?.nodeServiceAccountName).toBe('efs-csi-node-sa');
    expect(driver?.efsCsiDriverNamespace).toBe('kube-system');
  });

  test('runs two controllers with a disruption budget, one without', () => {
    expect(valuesOf().controller).toMatchObject({ replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } });
    expect(valuesOf({ controllerReplicas: 1 }).controller).toMatchObject({ replicaCount: 1, podDisruptionBudget: { enabled: false } });
  });

  test('runs the node plugin on every node, GPU nodes included, whatever the controller\'s placement', () => {
    const values = valuesOf({ nodeSelector: { 'karpenter.sh/nodepool': 'default' }, tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }] });
    expect(values.node.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(values.node.nodeSelector).toBeUndefined();
    expect(values.controller.nodeSelector).toEqual({ 'karpenter.sh/nodepool': 'default' });
    expect(values.controller.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists' }]);
  });

  test.each<[string, Partial<EfsCsiDriverProps>, RegExp]>([
    ['the version floats', { version: 'latest' }, /EfsCsi: version is "latest"; use one released chart version MAJOR.MINOR.PATCH/],
    ['the version has a v prefix', { version: 'v4.4.1' }, /EfsCsi: version is "v4.4.1"/],
    ['there are no controllers', { controllerReplicas: 0 }, /controllerReplicas is 0; use a whole number of replicas from 1 to 5/],
    ['the controller\'s IRSA annotation is a policy ARN', { controllerServiceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::aws:policy/AmazonEFSCSIDriverPolicy' } },
      /controllerServiceAccountAnnotations.eks.amazonaws.com\/role-arn is ".*AmazonEFSCSIDriverPolicy"; use one IAM role ARN/],
    ['a node annotation key is not a qualified name', { nodeServiceAccountAnnotations: { '/role-arn': 'x' } }, /nodeServiceAccountAnnotations key is "\/role-arn"/],
    ['a toleration has a value with Exists', { tolerations: [{ key: 'a', operator: 'Exists', value: 'b' }] }, /tolerations\[0\].value is "b"; remove the value/],
    ['the cluster name has a space', { clusterName: 'piksel staging' }, /clusterName is "piksel staging"; use an EKS cluster name/],
  ])('fails when %s', (_name, props, message) => {
    expect(() => release(props)).toThrow(message);
  });

  test('passes the app synth when the cluster has NodePools', () => {
    const addons = clusterApp(true);
    new EfsCsiDriver(addons, 'EfsCsi', PROPS);
    expect(() => Testing.fullSynth(addons)).not.toThrow();
  });

  test('fails the app synth when kube-system has only Fargate: the controller is privileged and the node plugin a DaemonSet', () => {
    const addons = clusterApp(false);
    new EfsCsiDriver(addons, 'EfsCsi', PROPS);
    expect(() => Testing.fullSynth(addons)).toThrow(/staging-addons\/EfsCsi: .* the EFS CSI controller \(privileged; Fargate refuses it\) would schedule nowhere in cluster "piksel-staging"/);
    expect(() => Testing.fullSynth(addons)).toThrow(/the EFS CSI node DaemonSet would schedule nowhere in cluster "piksel-staging": give it a NodePool \(Fargate runs no DaemonSet\)/);
  });

  test('fails the app synth when the controller\'s selector fits no NodePool', () => {
    const addons = clusterApp(true);
    new EfsCsiDriver(addons, 'EfsCsi', { ...PROPS, nodeSelector: { 'karpenter.sh/nodepool': 'system' } });
    expect(() => Testing.fullSynth(addons)).toThrow(
      /staging-addons\/EfsCsi: nodeSelector is nodeSelector \{"karpenter.sh\/nodepool":"system"\} .* the EFS CSI controller .* would schedule nowhere.*NodePool "default"/,
    );
  });
});
