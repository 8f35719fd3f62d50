import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { StateBackend, StateBackendProps, StateBucket } from '../src';

const REGION = 'ap-southeast-3';
const ROLE = 'arn:aws:iam::686410905891:role/piksel-state';

/** A stack named `name` with a `StateBackend` of `props` (the bucket defaults to piksel-dev-tfstate), synthesized and parsed. */
function synthBackend(props: Partial<StateBackendProps> = {}, name = 'dev'): any {
  const stack = new TerraformStack(Testing.app(), name);
  new StateBackend(stack, 'State', {
    bucket: StateBucket.fromBucketName(stack, 'Bucket', 'piksel-dev-tfstate'),
    region: REGION,
    ...props,
  });
  return JSON.parse(Testing.synth(stack));
}

describe('StateBackend', () => {
  test('keeps the state at <stack>/terraform.tfstate, encrypted, with S3-native locking', () => {
    expect(synthBackend().terraform.backend).toEqual({
      s3: { bucket: 'piksel-dev-tfstate', key: 'dev/terraform.tfstate', region: REGION, encrypt: true, use_lockfile: true },
    });
  });

  test('takes the bucket of a StateBucket made in the same stack', () => {
    const stack = new TerraformStack(Testing.app(), 'dev-baseline');
    const bucket = new StateBucket(stack, 'Bucket', { environment: 'dev' });
    const backend = new StateBackend(stack, 'State', { bucket, region: REGION });
    expect(JSON.parse(Testing.synth(stack)).terraform.backend.s3).toMatchObject({ bucket: 'piksel-dev-tfstate', key: 'dev-baseline/terraform.tfstate' });
    expect([backend.bucketName, backend.stateKey, backend.region]).toEqual(['piksel-dev-tfstate', 'dev-baseline/terraform.tfstate', REGION]);
  });

  test('accepts a key of its own', () => {
    expect(synthBackend({ key: 'estate/dev/network.tfstate' }).terraform.backend.s3.key).toBe('estate/dev/network.tfstate');
  });

  test('assumes a role for the state when given one, as an assume_role block', () => {
    expect(synthBackend({ roleArn: ROLE }).terraform.backend.s3.assume_role).toEqual({ role_arn: ROLE });
    expect(synthBackend().terraform.backend.s3).not.toHaveProperty('assume_role');
  });

  test('records the library version in the stack', () => {
    const stack = new TerraformStack(new App(), 'dev');
    new StateBackend(stack, 'State', { bucket: StateBucket.fromBucketName(stack, 'Bucket', 'piksel-dev-tfstate'), region: REGION });
    expect(stack.toTerraform()['//'].piksel.libraries['@piksel/account-baseline']).toMatch(/^\d+\.\d+\.\d+/);
  });

  test.each([
    ['has a ".." segment', '../hub/terraform.tfstate', /dev\/State: key is "\.\.\/hub\/terraform\.tfstate"; it has a "\." or "\.\." segment, which escapes its prefix; give a path inside the bucket/],
    ['has a ".." inside', 'dev/../hub/terraform.tfstate', /dev\/State: key is "dev\/\.\.\/hub\/terraform\.tfstate"; it has a "\." or "\.\." segment/],
    ['has a "." segment', 'dev/./terraform.tfstate', /dev\/State: key is "dev\/\.\/terraform\.tfstate"; it has a "\." or "\.\." segment/],
    ['has a leading "/"', '/dev/terraform.tfstate', /dev\/State: key is "\/dev\/terraform\.tfstate"; remove the leading "\/"/],
    ['has an empty segment', 'dev//terraform.tfstate', /dev\/State: key is "dev\/\/terraform\.tfstate"; it has an empty segment/],
    ['has a trailing "/"', 'dev/', /dev\/State: key is "dev\/"; it ends with "\/", a folder, not an object/],
    ['is empty', '', /dev\/State: key is ""; it is empty/],
  ])('fails when the key %s', (_case, key, message) => {
    expect(() => synthBackend({ key })).toThrow(message);
  });

  test('fails when the region is not a region', () => {
    expect(() => synthBackend({ region: 'jakarta' })).toThrow(/dev\/State: region is "jakarta"; use an AWS region code/);
  });

  test('fails when the role is not a role ARN', () => {
    expect(() => synthBackend({ roleArn: 'piksel-state' })).toThrow(/dev\/State: roleArn is "piksel-state"; use one IAM role ARN/);
  });

  test('fails when a value is a reference, which a backend cannot read', () => {
    const stack = new TerraformStack(new App(), 'dev');
    const region = new TerraformVariable(stack, 'region', { type: 'string' });
    expect(() => new StateBackend(stack, 'State', { bucket: StateBucket.fromBucketName(stack, 'Bucket', 'piksel-dev-tfstate'), region: region.stringValue }))
      .toThrow(/dev\/State: region is "\$\{TfToken\[TOKEN\.\d+\]\}"; give a literal: Terraform reads the backend before any resource/);
  });

  test('fails when the stack already has a backend', () => {
    const stack = new TerraformStack(new App(), 'dev');
    const bucket = StateBucket.fromBucketName(stack, 'Bucket', 'piksel-dev-tfstate');
    new StateBackend(stack, 'State', { bucket, region: REGION });
    expect(() => new StateBackend(stack, 'Other', { bucket, region: REGION }))
      .toThrow(/dev\/Other: the stack's backend is "dev\/State\/backend"; a stack has one backend/);
  });
});
