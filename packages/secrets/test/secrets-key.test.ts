import { TerraformStack, Testing } from 'cdktf';
import { Grantee, SecretsKey, SecretsKeyProps } from '../src';
import { onlyResource, policyOf, synth } from './util';

const DEV: SecretsKeyProps = { environment: 'dev', account: '236122835646', region: 'ap-southeast-3' };

describe('SecretsKey', () => {
  test('creates a rotating key with the environment alias', () => {
    const out = synth((stack) => new SecretsKey(stack, 'Key', DEV));
    const key = onlyResource(out, 'aws_kms_key');
    expect(key).toMatchObject({ enable_key_rotation: true, rotation_period_in_days: 365, deletion_window_in_days: 30 });
    expect(onlyResource(out, 'aws_kms_alias')).toMatchObject({
      name: 'alias/piksel-dev-secrets',
      target_key_id: expect.stringMatching(/^\$\{aws_kms_key\.Key_[0-9A-F]{8}\.key_id\}$/),
    });
  });

  test('lets the account administer the key but use it only through Secrets Manager in its region', () => {
    const out = synth((stack) => new SecretsKey(stack, 'Key', DEV));
    const [admin, use] = policyOf(onlyResource(out, 'aws_kms_key')).Statement;
    expect(admin.Principal).toEqual({ AWS: 'arn:aws:iam::236122835646:root' });
    expect(admin.Action).toEqual(expect.arrayContaining(['kms:Put*', 'kms:ScheduleKeyDeletion', 'kms:Describe*']));
    expect(admin.Action).not.toEqual(expect.arrayContaining(['kms:Decrypt']));
    expect(admin.Condition).toBeUndefined();
    expect(use).toEqual({
      Sid: 'AccountUsesKeyOnlyViaSecretsManager',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::236122835646:root' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.ap-southeast-3.amazonaws.com', 'kms:CallerAccount': '236122835646' } },
    });
  });

  test('accepts a custom alias, deletion window and rotation period', () => {
    const out = synth((stack) => new SecretsKey(stack, 'Key', { ...DEV, aliasName: 'alias/geo-dev', deletionWindowDays: 7, rotationPeriodDays: 90 }));
    expect(onlyResource(out, 'aws_kms_key')).toMatchObject({ deletion_window_in_days: 7, rotation_period_in_days: 90 });
    expect(onlyResource(out, 'aws_kms_alias').name).toBe('alias/geo-dev');
  });

  test('grantDecrypt allows kms:Decrypt on this key through Secrets Manager only', () => {
    const out = synth((stack) => {
      new SecretsKey(stack, 'Key', DEV).grantDecrypt(Grantee.fromRoleName(stack, 'Reader', 'reader'));
    });
    const policy = onlyResource(out, 'aws_iam_role_policy');
    expect(policy.role).toBe('reader');
    expect(policy.name).toMatch(/^decrypt-Key-[0-9a-f]{8}$/);
    expect(policyOf(policy).Statement).toEqual([{
      Sid: 'DecryptViaSecretsManager',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: expect.stringMatching(/^\$\{aws_kms_key\.Key_[0-9A-F]{8}\.arn\}$/),
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.ap-southeast-3.amazonaws.com' } },
    }]);
  });

  test.each([
    ['environment', { environment: 'Dev' }, /Key: environment is "Dev"; use lower-case/],
    ['account', { account: '2361-2283' }, /Key: account is "2361-2283"; use a 12-digit AWS account ID/],
    ['region', { region: 'jakarta' }, /Key: region is "jakarta"; use an AWS region code/],
    ['aliasName', { aliasName: 'piksel-dev' }, /Key: aliasName is "piksel-dev"; start with "alias\/"/],
    ['aliasName', { aliasName: 'alias/aws/secrets' }, /Key: aliasName is "alias\/aws\/secrets"; start with "alias\/", not "alias\/aws\/"/],
    ['deletionWindowDays', { deletionWindowDays: 6 }, /Key: deletionWindowDays is 6; use a whole number of days from 7 to 30/],
    ['rotationPeriodDays', { rotationPeriodDays: 3000 }, /Key: rotationPeriodDays is 3000; use a whole number of days from 90 to 2560/],
  ])('fails when %s is invalid', (_field, bad, message) => {
    expect(() => synth((stack) => new SecretsKey(stack, 'Key', { ...DEV, ...bad }))).toThrow(message);
  });
});

describe('SecretsKey.fromKeyArn', () => {
  test('fails when given an alias instead of a key ARN', () => {
    expect(() => synth((stack) => SecretsKey.fromKeyArn(stack, 'Imported', 'alias/piksel-dev-secrets', 'ap-southeast-3')))
      .toThrow(/Imported: keyArn is "alias\/piksel-dev-secrets"; use a KMS key ARN/);
  });
});

describe('SecretsKey across stacks', () => {
  test('fails when two keys of one account and region share an alias, with both paths', () => {
    const app = Testing.app();
    new SecretsKey(new TerraformStack(app, 'dev'), 'SecretsKey', DEV);
    expect(() => new SecretsKey(new TerraformStack(app, 'dev-data'), 'SecretsKey', DEV))
      .toThrow(/^dev-data\/SecretsKey: the derived aliasName is "alias\/piksel-dev-secrets"; dev\/SecretsKey has it already; KMS aliases are unique in an account and region/);
    expect(() => new SecretsKey(new TerraformStack(app, 'dev-eu'), 'SecretsKey', { ...DEV, region: 'eu-west-1' })).not.toThrow();
  });

  test('fails when a role of another environment is granted decrypt without naming it', () => {
    const app = Testing.app();
    const dev = new TerraformStack(app, 'dev');
    new SecretsKey(dev, 'SecretsKey', DEV);
    const staging = new SecretsKey(new TerraformStack(app, 'staging'), 'SecretsKey', { ...DEV, environment: 'staging', account: '111111111111' });
    const devRole = Grantee.fromRoleName(dev, 'ExternalSecrets', 'piksel-dev-external-secrets');
    expect(() => staging.grantDecrypt(devRole))
      .toThrow(/^staging\/SecretsKey: grantDecrypt grantee is "dev\/ExternalSecrets"; the grantee is of environment "dev" and staging\/SecretsKey of environment "staging", account 111111111111/);
    expect(() => staging.grantDecrypt(devRole, { allowFromEnvironment: 'dev' })).not.toThrow();
  });
});
