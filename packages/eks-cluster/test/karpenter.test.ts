import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { Naming } from '@piksel/core';
import { AnnotationMetadataEntryType, Lazy, TerraformOutput, Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { onlyResource, resourcesOf, synth, Synthesized } from '../../secrets/test/util';
import { AccessEntry, AccessEntryOptions } from '../src/access-entry';
import { Cluster, ClusterProps } from '../src/cluster';
import { ICluster } from '../src/cluster-interface';
import { Karpenter, KarpenterProps, KarpenterVersion } from '../src/karpenter';
import { KubernetesVersion } from '../src/kubernetes-version';
import { ServiceAccountOptions, ServiceAccountRole } from '../src/service-account';

/** The estate's production cluster, its account and region (the estate table, @piksel/estate). */
const CLUSTER = 'piksel-production';
const ACCOUNT = '522783511350';
const REGION = 'ap-southeast-3';
const EC2 = `arn:aws:ec2:${REGION}:*`;
const CLUSTER_TAG = `kubernetes.io/cluster/${CLUSTER}`;
const INSTANCE_PROFILES = `arn:aws:iam::${ACCOUNT}:instance-profile/*`;
const CLUSTER_ARN = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`;
/** What IAM allows in one role's inline policies together, whitespace not counted. */
const IAM_INLINE_POLICY_QUOTA = 10240;

/**
 * A stand-in for `Cluster`: the real `ServiceAccountRole` with a fixed OIDC provider, and a bare
 * `aws_eks_access_entry`, so these tests see only what `Karpenter` asks of a cluster.
 */
class FakeCluster extends Construct implements ICluster {
  public readonly clusterArn = CLUSTER_ARN;
  public readonly clusterEndpoint = 'https://example.eks.amazonaws.com';
  public readonly clusterCertificateAuthorityData = 'Q0E=';
  public readonly clusterSecurityGroupId = 'sg-0123456789abcdef0';
  public readonly account = ACCOUNT;
  public readonly region = REGION;
  public readonly privateSubnetIds = ['subnet-a', 'subnet-b'];

  constructor(scope: Construct, id: string, public readonly clusterName: string) {
    super(scope, id);
  }

  public addServiceAccount(namespace: string, name: string, options: ServiceAccountOptions = {}): ServiceAccountRole {
    return new ServiceAccountRole(this, `${namespace}-${name}`, {
      ...options,
      clusterName: this.clusterName,
      oidcProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.${REGION}.amazonaws.com/id/EXAMPLE`,
      oidcIssuerUrl: `https://oidc.eks.${REGION}.amazonaws.com/id/EXAMPLE`,
      namespace,
      serviceAccountName: name,
    });
  }

  public addAccessEntry(id: string, options: AccessEntryOptions): AccessEntry {
    const entry = new EksAccessEntry(this, id, { clusterName: this.clusterName, principalArn: options.principalArn, type: options.type?.value });
    return entry as unknown as AccessEntry;
  }
}

function build(props: Partial<KarpenterProps> = {}, clusterName = CLUSTER): Synthesized {
  return synth((stack) => new Karpenter(stack, 'Karpenter', { cluster: new FakeCluster(stack, 'Cluster', clusterName), ...props }));
}

/** The inline policies of the controller role, by name, parsed. */
function inlinePolicies(out: Synthesized): Record<string, any> {
  const [controller] = roleNamed(out, `${CLUSTER}-karpenter`);
  return Object.fromEntries(Object.values(resourcesOf(out, 'aws_iam_role_policy'))
    .filter((policy) => policy.role === `\${aws_iam_role.${controller}.name}`)
    .map((policy) => [policy.name, JSON.parse(policy.policy)]));
}

/** Every controller statement, by Sid. */
function statements(out: Synthesized): Record<string, any> {
  return Object.fromEntries(Object.values(inlinePolicies(out)).flatMap((policy) => policy.Statement).map((statement) => [statement.Sid, statement]));
}

