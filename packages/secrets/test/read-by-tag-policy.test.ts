import { Naming } from '@piksel/core';
import { TerraformStack, Testing } from 'cdktf';
import { Grantee, SecretsKey, SecretsReadByTagPolicy, SecretsReadByTagPolicyProps } from '../src';
import { onlyResource, policyOf, resourcesOf, synth } from './util';

const DEV: SecretsReadByTagPolicyProps = {
  policyName: 'piksel-dev-external-secrets-read',
  environment: 'dev',
  account: '236122835646',
  region: 'ap-southeast-3',
};

describe('SecretsReadByTagPolicy', () => {
  test('reads secrets of the environment and project only, by tag', () => {
    const out = synth((stack) => new SecretsReadByTagPolicy(stack, 'Read', DEV));
    const policy = onlyResource(out, 'aws_iam_policy');
    expect(policy.name).toBe('piksel-dev-external-secrets-read');
    expect(policyOf(policy).Statement).toEqual([{
      Sid: 'ReadSecretsByTag',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:ListSecretVersionIds'],
      Resource: 'arn:aws:secretsmanager:ap-southeast-3:236122835646:secret:*',
      Condition: { StringEquals: { 'secretsmanager:ResourceTag/Project': 'Piksel', 'secretsmanager:ResourceTag/Environment': 'dev' } },
    }]);
  });

  test('narrows to services, allows listing and decrypting with the environment key when asked', () => {
    const out = synth((stack) => {
      const key = new SecretsKey(stack, 'Key', { environment: 'dev', account: '236122835646', region: 'ap-southeast-3' });
      new SecretsReadByTagPolicy(stack, 'Read', { ...DEV, services: ['grafana', 'argo'], allowListing: true, encryptionKey: key });
    });
    const [read, list, decrypt] = policyOf(onlyResource(out, 'aws_iam_policy')).Statement;
    expect(read.Condition.StringEquals['secretsmanager:ResourceTag/Service']).toEqual(['grafana', 'argo']);
    expect(list).toEqual({ Sid: 'ListSecrets', Effect: 'Allow', Action: ['secretsmanager:ListSecrets', 'secretsmanager:BatchGetSecretValue'], Resource: '*' });
    expect(decrypt).toMatchObject({ Action: ['kms:Decrypt'], Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.ap-southeast-3.amazonaws.com' } } });
  });

  test('attachTo attaches the policy to the role once', () => {
    const out = synth((stack) => {
      const policy = new SecretsReadByTagPolicy(stack, 'Read', DEV);
      const role = Grantee.fromRoleName(stack, 'ExternalSecrets', 'piksel-dev-external-secrets');
      policy.attachTo(role);
      policy.attachTo(role);
    });
    const attachments = Object.values(resourcesOf(out, 'aws_iam_role_policy_attachment'));
    expect(attachments).toEqual([{ role: 'piksel-dev-external-secrets', policy_arn: expect.stringMatching(/^\$\{aws_iam_policy\.Read_Policy_[0-9A-F]{8}\.arn\}$/) }]);
  });

  test.each([
    ['policyName', { policyName: 'read secrets' }, /Read: policyName is "read secrets"; use an IAM policy name: 1-128/],
    ['environment', { environment: 'DEV' }, /Read: environment or project is .*"DEV".*environment is "DEV"; use lower-case/],
    ['services', { services: [] }, /Read: services is \[\]; omit services to allow every service, or name at least one/],
    ['services', { services: ['Grafana'] }, /Read: services is \["Grafana"\]; "Grafana" is not a service name/],
    ['account', { account: 'piksel-dev' }, /Read: account is "piksel-dev"; use a 12-digit AWS account ID/],
  ])('fails when %s is invalid', (_field, bad, message) => {
    expect(() => synth((stack) => new SecretsReadByTagPolicy(stack, 'Read', { ...DEV, ...bad }))).toThrow(message);
  });
});

describe('SecretsReadByTagPolicy and the app\'s environments', () => {
  test('fails when the environment is not one of the app\'s', () => {
    const app = Testing.app();
    Naming.configure(app, Naming.piksel(['hub', 'dev', 'staging', 'production']));
    expect(() => new SecretsReadByTagPolicy(new TerraformStack(app, 'dev'), 'Read', { ...DEV, environment: 'prd' }))
      .toThrow(/^dev\/Read: environment is "prd"; the app's environments are "hub", "dev", "staging", "production"; use one of them/);
  });

  test('fails when attached to a role of another environment without naming it', () => {
    const app = Testing.app();
    const staging = new TerraformStack(app, 'staging');
    new SecretsKey(staging, 'SecretsKey', { environment: 'staging', account: '236122835646', region: 'ap-southeast-3' });
    const policy = new SecretsReadByTagPolicy(staging, 'Read', { ...DEV, environment: 'staging' });
    const dev = new TerraformStack(app, 'dev');
    new SecretsKey(dev, 'SecretsKey', { environment: 'dev', account: '111111111111', region: 'ap-southeast-3' });
    const devRole = Grantee.fromRoleName(dev, 'ExternalSecrets', 'piksel-dev-external-secrets');
    expect(() => policy.attachTo(devRole))
      .toThrow(/^staging\/Read: attachTo grantee is "dev\/ExternalSecrets"; the grantee is of environment "dev" and staging\/Read of environment "staging"/);
    expect(() => policy.attachTo(devRole, { allowFromEnvironment: 'dev' })).not.toThrow();
  });
});
