import { checkSqsQueueName, invalidProp } from '@piksel/core';
import { Token } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * The IAM and SQS policy documents, event patterns and name rules of `Karpenter` and
 * `InterruptionQueue`. Nothing here is public API.
 *
 * Every statement is copied from the CloudFormation template of Karpenter's getting-started guide
 * for chart line 1.14 (KP-CFN): repository `aws/karpenter-provider-aws`, path
 * `website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml`
 * (tag `v1.14.1` = bde00654cd31; checked line by line against the copy at e0834c2bd02e), with `${AWS::Partition}` =
 * `aws`, `${AWS::Region}` / `${AWS::AccountId}` = the cluster's, `${ClusterName}` = the cluster
 * name. The template writes each policy as an `AWS::IAM::ManagedPolicy`; here each is an inline
 * policy of the controller role under the same name, without the `-${ClusterName}` suffix (an
 * inline policy is already scoped to its role).
 */

/** One IAM policy statement, as AWS spells it. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Principal?: string | Record<string, string | string[]>;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** What the controller's policies are scoped to. */
export interface KarpenterScope {
  readonly clusterName: string;
  readonly account: string;
  readonly region: string;
  readonly nodeRoleArn: string;
  readonly queueArn: string;
}

/**
 * Renders a policy document as JSON. References that are still tokens stay in it as `${...}`
 * interpolations, which Terraform resolves. (No IAM policy variables such as `${aws:username}`:
 * Terraform would read them as interpolations.)
 */
export function policyDocument(statements: PolicyStatement[], id?: string): string {
  return JSON.stringify(id === undefined ? { Version: '2012-10-17', Statement: statements } : { Version: '2012-10-17', Id: id, Statement: statements });
}

const OWNED = 'owned';
const ANY = '*';

/** The six controller policies of chart line 1.14, by inline policy name, in KP-CFN order. */
export function controllerPolicies(scope: KarpenterScope): Record<string, PolicyStatement[]> {
  return {
    KarpenterControllerNodeLifecyclePolicy: nodeLifecycle(scope),
    KarpenterControllerIAMIntegrationPolicy: iamIntegration(scope),
    KarpenterControllerEKSIntegrationPolicy: eksIntegration(scope),
    KarpenterControllerInterruptionPolicy: interruption(scope),
    KarpenterControllerZonalShiftPolicy: zonalShift(scope),
    KarpenterControllerResourceDiscoveryPolicy: resourceDiscovery(scope),
  };
}

