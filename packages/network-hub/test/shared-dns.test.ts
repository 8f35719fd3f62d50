import { TerraformStack } from 'cdktf';
import { onlyResource, policyOf, resourcesOf, synth } from '../../secrets/test/util';
import { SharedDns } from '../src/shared-dns';

const HUB_ZONE = 'piksel.big.go.id';
const ENVIRONMENTS = [
  { environment: 'dev', account: '236122835646', zone: 'pik-sel.id' },
  { environment: 'staging', account: '326641642924', zone: 'staging.piksel.big.go.id' },
  { environment: 'production', account: '522783511350', zone: 'piksel.big.go.id' },
];

/** The estate's shared DNS in the hub account (686410905891). */
function estate(stack: TerraformStack): SharedDns {
  const dns = new SharedDns(stack, 'Dns', { tags: { Component: 'shared-dns' } });
  const root = dns.addPublicZone(HUB_ZONE);
  dns.addPublicZone('staging.piksel.big.go.id', { parent: root });
  dns.addPublicZone('pik-sel.id');
  for (const env of ENVIRONMENTS) {
    dns.addEnvironmentDnsRole(env.environment, {
      trustedRoleArn: `arn:aws:iam::${env.account}:role/piksel-${env.environment}-external-dns`,
      externalId: `piksel-${env.environment}-external-dns`,
      zones: dns.publicZones.filter((zone) => zone.zoneName === env.zone),
    });
  }
  return dns;
}

/** The synthesized resource whose logical name starts with `prefix`. */
function named(resources: Record<string, any>, prefix: string): any {
  const matches = Object.keys(resources).filter((name) => name.startsWith(prefix));
  if (matches.length !== 1) throw new Error(`expected one resource named ${prefix}*, found ${matches.join(', ')}`);
  return resources[matches[0]];
}

