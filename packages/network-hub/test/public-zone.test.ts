import { TerraformOutput, Token } from 'cdktf';
import { onlyResource, resourcesOf, synth } from '../../secrets/test/util';
import { PublicZone } from '../src/public-zone';

describe('PublicZone', () => {
  test('creates a zone that Terraform never force-destroys, with a comment', () => {
    const out = synth((stack) => new PublicZone(stack, 'PikSelId', { zoneName: 'pik-sel.id' }));
    expect(onlyResource(out, 'aws_route53_zone')).toEqual({
      name: 'pik-sel.id',
      comment: 'Piksel public zone pik-sel.id, managed by Terraform',
      force_destroy: false,
    });
    expect(resourcesOf(out, 'aws_route53_record')).toEqual({});
  });

  test('exposes the zone ID, ARN and name servers as references', () => {
    const out: any = synth((stack) => {
      const zone = new PublicZone(stack, 'PikSelId', { zoneName: 'pik-sel.id' });
      new TerraformOutput(stack, 'Id', { value: zone.zoneId });
      new TerraformOutput(stack, 'Arn', { value: zone.zoneArn });
      new TerraformOutput(stack, 'NameServers', { value: zone.nameServers });
      expect(zone.zoneName).toBe('pik-sel.id');
    });
    const zone = /^\$\{aws_route53_zone\.PikSelId_Zone_[0-9A-F]{8}\.(\w+)\}$/;
    expect(zone.exec(out.output.Id.value)?.[1]).toBe('zone_id');
    expect(zone.exec(out.output.Arn.value)?.[1]).toBe('arn');
    expect(zone.exec(out.output.NameServers.value)?.[1]).toBe('name_servers');
  });

  test('delegates from an imported parent with a custom TTL and comment', () => {
    const out = synth((stack) => {
      const parent = PublicZone.fromPublicZoneAttributes(stack, 'Parent', { zoneId: 'Z0123456789ABC', zoneName: 'piksel.big.go.id' });
      new PublicZone(stack, 'Staging', { zoneName: 'staging.piksel.big.go.id', parent, delegationTtl: 3600, comment: 'staging' });
    });
    expect(onlyResource(out, 'aws_route53_zone').comment).toBe('staging');
    expect(onlyResource(out, 'aws_route53_record')).toMatchObject({ zone_id: 'Z0123456789ABC', name: 'staging.piksel.big.go.id', type: 'NS', ttl: 3600 });
  });

  test('skips the subdomain check while the parent name is a token', () => {
    const out = synth((stack) => {
      const parent = PublicZone.fromPublicZoneAttributes(stack, 'Parent', { zoneId: Token.asString({ Ref: 'id' }), zoneName: Token.asString({ Ref: 'name' }) });
      new PublicZone(stack, 'Staging', { zoneName: 'staging.piksel.big.go.id', parent });
    });
    expect(onlyResource(out, 'aws_route53_record').name).toBe('staging.piksel.big.go.id');
  });

  test('fromPublicZoneAttributes derives the zone ARN', () => {
    synth((stack) => {
      const zone = PublicZone.fromPublicZoneAttributes(stack, 'Parent', { zoneId: 'Z0123456789ABC', zoneName: 'piksel.big.go.id' });
      expect(zone.zoneArn).toBe('arn:aws:route53:::hostedzone/Z0123456789ABC');
    });
  });

  const ROOT = { zoneId: 'Z0123456789ABC', zoneName: 'piksel.big.go.id' };

  test.each([
    ['the name is not a subdomain of the parent', 'pik-sel.id', {}, /Zone: zoneName is "pik-sel.id"; a zone delegated from "piksel.big.go.id" must be a subdomain of it/],
    ['the name equals the parent', 'piksel.big.go.id', {}, /Zone: zoneName is "piksel.big.go.id"; a zone delegated from "piksel.big.go.id" must be a subdomain/],
    ['the name only ends like the parent', 'xpiksel.big.go.id', {}, /Zone: zoneName is "xpiksel.big.go.id"; a zone delegated from/],
    ['delegationTtl is negative', 'staging.piksel.big.go.id', { delegationTtl: -1 }, /Zone: delegationTtl is -1; use a whole number of seconds from 0 to 2147483647/],
  ])('fails when %s', (_case, zoneName, extra, message) => {
    expect(() => synth((stack) => {
      const parent = PublicZone.fromPublicZoneAttributes(stack, 'Root', ROOT);
      new PublicZone(stack, 'Zone', { zoneName, parent, ...extra });
    })).toThrow(message);
  });

  test.each([
    ['a label is longer than 63 characters', `${'a'.repeat(64)}.id`, /use a lower-case domain/],
    ['the name is longer than 253 characters', `${Array(64).fill('abc').join('.')}.id`, /use a lower-case domain.*at most 253 characters/],
    ['a label starts with a hyphen', '-piksel.id', /use a lower-case domain/],
    ['a label is empty', 'piksel..id', /use a lower-case domain/],
    ['the name has an underscore', 'pik_sel.id', /use a lower-case domain/],
  ])('fails when %s', (_case, zoneName, message) => {
    expect(() => synth((stack) => new PublicZone(stack, 'Zone', { zoneName }))).toThrow(new RegExp(`Zone: zoneName is "${zoneName.replace(/\./g, '\\.')}"; ${message.source}`));
  });

  test('fails when delegationTtl is given without a parent', () => {
    expect(() => synth((stack) => new PublicZone(stack, 'Zone', { zoneName: 'pik-sel.id', delegationTtl: 300 })))
      .toThrow(/Zone: delegationTtl is 300; give parent as well, or drop delegationTtl/);
  });

  test('fails when the comment is longer than 256 characters', () => {
    expect(() => synth((stack) => new PublicZone(stack, 'Zone', { zoneName: 'pik-sel.id', comment: 'x'.repeat(257) })))
      .toThrow(/Zone: comment is "x+"; use at most 256 characters/);
  });

  test('fails when an imported zone ID carries the /hostedzone/ prefix', () => {
    expect(() => synth((stack) => PublicZone.fromPublicZoneAttributes(stack, 'Parent', { zoneId: '/hostedzone/Z0123456789ABC', zoneName: 'piksel.big.go.id' })))
      .toThrow(/Parent: zoneId is "\/hostedzone\/Z0123456789ABC"; give the hosted zone ID alone/);
  });
});
