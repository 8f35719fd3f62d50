import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc as VpcResource } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { checkAccountId, checkCidrBlock, checkKebabName, checkRegion, checkWholeRange, checkZone, invalidProp, LibraryVersion, Naming, Regions } from '@piksel/core';
import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { FlowLogs } from './flow-logs';
import { pascalId } from './private/construct-id';
import { planSubnets, SubnetPlan } from './private/subnet-plan';

/** How private subnets reach the internet. */
export enum NatStrategy {
  /** No NAT gateway: private subnets reach only what their routes name (the hub, endpoints). */
  NONE = 'NONE',
  /** One NAT gateway, in the first zone's public subnet, shared by every zone. Cheapest. */
  SINGLE = 'SINGLE',
  /** One NAT gateway per zone: a zone keeps egress when another zone fails. */
  PER_AZ = 'PER_AZ',
}

/** A VPC with public and private subnets per availability zone. */
export interface IVpc extends IConstruct {
  /** ID of the VPC. */
  readonly vpcId: string;
  /** Name of the VPC (`piksel-dev`): its `Name` tag, and the name of what is built for it elsewhere (its Transit Gateway attachment). */
  readonly vpcName: string;
  /** The VPC's IPv4 CIDR block. */
  readonly vpcCidrBlock: string;
  /** The VPC's region. */
  readonly region: string;
  /** The zones the VPC spans, in zone-letter order. */
  readonly availabilityZones: string[];
  /** Public subnet IDs, in the order of `availabilityZones`. */
  readonly publicSubnetIds: string[];
  /** Private subnet IDs, in the order of `availabilityZones`. */
  readonly privateSubnetIds: string[];
  /** Route table IDs of the private subnets (one per zone), in the order of `availabilityZones`. */
  readonly privateRouteTableIds: string[];
  /** Route table ID of the public subnets. */
  readonly publicRouteTableId: string;
  /**
   * Name of the EKS cluster whose subnets the VPC tags for discovery (`karpenter.sh/discovery`),
   * if any. A cluster in the VPC must have this name.
   */
  readonly clusterName?: string;
}

/** Properties of a `Vpc`. */
export interface VpcProps {
  /** Name of the VPC, `piksel-<env>`; prefixes every `Name` tag. Lower-case kebab-case. */
  readonly name: string;

  /** IPv4 CIDR block of the VPC, e.g. `10.1.0.0/16`. */
  readonly cidrBlock: string;

  /** Region of the VPC, e.g. `ap-southeast-3`. */
  readonly region: string;

  /**
   * The zones to span, e.g. `['ap-southeast-3a', 'ap-southeast-3b']`.
   *
   * Required in every region but ap-southeast-1/2/3, eu-west-1, us-east-1 and us-west-2: zone
   * names are mapped to physical zones per account, and some accounts see other letters
   * (`aws ec2 describe-availability-zones` lists yours).
   *
   * @default - the first `maxAzs` zones of the region, for the six regions above
   * @see https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html
   */
  readonly availabilityZones?: string[];

  /**
   * How many of the region's zones to span when `availabilityZones` is not given.
   *
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * How private subnets reach the internet.
   *
   * @default NatStrategy.SINGLE
   */
  readonly natStrategy?: NatStrategy;

  /**
   * Public subnet CIDRs by zone, replacing the computed layout for the zones named.
   *
   * @default - computed: eight /p+6 blocks at the top of the VPC, zone `a` first
   */
  readonly publicSubnetCidrs?: { [zone: string]: string };

  /**
   * Private subnet CIDRs by zone, replacing the computed layout for the zones named.
   *
   * @default - computed: one /p+3 block per zone, zone `a` first
   */
  readonly privateSubnetCidrs?: { [zone: string]: string };

  /**
   * Whether to add an S3 gateway endpoint to the private route tables (no NAT charge for S3).
   *
   * @default true
   */
  readonly s3GatewayEndpoint?: boolean;

  /**
   * Whether to record VPC flow logs (all traffic) in a CloudWatch log group.
   *
   * @default false
   */
  readonly flowLogs?: boolean;

  /**
   * Days CloudWatch keeps flow logs, when `flowLogs` is on.
   *
   * @default 90
   */
  readonly flowLogRetentionDays?: number;