describe('SharedDns', () => {
  test('keys zones and roles by name in PascalCase', () => {
    const out = synth(estate);
    expect(Object.keys(resourcesOf(out, 'aws_route53_zone')).sort()).toEqual([
      expect.stringMatching(/^Dns_PikSelId_Zone_[0-9A-F]{8}$/),
      expect.stringMatching(/^Dns_PikselBigGoId_Zone_[0-9A-F]{8}$/),
      expect.stringMatching(/^Dns_StagingPikselBigGoId_Zone_[0-9A-F]{8}$/),
    ]);
    expect(Object.keys(resourcesOf(out, 'aws_iam_role')).sort()).toEqual([
      expect.stringMatching(/^Dns_DevDnsRole_[0-9A-F]{8}$/),
      expect.stringMatching(/^Dns_ProductionDnsRole_[0-9A-F]{8}$/),
      expect.stringMatching(/^Dns_StagingDnsRole_[0-9A-F]{8}$/),
    ]);
  });

  test('delegates staging.piksel.big.go.id from piksel.big.go.id with the child zone name servers', () => {
    const out = synth(estate);
    expect(onlyResource(out, 'aws_route53_record')).toEqual({
      zone_id: expect.stringMatching(/^\$\{aws_route53_zone\.Dns_PikselBigGoId_Zone_[0-9A-F]{8}\.zone_id\}$/),
      name: 'staging.piksel.big.go.id',
      type: 'NS',
      ttl: 172800,
      records: expect.stringMatching(/^\$\{aws_route53_zone\.Dns_StagingPikselBigGoId_Zone_[0-9A-F]{8}\.name_servers\}$/),
    });
  });

  test('applies its tags to zones and roles, and a zone or role tag of the same key wins', () => {
    const out = synth((stack) => {
      const dns = new SharedDns(stack, 'Dns', { tags: { Component: 'shared-dns', Tier: 'hub' } });
      const zone = dns.addPublicZone('pik-sel.id', { tags: { Tier: 'public' } });
      dns.addEnvironmentDnsRole('dev', {
        trustedRoleArn: 'arn:aws:iam::236122835646:role/piksel-dev-external-dns',
        externalId: 'piksel-dev-external-dns',
        zones: [zone],
      });
    });
    expect(onlyResource(out, 'aws_route53_zone').tags).toEqual({ Component: 'shared-dns', Tier: 'public' });
    expect(onlyResource(out, 'aws_iam_role').tags).toEqual({ Component: 'shared-dns', Tier: 'hub' });
  });

  test.each(ENVIRONMENTS)('trusts only the $environment spoke external-dns role with its external ID', ({ environment, account }) => {
    const role = named(resourcesOf(synth(estate), 'aws_iam_role'), `Dns_${environment[0].toUpperCase()}${environment.slice(1)}DnsRole_`);
    expect(role).toMatchObject({ name: `piksel-${environment}-external-dns`, max_session_duration: 3600 });
    expect(policyOf({ policy: role.assume_role_policy }).Statement).toEqual([{
      Sid: 'AssumeFromSpokeExternalDns',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: ['sts:AssumeRole'],
      Condition: {
        StringEquals: { 'sts:ExternalId': `piksel-${environment}-external-dns` },
        ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${account}:role/piksel-${environment}-external-dns` },
      },
    }]);
  });

  test.each(ENVIRONMENTS)('lets $environment change A, AAAA, CNAME and TXT records in $zone only', ({ environment, zone }) => {
    const zoneId = zone.split(/[.-]/).map((part) => part[0].toUpperCase() + part.slice(1)).join('');
    const policy = named(resourcesOf(synth(estate), 'aws_iam_role_policy'), `Dns_${environment[0].toUpperCase()}${environment.slice(1)}DnsRole_Route53Policy_`);
    const zoneArn = expect.stringMatching(new RegExp(`^\\$\\{aws_route53_zone\\.Dns_${zoneId}_Zone_[0-9A-F]{8}\\.arn\\}$`));
    expect(policyOf(policy).Statement).toEqual([
      { Sid: 'ListHostedZones', Effect: 'Allow', Action: ['route53:ListHostedZones'], Resource: '*' },
      {
        Sid: 'ReadOwnZones',
        Effect: 'Allow',
        Action: ['route53:ListResourceRecordSets', 'route53:ListTagsForResource', 'route53:ListTagsForResources'],
        Resource: [zoneArn],
      },
      {
        Sid: 'WriteExternalDnsRecordTypesInOwnZones',
        Effect: 'Allow',
        Action: ['route53:ChangeResourceRecordSets'],
        Resource: [zoneArn],
        Condition: { 'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME', 'TXT'] } },
      },
    ]);
  });

  test('lists what it added', () => {
    synth((stack) => {
      const dns = estate(stack);
      expect(dns.publicZones.map((zone) => zone.zoneName)).toEqual(['piksel.big.go.id', 'staging.piksel.big.go.id', 'pik-sel.id']);
      expect(dns.environmentDnsRoles.map((role) => role.environment)).toEqual(['dev', 'staging', 'production']);
    });
  });

  const ROLE = { trustedRoleArn: 'arn:aws:iam::236122835646:role/piksel-dev-external-dns', externalId: 'piksel-dev-external-dns' };

  test('fails when a zone is added twice', () => {
    expect(() => synth((stack) => {
      const dns = new SharedDns(stack, 'Dns');
      dns.addPublicZone('pik-sel.id');
      dns.addPublicZone('pik-sel.id');
    })).toThrow(/Dns: zoneName is "pik-sel.id"; this zone was already added/);
  });

  test('fails when two zone names map to the same construct ID', () => {
    expect(() => synth((stack) => {
      const dns = new SharedDns(stack, 'Dns');
      dns.addPublicZone('pik-sel.id');
      dns.addPublicZone('pik.sel.id');
    })).toThrow(/Dns: zoneName is "pik.sel.id"; its construct ID "PikSelId" is taken/);
  });

  test.each([
    ['has a trailing dot', 'pik-sel.id.', /Dns: zoneName is "pik-sel.id."; drop the trailing dot \("pik-sel.id"\)/],
    ['has upper-case letters', 'Piksel.Big.Go.Id', /Dns: zoneName is "Piksel.Big.Go.Id"; use a lower-case domain/],
    ['is a single label', 'piksel', /Dns: zoneName is "piksel"; use a lower-case domain/],
  ])('fails when the zone name %s', (_case, zoneName, message) => {
    expect(() => synth((stack) => new SharedDns(stack, 'Dns').addPublicZone(zoneName))).toThrow(message);
  });

  test('fails when an environment gets a second DNS role', () => {
    expect(() => synth((stack) => {
      const dns = new SharedDns(stack, 'Dns');
      const zone = dns.addPublicZone('pik-sel.id');
      dns.addEnvironmentDnsRole('dev', { ...ROLE, zones: [zone] });
      dns.addEnvironmentDnsRole('dev', { ...ROLE, zones: [zone] });
    })).toThrow(/Dns: environment is "dev"; this environment already has a DNS role/);
  });

  test('fails when the environment is not kebab-case', () => {
    expect(() => synth((stack) => {
      const dns = new SharedDns(stack, 'Dns');
      dns.addEnvironmentDnsRole('Dev', { ...ROLE, zones: [dns.addPublicZone('pik-sel.id')] });
    })).toThrow(/Dns: environment is "Dev"; use lower-case kebab-case of at most 24 characters/);
  });
});
