import { TerraformStack, Testing, Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  checkAccountId, checkCidrBlock, checkDomainName, checkEcrRepositoryName, checkEksClusterName, checkEnvironmentName,
  checkIamRoleName, checkIamRoleNameOrDerived, checkKubernetesLabelName, checkKubernetesObjectName, checkKubernetesQuantity,
  checkPositive, checkRegion, checkS3BucketName, checkTags, checkWholeRange, checkZone, checkGithubRepository, githubRepositoryName,
  checkEksFargateProfileName, checkChartVersion, checkEmailAddress, checkMatches, checkSqsQueueName, isChartVersion, isTagKey, isTagValue,
  checkDbIdentifier, Naming,
} from '../src';

function scope() {
  return new TerraformStack(Testing.app(), 'stack');
}

describe('checks', () => {
  const s = scope();

  test('accept well-formed values and skip values known only at apply time', () => {
    expect(() => checkAccountId(s, 'account', '236122835646')).not.toThrow();
    expect(() => checkRegion(s, 'region', 'ap-southeast-3')).not.toThrow();
    expect(() => checkZone(s, 'zone', 'ap-southeast-3c', 'ap-southeast-3')).not.toThrow();
    expect(checkCidrBlock(s, 'cidrBlock', '10.1.0.0/16')).toEqual({ network: 10 * 2 ** 24 + 2 ** 16, prefix: 16 });
    expect(() => checkS3BucketName(s, 'bucketName', 'piksel-dev-tfstate')).not.toThrow();
    expect(() => checkKubernetesQuantity(s, 'cpu', '1000', 1)).not.toThrow();
    expect(() => checkKubernetesQuantity(s, 'memory', '64Gi', 1)).not.toThrow();
    expect(() => checkTags(s, 'tags', { 'Project': 'Piksel', 'karpenter.sh/discovery': 'piksel-dev' })).not.toThrow();
    expect(() => checkAccountId(s, 'account', Token.asString({ Ref: 'account' }))).not.toThrow();
  });

  test('give examples in their messages under the configured prefix', () => {
    const app = Testing.app();
    Naming.configure(app, { prefix: 'geo' });
    const geo = new TerraformStack(app, 'stack');
    expect(() => checkS3BucketName(geo, 'bucketName', 'Geo_Bucket')).toThrow(/e\.g\. "geo-dev-tfstate"$/);
    expect(() => checkDbIdentifier(geo, 'identifier', 'Geo--db')).toThrow(/e\.g\. "geo-dev-postgres"$/);
    expect(() => checkS3BucketName(s, 'bucketName', 'Piksel_Bucket')).toThrow(/e\.g\. "piksel-dev-tfstate"$/);
  });

  test('fail with the construct path, the field, the value and the fix', () => {
    expect(() => checkAccountId(s, 'account', '2361')).toThrow(/^stack: account is "2361"; use a 12-digit AWS account ID/);
    expect(() => checkRegion(s, 'region', 'jakarta')).toThrow(/stack: region is "jakarta"; use an AWS region code/);
    expect(() => checkRegion(s, 'region', 'ap-southeast-9')).toThrow(/region is "ap-southeast-9"/);
    expect(() => checkZone(s, 'zone', 'ap-southeast-3d', 'ap-southeast-3')).toThrow(/zone is "ap-southeast-3d"; use a zone of ap-southeast-3: ap-southeast-3a, ap-southeast-3b, ap-southeast-3c/);
    expect(() => checkZone(s, 'zone', 'eu-west-1a', 'ap-southeast-3')).toThrow(/zone is "eu-west-1a"/);
  });

  test.each([
    ['300.1.0.0/24', 'an octet above 255'],
    ['10.1.0.1/16', 'host bits set'],
    ['10.1.0.0/33', 'a prefix above 32'],
    ['10.1.0.0', 'no prefix'],
    ['office', 'not an address'],
  ])('refuse the CIDR block %s (%s)', (cidr) => {
    expect(() => checkCidrBlock(s, 'cidrBlock', cidr)).toThrow(/cidrBlock is .*; use an IPv4 CIDR block such as "10.1.0.0\/16"/);
  });

  test.each([
    ['ab', /it has 2 characters/],
    ['a'.repeat(64), /it has 64 characters/],
    ['Piksel-Data', /use only a-z 0-9 \. -/],
    ['piksel..data', /remove the "\.\."/],
    ['192.168.5.4', /shaped like an IP address/],
    ['xn--piksel', /prefix S3 reserves/],
    ['piksel-s3alias', /suffix S3 reserves/],
    ['-piksel', /use only a-z 0-9/],
  ])('refuse the bucket name %s', (name, reason) => {
    expect(() => checkS3BucketName(s, 'bucketName', name)).toThrow(reason);
  });

  test('refuse names each service forbids', () => {
    expect(() => checkIamRoleName(s, 'roleName', 'r'.repeat(65))).toThrow(/roleName is "r+"; use an IAM role name: 1-64/);
    expect(() => checkIamRoleName(s, 'roleName', 'arn:aws:iam::236122835646:role/x')).toThrow(/\(the name, not its ARN\)/);
    expect(() => checkKubernetesLabelName(s, 'namespace', 'Flux')).toThrow(/namespace is "Flux"; use a Kubernetes name of 1-63/);
    expect(() => checkKubernetesObjectName(s, 'name', 'cluster_values')).toThrow(/name is "cluster_values"/);
    expect(() => checkEcrRepositoryName(s, 'repositoryName', 'Piksel')).toThrow(/repositoryName is "Piksel"/);
    expect(() => checkEksClusterName(s, 'clusterName', 'piksel dev')).toThrow(/use an EKS cluster name/);
    expect(() => checkEnvironmentName(s, 'environment', 'Dev')).toThrow(/environment is "Dev"; use lower-case kebab-case of at most 24/);
    expect(() => checkEnvironmentName(s, 'environment', 'e'.repeat(25))).toThrow(/at most 24/);
    expect(() => checkDomainName(s, 'zoneName', 'piksel.big.go.id.')).toThrow(/drop the trailing dot \("piksel.big.go.id"\)/);
    expect(() => checkDomainName(s, 'zoneName', 'localhost')).toThrow(/two or more labels/);
  });

  test('refuse tags AWS refuses', () => {
    expect(() => checkTags(s, 'tags', { 'aws:created': 'x' })).toThrow(/tags key is "aws:created"/);
    expect(() => checkTags(s, 'tags', { Owner: 'a'.repeat(257) })).toThrow(/tags.Owner is "a+"; use at most 256/);
    expect(() => checkTags(s, 'tags', { Owner: 'team#1' })).toThrow(/tags.Owner is "team#1"/);
  });

  test('refuse numbers out of range, and Kubernetes quantities below the minimum', () => {
    expect(() => checkWholeRange(s, 'backupRetentionDays', 36, 0, 35, 'days')).toThrow(/backupRetentionDays is 36; use a whole number of days from 0 to 35/);
    expect(() => checkWholeRange(s, 'hops', 1.5, 1, 64, 'hops')).toThrow(/hops is 1.5/);
    expect(() => checkPositive(s, 'retentionDays', 0, 'days')).toThrow(/retentionDays is 0; use a whole number of days, 1 or more/);
    expect(() => checkPositive(s, 'retentionDays', -7, 'days')).toThrow(/retentionDays is -7/);
    expect(() => checkKubernetesQuantity(s, 'limits.cpu', '-10', 1)).toThrow(/limits.cpu is "-10"; use a Kubernetes quantity of at least 1/);
    expect(() => checkKubernetesQuantity(s, 'limits.cpu', '10 cores', 1)).toThrow(/limits.cpu is "10 cores"/);
    expect(() => checkKubernetesQuantity(s, 'limits.cpu', '500m', 1)).toThrow(/at least 1/);
  });

  test('name the input to shorten when a derived IAM role name is too long', () => {
    expect(() => checkIamRoleNameOrDerived(s, 'nodeRoleName', undefined, `${'c'.repeat(50)}-karpenter-node`, { field: 'clusterName', value: 'c'.repeat(50), overhead: 15, override: 'nodeRoleName' }))
      .toThrow(/stack: clusterName is "c{50}"; it makes nodeRoleName "c{50}-karpenter-node" \(65 characters, at most 64\); shorten clusterName to at most 49 characters or give nodeRoleName/);
    expect(() => checkIamRoleNameOrDerived(s, 'nodeRoleName', 'bad name', 'x', { field: 'clusterName', value: 'c', overhead: 15 })).toThrow(/nodeRoleName is "bad name"/);
  });

  test('accepts one literal GitHub repository, plain or immutable, and gives its name', () => {
    expect(() => checkGithubRepository(s, 'githubRepository', 'piksel-ina/piksel-core')).not.toThrow();
    expect(() => checkGithubRepository(s, 'githubRepository', 'piksel-ina@123/ows.v2_x@456')).not.toThrow();
    expect(githubRepositoryName('piksel-ina@123/ows@456')).toBe('ows');
  });

  test.each(['piksel-ina/*', '*/ows', 'piksel-ina', 'piksel-ina/..', 'piksel--ina/ows', 'piksel-ina@1/ows', 'repo:piksel-ina/ows'])(
    'fails when the GitHub repository %p is not one literal owner/name', (value) => {
      expect(() => checkGithubRepository(s, 'githubRepository', value)).toThrow(/stack: githubRepository is ".*"; name one repository as a literal "owner\/name"/);
    });

  test('fails when the GitHub repository is a token', () => {
    expect(() => checkGithubRepository(s, 'githubRepository', Token.asString({ Ref: 'repo' }))).toThrow(/githubRepository is ".*"; name one repository as a literal/);
  });

  test('accept Fargate profile names by the cluster-name rule, naming a profile in the message', () => {
    expect(() => checkEksFargateProfileName(s, 'profileName', 'karpenter_2')).not.toThrow();
    expect(() => checkEksFargateProfileName(s, 'profileName', '-flux')).toThrow(/profileName is "-flux"; use a Fargate profile name: 1-100 letters/);
    expect(() => checkEksFargateProfileName(s, 'profileName', 'p'.repeat(101))).toThrow(/use a Fargate profile name/);
    expect(() => checkEksFargateProfileName(s, 'profileName', Token.asString({ Ref: 'name' }))).toThrow(/as a literal/);
  });

  test('accept SQS standard queue names and refuse ARNs, URLs and FIFO names', () => {
    expect(() => checkSqsQueueName(s, 'queueName', 'piksel-dev_karpenter')).not.toThrow();
    expect(() => checkSqsQueueName(s, 'queueName', 'q'.repeat(80))).not.toThrow();
    expect(() => checkSqsQueueName(s, 'queueName', Token.asString({ Ref: 'queue' }))).not.toThrow();
    for (const name of ['', 'q'.repeat(81), 'karpenter.fifo', 'arn:aws:sqs:ap-southeast-3:236122835646:q', 'https://sqs.ap-southeast-3.amazonaws.com/236122835646/q']) {
      expect(() => checkSqsQueueName(s, 'queueName', name)).toThrow(/queueName is ".*"; use an SQS queue name \(the name, not its ARN or URL\): 1-80/);
    }
  });

  test('accept one released chart version and refuse prefixes, ranges, partial versions and pre-releases', () => {
    for (const version of ['1.14.1', '0.1.0', '10.20.30']) {
      expect(isChartVersion(version)).toBe(true);
      expect(() => checkChartVersion(s, 'version', version)).not.toThrow();
    }
    expect(() => checkChartVersion(s, 'version', Token.asString({ Ref: 'version' }))).not.toThrow();
    for (const version of ['v1.14.1', '^1.14', '1.14', '1.14.x', '01.2.3', '2.0.0-rc.1', '1.2.3+build.5', '']) {
      expect(isChartVersion(version)).toBe(false);
      expect(() => checkChartVersion(s, 'version', version)).toThrow(/version is ".*"; use one released chart version MAJOR.MINOR.PATCH such as "1.14.1"/);
    }
  });

  test('a chart published with a "v" prefix takes it, and refuses the version without it or floating', () => {
    expect(() => checkChartVersion(s, 'version', 'v1.21.1', 'v')).not.toThrow();
    for (const version of ['1.21.1', 'latest', 'v1.21', 'v1.21.1-rc.0', 'vv1.21.1']) {
      expect(() => checkChartVersion(s, 'version', version, 'v')).toThrow(/version is ".*"; use one released chart version vMAJOR.MINOR.PATCH such as "v1.14.1" \(no range, "latest" or pre-release\)/);
    }
  });

  test('accept an email address and refuse what is not one', () => {
    for (const email of ['piksel@big.go.id', 'dev.ops+acme@example.org']) {
      expect(() => checkEmailAddress(s, 'email', email)).not.toThrow();
    }
    for (const email of ['piksel', 'piksel@', '@big.go.id', 'piksel@localhost', 'a b@example.org', 'piksel@big..go.id', 'piksel@-big.go.id']) {
      expect(() => checkEmailAddress(s, 'email', email)).toThrow(/email is ".*"; use an email address such as "devops@example.org"/);
    }
  });

  test('check a construct-specific format, skipping absent values and tokens', () => {
    expect(() => checkMatches(s, 'interval', undefined, /^\d+m$/, 'use minutes')).not.toThrow();
    expect(() => checkMatches(s, 'interval', Token.asString({ Ref: 'x' }), /^\d+m$/, 'use minutes')).not.toThrow();
    expect(() => checkMatches(s, 'interval', '5m', /^\d+m$/, 'use minutes')).not.toThrow();
    expect(() => checkMatches(s, 'interval', '1d', /^\d+m$/, 'use minutes such as "5m"')).toThrow(/^stack: interval is "1d"; use minutes such as "5m"$/);
  });

  test('tell tag keys and values AWS accepts without a construct', () => {
    expect(isTagKey('karpenter.sh/discovery')).toBe(true);
    expect(isTagKey('AWS:x')).toBe(false);
    expect(isTagKey('')).toBe(false);
    expect(isTagKey('k'.repeat(129))).toBe(false);
    expect(isTagValue('')).toBe(true);
    expect(isTagValue('Piksel Devops @ BIG')).toBe(true);
    expect(isTagValue('team#1')).toBe(false);
    expect(isTagValue('v'.repeat(257))).toBe(false);
  });
});

describe('checkEnvironmentName with the app\'s environments', () => {
  test('fails when the name is not one of the environments the naming names', () => {
    const app = Testing.app();
    Naming.configure(app, { prefix: 'acme', environments: ['hub', 'dev', 'prod'] });
    const secret = new Construct(new TerraformStack(app, 'dev'), 'Secret');
    expect(() => checkEnvironmentName(secret, 'environment', 'dev')).not.toThrow();
    expect(() => checkEnvironmentName(secret, 'environment', 'prd'))
      .toThrow(/^dev\/Secret: environment is "prd"; the app's environments are "hub", "dev", "prod"; use one of them, or add it to the environments of Naming.configure$/);
  });

  test('allows any kebab-case name when the naming names no environments', () => {
    const secret = new Construct(new TerraformStack(Testing.app(), 'dev'), 'Secret');
    expect(() => checkEnvironmentName(secret, 'environment', 'prd')).not.toThrow();
  });
});