  /**
   * The VPC's AWS account (12 digits). With flow logs on, it narrows the flow-logs role's trust
   * to the service acting for this account on its own flow logs (`aws:SourceAccount`,
   * `aws:SourceArn`).
   *
   * @default - the flow-logs role trusts the service for any account (a synth warning says so)
   */
  readonly account?: string;

  /**
   * Extra tags on the public subnets (e.g. `kubernetes.io/role/elb`).
   *
   * @default - none
   */
  readonly publicSubnetTags?: { [key: string]: string };

  /**
   * Extra tags on the private subnets (e.g. `karpenter.sh/discovery`).
   *
   * @default - none
   */
  readonly privateSubnetTags?: { [key: string]: string };

  /**
   * Tags on every resource; they take precedence over the provider's default tags.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/** Two zones: enough for EKS and load balancers, the estate's default (production runs three). */
const DEFAULT_MAX_AZS = 2;

/**
 * A VPC with one public and one private subnet per availability zone, keyed by zone, an internet
 * gateway, NAT by strategy, one route table per private subnet, an S3 gateway endpoint and
 * optional flow logs. The default security group is emptied: nothing may use it by accident.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html
 */
export class Vpc extends Construct implements IVpc {
  public readonly vpcId: string;
  public readonly vpcName: string;
  public readonly vpcCidrBlock: string;
  public readonly region: string;
  public readonly availabilityZones: string[];
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  public readonly privateRouteTableIds: string[];
  public readonly publicRouteTableId: string;
  /** The strategy the VPC was built with. */
  public readonly natStrategy: NatStrategy;
  /** The flow logs, when `flowLogs` is on. */
  public readonly flowLogs?: FlowLogs;

  constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    const zones = this.resolveZones(props);
    const plan = this.validate(props, zones);
    const natStrategy = props.natStrategy ?? NatStrategy.SINGLE;
    const tags = props.tags ?? {};
    const named = (name: string) => ({ ...tags, Name: name });

    const vpc = new VpcResource(this, 'Resource', {
      cidrBlock: props.cidrBlock,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: named(props.name),
    });
    // A security group nobody chose should allow nothing (CIS AWS 5.4).
    new DefaultSecurityGroup(this, 'DefaultSecurityGroup', { vpcId: vpc.id, tags: named(`${props.name}-default`) });
    const igw = new InternetGateway(this, 'InternetGateway', { vpcId: vpc.id, tags: named(props.name) });
    const publicRouteTable = new RouteTable(this, 'PublicRouteTable', { vpcId: vpc.id, tags: named(`${props.name}-public`) });
    new Route(this, 'PublicDefaultRoute', { routeTableId: publicRouteTable.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });

