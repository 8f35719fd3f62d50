import { Ec2TransitGateway } from '@cdktf/provider-aws/lib/ec2-transit-gateway';
import { Ec2TransitGatewayRouteTableAssociation } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association';
import { Ec2TransitGatewayVpcAttachment } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment';
import { RamPrincipalAssociation } from '@cdktf/provider-aws/lib/ram-principal-association';
import { RamResourceAssociation } from '@cdktf/provider-aws/lib/ram-resource-association';
import { RamResourceShare } from '@cdktf/provider-aws/lib/ram-resource-share';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { checkCidrBlock, checkDomainName, checkKebabName, checkRegion, Claims, formatCidr, invalidProp, LibraryVersion, Naming, overlaps } from '@piksel/core';
import { ITerraformDependable, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { HubOutputs } from './hub-outputs';
import { HubSpoke, HubSpokeOptions } from './hub-spoke';
import { RegistryEndpoints } from './registry-endpoints';
import { RoutingDomain } from './routing-domain';
import { NatStrategy, Vpc } from './vpc';

/** A network hub, created here or imported from the hub's stack. */
export interface INetworkHub extends IConstruct {
  /** Name of the hub; spokes of one hub are checked against each other across stacks by it. */
  readonly hubName: string;
  /** ID of the Transit Gateway, `tgw-…`. */
  readonly transitGatewayId: string;
  /** CIDR block of the hub VPC; spokes route this block (and only this) to the hub. */
  readonly hubCidrBlock: string;
  /** ID of the `shared` route table, which the hub VPC uses and which learns every spoke. */
  readonly sharedRouteTableId: string;
  /**
   * The private hosted zones every spoke associates with, zone name → zone ID: the internal zone
   * and the ECR endpoint zones. Keyed by name so that each association has a stable address.
   */
  readonly privateZones: { [zoneName: string]: string };
  /**
   * Region of the hub and its Transit Gateway, which attaches VPCs of this region only: a spoke
   * attaching from another region fails at synth.
   *
   * @default - unknown (an imported hub given no `region`): spokes' regions are not checked
   */
  readonly hubRegion?: string;

  /**
   * Claims a spoke's CIDR block on this hub; fails, naming `claimant`, when the block overlaps
   * the hub or another spoke of the same hub anywhere in the app — in this stack or another.
   */
  claimSpokeCidr(claimant: IConstruct, cidrBlock: string): void;
}

/** Attributes of a hub deployed by another stack or app (its outputs). */
export interface NetworkHubAttributes {
  /**
   * Name of the hub, as given to `NetworkHub`.
   *
   * @default - the naming setting's hub name, `<prefix>-hub` (see `Naming` in @piksel/core)
   */
  readonly hubName?: string;
  /** ID of the Transit Gateway, `tgw-…`. */
  readonly transitGatewayId: string;
  /** CIDR block of the hub VPC, as a literal: spoke CIDRs are checked against it at synth time. */
  readonly hubCidrBlock: string;
  /** ID of the hub's `shared` Transit Gateway route table, `tgw-rtb-…`. */
  readonly sharedRouteTableId: string;
  /**
   * The private hosted zones spokes associate with, zone name → zone ID (`Z…`): the internal zone
   * and the ECR endpoint zones (`HubOutputs.privateZoneNames`). A spoke without the ECR zones
   * resolves ECR publicly and, without NAT, cannot pull images.
   */
  readonly privateZones: { [zoneName: string]: string };
  /**
   * Region of the hub: spokes attaching from another region fail at synth (a Transit Gateway
   * attaches VPCs of its own region only).
   *
   * @default - unknown: spokes' regions are not checked
   * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
   */
  readonly region?: string;
}

/** Properties of a `NetworkHub`. */
export interface NetworkHubProps {
  /** CIDR block of the hub VPC, e.g. `10.0.0.0/16`. */
  readonly cidrBlock: string;

  /** Region of the hub, e.g. `ap-southeast-3`. */
  readonly region: string;

  /**
   * Name of the hub; prefixes `Name` tags and resource names. Lower-case kebab-case.
   *
   * @default - `<prefix>-hub` of the naming setting (`piksel-hub`; see `Naming` in @piksel/core)
   */
  readonly name?: string;

  /**
   * The zones the hub VPC spans, e.g. `['eu-central-1a', 'eu-central-1b']`: zones of `region`,
   * as `Vpc` takes them. Required in every region but ap-southeast-1/2/3, eu-west-1, us-east-1
   * and us-west-2: zone names are mapped to physical zones per account, so the library assumes
   * none (`aws ec2 describe-availability-zones` lists yours). A spoke attaches in the hub's
   * region, on zones of its own choosing.
   *
   * @default - the first `maxAzs` zones of the region, for the six regions above
   * @see https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html
   */
  readonly availabilityZones?: string[];

  /**
   * How many of the region's zones the hub VPC spans when `availabilityZones` is not given.
   *
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * How the hub's private subnets reach the internet.
   *
   * @default NatStrategy.SINGLE
   */
  readonly natStrategy?: NatStrategy;

  /**
   * Private ASN of the Transit Gateway's BGP side: 64512–65534 or 4200000000–4294967294.
   *
   * @default 64512
   */
  readonly amazonSideAsn?: number;

  /**
   * ARN of the AWS Organization to share the Transit Gateway with. Without it, each admitted
   * spoke's account is a principal of the share. Either way only accounts of the hub's
   * organization can use the share (`allow_external_principals` is off), so no invitation needs
   * accepting — RAM sharing with AWS Organizations must be enabled.
   *
   * @default - share with each admitted spoke's account
   */
  readonly organizationArn?: string;

  /**
   * Name of the private hosted zone shared with every spoke.
   *
   * @default - `<prefix>.internal` of the naming setting (`piksel.internal`)
   */
  readonly privateZoneName?: string;

  /**
   * Whether to write the hub's contract with its spokes as stack outputs (`HubOutputs`): the
   * Transit Gateway, the route table of `shared` and of each routing domain, the private zones,
   * the hub's name and CIDR block. Spoke stacks read them with `HubState` (@piksel/spoke-vpc).
   *
   * @default true
   */
  readonly outputs?: boolean;

  /**
   * Whether to create the ECR interface endpoints spokes pull images through.
   *
   * @default true
   */
  readonly registryEndpoints?: boolean;

  /**
   * Whether to record the hub VPC's flow logs.
   *
   * @default false
   */
  readonly flowLogs?: boolean;

  /**
   * Days CloudWatch keeps the hub VPC's flow logs, when `flowLogs` is on; one of the periods
   * CloudWatch accepts.
   *
   * @default 90
   */
  readonly flowLogRetentionDays?: number;

  /**
   * The hub's AWS account (12 digits). With flow logs on, it narrows the flow-logs role's trust
   * to the service acting for this account on its own flow logs (`aws:SourceAccount`,
   * `aws:SourceArn`).
   *
   * @default - the flow-logs role trusts the service for any account (a synth warning says so)
   */
  readonly account?: string;

  /**
   * Tags on every resource.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/** The AWS default and the estate's ASN: 64512. */
const DEFAULT_ASN = 64512;

/**
 * The network hub: the hub VPC, a Transit Gateway shared with the spoke accounts through AWS RAM,
 * routing domains, a private zone shared with every spoke and the ECR interface endpoints spokes
 * pull through.
 *
 * The Transit Gateway accepts nothing by itself and has no default route table: every attachment
 * is accepted, associated and propagated explicitly. The hub VPC sits in the `shared` domain,
 * which learns every spoke; each domain added with `addRoutingDomain` learns only the hub.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html
 */
export class NetworkHub extends Construct implements INetworkHub {
  /** A hub deployed by another stack or app, for spokes to attach to. */
  public static fromHubAttributes(scope: Construct, id: string, attrs: NetworkHubAttributes): INetworkHub {
    class Imported extends Construct implements INetworkHub {
      public readonly hubName = attrs.hubName ?? Naming.of(scope).name('hub');
      public readonly transitGatewayId = attrs.transitGatewayId;
      public readonly hubCidrBlock = attrs.hubCidrBlock;
      public readonly sharedRouteTableId = attrs.sharedRouteTableId;
      public readonly privateZones = attrs.privateZones;
      public readonly hubRegion = attrs.region;
      constructor() {
        super(scope, id);
        checkKebabName(this, 'hubName', this.hubName, 48, Naming.of(this).name('hub'));
        if (Token.isUnresolved(attrs.hubCidrBlock)) {
          throw invalidProp(this, 'hubCidrBlock', attrs.hubCidrBlock, 'give the hub CIDR as a literal: spoke CIDRs are checked against it at synth time');
        }
        checkCidrBlock(this, 'hubCidrBlock', attrs.hubCidrBlock);
        if (attrs.region !== undefined) checkRegion(this, 'region', attrs.region);
      }
      public claimSpokeCidr(claimant: IConstruct, cidrBlock: string): void {
        claimSpoke(this, claimant, cidrBlock, 'attached');
      }
    }
    return new Imported();
  }

  public readonly transitGatewayId: string;
  public readonly hubRegion?: string;
  /** ARN of the Transit Gateway. */
  public readonly transitGatewayArn: string;
  public readonly hubCidrBlock: string;
  public readonly sharedRouteTableId: string;
  public readonly privateZones: { [zoneName: string]: string };
  /** The hub VPC. */
  public readonly vpc: Vpc;
  /** The `shared` routing domain of the hub VPC. */
  public readonly sharedDomain: RoutingDomain;
  /** ID of the hub VPC's Transit Gateway attachment. */
  public readonly hubAttachmentId: string;
  /** The hub VPC's Transit Gateway attachment, for resources that must wait for it. */
  public readonly hubAttachment: ITerraformDependable;
  /** ARN of the RAM resource share of the Transit Gateway. */
  public readonly resourceShareArn: string;
  /** ID of the private hosted zone shared with every spoke (`piksel.internal`). */
  public readonly privateZoneId: string;
  /** The ECR interface endpoints, unless turned off. */
  public readonly registryEndpoints?: RegistryEndpoints;
  /** Name of the hub. */
  public readonly hubName: string;
  /** Whether the Transit Gateway is shared with the whole organization rather than per spoke account. */
  public readonly sharesWithOrganization: boolean;
  private readonly tags: { [key: string]: string };
  private readonly writesOutputs: boolean;
  /** The routing domains by name, `shared` included: each name is one route table. */
  private readonly domains = new Map<string, RoutingDomain>();

  constructor(scope: Construct, id: string, props: NetworkHubProps) {
    super(scope, id);
    this.validate(props);
    const naming = Naming.of(this);
    const name = props.name ?? naming.name('hub');
    const tags = props.tags ?? {};
    const privateZoneName = props.privateZoneName ?? `${naming.prefix}.internal`;

    const vpc = new Vpc(this, 'Vpc', {
      name,
      cidrBlock: props.cidrBlock,
      region: props.region,
      availabilityZones: props.availabilityZones,
      maxAzs: props.maxAzs,
      natStrategy: props.natStrategy,
      flowLogs: props.flowLogs,
      flowLogRetentionDays: props.flowLogRetentionDays,
      account: props.account,
      tags,
    });
    const tgw = new Ec2TransitGateway(this, 'TransitGateway', {
      description: `${name}: routes between the hub and its spokes`,
      amazonSideAsn: props.amazonSideAsn ?? DEFAULT_ASN,
      // Nothing joins and nothing routes unless this library says so (routing domains).
      autoAcceptSharedAttachments: 'disable',
      defaultRouteTableAssociation: 'disable',
      defaultRouteTablePropagation: 'disable',
      dnsSupport: 'enable',
      tags: { ...tags, Name: name },
    });
    const share = new RamResourceShare(this, 'Share', {
      name: `${name}-transit-gateway`,
      allowExternalPrincipals: false,
      tags,
    });
    new RamResourceAssociation(this, 'ShareTransitGateway', { resourceShareArn: share.arn, resourceArn: tgw.arn });
    if (props.organizationArn !== undefined) {
      new RamPrincipalAssociation(this, 'ShareWithOrganization', { resourceShareArn: share.arn, principal: props.organizationArn });
    }
    const attachment = new Ec2TransitGatewayVpcAttachment(this, 'VpcAttachment', {
      transitGatewayId: tgw.id,
      vpcId: vpc.vpcId,
      subnetIds: vpc.privateSubnetIds,
      dnsSupport: 'enable',
      transitGatewayDefaultRouteTableAssociation: false,
      transitGatewayDefaultRouteTablePropagation: false,
      tags: { ...tags, Name: name },
    });
    const shared = new RoutingDomain(this, 'SharedDomain', { domainName: 'shared', transitGatewayId: tgw.id, namePrefix: name, tags });
    new Ec2TransitGatewayRouteTableAssociation(this, 'VpcAttachmentAssociation', {
      transitGatewayAttachmentId: attachment.id,
      transitGatewayRouteTableId: shared.routeTableId,
    });
    const privateZone = new Route53Zone(this, 'PrivateZone', {
      name: privateZoneName,
      comment: `${name}: private names shared with every spoke`,
      vpc: [{ vpcId: vpc.vpcId }],
      tags,
      // Spoke VPCs are associated by aws_route53_zone_association; the zone must not undo that.
      lifecycle: { ignoreChanges: ['vpc'] },
    });
    const endpoints = (props.registryEndpoints ?? true)
      ? new RegistryEndpoints(this, 'RegistryEndpoints', { vpc, region: props.region, namePrefix: name, tags })
      : undefined;
    LibraryVersion.record(this, __dirname);

    this.vpc = vpc;
    this.hubName = name;
    this.tags = tags;
    this.sharesWithOrganization = props.organizationArn !== undefined;
    this.transitGatewayId = tgw.id;
    this.hubRegion = props.region;
    this.transitGatewayArn = tgw.arn;
    this.hubCidrBlock = props.cidrBlock;
    this.sharedDomain = shared;
    this.domains.set(shared.domainName, shared);
    this.sharedRouteTableId = shared.routeTableId;
    this.hubAttachmentId = attachment.id;
    this.hubAttachment = attachment;
    this.resourceShareArn = share.arn;
    this.privateZoneId = privateZone.zoneId;
    this.registryEndpoints = endpoints;
    this.privateZones = { [privateZoneName]: privateZone.zoneId, ...endpoints?.privateZones };
    this.writesOutputs = props.outputs ?? true;
    if (this.writesOutputs) this.writeOutputs();
  }

  /**
   * Adds a routing domain: a Transit Gateway route table that learns the hub's routes. Spokes
   * attached to it reach the hub and nothing else; the hub reaches them through `shared`.
   */
  public addRoutingDomain(id: string, domainName: string): RoutingDomain {
    const existing = this.domains.get(domainName);
    if (existing !== undefined) {
      throw invalidProp(this, 'domainName', domainName,
        `${existing.node.path} is that domain already, so ${this.node.path}/${id} would be a second route table of the same name; reuse the domain the first addRoutingDomain returned`);
    }
    const domain = new RoutingDomain(this, id, {
      domainName,
      transitGatewayId: this.transitGatewayId,
      learnsFromAttachmentId: this.hubAttachmentId,
      namePrefix: this.hubName,
      tags: this.tags,
    });
    if (this.writesOutputs) HubOutputs.write(this, HubOutputs.routingDomain(domainName), domain.routeTableId);
    this.domains.set(domainName, domain);
    return domain;
  }

  /**
   * Admits a spoke: shares the Transit Gateway with its account (unless shared with the
   * organization), routes its CIDR from the hub VPC to the Transit Gateway and lets it reach the
   * registry endpoints. The spoke then attaches itself with `SpokeVpc.attachToHub`.
   */
  public admitSpoke(id: string, options: HubSpokeOptions): HubSpoke {
    return new HubSpoke(this, id, { ...options, hub: this });
  }

  public claimSpokeCidr(claimant: IConstruct, cidrBlock: string): void {
    claimSpoke(this, claimant, cidrBlock, 'admitted');
  }

  private writeOutputs(): void {
    HubOutputs.write(this, HubOutputs.HUB_NAME, this.hubName);
    HubOutputs.write(this, HubOutputs.HUB_CIDR_BLOCK, this.hubCidrBlock);
    HubOutputs.write(this, HubOutputs.TRANSIT_GATEWAY_ID, this.transitGatewayId);
    HubOutputs.write(this, HubOutputs.SHARED_ROUTE_TABLE_ID, this.sharedRouteTableId);
    for (const [zoneName, zoneId] of Object.entries(this.privateZones)) {
      HubOutputs.write(this, HubOutputs.privateZone(zoneName), zoneId);
    }
  }

  private validate(props: NetworkHubProps): void {
    if (props.name !== undefined) checkKebabName(this, 'name', props.name, 48, Naming.of(this).name('hub'));
    const asn = props.amazonSideAsn;
    if (asn !== undefined && !Token.isUnresolved(asn)
      && !(Number.isInteger(asn) && ((asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294)))) {
      throw invalidProp(this, 'amazonSideAsn', asn, 'use a private ASN: 64512–65534 or 4200000000–4294967294');
    }
    if (props.organizationArn !== undefined && !Token.isUnresolved(props.organizationArn)
      && !/^arn:aws[a-z-]*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/.test(props.organizationArn)) {
      throw invalidProp(this, 'organizationArn', props.organizationArn, 'use the organization ARN, arn:aws:organizations::<management account>:organization/o-…');
    }
    if (props.privateZoneName !== undefined) checkDomainName(this, 'privateZoneName', props.privateZoneName);
  }
}

/**
 * The spokes of one hub, claimed app-wide (`Claims` of @piksel/core) so that spokes in different
 * stacks are checked against each other: `admitted` by the hub (`admitSpoke`), `attached` by
 * spoke VPCs (`attachToHub`). Each side's blocks must not overlap one another nor the hub.
 */
function claimSpoke(hub: INetworkHub, claimant: IConstruct, cidrBlock: string, side: 'admitted' | 'attached'): void {
  if (Token.isUnresolved(cidrBlock)) return;
  const cidr = checkCidrBlock(claimant, 'cidrBlock', cidrBlock);
  const hubCidr = checkCidrBlock(hub, 'hubCidrBlock', hub.hubCidrBlock);
  if (overlaps(cidr, hubCidr)) {
    throw invalidProp(claimant, 'cidrBlock', cidrBlock, `it overlaps ${formatCidr(hubCidr)} of the hub ${hub.node.path}; give every VPC on one hub its own block`);
  }
  Claims.of(hub).claimCidr(claimant, 'cidrBlock', spokeClaimGroup(hub.hubName, side), cidrBlock, 'give every VPC on one hub its own block');
}

/** The app-wide claim group of one side of a hub's spokes. */
export function spokeClaimGroup(hubName: string, side: 'admitted' | 'attached'): string {
  return `@piksel/network-hub:${hubName}:${side}-spokes`;
}

/** The app-wide claim group of the accounts a hub admits (`admitSpoke`), each claimed by its `HubSpoke`. */
export function admittedAccountsGroup(hubName: string): string {
  return `@piksel/network-hub:${hubName}:admitted-accounts`;
}
