import { Ec2TransitGatewayRouteTableAssociation } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association';
import { Ec2TransitGatewayRouteTablePropagation } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-propagation';
import { Ec2TransitGatewayVpcAttachment } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment';
import { Ec2TransitGatewayVpcAttachmentAccepter } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment-accepter';
import { Route } from '@cdktf/provider-aws/lib/route';
import { Route53VpcAssociationAuthorization } from '@cdktf/provider-aws/lib/route53-vpc-association-authorization';
import { Route53ZoneAssociation } from '@cdktf/provider-aws/lib/route53-zone-association';
import { checkAccountId, Claims } from '@piksel/core';
import { HubOutputs, IVpc, spokeClaimGroup } from '@piksel/network-hub';
import { Annotations, ITerraformDependable, TerraformProvider, Token } from 'cdktf';
import { Construct } from 'constructs';
import { HubAttachmentOptions } from './spoke-vpc';

/** Properties of a `HubAttachment`. */
export interface HubAttachmentProps extends HubAttachmentOptions {
  /** The spoke VPC to attach. */
  readonly spoke: IVpc;
}

/**
 * A spoke VPC's attachment to the hub, both sides: the Transit Gateway VPC attachment on the
 * spoke's private subnets (spoke account); its acceptance, its association with the routing
 * domain and its propagation into the hub's `shared` table (hub account); the spoke's routes to
 * the hub CIDR; and the association of the VPC with each of the hub's private zones (authorized
 * by the hub account, made by the spoke account). Create it with `SpokeVpc.attachToHub`.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-associate-vpcs-different-accounts.html
 */
export class HubAttachment extends Construct {
  /** ID of the Transit Gateway VPC attachment, `tgw-attach-…`. */
  public readonly attachmentId: string;
  /** Name of the routing domain joined. */
  public readonly domainName: string;
  /** Construct path of the hub, for messages. */
  public readonly hubPath: string;

  constructor(scope: Construct, id: string, props: HubAttachmentProps) {
    super(scope, id);
    const { hub, spoke, domain } = props;
    hub.claimSpokeCidr(this, spoke.vpcCidrBlock);
    this.checkRelations(props);
    const hubSide = props.hubProvider ? { provider: props.hubProvider } : {};
    const crossAccount = props.hubProvider !== undefined;

    // The default route-table options are left unset: AWS refuses them on a shared Transit Gateway.
    const attachment = new Ec2TransitGatewayVpcAttachment(this, 'Resource', {
      transitGatewayId: hub.transitGatewayId,
      vpcId: spoke.vpcId,
      subnetIds: spoke.privateSubnetIds,
      dnsSupport: 'enable',
      // Named after the spoke's VPC (its environment) on both sides: the hub account lists one
      // attachment per spoke, and construct IDs (`Vpc` in every spoke stack) would all read alike.
      tags: { Name: spoke.vpcName },
    });
    const ready: ITerraformDependable = crossAccount
      ? new Ec2TransitGatewayVpcAttachmentAccepter(this, 'Accepter', {
        ...hubSide,
        transitGatewayAttachmentId: attachment.id,
        transitGatewayDefaultRouteTableAssociation: false,
        transitGatewayDefaultRouteTablePropagation: false,
        tags: { Name: spoke.vpcName },
      })
      : attachment;
    new Ec2TransitGatewayRouteTableAssociation(this, 'DomainAssociation', {
      ...hubSide,
      transitGatewayAttachmentId: attachment.id,
      transitGatewayRouteTableId: domain.routeTableId,
      dependsOn: [ready],
    });
    // The hub learns the spoke; the spoke's domain learns only the hub (see RoutingDomain).
    new Ec2TransitGatewayRouteTablePropagation(this, 'HubLearnsSpoke', {
      ...hubSide,
      transitGatewayAttachmentId: attachment.id,
      transitGatewayRouteTableId: hub.sharedRouteTableId,
      dependsOn: [ready],
    });
    spoke.privateRouteTableIds.forEach((routeTableId, index) => {
      new Route(this, `RouteToHub${zoneKey(spoke.availabilityZones[index])}`, {
        routeTableId,
        destinationCidrBlock: hub.hubCidrBlock,
        transitGatewayId: hub.transitGatewayId,
        dependsOn: [ready],
      });
    });
    for (const [zoneName, zoneId] of Object.entries(hub.privateZones)) {
      this.associateZone(zoneName, zoneId, spoke, crossAccount ? props.hubProvider : undefined);
    }

    this.attachmentId = attachment.id;
    this.domainName = domain.domainName;
    this.hubPath = hub.node.path;
  }

  /**
   * Relations with the rest of the app: the spoke's account is its own among the hub's spokes;
   * when the hub is built in the same app, it admitted this spoke's block and account (checked at
   * synth, once every stack exists); and the spoke associates with the hub's ECR endpoint zones.
   */
  private checkRelations(props: HubAttachmentProps): void {
    const { hub, spoke } = props;
    const claims = Claims.of(this);
    if (props.account !== undefined) {
      checkAccountId(this, 'account', props.account);
      claims.claimValue(this, 'account', `@piksel/network-hub:${hub.hubName}:attached-accounts`, props.account, 'give each spoke of a hub its own account');
    }
    this.node.addValidation({
      validate: () => {
        const admitted = claims.claimsOf(spokeClaimGroup(hub.hubName, 'admitted'));
        if (admitted.length === 0 || Token.isUnresolved(spoke.vpcCidrBlock)) return [];
        if (!admitted.some((claim) => claim.value === spoke.vpcCidrBlock)) {
          return [`${this.node.path}: cidrBlock is ${JSON.stringify(spoke.vpcCidrBlock)}; the hub ${hub.hubName} admits no spoke with this block (${admitted.map((claim) => claim.value).join(', ')}); admit it with NetworkHub.admitSpoke or attach the VPC the hub admitted`];
        }
        return [];
      },
    });
    const registryZones = HubOutputs.registryZoneNames(spoke.region);
    if (!Token.isUnresolved(spoke.region) && !registryZones.every((zone) => zone in hub.privateZones)) {
      Annotations.of(this).addWarning(`the hub gives no private zones for ${registryZones.join(' and ')}: this spoke resolves ECR publicly and, without NAT, cannot pull images; pass the hub's registry zones (HubState reads them)`);
    }
  }

  private associateZone(zoneName: string, zoneId: string, spoke: IVpc, hubProvider?: TerraformProvider): void {
    const scope = new Construct(this, zoneKey(zoneName));
    const authorization = hubProvider && new Route53VpcAssociationAuthorization(scope, 'Authorization', {
      provider: hubProvider,
      zoneId,
      vpcId: spoke.vpcId,
      vpcRegion: spoke.region,
    });
    new Route53ZoneAssociation(scope, 'Association', {
      zoneId,
      vpcId: spoke.vpcId,
      vpcRegion: spoke.region,
      dependsOn: authorization ? [authorization] : undefined,
    });
  }
}

/** `dkr.ecr.ap-southeast-3.amazonaws.com` → `DkrEcrApSoutheast3AmazonawsCom`: IDs keyed by name. */
function zoneKey(name: string): string {
  return name.split(/[.-]/).map((part) => part[0].toUpperCase() + part.slice(1)).join('');
}
