import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Naming } from '@piksel/core';
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { onlyResource, resourcesOf, synth, Synthesized } from '../../secrets/test/util';
import { PublicZone } from '../src/public-zone';
import { ZoneDnssec, ZoneDnssecOptions } from '../src/zone-dnssec';

const ACCOUNT = '686410905891';

/** A stack with a us-east-1 provider for the key, and the zones `make` makes. */
function build(make: (stack: TerraformStack, keyProvider: AwsProvider) => void): Synthesized {
  return synth((stack) => {
    new AwsProvider(stack, 'Aws', { region: 'ap-southeast-3' });
    make(stack, new AwsProvider(stack, 'KeyAws', { alias: 'keys', region: ZoneDnssec.KEY_REGION }));
  });
}

function apex(options: Partial<ZoneDnssecOptions> = {}): Synthesized {
  return build((stack, keyProvider) => new PublicZone(stack, 'PikSelId', { zoneName: 'pik-sel.id' }).enableDnssec({ account: ACCOUNT, keyProvider, ...options }));
}

function address(out: Synthesized, type: string): string {
  return `${type}.${Object.keys(resourcesOf(out, type))[0]}`;
}

describe('ZoneDnssec', () => {
  test('makes an ECC_NIST_P256 signing key in us-east-1 through the provider given', () => {
    const key = onlyResource(apex(), 'aws_kms_key');
    expect(key).toMatchObject({
      provider: 'aws.keys',
      customer_master_key_spec: 'ECC_NIST_P256',
      key_usage: 'SIGN_VERIFY',
      deletion_window_in_days: 30,
      description: 'DNSSEC key-signing key of pik-sel.id',
    });
    expect(ZoneDnssec.KEY_REGION).toBe('us-east-1');
  });

  test('lets only Route 53 DNSSEC use the key, for this account\'s zone, and grants only for AWS resources', () => {
    const out = apex();
    const statements = JSON.parse(onlyResource(out, 'aws_kms_key').policy).Statement;
    const zoneArn = `\${${address(out, 'aws_route53_zone')}.arn}`;
    expect(statements).toEqual([
      {
        Sid: 'Route53DnssecUse',
        Effect: 'Allow',
        Principal: { Service: 'dnssec-route53.amazonaws.com' },
        Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': zoneArn } },
      },
      {
        Sid: 'Route53DnssecGrants',
        Effect: 'Allow',
        Principal: { Service: 'dnssec-route53.amazonaws.com' },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
      { Sid: 'AccountAdministers', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    ]);
  });

  test('makes an active key-signing key from the key, and signs the zone after it exists', () => {
    const out = apex();
    const ksk = onlyResource(out, 'aws_route53_key_signing_key');
    expect(ksk).toEqual({
      hosted_zone_id: `\${${address(out, 'aws_route53_zone')}.zone_id}`,
      key_management_service_arn: `\${${address(out, 'aws_kms_key')}.arn}`,
      name: 'piksel-ksk',
      status: 'ACTIVE',
    });
    expect(onlyResource(out, 'aws_route53_hosted_zone_dnssec')).toEqual({
      hosted_zone_id: `\${${address(out, 'aws_route53_key_signing_key')}.hosted_zone_id}`,
      signing_status: 'SIGNING',
      depends_on: [address(out, 'aws_route53_key_signing_key')],
    });
  });

  test('leaves an apex zone\'s DS record to the registrar: no DS record in Terraform, dsRecord exposed', () => {
    const out: any = build((stack, keyProvider) => {
      const dnssec = new PublicZone(stack, 'PikSelId', { zoneName: 'pik-sel.id' }).enableDnssec({ account: ACCOUNT, keyProvider });
      expect(dnssec.parentDsRecord).toBeUndefined();
      new TerraformOutput(stack, 'Ds', { value: dnssec.dsRecord });
    });
    expect(resourcesOf(out, 'aws_route53_record')).toEqual({});
    expect(out.output.Ds.value).toBe(`\${${address(out, 'aws_route53_key_signing_key')}.ds_record}`);
  });

  test('puts a delegated zone\'s DS record in its parent once the zone signs', () => {
    const out = build((stack, keyProvider) => {
      const parent = PublicZone.fromPublicZoneAttributes(stack, 'Root', { zoneId: 'Z0123456789ABC', zoneName: 'piksel.big.go.id' });
      new PublicZone(stack, 'Staging', { zoneName: 'staging.piksel.big.go.id', parent }).enableDnssec({ account: ACCOUNT, keyProvider, dsRecordTtl: 300 });
    });
    const ds = Object.values(resourcesOf(out, 'aws_route53_record')).find((r: any) => r.type === 'DS') as any;
    expect(ds).toEqual({
      zone_id: 'Z0123456789ABC',
      name: 'staging.piksel.big.go.id',
      type: 'DS',
      ttl: 300,
      records: [`\${${address(out, 'aws_route53_key_signing_key')}.ds_record}`],
      depends_on: [address(out, 'aws_route53_hosted_zone_dnssec')],
    });
  });

  test('gives the DS record in the parent a TTL of one hour by default, and names the KSK after the naming prefix', () => {
    const app = Testing.app();
    Naming.configure(app, { prefix: 'acme' });
    const stack = new TerraformStack(app, 'Hub');
    const parent = new PublicZone(stack, 'Root', { zoneName: 'acme.example' });
    new PublicZone(stack, 'Lab', { zoneName: 'lab.acme.example', parent }).enableDnssec({ account: ACCOUNT });
    const out: Synthesized = JSON.parse(Testing.synth(stack));
    expect((Object.values(resourcesOf(out, 'aws_route53_record')).find((r: any) => r.type === 'DS') as any).ttl).toBe(3600);
    expect(onlyResource(out, 'aws_route53_key_signing_key').name).toBe('acme-ksk');
  });

  test('fails when DNSSEC is enabled twice on one zone', () => {
    expect(() => build((stack, keyProvider) => {
      const zone = new PublicZone(stack, 'PikSelId', { zoneName: 'pik-sel.id' });
      zone.enableDnssec({ account: ACCOUNT, keyProvider });
      zone.enableDnssec({ account: ACCOUNT, keyProvider });
    })).toThrow(/PikSelId: dnssec is "enabled"; enable DNSSEC once per zone/);
  });

  test('fails when the account is not a 12-digit ID', () => {
    expect(() => apex({ account: '68641090589' })).toThrow(/PikSelId\/Dnssec: account is "68641090589"; use a 12-digit AWS account ID/);
  });

  test('fails when the key-signing key name is one Route 53 refuses', () => {
    expect(() => apex({ keySigningKeyName: 'ks' })).toThrow(/PikSelId\/Dnssec: keySigningKeyName is "ks"; use 3–128 letters, digits/);
    expect(() => apex({ keySigningKeyName: 'k s k' })).toThrow(/keySigningKeyName is "k s k"/);
  });

  test('fails when a DS TTL is given for a zone without a parent', () => {
    expect(() => apex({ dsRecordTtl: 300 })).toThrow(/PikSelId\/Dnssec: dsRecordTtl is 300; drop dsRecordTtl: a zone without a parent in Route 53 has no DS record/);
  });
});
