import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformStack, Testing, Token } from 'cdktf';
import { Construct } from 'constructs';
import { resourcesOf, synth, Synthesized } from '../../secrets/test/util';
import { Ec2NodeClass } from '../src/ec2-node-class';
import { KarpenterRelease, KarpenterReleaseProps } from '../src/karpenter-release';
import { NodePool } from '../src/node-pool';

const ROLE = 'arn:aws:iam::236122835646:role/piksel-dev-karpenter';
const PROPS: KarpenterReleaseProps = { clusterName: 'piksel-dev', interruptionQueueName: 'piksel-dev', controllerRoleArn: ROLE };

function build(make: (stack: Construct) => void): Synthesized {
  return synth((stack) => {
    new HelmProvider(stack, 'Helm', { kubernetes: { host: 'https://example.invalid' } });
    make(stack);
  });
}

function release(out: Synthesized, name: string): any {
  const found = Object.entries(resourcesOf(out, 'helm_release')).find(([, r]) => r.name === name);
  if (!found) {
    throw new Error(`no helm_release named ${name}`);
  }
  return { ...found[1], logicalId: found[0] };
}

function valuesOf(r: { values: string[] }): any {
  expect(r.values).toHaveLength(1);
  return JSON.parse(r.values[0]);
}

describe('KarpenterRelease', () => {
  test('installs karpenter-crd then karpenter from the public ECR OCI registry at 1.14.1', () => {
    const out = build((stack) => new KarpenterRelease(stack, 'Karpenter', PROPS));
    const crds = release(out, 'karpenter-crd');
    const controller = release(out, 'karpenter');
    for (const r of [crds, controller]) {
      expect(r).toMatchObject({ repository: 'oci://public.ecr.aws/karpenter', version: '1.14.1', namespace: 'karpenter', atomic: true, wait: true });
    }
    expect(crds).toMatchObject({ chart: 'karpenter-crd', create_namespace: true });
    expect(controller).toMatchObject({ chart: 'karpenter', skip_crds: true, timeout: 600 });
    expect(controller.depends_on).toEqual([`helm_release.${crds.logicalId}`]);
  });

  test('sets the cluster name, interruption queue and IRSA role the controller needs', () => {
    const values = valuesOf(release(build((stack) => new KarpenterRelease(stack, 'Karpenter', PROPS)), 'karpenter'));
    expect(values.settings).toEqual({ clusterName: 'piksel-dev', interruptionQueue: 'piksel-dev' });
    expect(values.serviceAccount).toEqual({ annotations: { 'eks.amazonaws.com/role-arn': ROLE } });
  });

  test('runs two replicas of 1 vCPU and 1Gi on Fargate, resolving through the VPC resolver', () => {
    const values = valuesOf(release(build((stack) => new KarpenterRelease(stack, 'Karpenter', PROPS)), 'karpenter'));
    expect(values.replicas).toBe(2);
    expect(values.dnsPolicy).toBe('Default');
    expect(values.controller.resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } });
    expect(values.webhook).toBeUndefined();
  });

  test('takes a version, replicas, namespace and controller size', () => {
    let karpenter: KarpenterRelease | undefined;
    const out = build((stack) => {
      karpenter = new KarpenterRelease(stack, 'Karpenter', {
        ...PROPS, version: '1.15.0', replicas: 3, namespace: 'kube-karpenter', controllerCpu: '500m', controllerMemory: '2Gi',
      });
    });
    const controller = release(out, 'karpenter');
    expect(release(out, 'karpenter-crd')).toMatchObject({ version: '1.15.0', namespace: 'kube-karpenter' });
    expect(controller).toMatchObject({ version: '1.15.0', namespace: 'kube-karpenter' });
    const values = valuesOf(controller);
    expect(values.replicas).toBe(3);
    expect(values.controller.resources.limits).toEqual({ cpu: '500m', memory: '2Gi' });
    expect(karpenter?.karpenterNamespace).toBe('kube-karpenter');
    expect(karpenter?.karpenterVersion).toBe('1.15.0');
  });

  test('passes a role ARN that is a token through to the annotation', () => {
    const out = build((stack) => new KarpenterRelease(stack, 'Karpenter', { ...PROPS, controllerRoleArn: Token.asString({ Ref: 'arn' }) }));
    expect(release(out, 'karpenter').values[0]).toContain('eks.amazonaws.com/role-arn');
  });

  test.each<[string, Partial<KarpenterReleaseProps>, RegExp]>([
    ['the cluster name has a dot', { clusterName: 'piksel.dev' }, /Karpenter: clusterName is "piksel.dev"; use an EKS cluster name/],
    ['the queue is given as an ARN', { interruptionQueueName: 'arn:aws:sqs:ap-southeast-3:236122835646:piksel-dev' }, /interruptionQueueName is ".*"; use an SQS queue name \(the name, not its ARN or URL\)/],
    ['the role ARN is a user', { controllerRoleArn: 'arn:aws:iam::236122835646:user/me' }, /controllerRoleArn is ".*"; use one IAM role ARN/],
    ['the version has a v prefix', { version: 'v1.14.1' }, /version is "v1.14.1"; use one released chart version MAJOR.MINOR.PATCH such as "1.14.1"/],
    ['the namespace is not a label', { namespace: 'Karpenter' }, /namespace is "Karpenter"; use a Kubernetes name of 1-63/],
    ['the CPU is not a quantity', { controllerCpu: 'one' }, /controllerCpu is "one"/],
    ['the CPU is zero', { controllerCpu: '0' }, /controllerCpu is "0"; use a Kubernetes quantity above 0/],
    ['the memory is negative', { controllerMemory: '-1Gi' }, /controllerMemory is "-1Gi"; use a Kubernetes quantity above 0/],
    ['the memory is not a quantity', { controllerMemory: '1 GB' }, /controllerMemory is "1 GB"/],
    ['there are no replicas', { replicas: 0 }, /replicas is 0; use a whole number of replicas from 1 to 10/],
  ])('fails when %s', (_name, extra, message) => {
    expect(() => build((stack) => new KarpenterRelease(stack, 'Karpenter', { ...PROPS, ...extra }))).toThrow(message);
  });
});

