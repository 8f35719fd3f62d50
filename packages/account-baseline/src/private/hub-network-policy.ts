import { checkAccountId, checkEnvironmentName, checkKebabName, invalidProp } from '@piksel/core';
import { IConstruct } from 'constructs';
import type { SpokeEnvironment } from '../hub-network-role';
import { iamVariable, PolicyStatement } from './policy';

/**
 * The permissions of a spoke's hub-network role: the hub side of one spoke's Transit Gateway
 * attachment and private-zone associations, and the hub's state. Nothing here is public API.
 *
 * What IAM can and cannot narrow (Service Authorization Reference, Amazon EC2 and Route 53):
 * - A `transit-gateway-attachment` offers `aws:ResourceTag/*`, `ec2:ResourceTag/*`, `ec2:Region`
 *   and `ec2:transitGatewayAttachmentId`; no key names the account or VPC that requested it. So
 *   acceptance cannot be limited to the spoke's account. Once accepted, the role tags the
 *   attachment with the spoke's ownership tag, and every later action on an attachment requires it;
 *   the role may remove other tags of its attachments (`aws:TagKeys`), never that one.
 * - A `transit-gateway-route-table` offers `aws:ResourceTag/*`: the routing-domain tag
 *   (`RoutingDomain.tagKey` of @piksel/network-hub) limits association to the spoke's domain and
 *   propagation to `shared`.
 * - EC2 authorizes each resource of a request on its own (an association names an attachment and
 *   a route table), so each resource type has its own statement.
 * - Route 53 offers no tag or zone-name condition, and `route53:VPCs` names only VPC ID and
 *   Region: the authorization actions are scoped to `hostedzone/*`.
 *
 * Resources of the hub are named through `${aws:PrincipalAccount}`, the account of the role itself.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonroute53.html
 */

/** What the statements are built from. */
export interface HubNetworkPolicySpec {
  /** The spoke environment, the value of its ownership tag on attachments. */
  readonly environment: string;
  /** Key of the attachments' ownership tag. */
  readonly spokeTagKey: string;
  /** Key of the route tables' routing-domain tag. */
  readonly routingDomainTagKey: string;
  /** The spoke's routing domain. */
  readonly routingDomain: string;
  /** The domain every spoke propagates into. */
  readonly sharedDomain: string;
  /** ARN of the hub's state bucket. */
  readonly stateBucketArn: string;
  /** Key of the hub stack's state object in it. */
  readonly stateObjectKey: string;
}

/** The tag every attachment of the hub VPC itself carries (network-hub sets it); fresh spoke attachments carry none. */
const NAME_TAG = 'Name';

