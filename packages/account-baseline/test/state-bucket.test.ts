import { Naming } from '@piksel/core';
import { App, TerraformStack } from 'cdktf';
import { onlyResource, policyOf, synth } from '../../secrets/test/util';
import { StateBucket, StateBucketProps } from '../src';

const DEV: StateBucketProps = { environment: 'dev' };

describe('StateBucket', () => {
  test('names the bucket <prefix>-<environment>-tfstate and protects it from destroy', () => {
    const out = synth((stack) => new StateBucket(stack, 'State', DEV));
    expect(onlyResource(out, 'aws_s3_bucket')).toEqual({ bucket: 'piksel-dev-tfstate', lifecycle: { prevent_destroy: true } });
  });

  test('follows the naming prefix of the app', () => {
    const app = new App();
    Naming.configure(app, { prefix: 'acme' });
    const stack = new TerraformStack(app, 'Baseline');
    const bucket = new StateBucket(stack, 'State', DEV);
    expect(bucket.bucketName).toBe('acme-dev-tfstate');
    expect(bucket.bucketArn).toBe('arn:aws:s3:::acme-dev-tfstate');
  });

  test('versions, encrypts with SSE-S3, blocks public access and enforces bucket ownership', () => {
    const out = synth((stack) => new StateBucket(stack, 'State', DEV));
    expect(onlyResource(out, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(onlyResource(out, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } },
    ]);
    expect(onlyResource(out, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
    });
    expect(onlyResource(out, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
  });

  test('denies requests without TLS and deleting the bucket, to everyone', () => {
    const policy = onlyResource(synth((stack) => new StateBucket(stack, 'State', DEV)), 'aws_s3_bucket_policy');
    expect(policy.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_public_access_block\./)]);
    expect(policyOf(policy).Statement).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Resource: ['arn:aws:s3:::piksel-dev-tfstate', 'arn:aws:s3:::piksel-dev-tfstate/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      { Sid: 'DenyBucketDeletion', Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::piksel-dev-tfstate' },
    ]);
  });

  test('expires replaced versions after 90 days and aborts unfinished uploads after 7, once versioning is on', () => {
    const lifecycle = onlyResource(synth((stack) => new StateBucket(stack, 'State', DEV)), 'aws_s3_bucket_lifecycle_configuration');
    expect(lifecycle.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\./)]);
    expect(lifecycle.rule).toEqual([
      {
        id: 'expire-noncurrent-state-versions',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        noncurrent_version_expiration: [{ noncurrent_days: 90 }],
        expiration: [{ expired_object_delete_marker: true }],
      },
      { id: 'abort-incomplete-uploads', status: 'Enabled', filter: [{ prefix: '' }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] },
    ]);
  });

  test('accepts a bucket name, a retention and an abort period', () => {
    const out = synth((stack) => new StateBucket(stack, 'State', { ...DEV, bucketName: 'geo-dev-state', noncurrentVersionRetentionDays: 30, abortIncompleteUploadDays: 2, tags: { Team: 'devops' } }));
    expect(onlyResource(out, 'aws_s3_bucket')).toMatchObject({ bucket: 'geo-dev-state', tags: { Team: 'devops' } });
    const [noncurrent, abort] = onlyResource(out, 'aws_s3_bucket_lifecycle_configuration').rule;
    expect(noncurrent.noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
    expect(abort.abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 2 }]);
  });

  test('records the library version in the stack', () => {
    const stack = new TerraformStack(new App(), 'Baseline');
    new StateBucket(stack, 'State', DEV);
    expect(stack.toTerraform()['//'].piksel.libraries['@piksel/account-baseline']).toMatch(/^\d+\.\d+\.\d+/);
  });

  test.each([
    ['bucketName', { bucketName: 'Piksel_Dev' }, /State: bucketName is "Piksel_Dev"; use only a-z 0-9 \. -/],
    ['bucketName', { bucketName: '192.168.10.1' }, /State: bucketName is "192\.168\.10\.1"; it is shaped like an IP address/],
    ['bucketName', { bucketName: 'xn--piksel-state' }, /State: bucketName is "xn--piksel-state"; it starts with a prefix S3 reserves/],
    ['environment', { environment: 'Dev' }, /State: environment is "Dev"; use lower-case kebab-case/],
    ['environment', { environment: 'a-very-long-environment-x' }, /State: environment is "a-very-long-environment-x"; use lower-case kebab-case of at most 24/],
    ['noncurrentVersionRetentionDays', { noncurrentVersionRetentionDays: 0 }, /State: noncurrentVersionRetentionDays is 0; use a whole number of days, 1 or more/],
    ['noncurrentVersionRetentionDays', { noncurrentVersionRetentionDays: -30 }, /State: noncurrentVersionRetentionDays is -30; use a whole number of days, 1 or more/],
    ['abortIncompleteUploadDays', { abortIncompleteUploadDays: 1.5 }, /State: abortIncompleteUploadDays is 1\.5; use a whole number of days, 1 or more/],
    ['tags', { tags: { 'aws:owner': 'x' } }, /State: tags key is "aws:owner"/],
  ])('fails when %s is invalid', (_field, bad, message) => {
    expect(() => synth((stack) => new StateBucket(stack, 'State', { ...DEV, ...bad }))).toThrow(message);
  });
});

describe('StateBucket.fromBucketName', () => {
  test('refers to a bucket by name', () => {
    synth((stack) => {
      const bucket = StateBucket.fromBucketName(stack, 'Imported', 'piksel-hub-tfstate');
      expect(bucket.bucketArn).toBe('arn:aws:s3:::piksel-hub-tfstate');
    });
  });

  test('fails when the name is not a bucket name', () => {
    expect(() => synth((stack) => StateBucket.fromBucketName(stack, 'Imported', 'Piksel'))).toThrow(/Imported: bucketName is "Piksel"; use only a-z 0-9 \. -/);
  });
});

describe('StateBucket across stacks', () => {
  test('fails when two state buckets of the app have one name, with both paths', () => {
    const app = new App();
    new StateBucket(new TerraformStack(app, 'dev-baseline'), 'StateBucket', DEV);
    expect(() => new StateBucket(new TerraformStack(app, 'dev-copy'), 'StateBucket', DEV))
      .toThrow(/^dev-copy\/StateBucket: the derived bucketName is "piksel-dev-tfstate"; dev-baseline\/StateBucket has it already; bucket names are global/);
  });
});
