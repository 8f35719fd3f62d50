import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { onlyResource, policyOf, synth } from '../../secrets/test/util';
import { EnvironmentDnsRole, EnvironmentDnsRoleProps } from '../src/dns-role';
import { PublicZone } from '../src/public-zone';

const PRODUCTION_ROLE = 'arn:aws:iam::522783511350:role/piksel-production-external-dns';

function props(stack: Construct, extra: Partial<EnvironmentDnsRoleProps> = {}): EnvironmentDnsRoleProps {
  return {
    environment: 'production',
    trustedRoleArn: PRODUCTION_ROLE,
    externalId: 'piksel-production-external-dns',
    zones: [PublicZone.fromPublicZoneAttributes(stack, 'Zone', { zoneId: 'Z0PRODUCTION1', zoneName: 'piksel.big.go.id' })],
    ...extra,
  };
}

describe('EnvironmentDnsRole', () => {
  test('names the role piksel-<environment>-external-dns with one-hour sessions', () => {
    const out = synth((stack) => new EnvironmentDnsRole(stack, 'Role', props(stack)));
    expect(onlyResource(out, 'aws_iam_role')).toMatchObject({ name: 'piksel-production-external-dns', max_session_duration: 3600 });
    expect(onlyResource(out, 'aws_iam_role_policy')).toMatchObject({
      name: 'external-dns-route53',
      role: expect.stringMatching(/^\$\{aws_iam_role\.Role_[0-9A-F]{8}\.name\}$/),
    });
  });

  test('scopes record reads and writes to the given zone ARNs, listing zones on *', () => {
    const out = synth((stack) => new EnvironmentDnsRole(stack, 'Role', props(stack)));
    const [list, read, write] = policyOf(onlyResource(out, 'aws_iam_role_policy')).Statement;
    expect(list).toMatchObject({ Action: ['route53:ListHostedZones'], Resource: '*' });
    expect(read.Resource).toEqual(['arn:aws:route53:::hostedzone/Z0PRODUCTION1']);
    expect(write.Resource).toEqual(['arn:aws:route53:::hostedzone/Z0PRODUCTION1']);
    expect(write.Action).toEqual(['route53:ChangeResourceRecordSets']);
    expect(write.Condition['ForAllValues:StringEquals']['route53:ChangeResourceRecordSetsRecordTypes']).not.toContain('NS');
  });

  test('accepts a custom role name and several zones, each once', () => {
    const out = synth((stack) => {
      const base = props(stack);
      const other = PublicZone.fromPublicZoneAttributes(stack, 'Other', { zoneId: 'Z0OTHER', zoneName: 'pik-sel.id' });
      new EnvironmentDnsRole(stack, 'Role', { ...base, roleName: 'dns-prod', zones: [base.zones[0], other, base.zones[0]] });
    });
    expect(onlyResource(out, 'aws_iam_role').name).toBe('dns-prod');
    const [, read] = policyOf(onlyResource(out, 'aws_iam_role_policy')).Statement;
    expect(read.Resource).toEqual(['arn:aws:route53:::hostedzone/Z0PRODUCTION1', 'arn:aws:route53:::hostedzone/Z0OTHER']);
  });

  test('skips checking an external ID that is a token', () => {
    const out = synth((stack) => new EnvironmentDnsRole(stack, 'Role', props(stack, { externalId: Token.asString({ Ref: 'id' }) })));
    expect(onlyResource(out, 'aws_iam_role').name).toBe('piksel-production-external-dns');
  });

  test('fails when the trusted role ARN is a token: the trust names its account', () => {
    expect(() => synth((stack) => new EnvironmentDnsRole(stack, 'Role', props(stack, { trustedRoleArn: Token.asString({ Ref: 'arn' }) }))))
      .toThrow(/Role: trustedRoleArn is ".*"; give the role ARN as a literal: the trust policy names its account/);
  });

  test.each([
    ['environment', { environment: 'Production' }, /Role: environment is "Production"; use lower-case/],
    ['trustedRoleArn is an account root', { trustedRoleArn: 'arn:aws:iam::522783511350:root' }, /Role: trustedRoleArn is "arn:aws:iam::522783511350:root"; use one IAM role ARN/],
    ['trustedRoleArn has a short account', { trustedRoleArn: 'arn:aws:iam::52278351135:role/piksel-production-external-dns' }, /Role: trustedRoleArn is .*; use one IAM role ARN, arn:aws:iam::<12-digit account>/],
    ['trustedRoleArn is a wildcard', { trustedRoleArn: 'arn:aws:iam::522783511350:role/*' }, /Role: trustedRoleArn is .*; use one IAM role ARN/],
    ['trustedRoleArn is a user', { trustedRoleArn: 'arn:aws:iam::522783511350:user/dns' }, /Role: trustedRoleArn is .*; use one IAM role ARN/],
    ['externalId is too short', { externalId: 'x' }, /Role: externalId is "x"; use 2-1224 of/],
    ['externalId has a space', { externalId: 'piksel production' }, /Role: externalId is "piksel production"; use 2-1224 of/],
    ['externalId is too long', { externalId: 'x'.repeat(1225) }, /Role: externalId is "x+"; use 2-1224 of/],
    ['roleName is too long', { roleName: 'r'.repeat(65) }, /Role: roleName is "r+"; use an IAM role name: 1-64 of/],
    ['the derived role name is too long', { environment: `e${'-x'.repeat(25)}` }, /Role: environment is "e-x(-x)+"; use lower-case kebab-case of at most 24 characters/],
  ])('fails when %s is invalid', (_case, bad, message) => {
    expect(() => synth((stack) => new EnvironmentDnsRole(stack, 'Role', props(stack, bad)))).toThrow(message);
  });

  test('fails when no zone is given', () => {
    expect(() => synth((stack) => new EnvironmentDnsRole(stack, 'Role', props(stack, { zones: [] }))))
      .toThrow(/Role: zones is \[\]; give at least one zone/);
  });
});

describe('EnvironmentDnsRole.fromRoleArn', () => {
  test('takes the role name from the ARN', () => {
    synth((stack) => {
      const role = EnvironmentDnsRole.fromRoleArn(stack, 'HubRole', 'arn:aws:iam::686410905891:role/piksel-dev-external-dns');
      expect(role.roleName).toBe('piksel-dev-external-dns');
    });
  });

  test('fails when given something other than a role ARN', () => {
    expect(() => synth((stack) => EnvironmentDnsRole.fromRoleArn(stack, 'HubRole', 'piksel-dev-external-dns')))
      .toThrow(/HubRole: roleArn is "piksel-dev-external-dns"; use one IAM role ARN/);
  });
});