function roleNamed(out: Synthesized, name: string): [string, any] {
  return Object.entries(resourcesOf(out, 'aws_iam_role')).find(([, role]) => role.name === name)!;
}

describe('Karpenter', () => {
  test('gives the karpenter/karpenter service account an IRSA role named <cluster>-karpenter', () => {
    const [, role] = roleNamed(build(), `${CLUSTER}-karpenter`);
    // The trust is ServiceAccountRole's (its issuer key is a Terraform `replace(...)`, so not parsed here).
    expect(role.assume_role_policy).toContain('"Action":"sts:AssumeRoleWithWebIdentity"');
    expect(role.assume_role_policy).toContain(':sub":"system:serviceaccount:karpenter:karpenter"');
  });

  test('attaches the six v1.14 controller policies inline, each with its Sids', () => {
    const policies = inlinePolicies(build());
    const sids = Object.fromEntries(Object.entries(policies).map(([name, policy]) => [name, policy.Statement.map((s: any) => s.Sid)]));
    expect(sids).toEqual({
      KarpenterControllerNodeLifecyclePolicy: ['AllowScopedEC2InstanceAccessActions', 'AllowScopedEC2LaunchTemplateAccessActions',
        'AllowScopedEC2InstanceActionsWithTags', 'AllowScopedResourceCreationTagging', 'AllowScopedResourceTagging', 'AllowScopedDeletion'],
      KarpenterControllerIAMIntegrationPolicy: ['AllowPassingInstanceRole', 'AllowScopedInstanceProfileCreationActions',
        'AllowScopedInstanceProfileTagActions', 'AllowScopedInstanceProfileActions'],
      KarpenterControllerEKSIntegrationPolicy: ['AllowAPIServerEndpointDiscovery'],
      KarpenterControllerInterruptionPolicy: ['AllowInterruptionQueueActions'],
      KarpenterControllerZonalShiftPolicy: ['AllowZonalShiftStatusReadOnly'],
      KarpenterControllerResourceDiscoveryPolicy: ['AllowRegionalReadActions', 'AllowSSMReadActions', 'AllowPricingReadActions',
        'AllowUnscopedInstanceProfileListAction', 'AllowInstanceProfileReadActions'],
    });
    for (const policy of Object.values(policies)) {
      expect(policy.Version).toBe('2012-10-17');
      expect(policy.Statement.every((s: any) => s.Effect === 'Allow')).toBe(true);
    }
  });

  test('launches only into this region and tags, uses and deletes only this cluster\'s nodes', () => {
    const s = statements(build());
    const tagged = ['fleet', 'instance', 'volume', 'network-interface', 'launch-template', 'spot-instances-request'].map((r) => `${EC2}:${r}/*`);
    const owned = { StringEquals: { [`aws:ResourceTag/${CLUSTER_TAG}`]: 'owned' }, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } };
    const ownedRequest = { [`aws:RequestTag/${CLUSTER_TAG}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': CLUSTER };
    expect(s.AllowScopedEC2InstanceAccessActions).toEqual({
      Sid: 'AllowScopedEC2InstanceAccessActions',
      Effect: 'Allow',
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Resource: [`arn:aws:ec2:${REGION}::image/*`, `arn:aws:ec2:${REGION}::snapshot/*`, `${EC2}:security-group/*`, `${EC2}:subnet/*`,
        `${EC2}:capacity-reservation/*`, `${EC2}:placement-group/*`],
    });
    expect(s.AllowScopedEC2LaunchTemplateAccessActions).toMatchObject({ Resource: `${EC2}:launch-template/*`, Action: ['ec2:RunInstances', 'ec2:CreateFleet'], Condition: owned });
    expect(s.AllowScopedEC2InstanceActionsWithTags).toMatchObject({
      Resource: tagged,
      Action: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      Condition: { StringEquals: ownedRequest, StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } },
    });
    expect(s.AllowScopedResourceCreationTagging).toMatchObject({
      Resource: tagged,
      Action: 'ec2:CreateTags',
      Condition: {
        StringEquals: { ...ownedRequest, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      },
    });
    expect(s.AllowScopedResourceTagging).toMatchObject({
      Resource: `${EC2}:instance/*`,
      Action: 'ec2:CreateTags',
      Condition: {
        ...owned,
        'StringEqualsIfExists': { 'aws:RequestTag/eks:eks-cluster-name': CLUSTER },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      },
    });
    expect(s.AllowScopedDeletion).toMatchObject({
      Resource: [`${EC2}:instance/*`, `${EC2}:launch-template/*`], Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'], Condition: owned,
    });
    for (const sid of ['AllowScopedEC2LaunchTemplateAccessActions', 'AllowScopedEC2InstanceActionsWithTags', 'AllowScopedResourceCreationTagging', 'AllowScopedResourceTagging', 'AllowScopedDeletion']) {
      expect(Object.keys(s[sid]).sort()).toEqual(['Action', 'Condition', 'Effect', 'Resource', 'Sid']);
    }
  });

  test('passes only the node role, only to EC2', () => {
    const out = build();
    const [address] = roleNamed(out, `${CLUSTER}-karpenter-node`);
    expect(statements(out).AllowPassingInstanceRole).toEqual({
      Sid: 'AllowPassingInstanceRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: `\${aws_iam_role.${address}.arn}`,
      Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
    });
  });

  test('manages only instance profiles tagged with this cluster, region and an EC2NodeClass', () => {
    const s = statements(build());
    const ownedResource = { [`aws:ResourceTag/${CLUSTER_TAG}`]: 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': REGION };
    const ownedRequest = { [`aws:RequestTag/${CLUSTER_TAG}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': CLUSTER, 'aws:RequestTag/topology.kubernetes.io/region': REGION };
    expect(s.AllowScopedInstanceProfileCreationActions).toMatchObject({
      Resource: INSTANCE_PROFILES,
      Action: ['iam:CreateInstanceProfile'],
      Condition: { StringEquals: ownedRequest, StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' } },
    });
    expect(s.AllowScopedInstanceProfileTagActions).toMatchObject({
      Resource: INSTANCE_PROFILES,
      Action: ['iam:TagInstanceProfile'],
      Condition: {
        StringEquals: { ...ownedResource, ...ownedRequest },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    });
    expect(s.AllowScopedInstanceProfileActions).toMatchObject({
      Resource: INSTANCE_PROFILES,
      Action: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
      Condition: { StringEquals: ownedResource, StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' } },
    });
  });

  test('describes only this cluster, reads only its queue and its zonal-shift status', () => {
    const out = build();
    const [queueAddress] = Object.keys(resourcesOf(out, 'aws_sqs_queue'));
    const s = statements(out);
    expect(s.AllowAPIServerEndpointDiscovery).toEqual({ Sid: 'AllowAPIServerEndpointDiscovery', Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: CLUSTER_ARN });
    expect(s.AllowInterruptionQueueActions).toEqual({
      Sid: 'AllowInterruptionQueueActions',
      Effect: 'Allow',
      Resource: `\${aws_sqs_queue.${queueAddress}.arn}`,
      Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
    });
    expect(s.AllowZonalShiftStatusReadOnly).toEqual({
      Sid: 'AllowZonalShiftStatusReadOnly',
      Effect: 'Allow',
      Resource: '*',
      Action: ['arc-zonal-shift:GetManagedResource'],
      Condition: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': CLUSTER_ARN } },
    });
  });

  test('reads EC2 only in this region, SSM public parameters, prices and instance profiles', () => {
    const s = statements(build());
    expect(s.AllowRegionalReadActions).toMatchObject({
      Resource: '*',
      Action: ['ec2:DescribeCapacityReservations', 'ec2:DescribeImages', 'ec2:DescribeInstances', 'ec2:DescribeInstanceStatus',
        'ec2:DescribeInstanceTypeOfferings', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplates', 'ec2:DescribePlacementGroups',
        'ec2:DescribeSecurityGroups', 'ec2:DescribeSpotPriceHistory', 'ec2:DescribeSubnets'],
      Condition: { StringEquals: { 'aws:RequestedRegion': REGION } },
    });
    expect(s.AllowSSMReadActions).toEqual({ Sid: 'AllowSSMReadActions', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: `arn:aws:ssm:${REGION}::parameter/aws/service/*` });
    expect(s.AllowPricingReadActions).toEqual({ Sid: 'AllowPricingReadActions', Effect: 'Allow', Action: 'pricing:GetProducts', Resource: '*' });
    expect(s.AllowUnscopedInstanceProfileListAction).toEqual({ Sid: 'AllowUnscopedInstanceProfileListAction', Effect: 'Allow', Action: 'iam:ListInstanceProfiles', Resource: '*' });
    expect(s.AllowInstanceProfileReadActions).toEqual({ Sid: 'AllowInstanceProfileReadActions', Effect: 'Allow', Action: 'iam:GetInstanceProfile', Resource: INSTANCE_PROFILES });
  });

  test('keeps the inline policies within IAM\'s 10,240-character quota for one role', () => {
    // Resolved ARNs are longer than the `${...}` references: allow 100 characters for each.
    const total = Object.values(resourcesOf(build(), 'aws_iam_role_policy'))
      .reduce((sum, policy) => sum + policy.policy.replace(/\$\{[^}]+\}/g, 'x'.repeat(100)).length, 0);
    expect(total).toBeLessThan(IAM_INLINE_POLICY_QUOTA);
  });

  test('makes a node role EC2 assumes, with the four AWS managed node policies and no instance profile', () => {
    const out = build();
    const [address, role] = roleNamed(out, `${CLUSTER}-karpenter-node`);
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      { Sid: 'AssumeFromEc2', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    const attached = Object.values(resourcesOf(out, 'aws_iam_role_policy_attachment')).filter((a) => a.role === `\${aws_iam_role.${address}.name}`);
    expect(attached.map((a) => a.policy_arn).sort()).toEqual([
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    ]);
    expect(resourcesOf(out, 'aws_iam_instance_profile')).toEqual({});
  });

  test('gives the node role an EC2_LINUX access entry without access policies', () => {
    const out = build();
    const [address] = roleNamed(out, `${CLUSTER}-karpenter-node`);
    expect(onlyResource(out, 'aws_eks_access_entry')).toMatchObject({ principal_arn: `\${aws_iam_role.${address}.arn}`, type: 'EC2_LINUX' });
    expect(Object.keys(resourcesOf(out, 'aws_eks_access_entry'))[0]).toMatch(/^Cluster_KarpenterNode_/);
    expect(resourcesOf(out, 'aws_eks_access_policy_association')).toEqual({});
  });

  test('works with the real Cluster: IRSA role from its OIDC provider, EC2_LINUX entry on it', () => {
    const vpc = {
      vpcId: 'vpc-0123456789abcdef0',
      vpcCidrBlock: '10.3.0.0/16',
      region: REGION,
      availabilityZones: ['ap-southeast-3a', 'ap-southeast-3b'],
      publicSubnetIds: ['subnet-pub-a', 'subnet-pub-b'],
      privateSubnetIds: ['subnet-a', 'subnet-b'],
      privateRouteTableIds: ['rtb-a', 'rtb-b'],
      publicRouteTableId: 'rtb-pub',
      clusterName: CLUSTER,
      node: { path: 'stack/Vpc' },
    } as unknown as ClusterProps['vpc'];
    const out = synth((stack) => {
      const cluster = new Cluster(stack, 'Cluster', { clusterName: CLUSTER, version: KubernetesVersion.V1_36, vpc, account: ACCOUNT, region: REGION });
      new Karpenter(stack, 'Karpenter', { cluster });
    });
    const [, controller] = roleNamed(out, `${CLUSTER}-karpenter`);
    expect(controller.assume_role_policy).toContain('aws_iam_openid_connect_provider');
    expect(controller.assume_role_policy).toContain(':sub":"system:serviceaccount:karpenter:karpenter"');
    const [node] = roleNamed(out, `${CLUSTER}-karpenter-node`);
    const entries = Object.values(resourcesOf(out, 'aws_eks_access_entry')).filter((entry) => entry.principal_arn === `\${aws_iam_role.${node}.arn}`);
    expect(entries).toEqual([expect.objectContaining({ type: 'EC2_LINUX' })]);
    expect(Object.keys(inlinePolicies(out))).toHaveLength(6);
    expect(Object.keys(statements(out))).toHaveLength(18);
  });

  test('names its interruption queue after the cluster', () => {
    expect(onlyResource(build(), 'aws_sqs_queue')).toMatchObject({ name: CLUSTER, message_retention_seconds: 300, sqs_managed_sse_enabled: true });
  });

  test('exposes what the bootstrap needs', () => {
    const out: any = synth((stack) => {
      const karpenter = new Karpenter(stack, 'Karpenter', { cluster: new FakeCluster(stack, 'Cluster', CLUSTER) });
      expect(karpenter.nodeRoleName).toBe(`${CLUSTER}-karpenter-node`);
      expect(karpenter.interruptionQueueName).toBe(CLUSTER);
      expect(karpenter.version).toBe(KarpenterVersion.V1_14_1);
      new TerraformOutput(stack, 'ControllerRoleArn', { value: karpenter.controllerRoleArn });
      new TerraformOutput(stack, 'NodeRoleArn', { value: karpenter.nodeRoleArn });
      new TerraformOutput(stack, 'QueueArn', { value: karpenter.interruptionQueueArn });
    });
    const [controller] = roleNamed(out, `${CLUSTER}-karpenter`);
    const [node] = roleNamed(out, `${CLUSTER}-karpenter-node`);
    const [queue] = Object.keys(resourcesOf(out, 'aws_sqs_queue'));
    expect(out.output).toEqual({
      ControllerRoleArn: { value: `\${aws_iam_role.${controller}.arn}` },
      NodeRoleArn: { value: `\${aws_iam_role.${node}.arn}` },
      QueueArn: { value: `\${aws_sqs_queue.${queue}.arn}` },
    });
  });

  test('takes its own role and queue names', () => {
    const out = build({ controllerRoleName: 'karpenter-ctl', nodeRoleName: 'karpenter-node', interruptionQueueName: 'karpenter-q' });
    expect(Object.values(resourcesOf(out, 'aws_iam_role')).map((role) => role.name).sort()).toEqual(['karpenter-ctl', 'karpenter-node']);
    expect(onlyResource(out, 'aws_sqs_queue').name).toBe('karpenter-q');
  });

  test('tags the node role, the queue and the rules', () => {
    const tags = { Service: 'karpenter' };
    const out = build({ tags });
    expect(roleNamed(out, `${CLUSTER}-karpenter-node`)[1].tags).toEqual(tags);
    expect(onlyResource(out, 'aws_sqs_queue').tags).toEqual(tags);
    for (const rule of Object.values(resourcesOf(out, 'aws_cloudwatch_event_rule'))) {
      expect(rule.tags).toEqual(tags);
    }
  });

  test('records the library version in the stack', () => {
    const stack = new TerraformStack(Testing.app(), 'production');
    new Karpenter(stack, 'Karpenter', { cluster: new FakeCluster(stack, 'Cluster', CLUSTER) });
    expect(stack.toTerraform()['//'].piksel.libraries['@piksel/eks-cluster']).toMatch(/^\d+\.\d+\.\d+/);
  });

  test('warns when the chart is of another line than the policy', () => {
    synth((stack) => {
      Naming.configure(stack, Naming.piksel());
      const karpenter = new Karpenter(stack, 'Karpenter', { cluster: new FakeCluster(stack, 'Cluster', CLUSTER), version: KarpenterVersion.of('1.15.0') });
      const warnings = karpenter.node.metadata.filter((entry) => entry.type === AnnotationMetadataEntryType.WARN).map((entry) => entry.data);
      expect(warnings).toEqual([expect.stringMatching(/chart line 1\.14; check it against cloudformation\.yaml of v1\.15/)]);
    });
  });

  test('does not warn for a 1.14 chart', () => {
    synth((stack) => {
      Naming.configure(stack, Naming.piksel());
      const karpenter = new Karpenter(stack, 'Karpenter', { cluster: new FakeCluster(stack, 'Cluster', CLUSTER), version: KarpenterVersion.of('1.14.0') });
      expect(karpenter.node.metadata.filter((entry) => entry.type === AnnotationMetadataEntryType.WARN)).toEqual([]);
    });
  });

  test('fails when the derived controller role name is longer than 64 characters', () => {
    expect(() => build({}, 'c'.repeat(56))).toThrow(/Karpenter: cluster.clusterName is "c{56}"; it makes controllerRoleName "c{56}-karpenter" \(66 characters, at most 64\); shorten cluster.clusterName to at most 54 characters or give controllerRoleName/);
  });

  test('fails when the derived node role name is longer than 64 characters', () => {
    expect(() => build({}, 'c'.repeat(50))).toThrow(/cluster.clusterName is "c{50}"; it makes nodeRoleName "c{50}-karpenter-node" \(65 characters, at most 64\); shorten cluster.clusterName to at most 49 characters or give nodeRoleName/);
  });

  test('fails when a given role name is not an IAM role name', () => {
    expect(() => build({ controllerRoleName: 'karpenter controller' })).toThrow(/controllerRoleName is "karpenter controller"; use an IAM role name/);
    expect(() => build({ nodeRoleName: 'n'.repeat(65) })).toThrow(/nodeRoleName is "n{65}"; use an IAM role name: 1-64/);
  });

  test('fails when the cluster name is too long to name the queue and its rules', () => {
    expect(() => build({}, 'c'.repeat(43))).toThrow(/interruptionQueueName \(derived from cluster.clusterName\) is "c{43}"; .*give an interruptionQueueName of at most 42 characters/);
  });

  test('fails when the given queue name is not an SQS queue name', () => {
    expect(() => build({ interruptionQueueName: 'karpenter.queue' })).toThrow(/interruptionQueueName is "karpenter.queue"; use an SQS queue name/);
  });

  test('fails when the cluster name is not a literal', () => {
    expect(() => synth((stack) => new Karpenter(stack, 'Karpenter', { cluster: new FakeCluster(stack, 'Cluster', Lazy.stringValue({ produce: () => CLUSTER })) })))
      .toThrow(/cluster\.clusterName is .*; use a cluster whose name is a literal/);
  });

  test('fails when a chart version is not MAJOR.MINOR.PATCH of v1 or later', () => {
    for (const version of ['1.14', 'v1.14.1', '0.37.0', '1.14.1-rc.1', '']) {
      expect(() => KarpenterVersion.of(version)).toThrow(/KarpenterVersion.of: version is .*; use a v1 or later chart version such as "1.14.1"/);
    }
  });

  test('fails when its node role would take the name of a role the cluster made', () => {
    const vpc = { vpcId: 'vpc-0123456789abcdef0', region: REGION, privateSubnetIds: ['subnet-a', 'subnet-b'], node: { path: 'stack/Vpc' } } as unknown as ClusterProps['vpc'];
    expect(() => synth((stack) => {
      const cluster = new Cluster(stack, 'Cluster', { clusterName: CLUSTER, version: KubernetesVersion.V1_36, vpc, account: ACCOUNT, region: REGION });
      new Karpenter(stack, 'Karpenter', { cluster, nodeRoleName: `${CLUSTER}-cluster` });
    })).toThrow(/Karpenter: nodeRoleName is "piksel-production-cluster"; \S+\/Cluster has it already; IAM role names are unique in an account, whatever their case; give one of the two its own nodeRoleName$/);
  });
});