/** KP-CFN `NodeLifecyclePolicy`: launch, tag and terminate only this cluster's nodes. */
function nodeLifecycle({ clusterName, region }: KarpenterScope): PolicyStatement[] {
  const ec2 = (resource: string): string => `arn:aws:ec2:${region}:*:${resource}/*`;
  const clusterTag = `kubernetes.io/cluster/${clusterName}`;
  const taggedResources = ['fleet', 'instance', 'volume', 'network-interface', 'launch-template', 'spot-instances-request'].map(ec2);
  const ownedResource = {
    StringEquals: { [`aws:ResourceTag/${clusterTag}`]: OWNED },
    StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': ANY },
  };
  const ownedRequest = { [`aws:RequestTag/${clusterTag}`]: OWNED, 'aws:RequestTag/eks:eks-cluster-name': clusterName };
  return [
    {
      Sid: 'AllowScopedEC2InstanceAccessActions',
      Effect: 'Allow',
      Resource: [`arn:aws:ec2:${region}::image/*`, `arn:aws:ec2:${region}::snapshot/*`, ...['security-group', 'subnet', 'capacity-reservation', 'placement-group'].map(ec2)],
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
    },
    {
      Sid: 'AllowScopedEC2LaunchTemplateAccessActions',
      Effect: 'Allow',
      Resource: ec2('launch-template'),
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Condition: ownedResource,
    },
    {
      Sid: 'AllowScopedEC2InstanceActionsWithTags',
      Effect: 'Allow',
      Resource: taggedResources,
      Action: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      Condition: { StringEquals: ownedRequest, StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': ANY } },
    },
    {
      Sid: 'AllowScopedResourceCreationTagging',
      Effect: 'Allow',
      Resource: taggedResources,
      Action: 'ec2:CreateTags',
      Condition: {
        StringEquals: { ...ownedRequest, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': ANY },
      },
    },
    {
      Sid: 'AllowScopedResourceTagging',
      Effect: 'Allow',
      Resource: ec2('instance'),
      Action: 'ec2:CreateTags',
      Condition: {
        ...ownedResource,
        'StringEqualsIfExists': { 'aws:RequestTag/eks:eks-cluster-name': clusterName },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      },
    },
    {
      Sid: 'AllowScopedDeletion',
      Effect: 'Allow',
      Resource: [ec2('instance'), ec2('launch-template')],
      Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      Condition: ownedResource,
    },
  ];
}

/**
 * KP-CFN `IAMIntegrationPolicy`: pass only the node role to EC2, and manage the instance profiles
 * Karpenter v1 makes from `EC2NodeClass.spec.role` (tagged with cluster, region and node class).
 */
function iamIntegration({ clusterName, account, region, nodeRoleArn }: KarpenterScope): PolicyStatement[] {
  const instanceProfiles = `arn:aws:iam::${account}:instance-profile/*`;
  const clusterTag = `kubernetes.io/cluster/${clusterName}`;
  const ownedResource = { [`aws:ResourceTag/${clusterTag}`]: OWNED, 'aws:ResourceTag/topology.kubernetes.io/region': region };
  const ownedRequest = {
    [`aws:RequestTag/${clusterTag}`]: OWNED,
    'aws:RequestTag/eks:eks-cluster-name': clusterName,
    'aws:RequestTag/topology.kubernetes.io/region': region,
  };
  return [
    {
      Sid: 'AllowPassingInstanceRole',
      Effect: 'Allow',
      Resource: nodeRoleArn,
      Action: 'iam:PassRole',
      Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
    },
    {
      Sid: 'AllowScopedInstanceProfileCreationActions',
      Effect: 'Allow',
      Resource: instanceProfiles,
      Action: ['iam:CreateInstanceProfile'],
      Condition: { StringEquals: ownedRequest, StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': ANY } },
    },
    {
      Sid: 'AllowScopedInstanceProfileTagActions',
      Effect: 'Allow',
      Resource: instanceProfiles,
      Action: ['iam:TagInstanceProfile'],
      Condition: {
        StringEquals: { ...ownedResource, ...ownedRequest },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': ANY, 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': ANY },
      },
    },
    {
      Sid: 'AllowScopedInstanceProfileActions',
      Effect: 'Allow',
      Resource: instanceProfiles,
      Action: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
      Condition: { StringEquals: ownedResource, StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': ANY } },
    },
  ];
}

/** The cluster's ARN, as IAM and ARC zonal shift name it. */
function clusterArn({ clusterName, account, region }: KarpenterScope): string {
  return `arn:aws:eks:${region}:${account}:cluster/${clusterName}`;
}

/** KP-CFN `EKSIntegrationPolicy`: discover the API server endpoint when the chart leaves it empty. */
function eksIntegration(scope: KarpenterScope): PolicyStatement[] {
  return [{ Sid: 'AllowAPIServerEndpointDiscovery', Effect: 'Allow', Resource: clusterArn(scope), Action: 'eks:DescribeCluster' }];
}

/** KP-CFN `InterruptionPolicy`: read and delete the interruption queue's messages. */
function interruption({ queueArn }: KarpenterScope): PolicyStatement[] {
  return [{
    Sid: 'AllowInterruptionQueueActions',
    Effect: 'Allow',
    Resource: queueArn,
    Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
  }];
}

/**
 * KP-CFN `ZonalShiftPolicy`: read whether ARC has shifted the cluster away from a zone (used when
 * the chart sets `settings.enableZonalShift`; read-only, so granted always).
 */
function zonalShift(scope: KarpenterScope): PolicyStatement[] {
  return [{
    Sid: 'AllowZonalShiftStatusReadOnly',
    Effect: 'Allow',
    Resource: ANY,
    Action: ['arc-zonal-shift:GetManagedResource'],
    Condition: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': clusterArn(scope) } },
  }];
}

/** KP-CFN `ResourceDiscoveryPolicy`: read instance types, prices, AMIs, subnets and profiles. */
function resourceDiscovery({ account, region }: KarpenterScope): PolicyStatement[] {
  const describe = ['CapacityReservations', 'Images', 'Instances', 'InstanceStatus', 'InstanceTypeOfferings', 'InstanceTypes',
    'LaunchTemplates', 'PlacementGroups', 'SecurityGroups', 'SpotPriceHistory', 'Subnets'];
  return [
    {
      Sid: 'AllowRegionalReadActions',
      Effect: 'Allow',
      Resource: ANY,
      Action: describe.map((what) => `ec2:Describe${what}`),
      Condition: { StringEquals: { 'aws:RequestedRegion': region } },
    },
    { Sid: 'AllowSSMReadActions', Effect: 'Allow', Resource: `arn:aws:ssm:${region}::parameter/aws/service/*`, Action: 'ssm:GetParameter' },
    { Sid: 'AllowPricingReadActions', Effect: 'Allow', Resource: ANY, Action: 'pricing:GetProducts' },
    { Sid: 'AllowUnscopedInstanceProfileListAction', Effect: 'Allow', Resource: ANY, Action: 'iam:ListInstanceProfiles' },
    { Sid: 'AllowInstanceProfileReadActions', Effect: 'Allow', Resource: `arn:aws:iam::${account}:instance-profile/*`, Action: 'iam:GetInstanceProfile' },
  ];
}

/**
 * KP-CFN `KarpenterInterruptionQueuePolicy`: EventBridge (and SQS) may send to the queue; any
 * request without TLS is denied.
 */
export function interruptionQueuePolicy(queueArn: string): string {
  return policyDocument([
    {
      Sid: 'AllowEventBridgeSendMessage',
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] },
      Action: 'sqs:SendMessage',
      Resource: queueArn,
    },
    {
      Sid: 'DenyHTTP',
      Effect: 'Deny',
      Principal: '*',
      Action: 'sqs:*',
      Resource: queueArn,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ], 'EC2InterruptionPolicy');
}

/** KP-CFN `KarpenterNodeRole` trust: EC2 instances assume the node role. */
export function ec2Trust(): string {
  return policyDocument([{ Sid: 'AssumeFromEc2', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
}

/**
 * The events Karpenter handles, from KP-CFN's five `AWS::Events::Rule`s: the construct ID (KP-CFN's
 * logical name, stable forever), the suffix of the rule name, and the event pattern.
 * @see https://karpenter.sh/docs/concepts/disruption/#interruption
 */
export const INTERRUPTION_RULES: ReadonlyArray<{ id: string; suffix: string; source: string; detailType: string }> = [
  { id: 'ScheduledChangeRule', suffix: 'scheduled-change', source: 'aws.health', detailType: 'AWS Health Event' },
  { id: 'SpotInterruptionRule', suffix: 'spot-interruption', source: 'aws.ec2', detailType: 'EC2 Spot Instance Interruption Warning' },
  { id: 'RebalanceRule', suffix: 'rebalance', source: 'aws.ec2', detailType: 'EC2 Instance Rebalance Recommendation' },
  { id: 'InstanceStateChangeRule', suffix: 'state-change', source: 'aws.ec2', detailType: 'EC2 Instance State-change Notification' },
  { id: 'CapacityReservationInterruptionRule', suffix: 'capacity-interruption', source: 'aws.ec2', detailType: 'EC2 Capacity Reservation Instance Interruption Warning' },
];

/**
 * EventBridge rule names: at most 64 characters.
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
 */
const MAX_RULE_NAME_LENGTH = 64;
/** The longest queue name for which every rule name `<queue>-<suffix>` fits (42). */
export const MAX_QUEUE_NAME_LENGTH = MAX_RULE_NAME_LENGTH - 1 - Math.max(...INTERRUPTION_RULES.map((rule) => rule.suffix.length));

/** Fails unless `name` is a literal SQS queue name short enough for every rule name to fit. */
export function checkQueueName(scope: IConstruct, field: string, name: string, fix: string): void {
  if (Token.isUnresolved(name)) {
    throw invalidProp(scope, field, name, 'give the queue name as a literal: the rule names derive from it');
  }
  checkSqsQueueName(scope, field, name);
  if (name.length > MAX_QUEUE_NAME_LENGTH) {
    throw invalidProp(scope, field, name, `the EventBridge rule names "<queue>-<event>" must fit in ${MAX_RULE_NAME_LENGTH} characters; ${fix} of at most ${MAX_QUEUE_NAME_LENGTH} characters`);
  }
}