    const publicSubnetIds: string[] = [];
    const privateSubnetIds: string[] = [];
    const privateRouteTableIds: string[] = [];
    const natIds = new Map<string, string>();
    for (const zone of zones) {
      const zoneScope = new Construct(this, pascalId(zone));
      const subnet = new Subnet(zoneScope, 'PublicSubnet', {
        vpcId: vpc.id,
        availabilityZone: zone,
        cidrBlock: plan.public.get(zone)!,
        tags: { ...named(`${props.name}-public-${zone}`), ...props.publicSubnetTags },
      });
      new RouteTableAssociation(zoneScope, 'PublicRouteTableAssociation', { subnetId: subnet.id, routeTableId: publicRouteTable.id });
      publicSubnetIds.push(subnet.id);
      if (natStrategy === NatStrategy.PER_AZ || (natStrategy === NatStrategy.SINGLE && zone === zones[0])) {
        natIds.set(zone, this.addNatGateway(zoneScope, subnet.id, named(`${props.name}-nat-${zone}`), igw));
      }
    }
    for (const zone of zones) {
      const zoneScope = this.node.findChild(pascalId(zone));
      const subnet = new Subnet(zoneScope, 'PrivateSubnet', {
        vpcId: vpc.id,
        availabilityZone: zone,
        cidrBlock: plan.private.get(zone)!,
        tags: { ...named(`${props.name}-private-${zone}`), ...props.privateSubnetTags },
      });
      const routeTable = new RouteTable(zoneScope, 'PrivateRouteTable', { vpcId: vpc.id, tags: named(`${props.name}-private-${zone}`) });
      new RouteTableAssociation(zoneScope, 'PrivateRouteTableAssociation', { subnetId: subnet.id, routeTableId: routeTable.id });
      const natId = natIds.get(zone) ?? natIds.get(zones[0]);
      if (natId !== undefined) {
        new Route(zoneScope, 'PrivateDefaultRoute', { routeTableId: routeTable.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: natId });
      }
      privateSubnetIds.push(subnet.id);
      privateRouteTableIds.push(routeTable.id);
    }
    if (props.s3GatewayEndpoint ?? true) {
      new VpcEndpoint(this, 'S3Endpoint', {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${props.region}.s3`,
        vpcEndpointType: 'Gateway',
        routeTableIds: privateRouteTableIds,
        tags: named(`${props.name}-s3`),
      });
    }
    if (props.flowLogs ?? false) {
      this.flowLogs = new FlowLogs(this, 'FlowLogs', {
        vpcId: vpc.id,
        name: props.name,
        region: props.region,
        account: props.account,
        retentionDays: props.flowLogRetentionDays,
        tags,
      });
    }
    LibraryVersion.record(this, __dirname);

    this.vpcId = vpc.id;
    this.vpcName = props.name;
    this.vpcCidrBlock = props.cidrBlock;
    this.region = props.region;
    this.availabilityZones = zones;
    this.publicSubnetIds = publicSubnetIds;
    this.privateSubnetIds = privateSubnetIds;
    this.privateRouteTableIds = privateRouteTableIds;
    this.publicRouteTableId = publicRouteTable.id;
    this.natStrategy = natStrategy;
  }

  private addNatGateway(scope: Construct, subnetId: string, tags: { [key: string]: string }, igw: InternetGateway): string {
    const eip = new Eip(scope, 'NatEip', { domain: 'vpc', tags, dependsOn: [igw] });
    return new NatGateway(scope, 'NatGateway', { allocationId: eip.allocationId, subnetId, tags, dependsOn: [igw] }).id;
  }

  private resolveZones(props: VpcProps): string[] {
    checkRegion(this, 'region', props.region);
    const known = Regions.zonesOf(props.region);
    if (props.availabilityZones === undefined) {
      checkWholeRange(this, 'maxAzs', props.maxAzs, 1, known?.length ?? 6, 'zones');
      if (!known) {
        throw invalidProp(this, 'region', props.region, unknownZonesFix(props.region));
      }
      return known.slice(0, props.maxAzs ?? DEFAULT_MAX_AZS);
    }
    const zones = props.availabilityZones;
    if (zones.length === 0) {
      throw invalidProp(this, 'availabilityZones', zones, 'name at least one zone, or leave it out to use maxAzs');
    }
    for (const zone of zones) {
      checkZone(this, 'availabilityZones', zone, props.region);
    }
    if (new Set(zones).size !== zones.length) {
      throw invalidProp(this, 'availabilityZones', zones, 'name each zone once');
    }
    return [...zones].sort();
  }

  private validate(props: VpcProps, zones: string[]): SubnetPlan {
    checkKebabName(this, 'name', props.name, 48, Naming.of(this).name('dev'));
    if (props.account !== undefined) checkAccountId(this, 'account', props.account);
    if (props.flowLogRetentionDays !== undefined && !(props.flowLogs ?? false)) {
      throw invalidProp(this, 'flowLogRetentionDays', props.flowLogRetentionDays, 'set flowLogs: true as well, or remove the retention: without flow logs nothing is kept');
    }
    if (Token.isUnresolved(props.cidrBlock)) {
      throw invalidProp(this, 'cidrBlock', props.cidrBlock, 'give the CIDR as a literal: the subnet plan is computed at synth time');
    }
    const vpcCidr = checkCidrBlock(this, 'cidrBlock', props.cidrBlock);
    if (vpcCidr.prefix < 16 || vpcCidr.prefix > 28) {
      throw invalidProp(this, 'cidrBlock', props.cidrBlock, 'use a block from /16 to /28 (the sizes AWS allows for a VPC), e.g. 10.1.0.0/16');
    }
    return planSubnets(this, {
      vpcCidr,
      zones,
      publicOverrides: props.publicSubnetCidrs,
      privateOverrides: props.privateSubnetCidrs,
    });
  }
}

/** The fix for a region whose zones this library does not assume: name them. */
function unknownZonesFix(region: string): string {
  return `its zones are not assumed here (only ${Regions.WITH_KNOWN_ZONES.join(', ')}); give availabilityZones, the zone names your account has in ${region}`
    + ` (aws ec2 describe-availability-zones --region ${region} --query "AvailabilityZones[?ZoneType=='availability-zone'].ZoneName")`;
}
