import { resourcesOf, synth } from '../../secrets/test/util';
import { NetworkHub } from '../src/network-hub';

function build() {
  return synth((stack) => {
    new NetworkHub(stack, 'Hub', { cidrBlock: '10.0.0.0/16', region: 'ap-southeast-3' });
  });
}

describe('RegistryEndpoints', () => {
  test('creates ecr.api and ecr.dkr interface endpoints with their own private DNS off', () => {
    const endpoints = Object.values(resourcesOf(build(), 'aws_vpc_endpoint')).filter((e: any) => e.vpc_endpoint_type === 'Interface') as any[];
    expect(endpoints.map((e) => e.service_name).sort()).toEqual(['com.amazonaws.ap-southeast-3.ecr.api', 'com.amazonaws.ap-southeast-3.ecr.dkr']);
    expect(endpoints.every((e) => e.private_dns_enabled === false && e.subnet_ids.length === 2)).toBe(true);
  });

  test('answers the service names and every registry name with alias records to the endpoints', () => {
    const records = Object.values(resourcesOf(build(), 'aws_route53_record')) as any[];
    expect(records.map((r) => r.name).sort()).toEqual([
      '*.dkr.ecr.ap-southeast-3.amazonaws.com',
      'api.ecr.ap-southeast-3.amazonaws.com',
      'dkr.ecr.ap-southeast-3.amazonaws.com',
    ]);
    expect(records.every((r) => r.type === 'A' && /dns_entry\[0\]\.dns_name/.test(r.alias.name))).toBe(true);
  });

  test('allows HTTPS only, and only from the hub until spokes are admitted', () => {
    const synthesized = build();
    const rules = Object.values(resourcesOf(synthesized, 'aws_vpc_security_group_ingress_rule')) as any[];
    expect(rules).toEqual([expect.objectContaining({ ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '10.0.0.0/16' })]);
    expect(Object.values(resourcesOf(synthesized, 'aws_security_group'))[0]).not.toHaveProperty('ingress');
  });
});