/** Every statement of the role's one inline policy. */
export function hubNetworkStatements(spec: HubNetworkPolicySpec): PolicyStatement[] {
  const account = iamVariable('aws:PrincipalAccount');
  const attachments = `arn:aws:ec2:*:${account}:transit-gateway-attachment/*`;
  const routeTables = `arn:aws:ec2:*:${account}:transit-gateway-route-table/*`;
  const zones = 'arn:aws:route53:::hostedzone/*';
  const owner = `aws:ResourceTag/${spec.spokeTagKey}`;
  const claim = `aws:RequestTag/${spec.spokeTagKey}`;
  const domain = `aws:ResourceTag/${spec.routingDomainTagKey}`;
  return [
    // aws_ec2_transit_gateway_vpc_attachment_accepter: accept (no key narrows it), then tag.
    { Sid: 'AcceptAttachments', Effect: 'Allow', Action: 'ec2:AcceptTransitGatewayVpcAttachment', Resource: attachments },
    {
      Sid: 'ClaimUntaggedAttachments',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: attachments,
      Condition: {
        Null: { [`aws:ResourceTag/${NAME_TAG}`]: 'true', [owner]: 'true' },
        StringEquals: { [claim]: spec.environment },
      },
    },
    {
      Sid: 'TagOwnAttachments',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: attachments,
      Condition: { StringEquals: { [owner]: spec.environment }, StringEqualsIfExists: { [claim]: spec.environment } },
    },
    // Removing a tag it added (a tag dropped from code): on the spoke's attachments only, naming
    // the keys (a DeleteTags without keys deletes every tag), and never the ownership tag, which
    // would leave the attachment for any spoke to claim.
    {
      Sid: 'UntagOwnAttachments',
      Effect: 'Allow',
      Action: 'ec2:DeleteTags',
      Resource: attachments,
      Condition: {
        'StringEquals': { [owner]: spec.environment },
        'Null': { 'aws:TagKeys': 'false' },
        'ForAllValues:StringNotEquals': { 'aws:TagKeys': [spec.spokeTagKey] },
      },
    },
    {
      Sid: 'RouteAndDeleteOwnAttachments',
      Effect: 'Allow',
      Action: [
        'ec2:AssociateTransitGatewayRouteTable', 'ec2:DisassociateTransitGatewayRouteTable',
        'ec2:EnableTransitGatewayRouteTablePropagation', 'ec2:DisableTransitGatewayRouteTablePropagation',
        // The accepter's destroy deletes the attachment from the hub side.
        'ec2:DeleteTransitGatewayVpcAttachment',
      ],
      Resource: attachments,
      Condition: { StringEquals: { [owner]: spec.environment } },
    },
    {
      Sid: 'AssociateWithOwnDomainOnly',
      Effect: 'Allow',
      Action: ['ec2:AssociateTransitGatewayRouteTable', 'ec2:DisassociateTransitGatewayRouteTable'],
      Resource: routeTables,
      Condition: { StringEquals: { [domain]: spec.routingDomain } },
    },
    {
      Sid: 'PropagateIntoSharedOnly',
      Effect: 'Allow',
      Action: ['ec2:EnableTransitGatewayRouteTablePropagation', 'ec2:DisableTransitGatewayRouteTablePropagation'],
      Resource: routeTables,
      Condition: { StringEquals: { [domain]: spec.sharedDomain } },
    },
    // What Terraform refreshes: Describe* take no resource; the Get* take the route table.
    {
      Sid: 'DescribeTransitGateways',
      Effect: 'Allow',
      Action: [
        'ec2:DescribeTransitGateways', 'ec2:DescribeTransitGatewayAttachments',
        'ec2:DescribeTransitGatewayVpcAttachments', 'ec2:DescribeTransitGatewayRouteTables',
      ],
      Resource: '*',
    },
    {
      Sid: 'ReadRouteTables',
      Effect: 'Allow',
      Action: ['ec2:GetTransitGatewayRouteTableAssociations', 'ec2:GetTransitGatewayRouteTablePropagations'],
      Resource: routeTables,
    },
    // aws_route53_vpc_association_authorization on each private zone of the hub.
    {
      Sid: 'AuthorizeZoneAssociations',
      Effect: 'Allow',
      Action: ['route53:CreateVPCAssociationAuthorization', 'route53:DeleteVPCAssociationAuthorization'],
      Resource: zones,
    },
    {
      Sid: 'ReadZones',
      Effect: 'Allow',
      Action: ['route53:ListVPCAssociationAuthorizations', 'route53:GetHostedZone'],
      Resource: zones,
    },
    // The hub's outputs (terraform_remote_state): the state object only; no lock, no write.
    { Sid: 'ListHubStateBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: spec.stateBucketArn },
    { Sid: 'ReadHubState', Effect: 'Allow', Action: 's3:GetObject', Resource: `${spec.stateBucketArn}/${spec.stateObjectKey}` },
  ];
}

/** Fails unless a spoke names a kebab-case environment, a 12-digit account and a domain other than the shared one. */
export function checkSpokeEnvironment(scope: IConstruct, field: string, spoke: SpokeEnvironment, sharedDomain: string): void {
  checkEnvironmentName(scope, `${field}.environment`, spoke.environment);
  checkAccountId(scope, `${field}.account`, spoke.account);
  checkKebabName(scope, `${field}.routingDomain`, spoke.routingDomain, 32, 'nonprod');
  if (spoke.routingDomain === sharedDomain) {
    throw invalidProp(scope, `${field}.routingDomain`, spoke.routingDomain, `name the spoke's own domain (e.g. "nonprod"): a spoke in "${sharedDomain}" would learn every other spoke`);
  }
}
