import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Naming } from '@piksel/core';
import { TerraformStack, Testing } from 'cdktf';
import { CorsHttpMethod, DataBucket, DataBucketProps, PublicRead } from '../src';
import { onlyResource, policyOf, resourcesOf, role, synth } from './util';

const ARTIFACTS: DataBucketProps = { environment: 'dev', purpose: 'argo-artifacts' };
const KEY_ARN = 'arn:aws:kms:ap-southeast-3:236122835646:key/11111111-2222-3333-4444-555555555555';

function bucketOf(props: Partial<DataBucketProps> = {}) {
  return synth((stack) => new DataBucket(stack, 'Bucket', { ...ARTIFACTS, ...props }));
}

function build(props: Partial<DataBucketProps>) {
  return () => new DataBucket(new TerraformStack(Testing.app(), 'Test'), 'Bucket', { ...ARTIFACTS, ...props });
}

describe('DataBucket', () => {
  test('names the bucket <prefix>-<environment>-<purpose>, or as given', () => {
    expect(onlyResource(bucketOf(), 'aws_s3_bucket').bucket).toBe('piksel-dev-argo-artifacts');
    expect(onlyResource(bucketOf({ bucketName: 'geo.example-artifacts' }), 'aws_s3_bucket').bucket).toBe('geo.example-artifacts');
    const acme = synth((stack) => {
      Naming.configure(stack, { prefix: 'acme' });
      new DataBucket(stack, 'Bucket', ARTIFACTS);
    });
    expect(onlyResource(acme, 'aws_s3_bucket').bucket).toBe('acme-dev-argo-artifacts');
  });

  test('is private by default: ACLs off, every public access block setting on, SSE-S3, versioned', () => {
    const out = bucketOf();
    expect(onlyResource(out, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(onlyResource(out, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true, ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true,
    });
    expect(onlyResource(out, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }]);
    expect(onlyResource(out, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(resourcesOf(out, 'aws_s3_bucket_cors_configuration')).toEqual({});
  });

  test('denies every request without TLS, and allows nothing else in its policy', () => {
    const statements = policyOf(onlyResource(bucketOf(), 'aws_s3_bucket_policy')).Statement;
    expect(statements).toEqual([{
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:*'],
      Resource: [expect.stringMatching(/aws_s3_bucket\..*\.arn/), expect.stringMatching(/aws_s3_bucket\..*\.arn\}\/\*$/)],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }]);
  });

  test('aborts incomplete multipart uploads after 7 days and takes typed lifecycle rules', () => {
    expect(onlyResource(bucketOf(), 'aws_s3_bucket_lifecycle_configuration').rule).toEqual([{
      id: 'data-lifecycle', status: 'Enabled', filter: [{}], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    }]);
    const rule = onlyResource(bucketOf({
      lifecycleExpirationDays: 90,
      lifecycleAbortIncompleteMultipartDays: 3,
      lifecycleIntelligentTieringDays: 60,
      lifecycleNoncurrentVersionExpirationDays: 30,
    }), 'aws_s3_bucket_lifecycle_configuration').rule[0];
    expect(rule).toMatchObject({
      abort_incomplete_multipart_upload: [{ days_after_initiation: 3 }],
      expiration: [{ days: 90 }],
      transition: [{ days: 60, storage_class: 'INTELLIGENT_TIERING' }],
      noncurrent_version_expiration: [{ noncurrent_days: 30 }],
    });
  });

  test('applies the lifecycle rules only after versioning is on', () => {
    const out = bucketOf();
    const [versioning] = Object.keys(resourcesOf(out, 'aws_s3_bucket_versioning'));
    expect(onlyResource(out, 'aws_s3_bucket_lifecycle_configuration').depends_on).toEqual([`aws_s3_bucket_versioning.${versioning}`]);
  });

  test('leaves versioning off when told, for data that can be rebuilt', () => {
    const out = bucketOf({ versioned: false });
    expect(resourcesOf(out, 'aws_s3_bucket_versioning')).toEqual({});
    expect(onlyResource(out, 'aws_s3_bucket_lifecycle_configuration').depends_on).toBeUndefined();
  });

  test('encrypts with a customer key and a bucket key when given one, and grants use of the key', () => {
    const out = synth((stack) => {
      const bucket = new DataBucket(stack, 'Bucket', { ...ARTIFACTS, encryptionKeyArn: KEY_ARN });
      bucket.grantReadWrite(role(stack, 'Writer', 'writer'));
    });
    expect(onlyResource(out, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([{
      apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KEY_ARN }, bucket_key_enabled: true,
    }]);
    expect(policyOf(onlyResource(out, 'aws_iam_role_policy')).Statement[1]).toEqual({ Sid: 'BucketKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: KEY_ARN });
  });

  test('configures CORS rules', () => {
    const out = bucketOf({ cors: [{ allowedMethods: [CorsHttpMethod.GET, CorsHttpMethod.HEAD], allowedOrigins: ['*'], maxAgeSeconds: 3000 }] });
    expect(onlyResource(out, 'aws_s3_bucket_cors_configuration').cors_rule).toEqual([{ allowed_methods: ['GET', 'HEAD'], allowed_origins: ['*'], max_age_seconds: 3000 }]);
  });

  test('opens an open-data bucket to anyone for list and get, relaxing only the two policy settings of the block', () => {
    const out = synth((stack) => new DataBucket(stack, 'Bucket', {
      environment: 'dev', purpose: 'public-data', publicRead: PublicRead.openData('piksel-dev-public-data'),
    }));
    expect(onlyResource(out, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true, ignore_public_acls: true, block_public_policy: false, restrict_public_buckets: false,
    });
    const policy = onlyResource(out, 'aws_s3_bucket_policy');
    expect(policy.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_public_access_block\./)]);
    const statements = policyOf(policy).Statement;
    expect(statements.map((s) => s.Sid)).toEqual(['DenyInsecureTransport', 'PublicListBucket', 'PublicGetObject']);
    expect(statements[1]).toMatchObject({ Effect: 'Allow', Principal: '*', Action: ['s3:ListBucket'], Resource: expect.stringMatching(/\.arn\}$/) });
    expect(statements[2]).toMatchObject({ Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: expect.stringMatching(/\.arn\}\/\*$/) });
  });

  test('grantRead allows list and get; grantReadWrite adds put, delete and multipart, once per grantee', () => {
    const out = synth((stack) => {
      const bucket = new DataBucket(stack, 'Bucket', ARTIFACTS);
      const reader = role(stack, 'Reader', 'reader');
      bucket.grantRead(reader);
      bucket.grantRead(reader);
      bucket.grantReadWrite(role(stack, 'Writer', 'writer'));
    });
    const policies = Object.values(resourcesOf(out, 'aws_iam_role_policy'));
    expect(policies).toHaveLength(2);
    const byRole = Object.fromEntries(policies.map((p: any) => [p.role, policyOf(p).Statement]));
    expect(byRole.reader).toEqual([{ Sid: 'Bucket', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'], Resource: [expect.any(String), expect.stringMatching(/\/\*$/)] }]);
    expect(byRole.writer[0].Action).toEqual([
      's3:GetObject', 's3:ListBucket', 's3:GetBucketLocation',
      's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:ListBucketMultipartUploads',
    ]);
  });

  test('grantReadExternal allows list and get on buckets other accounts own, by name', () => {
    const out = synth((stack) => DataBucket.grantReadExternal(stack, role(stack, 'Reader', 'reader'), ['usgs-landsat', 'copernicus-dem-30m']));
    const policy = onlyResource(out, 'aws_iam_role_policy');
    expect(policy.role).toBe('reader');
    expect(policyOf(policy).Statement[0].Resource).toEqual([
      'arn:aws:s3:::usgs-landsat', 'arn:aws:s3:::copernicus-dem-30m', 'arn:aws:s3:::usgs-landsat/*', 'arn:aws:s3:::copernicus-dem-30m/*',
    ]);
  });

  test('records the library version in the stack', () => {
    const stack = new TerraformStack(Testing.app(), 'Test');
    new DataBucket(stack, 'Bucket', ARTIFACTS);
    expect(stack.toTerraform()['//'].piksel.libraries['@piksel/data-stores']).toMatch(/^\d+\.\d+\.\d+/);
  });

  test('fails when the bucket name is one S3 refuses', () => {
    expect(build({ bucketName: 'Piksel-Data' })).toThrow(/Test\/Bucket: bucketName is "Piksel-Data"; use only a-z 0-9/);
    expect(build({ bucketName: 'ab' })).toThrow(/bucketName is "ab"; it has 2 characters/);
    expect(build({ bucketName: 'a'.repeat(64) })).toThrow(/it has 64 characters/);
    expect(build({ bucketName: '192.168.10.20' })).toThrow(/bucketName is "192.168.10.20"; it is shaped like an IP address/);
    expect(build({ bucketName: 'piksel..data' })).toThrow(/bucketName is "piksel..data"; remove the "\.\."/);
  });

  test('fails when the derived name is too long, naming the purpose to shorten', () => {
    expect(build({ purpose: 'a'.repeat(40) + '-b'.repeat(10) })).toThrow(/purpose is/);
  });

  test('fails when public read is requested without the opt-in for this bucket', () => {
    expect(build({ purpose: 'public-data', publicRead: PublicRead.openData('piksel-dev-terria') }))
      .toThrow(/Test\/Bucket: publicRead is .*piksel-dev-terria.*; public read needs the opt-in for this bucket: use PublicRead.openData\("piksel-dev-public-data"\)/);
    expect(build({ purpose: 'public-data', publicRead: PublicRead.openData('') })).toThrow(/publicRead is/);
  });

  test('fails when a public-read bucket would be encrypted with a KMS key', () => {
    expect(build({ purpose: 'public-data', encryptionKeyArn: KEY_ARN, publicRead: PublicRead.openData('piksel-dev-public-data') }))
      .toThrow(/encryptionKeyArn is .*; anonymous readers cannot decrypt/);
  });

  test('fails when a lifecycle rule has zero or negative days', () => {
    expect(build({ lifecycleExpirationDays: 0 })).toThrow(/lifecycleExpirationDays is 0; use a whole number of days, 1 or more/);
    expect(build({ lifecycleAbortIncompleteMultipartDays: -7 })).toThrow(/lifecycleAbortIncompleteMultipartDays is -7/);
    expect(build({ lifecycleIntelligentTieringDays: 0 })).toThrow(/lifecycleIntelligentTieringDays is 0/);
    expect(build({ lifecycleNoncurrentVersionExpirationDays: -1 })).toThrow(/lifecycleNoncurrentVersionExpirationDays is -1/);
  });

  test('fails when objects would expire before they move to Intelligent-Tiering', () => {
    expect(build({ lifecycleExpirationDays: 60, lifecycleIntelligentTieringDays: 60 })).toThrow(/lifecycleExpirationDays is 60; S3 expires objects only after they transition/);
  });

  test('fails when an unversioned bucket is given a noncurrent-version rule', () => {
    expect(build({ versioned: false, lifecycleNoncurrentVersionExpirationDays: 30 })).toThrow(/lifecycleNoncurrentVersionExpirationDays is 30; an unversioned bucket/);
  });

  test('fails when the encryption key is not a KMS key ARN', () => {
    expect(build({ encryptionKeyArn: 'alias/aws/s3' })).toThrow(/Bucket: encryptionKeyArn is "alias\/aws\/s3"; use a KMS key ARN/);
  });

  test('fails when an external bucket name is one S3 refuses', () => {
    expect(() => synth((stack) => DataBucket.grantReadExternal(stack, role(stack, 'Reader', 'reader'), ['usgs-landsat', 'Sentinel_2'])))
      .toThrow(/bucketNames\[1\] is "Sentinel_2"/);
  });
});

describe('DataBucket across stacks', () => {
  test('fails when two buckets of the app have one name, with both paths', () => {
    const app = Testing.app();
    new DataBucket(new TerraformStack(app, 'dev-data'), 'ArtifactsBucket', ARTIFACTS);
    expect(() => new DataBucket(new TerraformStack(app, 'dev-extra'), 'ArtifactsBucket', ARTIFACTS))
      .toThrow(/^dev-extra\/ArtifactsBucket: the derived bucketName is "piksel-dev-argo-artifacts"; dev-data\/ArtifactsBucket has it already; bucket names are global/);
  });

  test('fails when a role of another environment is granted without naming it, with both paths', () => {
    const app = Testing.app();
    const dev = new TerraformStack(app, 'dev-data');
    new DataBucket(dev, 'ArtifactsBucket', ARTIFACTS);
    const devRole = role(dev, 'ArgoRole', 'piksel-dev-argo');
    const staging = new DataBucket(new TerraformStack(app, 'staging-data'), 'ArtifactsBucket', { ...ARTIFACTS, environment: 'staging' });
    expect(() => staging.grantRead(devRole))
      .toThrow(/^staging-data\/ArtifactsBucket: grantRead grantee is "dev-data\/ArgoRole"; the grantee is of environment "dev" and staging-data\/ArtifactsBucket of environment "staging"; .*allowFromEnvironment: "dev"/);
    expect(() => staging.grantReadWrite(devRole)).toThrow(/grantReadWrite grantee is "dev-data\/ArgoRole"/);
    staging.grantRead(devRole, { allowFromEnvironment: 'dev' });
    expect(staging.node.tryFindChild('ReadBydev-data_ArgoRole')).toBeDefined();
  });

  test('fails when a role of a stack of another account is granted', () => {
    const app = Testing.app();
    const tools = new TerraformStack(app, 'tools');
    new AwsProvider(tools, 'aws', { region: 'ap-southeast-3', allowedAccountIds: ['111111111111'] });
    const data = new TerraformStack(app, 'dev-data');
    new AwsProvider(data, 'aws', { region: 'ap-southeast-3', allowedAccountIds: ['236122835646'] });
    const bucket = new DataBucket(data, 'ArtifactsBucket', ARTIFACTS);
    expect(() => bucket.grantRead(role(tools, 'CiRole', 'ci')))
      .toThrow(/^dev-data\/ArtifactsBucket: grantRead grantee is "tools\/CiRole"; the grantee is of account 111111111111 and dev-data\/ArtifactsBucket of environment "dev", account 236122835646/);
  });

  test('fails when the environment is not one of the app\'s', () => {
    const app = Testing.app();
    Naming.configure(app, Naming.piksel(['hub', 'dev', 'staging']));
    expect(() => new DataBucket(new TerraformStack(app, 'prd-data'), 'Bucket', { ...ARTIFACTS, environment: 'prd' }))
      .toThrow(/^prd-data\/Bucket: environment is "prd"; the app's environments are "hub", "dev", "staging"/);
  });
});
