import { Naming } from '@piksel/core';
import { TerraformStack, Testing } from 'cdktf';
import { onlyResource, resourcesOf, synth } from '../../secrets/test/util';
import { NatStrategy, RoutingDomain } from '../src';
import { NetworkHub, NetworkHubProps } from '../src/network-hub';

const HUB: NetworkHubProps = { cidrBlock: '10.0.0.0/16', region: 'ap-southeast-3' };
const DEV = { account: '236122835646', cidrBlock: '10.1.0.0/16' };
const PRODUCTION = { account: '522783511350', cidrBlock: '10.3.0.0/16' };

function build(props: Partial<NetworkHubProps> = {}, then?: (hub: NetworkHub) => void) {
  return synth((stack) => {
    const hub = new NetworkHub(stack, 'Hub', { ...HUB, ...props });
    then?.(hub);
  });
}

/** Resolves `${aws_x.name.attr}` to the resource name it references. */
function ref(expression: string): string {
  return /\$\{[a-z0-9_]+\.([^.]+)\./.exec(expression)![1];
}

describe('NetworkHub', () => {
  test('creates a Transit Gateway that accepts, associates and propagates nothing by itself', () => {
    expect(onlyResource(build(), 'aws_ec2_transit_gateway')).toMatchObject({
      amazon_side_asn: 64512,
      auto_accept_shared_attachments: 'disable',
      default_route_table_association: 'disable',
      default_route_table_propagation: 'disable',
      dns_support: 'enable',
    });
  });

  test('shares the Transit Gateway through RAM with organization members only', () => {
    const synthesized = build();
    expect(onlyResource(synthesized, 'aws_ram_resource_share')).toMatchObject({ name: 'piksel-hub-transit-gateway', allow_external_principals: false });
    expect(onlyResource(synthesized, 'aws_ram_resource_association').resource_arn).toMatch(/aws_ec2_transit_gateway\..*\.arn/);
  });

  test('attaches the hub VPC on its private subnets and associates it with the shared domain', () => {
    const synthesized = build();
    const attachment = onlyResource(synthesized, 'aws_ec2_transit_gateway_vpc_attachment');
    expect(attachment).toMatchObject({
      transit_gateway_default_route_table_association: false,
      transit_gateway_default_route_table_propagation: false,
    });
    expect(attachment.subnet_ids).toHaveLength(2);
    const table = onlyResource(synthesized, 'aws_ec2_transit_gateway_route_table');
    expect(table.tags.Name).toBe('piksel-hub-shared');
    const association = onlyResource(synthesized, 'aws_ec2_transit_gateway_route_table_association');
    const sharedTable = Object.keys(resourcesOf(synthesized, 'aws_ec2_transit_gateway_route_table'))[0];
    expect(ref(association.transit_gateway_route_table_id)).toBe(sharedTable);
    expect(resourcesOf(synthesized, 'aws_ec2_transit_gateway_route_table_propagation')).toEqual({});
  });

  test('gives each routing domain its own table that learns the hub attachment only', () => {
    const synthesized = build({}, (hub) => {
      hub.addRoutingDomain('NonprodDomain', 'nonprod');
      hub.addRoutingDomain('ProdDomain', 'prod');
    });
    const tables = resourcesOf(synthesized, 'aws_ec2_transit_gateway_route_table');
    expect(Object.values(tables).map((t: any) => t.tags.Name).sort()).toEqual(['piksel-hub-nonprod', 'piksel-hub-prod', 'piksel-hub-shared']);
    const propagations = Object.values(resourcesOf(synthesized, 'aws_ec2_transit_gateway_route_table_propagation')) as any[];
    expect(propagations).toHaveLength(2);
    const hubAttachment = Object.keys(resourcesOf(synthesized, 'aws_ec2_transit_gateway_vpc_attachment'))[0];
    expect(propagations.every((p) => ref(p.transit_gateway_attachment_id) === hubAttachment)).toBe(true);
    const learners = propagations.map((p) => tables[ref(p.transit_gateway_route_table_id)].tags.Name).sort();
    expect(learners).toEqual(['piksel-hub-nonprod', 'piksel-hub-prod']);
  });

  test('tags each route table with its domain, which no tags prop can override, under the naming prefix', () => {
    const synthesized = build({ tags: { 'piksel:routing-domain': 'prod', 'Team': 'network' } }, (hub) => hub.addRoutingDomain('NonprodDomain', 'nonprod'));
    const tags = Object.values(resourcesOf(synthesized, 'aws_ec2_transit_gateway_route_table')).map((t: any) => t.tags);
    expect(tags.map((t) => [t.Name, t['piksel:routing-domain'], t.Team]).sort()).toEqual([
      ['piksel-hub-nonprod', 'nonprod', 'network'],
      ['piksel-hub-shared', 'shared', 'network'],
    ]);
    const app = Testing.app();
    Naming.configure(app, { prefix: 'acme' });
    const stack = new TerraformStack(app, 'Hub');
    new NetworkHub(stack, 'Hub', HUB).addRoutingDomain('ProdDomain', 'prod');
    const acme = Object.values(JSON.parse(Testing.synth(stack)).resource.aws_ec2_transit_gateway_route_table).map((t: any) => t.tags['acme:routing-domain']);
    expect(acme.sort()).toEqual(['prod', 'shared']);
    expect(RoutingDomain.tagKey(stack)).toBe('acme:routing-domain');
  });

  test('creates the private zone piksel.internal in the hub VPC, keeping spoke associations', () => {
    const zones = Object.values(resourcesOf(build(), 'aws_route53_zone')) as any[];
    const internal = zones.find((z) => z.name === 'piksel.internal');
    expect(internal.vpc).toHaveLength(1);
    expect(internal.lifecycle.ignore_changes).toEqual(['vpc']);
  });

  test('lists the internal and ECR endpoint zones for spokes to associate with', () => {
    const synthesized = synth((stack) => {
      const hub = new NetworkHub(stack, 'Hub', HUB);
      expect(Object.keys(hub.privateZones).sort()).toEqual(['api.ecr.ap-southeast-3.amazonaws.com', 'dkr.ecr.ap-southeast-3.amazonaws.com', 'piksel.internal']);
    });
    expect(Object.values(resourcesOf(synthesized, 'aws_route53_zone')).map((z: any) => z.name).sort()).toEqual([
      'api.ecr.ap-southeast-3.amazonaws.com',
      'dkr.ecr.ap-southeast-3.amazonaws.com',
      'piksel.internal',
    ]);
  });

  test('leaves out the registry endpoints when turned off', () => {
    const synthesized = build({ registryEndpoints: false });
    expect(Object.values(resourcesOf(synthesized, 'aws_vpc_endpoint')).filter((e: any) => e.vpc_endpoint_type === 'Interface')).toEqual([]);
  });

  test('admits a spoke: shares with its account, routes its CIDR to the Transit Gateway, opens the endpoints to it', () => {
    const synthesized = build({}, (hub) => hub.admitSpoke('Dev', DEV));
    expect(onlyResource(synthesized, 'aws_ram_principal_association').principal).toBe('236122835646');
    const routes = Object.values(resourcesOf(synthesized, 'aws_route')).filter((r: any) => r.destination_cidr_block === '10.1.0.0/16') as any[];
    expect(routes).toHaveLength(2);
    expect(routes.every((r) => /aws_ec2_transit_gateway\./.test(r.transit_gateway_id) && r.depends_on.some((d: string) => d.startsWith('aws_ec2_transit_gateway_vpc_attachment.')))).toBe(true);
    const ingress = Object.values(resourcesOf(synthesized, 'aws_vpc_security_group_ingress_rule')).map((r: any) => r.cidr_ipv4).sort();
    expect(ingress).toEqual(['10.0.0.0/16', '10.1.0.0/16']);
  });

  test('shares with the organization once instead of per spoke account when given one', () => {
    const organizationArn = 'arn:aws:organizations::111122223333:organization/o-abcdef1234';
    const synthesized = build({ organizationArn }, (hub) => hub.admitSpoke('Dev', DEV));
    expect(onlyResource(synthesized, 'aws_ram_principal_association').principal).toBe(organizationArn);
  });

  test('fails when a spoke overlaps the hub or another spoke', () => {
    expect(() => build({}, (hub) => hub.admitSpoke('Dev', { ...DEV, cidrBlock: '10.0.128.0/17' })))
      .toThrow(/Hub\/Dev: cidrBlock is "10.0.128.0\/17"; it overlaps 10.0.0.0\/16 of the hub stack\/Hub; give every VPC on one hub its own block/);
    expect(() => build({}, (hub) => {
      hub.admitSpoke('Dev', DEV);
      hub.admitSpoke('Production', { ...PRODUCTION, cidrBlock: '10.1.0.0/20' });
    })).toThrow(/Hub\/Production: cidrBlock is "10.1.0.0\/20"; it overlaps 10.1.0.0\/16 of stack\/Hub\/Dev/);
  });

  test('fails when a spoke account or CIDR is malformed', () => {
    expect(() => build({}, (hub) => hub.admitSpoke('Dev', { ...DEV, account: '2361228356' }))).toThrow(/Hub\/Dev: account is "2361228356"; use a 12-digit AWS account ID/);
    expect(() => build({}, (hub) => hub.admitSpoke('Dev', { ...DEV, cidrBlock: '10.1.0.0/33' }))).toThrow(/Hub\/Dev: cidrBlock is "10.1.0.0\/33"; use an IPv4 CIDR block/);
  });

  test('fails when the ASN is not private, the name is not kebab-case or the organization ARN is malformed', () => {
    expect(() => build({ amazonSideAsn: 7224 })).toThrow(/Hub: amazonSideAsn is 7224; use a private ASN: 64512–65534 or 4200000000–4294967294/);
    expect(() => build({ name: 'Hub' })).toThrow(/Hub: name is "Hub"; use lower-case kebab-case/);
    expect(() => build({ organizationArn: 'o-abcdef1234' })).toThrow(/organizationArn is "o-abcdef1234"; use the organization ARN/);
    expect(() => build({ privateZoneName: 'piksel.internal.' })).toThrow(/privateZoneName is "piksel.internal."/);
    expect(() => build({ privateZoneName: 'Piksel.Internal' })).toThrow(/privateZoneName is "Piksel.Internal"; use a lower-case domain such as "example.org"/);
    expect(() => build({ privateZoneName: 'internal' })).toThrow(/privateZoneName is "internal"; use a lower-case domain .*two or more labels/);
  });

  test('fails when a routing domain name is not kebab-case', () => {
    expect(() => build({}, (hub) => hub.addRoutingDomain('Prod', 'Prod'))).toThrow(/Hub\/Prod: domainName is "Prod"; use lower-case kebab-case/);
  });

  test('fails when a routing domain is added twice, naming both', () => {
    expect(() => build({}, (hub) => {
      hub.addRoutingDomain('NonprodDomain', 'nonprod');
      hub.addRoutingDomain('NonprodAgain', 'nonprod');
    })).toThrow(/stack\/Hub: domainName is "nonprod"; stack\/Hub\/NonprodDomain is that domain already, so stack\/Hub\/NonprodAgain would be a second route table .*; reuse the domain the first addRoutingDomain returned/);
    expect(() => build({}, (hub) => hub.addRoutingDomain('Shared', 'shared'))).toThrow(/domainName is "shared"; stack\/Hub\/SharedDomain is that domain already/);
  });

  test('knows its region, and an imported hub the region it is given', () => {
    synth((stack) => {
      expect(new NetworkHub(stack, 'Hub', HUB).hubRegion).toBe('ap-southeast-3');
      const imported = NetworkHub.fromHubAttributes(stack, 'Imported', { transitGatewayId: 'tgw-1', hubCidrBlock: '10.0.0.0/16', sharedRouteTableId: 'tgw-rtb-1', privateZones: {}, region: 'eu-west-1' });
      expect(imported.hubRegion).toBe('eu-west-1');
    });
  });

  test('passes its VPC options on: zones, NAT strategy, flow logs', () => {
    const synthesized = build({ maxAzs: 3, natStrategy: NatStrategy.NONE, flowLogs: true });
    expect(Object.keys(resourcesOf(synthesized, 'aws_subnet'))).toHaveLength(6);
    expect(resourcesOf(synthesized, 'aws_nat_gateway')).toEqual({});
    expect(Object.keys(resourcesOf(synthesized, 'aws_flow_log'))).toHaveLength(1);
  });

  test('builds in a region whose zones the library does not assume, on the zones given', () => {
    const synthesized = build({ region: 'eu-central-1', availabilityZones: ['eu-central-1a', 'eu-central-1c'] });
    const zones = Object.values(resourcesOf(synthesized, 'aws_subnet')).map((subnet: any) => subnet.availability_zone);
    expect([...new Set(zones)].sort()).toEqual(['eu-central-1a', 'eu-central-1c']);
    const gateways = Object.values(resourcesOf(synthesized, 'aws_vpc_endpoint')).filter((e: any) => e.vpc_endpoint_type === 'Gateway');
    expect(gateways.map((e: any) => e.service_name)).toEqual(['com.amazonaws.eu-central-1.s3']);
  });

  test('fails when the region has no assumed zones and none are given, naming the prop that exists', () => {
    expect(() => build({ region: 'eu-central-1' }))
      .toThrow(/Hub\/Vpc: region is "eu-central-1"; its zones are not assumed here .*; give availabilityZones, the zone names your account has in eu-central-1 \(aws ec2 describe-availability-zones --region eu-central-1/);
    expect(() => build({ region: 'eu-central-1', availabilityZones: ['eu-central-1a'] })).not.toThrow();
  });

  test('gives its name examples under the configured prefix', () => {
    const app = Testing.app();
    Naming.configure(app, { prefix: 'geo' });
    const stack = new TerraformStack(app, 'Geo');
    expect(() => new NetworkHub(stack, 'Hub', { ...HUB, name: 'Geo_Hub' })).toThrow(/Hub: name is "Geo_Hub"; use lower-case kebab-case of at most 48 characters, e.g. "geo-hub"$/);
  });

  test('fails when a zone of another region is given', () => {
    expect(() => build({ region: 'eu-central-1', availabilityZones: ['eu-central-1a', 'eu-west-1a'] }))
      .toThrow(/Hub\/Vpc: availabilityZones is "eu-west-1a"; use a zone of eu-central-1, "eu-central-1" followed by its letter/);
  });
});

describe('NetworkHub.fromHubAttributes', () => {
  const ATTRS = { transitGatewayId: 'tgw-0123456789abcdef0', hubCidrBlock: '10.0.0.0/16', sharedRouteTableId: 'tgw-rtb-0123456789abcdef0', privateZones: { 'piksel.internal': 'Z0123' } };

  test('carries the attributes and checks spoke CIDRs against the hub', () => {
    synth((stack) => {
      const hub = NetworkHub.fromHubAttributes(stack, 'Hub', ATTRS);
      expect(hub.transitGatewayId).toBe('tgw-0123456789abcdef0');
      expect(hub.privateZones).toEqual({ 'piksel.internal': 'Z0123' });
      expect(() => hub.claimSpokeCidr(stack, '10.0.5.0/24')).toThrow(/cidrBlock is "10.0.5.0\/24"; it overlaps 10.0.0.0\/16 of the hub stack\/Hub/);
      hub.claimSpokeCidr(stack, '10.1.0.0/16');
    });
  });

  test('fails when the hub CIDR is not a literal block', () => {
    expect(() => synth((stack) => NetworkHub.fromHubAttributes(stack, 'Hub', { ...ATTRS, hubCidrBlock: 'hub' })))
      .toThrow(/Hub: hubCidrBlock is "hub"; use an IPv4 CIDR block/);
  });
});
