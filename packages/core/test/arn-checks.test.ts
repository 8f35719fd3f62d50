import { TerraformStack, Testing, Token } from 'cdktf';
import { arnAccount, checkIamPolicyArn, checkIamPrincipalArn, checkIamRoleArn, checkKmsKeyArn, iamArnName } from '../src';

const ROLE = 'arn:aws:iam::236122835646:role/piksel-dev-karpenter';

describe('ARN checks', () => {
  const s = new TerraformStack(Testing.app(), 'stack');

  test('accept role ARNs with and without a path, in any partition, and skip tokens', () => {
    for (const arn of [ROLE, 'arn:aws:iam::236122835646:role/ci/deploy', `arn:aws-us-gov:iam::236122835646:role/${'r'.repeat(64)}`, Token.asString({ Ref: 'arn' })]) {
      expect(() => checkIamRoleArn(s, 'roleArn', arn)).not.toThrow();
    }
  });

  test.each([
    ['an account root', 'arn:aws:iam::236122835646:root'],
    ['a user', 'arn:aws:iam::236122835646:user/me'],
    ['a wildcard', 'arn:aws:iam::236122835646:role/*'],
    ['a short account', 'arn:aws:iam::23612283564:role/x'],
    ['a name longer than 64', `arn:aws:iam::236122835646:role/${'r'.repeat(65)}`],
    ['an empty path segment', 'arn:aws:iam::236122835646:role//x'],
    ['a name', 'piksel-dev-karpenter'],
  ])('fails when a role ARN is %s', (_name, arn) => {
    expect(() => checkIamRoleArn(s, 'roleArn', arn)).toThrow(/^stack: roleArn is ".*"; use one IAM role ARN, arn:aws:iam::<12-digit account>:role\/<name>/);
  });

  test('accept a role or a user as a principal, and nothing else', () => {
    expect(() => checkIamPrincipalArn(s, 'principalArn', ROLE)).not.toThrow();
    expect(() => checkIamPrincipalArn(s, 'principalArn', 'arn:aws:iam::236122835646:user/admins/me')).not.toThrow();
    expect(() => checkIamPrincipalArn(s, 'principalArn', 'arn:aws:iam::236122835646:group/admins')).toThrow(/principalArn is ".*"; use one IAM role or user ARN/);
    expect(() => checkIamPrincipalArn(s, 'principalArn', 'admin')).toThrow(/principalArn is "admin"; use one IAM role or user ARN/);
  });

  test('accept AWS and customer managed policy ARNs, and refuse others', () => {
    expect(() => checkIamPolicyArn(s, 'policyArn', 'arn:aws:iam::aws:policy/AdministratorAccess')).not.toThrow();
    expect(() => checkIamPolicyArn(s, 'policyArn', 'arn:aws:iam::236122835646:policy/team/read-only')).not.toThrow();
    expect(() => checkIamPolicyArn(s, 'policyArn', 'AdministratorAccess')).toThrow(/policyArn is "AdministratorAccess"; use a managed policy ARN/);
    expect(() => checkIamPolicyArn(s, 'policyArn', ROLE)).toThrow(/use a managed policy ARN/);
  });

  test('accept a KMS key ARN, single- or multi-Region, and refuse an alias', () => {
    expect(() => checkKmsKeyArn(s, 'keyArn', 'arn:aws:kms:ap-southeast-3:236122835646:key/1234abcd-12ab-34cd-56ef-1234567890ab')).not.toThrow();
    expect(() => checkKmsKeyArn(s, 'keyArn', 'arn:aws:kms:ap-southeast-3:236122835646:key/mrk-1234abcd12ab34cd56ef1234567890ab')).not.toThrow();
    expect(() => checkKmsKeyArn(s, 'keyArn', 'arn:aws:kms:ap-southeast-3:236122835646:alias/piksel')).toThrow(/keyArn is ".*alias\/piksel"; use a KMS key ARN, .*\(not an alias\)/);
    expect(() => checkKmsKeyArn(s, 'keyArn', '1234abcd-12ab-34cd-56ef-1234567890ab')).toThrow(/use a KMS key ARN/);
  });

  test('read the account and name of a checked ARN', () => {
    expect(arnAccount('arn:aws:iam::236122835646:role/ci/deploy')).toBe('236122835646');
    expect(iamArnName('arn:aws:iam::236122835646:role/ci/deploy')).toBe('deploy');
    expect(iamArnName('arn:aws:iam::aws:policy/AdministratorAccess')).toBe('AdministratorAccess');
  });
});
