import { Ec2TransitGatewayRouteTable } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table';
import { Ec2TransitGatewayRouteTablePropagation } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-propagation';
import { checkKebabName, Naming } from '@piksel/core';
import { Construct, IConstruct } from 'constructs';

/**
 * A routing domain: one Transit Gateway route table. Attachments associated with it route by
 * what it has learned, and it learns only the hub, so spokes of one domain reach the hub and
 * nothing else — neither each other nor another domain.
 */
export interface IRoutingDomain extends IConstruct {
  /** Name of the domain, e.g. `nonprod`. */
  readonly domainName: string;
  /** ID of the domain's Transit Gateway route table. */
  readonly routeTableId: string;
}

/** Attributes of a routing domain created elsewhere. */
export interface RoutingDomainAttributes {
  /** Name of the domain, e.g. `nonprod`. */
  readonly domainName: string;
  /** ID of the domain's Transit Gateway route table, `tgw-rtb-…`. */
  readonly routeTableId: string;
}

/** Properties of a `RoutingDomain`. */
export interface RoutingDomainProps {
  /** Name of the domain, lower-case kebab-case, e.g. `nonprod`. */
  readonly domainName: string;

  /** ID of the Transit Gateway. */
  readonly transitGatewayId: string;

  /**
   * The attachment whose routes the domain learns (the hub VPC's).
   *
   * @default - the domain learns nothing (the hub's own `shared` domain)
   */
  readonly learnsFromAttachmentId?: string;

  /** Name prefix of the route table's `Name` tag, e.g. `piksel-hub`. */
  readonly namePrefix: string;

  /**
   * Tags on the route table.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/**
 * A Transit Gateway route table that learns the hub's routes. Create domains with
 * `NetworkHub.addRoutingDomain`; attach spokes to one with `SpokeVpc.attachToHub`.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-isolated.html
 */
export class RoutingDomain extends Construct implements IRoutingDomain {
  /**
   * The key of the tag that names a route table's domain, `<prefix>:routing-domain` of the naming
   * setting (`piksel:routing-domain`): its value is the domain's name (`nonprod`, `shared`). IAM
   * policies scope Transit Gateway route-table actions with it (`aws:ResourceTag/<key>`), e.g. a
   * spoke's hub role may associate only with its own domain's table.
   *
   * @see https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-authentication-access-control.html
   */
  public static tagKey(scope: IConstruct): string {
    return `${Naming.of(scope).prefix}:routing-domain`;
  }

  /** A domain created in another stack or app, by its route table ID. */
  public static fromRoutingDomainAttributes(scope: Construct, id: string, attrs: RoutingDomainAttributes): IRoutingDomain {
    class Imported extends Construct implements IRoutingDomain {
      public readonly domainName = attrs.domainName;
      public readonly routeTableId = attrs.routeTableId;
    }
    return new Imported(scope, id);
  }

  public readonly domainName: string;
  public readonly routeTableId: string;

  constructor(scope: Construct, id: string, props: RoutingDomainProps) {
    super(scope, id);
    checkKebabName(this, 'domainName', props.domainName, 32, 'nonprod');

    const table = new Ec2TransitGatewayRouteTable(this, 'RouteTable', {
      transitGatewayId: props.transitGatewayId,
      // The domain tag comes last: IAM conditions trust it, so no `tags` prop may override it.
      tags: { ...props.tags, Name: `${props.namePrefix}-${props.domainName}`, [RoutingDomain.tagKey(this)]: props.domainName },
    });
    if (props.learnsFromAttachmentId !== undefined) {
      new Ec2TransitGatewayRouteTablePropagation(this, 'LearnsHub', {
        transitGatewayRouteTableId: table.id,
        transitGatewayAttachmentId: props.learnsFromAttachmentId,
      });
    }

    this.domainName = props.domainName;
    this.routeTableId = table.id;
  }
}
