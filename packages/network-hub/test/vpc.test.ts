import { resourcesOf, synth } from '../../secrets/test/util';
import { NatStrategy, Vpc, VpcProps } from '../src/vpc';

const BASE: VpcProps = { name: 'piksel-dev', cidrBlock: '10.1.0.0/16', region: 'ap-southeast-3' };

function build(props: Partial<VpcProps> = {}) {
  return synth((stack) => {
    new Vpc(stack, 'Vpc', { ...BASE, ...props });
  });
}

function subnetCidrs(synthesized: ReturnType<typeof build>, tier: 'public' | 'private'): Record<string, string> {
  const subnets = Object.values(resourcesOf(synthesized, 'aws_subnet')).filter((s: any) => s.tags.Name.includes(`-${tier}-`));
  return Object.fromEntries(subnets.map((s: any) => [s.availability_zone, s.cidr_block]));
}

describe('Vpc', () => {
  test('spans the first two zones of the region by default with a computed layout', () => {
    const synthesized = build();
    expect(subnetCidrs(synthesized, 'private')).toEqual({ 'ap-southeast-3a': '10.1.0.0/19', 'ap-southeast-3b': '10.1.32.0/19' });
    expect(subnetCidrs(synthesized, 'public')).toEqual({ 'ap-southeast-3a': '10.1.224.0/22', 'ap-southeast-3b': '10.1.228.0/22' });
  });

  test('places a zone by its letter, so removing a zone renumbers no other', () => {
    const withoutB = build({ availabilityZones: ['ap-southeast-3a', 'ap-southeast-3c'] });
    expect(subnetCidrs(withoutB, 'private')).toEqual({ 'ap-southeast-3a': '10.1.0.0/19', 'ap-southeast-3c': '10.1.64.0/19' });
    const all = build({ maxAzs: 3 });
    expect(subnetCidrs(all, 'private')['ap-southeast-3c']).toBe('10.1.64.0/19');
  });

  test('keys subnets by zone in their Terraform addresses', () => {
    const names = Object.keys(resourcesOf(build(), 'aws_subnet'));
    expect(names.some((name) => name.includes('ApSoutheast3a') && name.includes('PrivateSubnet'))).toBe(true);
  });

  test('takes subnet overrides for the zones named and computes the rest', () => {
    const synthesized = build({ privateSubnetCidrs: { 'ap-southeast-3b': '10.1.128.0/18' } });
    expect(subnetCidrs(synthesized, 'private')).toEqual({ 'ap-southeast-3a': '10.1.0.0/19', 'ap-southeast-3b': '10.1.128.0/18' });
  });

  test('routes every private subnet through one NAT gateway by default', () => {
    const synthesized = build();
    expect(Object.keys(resourcesOf(synthesized, 'aws_nat_gateway'))).toHaveLength(1);
    const defaults = Object.values(resourcesOf(synthesized, 'aws_route')).filter((r: any) => r.nat_gateway_id);
    expect(defaults).toHaveLength(2);
    expect(new Set(defaults.map((r: any) => r.nat_gateway_id)).size).toBe(1);
  });

  test('gives each zone its own NAT gateway with NatStrategy.PER_AZ', () => {
    const synthesized = build({ maxAzs: 3, natStrategy: NatStrategy.PER_AZ });
    expect(Object.keys(resourcesOf(synthesized, 'aws_nat_gateway'))).toHaveLength(3);
    const defaults = Object.values(resourcesOf(synthesized, 'aws_route')).filter((r: any) => r.nat_gateway_id);
    expect(new Set(defaults.map((r: any) => r.nat_gateway_id)).size).toBe(3);
  });

  test('creates no NAT gateway and no private default route with NatStrategy.NONE', () => {
    const synthesized = build({ natStrategy: NatStrategy.NONE });
    expect(resourcesOf(synthesized, 'aws_nat_gateway')).toEqual({});
    expect(resourcesOf(synthesized, 'aws_eip')).toEqual({});
    expect(Object.values(resourcesOf(synthesized, 'aws_route')).filter((r: any) => r.nat_gateway_id)).toEqual([]);
  });

  test('adds an S3 gateway endpoint on the private route tables, unless turned off', () => {
    const endpoint = Object.values(resourcesOf(build(), 'aws_vpc_endpoint'))[0] as any;
    expect(endpoint.service_name).toBe('com.amazonaws.ap-southeast-3.s3');
    expect(endpoint.vpc_endpoint_type).toBe('Gateway');
    expect(endpoint.route_table_ids).toHaveLength(2);
    expect(resourcesOf(build({ s3GatewayEndpoint: false }), 'aws_vpc_endpoint')).toEqual({});
  });

  test('empties the default security group', () => {
    const group = Object.values(resourcesOf(build(), 'aws_default_security_group'))[0] as any;
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
  });

  test('records flow logs with the retention asked for', () => {
    const synthesized = build({ flowLogs: true, flowLogRetentionDays: 90 });
    const group = Object.values(resourcesOf(synthesized, 'aws_cloudwatch_log_group'))[0] as any;
    expect(group).toMatchObject({ name: '/piksel/vpc/piksel-dev/flow-logs', retention_in_days: 90 });
    expect(Object.values(resourcesOf(synthesized, 'aws_flow_log'))[0]).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
    const role = Object.values(resourcesOf(synthesized, 'aws_iam_role'))[0] as any;
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: 'vpc-flow-logs.amazonaws.com' });
    expect(resourcesOf(build(), 'aws_flow_log')).toEqual({});
  });

  test('tags subnets with the extra tags and every resource with the tags prop', () => {
    const synthesized = build({ tags: { Team: 'Data' }, privateSubnetTags: { 'kubernetes.io/role/internal-elb': '1' } });
    const subnets = Object.values(resourcesOf(synthesized, 'aws_subnet')) as any[];
    expect(subnets.filter((s) => s.tags['kubernetes.io/role/internal-elb'] === '1')).toHaveLength(2);
    expect(subnets.every((s) => s.tags.Team === 'Data')).toBe(true);
    expect((Object.values(resourcesOf(synthesized, 'aws_vpc'))[0] as any).tags).toEqual({ Team: 'Data', Name: 'piksel-dev' });
  });

  test('fails when the VPC CIDR is malformed, has host bits set or is too large', () => {
    expect(() => build({ cidrBlock: '10.1.0.0' })).toThrow(/Vpc: cidrBlock is "10.1.0.0"; use an IPv4 CIDR block/);
    expect(() => build({ cidrBlock: '10.1.0.1/16' })).toThrow(/cidrBlock is "10.1.0.1\/16"/);
    expect(() => build({ cidrBlock: '10.0.0.0/8' })).toThrow(/from \/16 to \/28/);
  });

  test('fails when the computed layout cannot fit a small VPC', () => {
    expect(() => build({ cidrBlock: '10.1.0.0/24' })).toThrow(/needs a VPC of \/16 to \/22; use one, or give privateSubnetCidrs/);
  });

  test('fails when asked for more zones than the region offers', () => {
    expect(() => build({ maxAzs: 4 })).toThrow(/maxAzs is 4; use a whole number of zones from 1 to 3/);
    expect(() => build({ availabilityZones: ['ap-southeast-3d'] })).toThrow(/availabilityZones is "ap-southeast-3d"; use a zone of ap-southeast-3: ap-southeast-3a, ap-southeast-3b, ap-southeast-3c/);
  });

  test('fails when a zone is named twice or none is named', () => {
    expect(() => build({ availabilityZones: ['ap-southeast-3a', 'ap-southeast-3a'] })).toThrow(/name each zone once/);
    expect(() => build({ availabilityZones: [] })).toThrow(/name at least one zone/);
  });

  test('fails when the region is unknown and no zones are named', () => {
    expect(() => build({ region: 'af-south-1' })).toThrow(/region is "af-south-1"; its zones are not assumed here .*; give availabilityZones/);
    expect(() => build({ region: 'af-south-1', availabilityZones: ['af-south-1a'] })).not.toThrow();
  });

  test('fails when a subnet override is outside the VPC, malformed, overlapping or for another zone', () => {
    expect(() => build({ privateSubnetCidrs: { 'ap-southeast-3a': '10.2.0.0/19' } })).toThrow(/privateSubnetCidrs\["ap-southeast-3a"\] is "10.2.0.0\/19"; use a block of \/28 or larger inside the VPC's 10.1.0.0\/16/);
    expect(() => build({ privateSubnetCidrs: { 'ap-southeast-3a': 'ten' } })).toThrow(/use an IPv4 CIDR block/);
    expect(() => build({ publicSubnetCidrs: { 'ap-southeast-3a': '10.1.0.0/24' } })).toThrow(/publicSubnetCidrs\["ap-southeast-3a"\] is "10.1.0.0\/24"; it overlaps privateSubnetCidrs\["ap-southeast-3a"\] \(10.1.0.0\/19\)/);
    expect(() => build({ privateSubnetCidrs: { 'ap-southeast-3c': '10.1.64.0/19' } })).toThrow(/name one of the VPC's zones/);
  });

  test('fails when the name is not kebab-case or the flow-log retention is not a CloudWatch period', () => {
    expect(() => build({ name: 'Piksel_Dev' })).toThrow(/name is "Piksel_Dev"; use lower-case kebab-case/);
    expect(() => build({ flowLogs: true, flowLogRetentionDays: 100 })).toThrow(/flowLogRetentionDays is 100; use one of the periods CloudWatch Logs accepts/);
  });
  test('fails when a flow-log retention is given without flow logs', () => {
    expect(() => synth((stack) => new Vpc(stack, 'Vpc', { ...BASE, flowLogRetentionDays: 30 })))
      .toThrow(/Vpc: flowLogRetentionDays is 30; set flowLogs: true as well, or remove the retention/);
    expect(() => synth((stack) => new Vpc(stack, 'Vpc', { ...BASE, flowLogs: true, flowLogRetentionDays: 30 }))).not.toThrow();
  });
});