describe('KarpenterRelease relations', () => {
  /** The two bootstrap stages; the app reports the problems of the first stack built, so `nodesFirst` shows the nodes stage's. */
  function stages(releaseCluster: string, nodesCluster: string, nodesFirst = false) {
    const app = Testing.app();
    const releaseStage = (stack: TerraformStack) => {
      new HelmProvider(stack, 'Helm', { kubernetes: { host: 'https://example.invalid' } });
      new KarpenterRelease(stack, 'Karpenter', { ...PROPS, clusterName: releaseCluster });
    };
    const nodesStage = (stack: TerraformStack) => {
      new KubernetesProvider(stack, 'Kubernetes', { host: 'https://example.invalid' });
      new Ec2NodeClass(stack, 'DefaultNodeClass', { clusterName: nodesCluster, nodeRoleName: 'piksel-dev-karpenter-node' });
      NodePool.defaultPool(stack, 'DefaultNodePool', { clusterName: nodesCluster });
    };
    if (nodesFirst) nodesStage(new TerraformStack(app, 'BootstrapNodes'));
    releaseStage(new TerraformStack(app, 'Bootstrap'));
    if (!nodesFirst) nodesStage(new TerraformStack(app, 'BootstrapNodes'));
    return app;
  }

  test('synthesizes when the release, its EC2NodeClasses and NodePools name one cluster', () => {
    expect(() => stages('piksel-dev', 'piksel-dev').synth()).not.toThrow();
  });

  test('fails at synth when the release is for another cluster than its EC2NodeClasses and NodePools, naming both', () => {
    const app = stages('piksel-staging', 'piksel-dev');
    expect(() => app.synth()).toThrow(/Bootstrap\/Karpenter: clusterName is "piksel-staging"; no EC2NodeClass of the app is for this cluster \(EC2NodeClass BootstrapNodes\/DefaultNodeClass for "piksel-dev"\), so this Karpenter would launch no node; give the release and its EC2NodeClasses and NodePools the same cluster name/);
    const nodesFirst = stages('piksel-staging', 'piksel-dev', true);
    expect(() => nodesFirst.synth()).toThrow(/BootstrapNodes\/DefaultNodeClass: clusterName is "piksel-dev"; no KarpenterRelease of the app runs for this cluster \(KarpenterRelease Bootstrap\/Karpenter for "piksel-staging"\), so no Karpenter reconciles this EC2NodeClass/);
    expect(() => nodesFirst.synth()).toThrow(/BootstrapNodes\/DefaultNodePool: clusterName is "piksel-dev"; no KarpenterRelease of the app runs for this cluster/);
  });

  test('fails when a cluster gets a second release, or a second EC2NodeClass of one name, naming both', () => {
    const app = Testing.app();
    const a = new TerraformStack(app, 'A');
    const b = new TerraformStack(app, 'B');
    new KarpenterRelease(a, 'Karpenter', PROPS);
    expect(() => new KarpenterRelease(b, 'Karpenter', PROPS)).toThrow(/^B\/Karpenter: clusterName is "piksel-dev"; A\/Karpenter has it already; install Karpenter once per cluster/);
    new Ec2NodeClass(a, 'NodeClass', { clusterName: 'piksel-dev', nodeRoleName: 'node' });
    expect(() => new Ec2NodeClass(b, 'NodeClass', { clusterName: 'piksel-dev', nodeRoleName: 'node' })).toThrow(/^B\/NodeClass: name is "default"; A\/NodeClass has it already; give each EC2NodeClass of cluster "piksel-dev" its own name/);
  });
});
