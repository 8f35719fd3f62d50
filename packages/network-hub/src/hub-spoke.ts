import { RamPrincipalAssociation } from '@cdktf/provider-aws/lib/ram-principal-association';
import { Route } from '@cdktf/provider-aws/lib/route';
import { checkAccountId, Claims, hubSpokeAccountsGroup, stackAccount } from '@piksel/core';
import { Construct } from 'constructs';
import { admittedAccountsGroup, type NetworkHub } from './network-hub';
import { pascalId } from './private/construct-id';

/** What the hub needs to know of a spoke it admits. */
export interface HubSpokeOptions {
  /** The spoke's AWS account (12 digits). */
  readonly account: string;

  /** CIDR block of the spoke VPC; must not overlap the hub or another admitted spoke. */
  readonly cidrBlock: string;
}

/** Properties of a `HubSpoke`. */
export interface HubSpokeProps extends HubSpokeOptions {
  /** The hub admitting the spoke. */
  readonly hub: NetworkHub;
}

/**
 * The hub's side of a spoke: the Transit Gateway shared with the spoke's account, the hub VPC's
 * routes to the spoke's CIDR through the Transit Gateway, and HTTPS from the spoke to the
 * registry endpoints. Create it with `NetworkHub.admitSpoke`.
 *
 * The routes sit in the hub's private route tables, where the hub attachment and the endpoints
 * live; traffic to a spoke leaves through the `shared` domain, which learns the spoke once it
 * is attached.
 */
export class HubSpoke extends Construct {
  /** The spoke's account. */
  public readonly account: string;
  /** The spoke's CIDR block. */
  public readonly cidrBlock: string;

  constructor(scope: Construct, id: string, props: HubSpokeProps) {
    super(scope, id);
    checkAccountId(this, 'account', props.account);
    props.hub.claimSpokeCidr(this, props.cidrBlock);
    Claims.of(this).claimValue(this, 'account', admittedAccountsGroup(props.hub.hubName), props.account, 'give each spoke of a hub its own account');
    // The hub account's baseline compares its spokes with these at synth (AccountBaseline).
    const hubAccount = stackAccount(this);
    if (hubAccount !== undefined) {
      Claims.of(this).claimValue(this, 'account', hubSpokeAccountsGroup(hubAccount, 'admitted'), props.account, 'give each spoke of a hub its own account');
    }
    const hub = props.hub;

    if (!hub.sharesWithOrganization) {
      new RamPrincipalAssociation(this, 'SharePrincipal', { resourceShareArn: hub.resourceShareArn, principal: props.account });
    }
    hub.vpc.availabilityZones.forEach((zone, index) => {
      new Route(this, `RouteFrom${pascalId(zone)}`, {
        routeTableId: hub.vpc.privateRouteTableIds[index],
        destinationCidrBlock: props.cidrBlock,
        transitGatewayId: hub.transitGatewayId,
        // A route to a Transit Gateway is refused until the VPC is attached to it.
        dependsOn: [hub.hubAttachment],
      });
    });
    hub.registryEndpoints?.allowHttpsFrom(id, props.cidrBlock);

    this.account = props.account;
    this.cidrBlock = props.cidrBlock;
  }
}
