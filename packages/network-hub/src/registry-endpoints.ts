import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { IVpc } from './vpc';

/** Properties of `RegistryEndpoints`. */
export interface RegistryEndpointsProps {
  /** The hub VPC; the endpoints sit in its private subnets. */
  readonly vpc: IVpc;

  /** Region of the VPC; names the services, e.g. `com.amazonaws.ap-southeast-3.ecr.api`. */
  readonly region: string;

  /** Name prefix of the `Name` tags, e.g. `piksel-hub`. */
  readonly namePrefix: string;

  /**
   * Tags on every resource.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/** The ECR services a registry pull needs, by construct ID. */
const ECR_SERVICES = { Api: 'ecr.api', Dkr: 'ecr.dkr' } as const;

/**
 * Interface endpoints for ECR (`ecr.api`, `ecr.dkr`) in the hub, resolvable from the spokes.
 *
 * The endpoints' own private DNS is off: it would answer only inside the hub VPC. Instead each
 * service name gets a private hosted zone (`api.ecr.<region>.amazonaws.com`,
 * `dkr.ecr.<region>.amazonaws.com` with its `*.` registry names) whose alias records point at the
 * endpoint, and spokes associate with those zones. A spoke node then resolves the registry to
 * hub endpoint addresses and pulls over the Transit Gateway. Image layers come from S3, which
 * spokes reach through their own S3 gateway endpoint.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html
 * @see https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-network-infrastructure/centralized-access-to-vpc-private-endpoints.html
 */
export class RegistryEndpoints extends Construct {
  /** The private hosted zones that make the endpoints resolvable, zone name → zone ID. */
  public readonly privateZones: { [zoneName: string]: string };
  /** ID of the endpoints' security group. */
  public readonly securityGroupId: string;
  private readonly securityGroup: SecurityGroup;
  private readonly allowed = new Set<string>();

  constructor(scope: Construct, id: string, props: RegistryEndpointsProps) {
    super(scope, id);
    const tags = props.tags ?? {};

    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      name: `${props.namePrefix}-ecr-endpoints`,
      description: 'HTTPS to the ECR interface endpoints from the hub and attached spokes',
      vpcId: props.vpc.vpcId,
      tags: { ...tags, Name: `${props.namePrefix}-ecr-endpoints` },
    });
    this.privateZones = Object.fromEntries(Object.entries(ECR_SERVICES).map(([serviceId, service]) =>
      this.addEndpoint(serviceId, service, props, tags)));
    this.allowHttpsFrom('Hub', props.vpc.vpcCidrBlock);

    this.securityGroupId = this.securityGroup.id;
  }

  /**
   * Allows HTTPS to the endpoints from `cidrBlock` (a spoke VPC). The rule's construct ID is
   * `id`, so key it by the spoke, not by position.
   */
  public allowHttpsFrom(id: string, cidrBlock: string): void {
    if (this.allowed.has(cidrBlock)) return;
    this.allowed.add(cidrBlock);
    new VpcSecurityGroupIngressRule(this, `Https${id}`, {
      securityGroupId: this.securityGroup.id,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: cidrBlock,
      description: `HTTPS from ${cidrBlock}`,
    });
  }

  private addEndpoint(serviceId: string, service: string, props: RegistryEndpointsProps, tags: { [key: string]: string }): [string, string] {
    const endpoint = new VpcEndpoint(this, `${serviceId}Endpoint`, {
      vpcId: props.vpc.vpcId,
      serviceName: `com.amazonaws.${props.region}.${service}`,
      vpcEndpointType: 'Interface',
      subnetIds: props.vpc.privateSubnetIds,
      securityGroupIds: [this.securityGroup.id],
      privateDnsEnabled: false,
      tags: { ...tags, Name: `${props.namePrefix}-${service}` },
    });
    // `ecr.api` answers at api.ecr.<region>…; `ecr.dkr` at dkr.ecr.<region>… and <account>.dkr.ecr.<region>….
    const zoneName = `${service.split('.').reverse().join('.')}.${props.region}.amazonaws.com`;
    const zone = new Route53Zone(this, `${serviceId}Zone`, {
      name: zoneName,
      comment: `Resolves ${service} to the hub's interface endpoint from every attached VPC`,
      vpc: [{ vpcId: props.vpc.vpcId }],
      tags,
      // Spoke VPCs are associated by aws_route53_zone_association; the zone must not undo that.
      lifecycle: { ignoreChanges: ['vpc'] },
    });
    const names = service === 'ecr.dkr' ? { Apex: zoneName, Registries: `*.${zoneName}` } : { Apex: zoneName };
    for (const [recordId, name] of Object.entries(names)) {
      new Route53Record(this, `${serviceId}${recordId}Record`, {
        zoneId: zone.zoneId,
        name,
        type: 'A',
        alias: {
          name: endpoint.dnsEntry.get(0).dnsName,
          zoneId: endpoint.dnsEntry.get(0).hostedZoneId,
          evaluateTargetHealth: false,
        },
      });
    }
    return [zoneName, zone.zoneId];
  }
}
