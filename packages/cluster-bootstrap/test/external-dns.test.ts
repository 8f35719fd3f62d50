import { validateChartValues } from '../../../test/schemas/validate';
import { onlyResource, synth } from '../../secrets/test/util';
import { ExternalDns, ExternalDnsProps } from '../src/external-dns';

const PROPS: ExternalDnsProps = {
  clusterName: 'piksel-production',
  version: '1.21.1',
  region: 'ap-southeast-3',
  domain: 'piksel.big.go.id',
  zoneId: 'Z0123456789ABCDEFGHIJ',
  assumeRoleArn: 'arn:aws:iam::686410905891:role/piksel-production-external-dns',
  assumeRoleExternalId: 'piksel-production-external-dns',
  serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::522783511350:role/piksel-production-external-dns' },
};

const valuesOf = (props: ExternalDnsProps) => JSON.parse(onlyResource(synth((stack) => new ExternalDns(stack, 'ExternalDns', props)), 'helm_release').values[0]);

describe('ExternalDns', () => {
  test('writes only its own zone, by ID, through the hub role, owning its records per cluster', () => {
    const values = valuesOf(PROPS);
    expect(values).toEqual({
      provider: { name: 'aws' },
      env: [{ name: 'AWS_DEFAULT_REGION', value: 'ap-southeast-3' }],
      serviceAccount: { create: true, name: 'external-dns-sa', annotations: PROPS.serviceAccountAnnotations },
      sources: ['gateway-httproute', 'service'],
      domainFilters: ['piksel.big.go.id'],
      managedRecordTypes: ['A', 'AAAA', 'CNAME'],
      extraArgs: [
        '--zone-id-filter=Z0123456789ABCDEFGHIJ',
        '--aws-zone-type=public',
        '--aws-assume-role=arn:aws:iam::686410905891:role/piksel-production-external-dns',
        '--aws-assume-role-external-id=piksel-production-external-dns',
      ],
      txtOwnerId: 'eks-cluster-piksel-production',
      txtPrefix: 'external-dns',
      policy: 'sync',
      interval: '30s',
    });
    expect(validateChartValues('external-dns', '1.21.1', values)).toEqual([]);
  });

  test('installs into the external-dns namespace, which a Fargate profile selects', () => {
    const release = onlyResource(synth((stack) => new ExternalDns(stack, 'ExternalDns', PROPS)), 'helm_release');
    expect(release).toMatchObject({ name: 'external-dns', namespace: 'external-dns', repository: 'https://kubernetes-sigs.github.io/external-dns/', version: '1.21.1' });
  });

  test('never writes a delegated subdomain, such as staging\'s zone under production\'s', () => {
    const values = valuesOf({ ...PROPS, excludeDomains: ['staging.piksel.big.go.id'] });
    expect(values.excludeDomains).toEqual(['staging.piksel.big.go.id']);
    expect(validateChartValues('external-dns', '1.21.1', values)).toEqual([]);
    expect(() => valuesOf({ ...PROPS, excludeDomains: ['pik-sel.id'] })).toThrow(/excludeDomains\[0\] is "pik-sel.id"; give a subdomain of piksel.big.go.id/);
  });

  test('fails when the zone is given by name, or the external ID comes without a role', () => {
    expect(() => valuesOf({ ...PROPS, zoneId: 'piksel.big.go.id' })).toThrow(/ExternalDns: zoneId is "piksel.big.go.id"; give the hosted zone ID/);
    expect(() => valuesOf({ ...PROPS, assumeRoleArn: undefined })).toThrow(/assumeRoleExternalId is "piksel-production-external-dns"; give assumeRoleArn too/);
    expect(() => valuesOf({ ...PROPS, interval: '30 seconds' })).toThrow(/interval is "30 seconds"/);
    expect(() => valuesOf({ ...PROPS, version: 'latest' })).toThrow(/version is "latest"/);
  });
});
