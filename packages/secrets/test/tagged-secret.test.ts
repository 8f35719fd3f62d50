import { readFileSync } from 'fs';
import { join } from 'path';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Naming } from '@piksel/core';
import { TerraformStack, Testing } from 'cdktf';
import { Grantee, SecretKind, SecretsKey, TaggedSecret, TaggedSecretProps } from '../src';
import { onlyResource, policyOf, resourcesOf, synth } from './util';

const GRAFANA: TaggedSecretProps = {
  kind: SecretKind.OAUTH_CLIENT,
  service: 'grafana',
  environment: 'dev',
  tenant: 'Cognito',
};

/** A reference to the ARN of the key `devKey` creates. */
const KEY_ARN_REF = /^\$\{aws_kms_key\.Key_[0-9A-F]{8}\.arn\}$/;

function secretNamed(secrets: Record<string, any>, name: string): any {
  return Object.values(secrets).find((s) => s.name === name);
}

function devKey(stack: TerraformStack): SecretsKey {
  return new SecretsKey(stack, 'Key', { environment: 'dev', account: '236122835646', region: 'ap-southeast-3' });
}

describe('TaggedSecret', () => {
  test('creates a secret named by its kind, service and environment', () => {
    const out = synth((stack) => new TaggedSecret(stack, 'Grafana', GRAFANA));
    const secret = onlyResource(out, 'aws_secretsmanager_secret');
    expect(secret.name).toBe('grafana-oauth-dev');
    expect(secret.description).toBe('OAuth client credentials (client_id:client_secret) for grafana in dev');
  });

  test('takes Project and Owner from the naming setting unless given', () => {
    const app = Testing.app();
    Naming.configure(app, { prefix: 'acme', displayName: 'Acme', owner: 'Acme-Platform' });
    const stack = new TerraformStack(app, 'stack');
    new TaggedSecret(stack, 'Grafana', GRAFANA);
    new TaggedSecret(stack, 'Argo', { ...GRAFANA, service: 'argo', project: 'Other', owner: 'Other-Team' });
    const secrets = JSON.parse(Testing.synth(stack)).resource.aws_secretsmanager_secret;
    expect(secretNamed(secrets, 'grafana-oauth-dev').tags).toMatchObject({ Project: 'Acme', Owner: 'Acme-Platform' });
    expect(secretNamed(secrets, 'argo-oauth-dev').tags).toMatchObject({ Project: 'Other', Owner: 'Other-Team' });
  });

  test('names Slack webhooks tenant first', () => {
    const out = synth((stack) => new TaggedSecret(stack, 'Slack', {
      kind: SecretKind.SLACK_WEBHOOK, service: 'alerts', environment: 'staging', tenant: 'Slack',
    }));
    expect(onlyResource(out, 'aws_secretsmanager_secret').name).toBe('slack-alerts-staging');
  });

  test('carries the full tag schema with defaults, then extra tags', () => {
    const out = synth((stack) => new TaggedSecret(stack, 'Grafana', { ...GRAFANA, extraTags: { CostCentre: 'geo-42' } }));
    expect(onlyResource(out, 'aws_secretsmanager_secret').tags).toEqual({
      Project: 'Piksel',
      Service: 'grafana',
      Environment: 'dev',
      Owner: 'Piksel-Devops-Team',
      Tenant: 'Cognito',
      CostCentre: 'geo-42',
    });
  });

  test('never puts a value in Terraform', () => {
    const out = synth((stack) => new TaggedSecret(stack, 'Grafana', GRAFANA));
    expect(resourcesOf(out, 'aws_secretsmanager_secret_version')).toEqual({});
    expect(JSON.stringify(out)).not.toMatch(/secret_string|secret_binary/);
  });

  test('keeps 30 days to recover a deleted secret by default, and accepts 0 or 7-30', () => {
    const out = synth((stack) => {
      new TaggedSecret(stack, 'Default', GRAFANA);
      new TaggedSecret(stack, 'Immediate', { ...GRAFANA, service: 'argo', recoveryWindowDays: 0 });
      new TaggedSecret(stack, 'Week', { ...GRAFANA, service: 'jupyterhub', recoveryWindowDays: 7 });
    });
    const windows = Object.fromEntries(Object.values(resourcesOf(out, 'aws_secretsmanager_secret')).map((s) => [s.name, s.recovery_window_in_days]));
    expect(windows).toEqual({ 'grafana-oauth-dev': 30, 'argo-oauth-dev': 0, 'jupyterhub-oauth-dev': 7 });
  });

  test('uses the AWS-managed key unless given a customer-managed key', () => {
    const out = synth((stack) => {
      new TaggedSecret(stack, 'Plain', GRAFANA);
      new TaggedSecret(stack, 'Encrypted', { ...GRAFANA, service: 'argo', encryptionKey: devKey(stack) });
    });
    const secrets = resourcesOf(out, 'aws_secretsmanager_secret');
    expect(secretNamed(secrets, 'grafana-oauth-dev').kms_key_id).toBeUndefined();
    expect(secretNamed(secrets, 'argo-oauth-dev').kms_key_id).toMatch(KEY_ARN_REF);
  });

  test('grantRead allows reading this secret only, and decrypting through Secrets Manager when a key is used', () => {
    const out = synth((stack) => {
      const role = new IamRole(stack, 'Role', { name: 'piksel-dev-grafana', assumeRolePolicy: '{}' });
      const secret = new TaggedSecret(stack, 'Grafana', { ...GRAFANA, encryptionKey: devKey(stack) });
      secret.grantRead(Grantee.fromRoleName(stack, 'GrafanaRole', role.name));
    });
    const policy = onlyResource(out, 'aws_iam_role_policy');
    expect(policy.role).toBe('${aws_iam_role.Role.name}');
    expect(policyOf(policy).Statement).toEqual([
      {
        Sid: 'ReadSecret',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: expect.stringMatching(/^\$\{aws_secretsmanager_secret\.Grafana_Secret_[0-9A-F]{8}\.arn\}$/),
      },
      {
        Sid: 'DecryptViaSecretsManager',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: expect.stringMatching(KEY_ARN_REF),
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.ap-southeast-3.amazonaws.com' } },
      },
    ]);
  });

  test('grantRead without a customer-managed key grants no KMS permission', () => {
    const out = synth((stack) => {
      const secret = new TaggedSecret(stack, 'Grafana', GRAFANA);
      secret.grantRead(Grantee.fromRoleName(stack, 'GrafanaRole', 'piksel-dev-grafana'));
    });
    const actions = policyOf(onlyResource(out, 'aws_iam_role_policy')).Statement.flatMap((s) => s.Action);
    expect(actions).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']);
  });

  test('granting the same grantee twice creates one policy; two grantees get one each', () => {
    const out = synth((stack) => {
      const secret = new TaggedSecret(stack, 'Grafana', GRAFANA);
      const a = Grantee.fromRoleName(stack, 'A', 'role-a');
      secret.grantRead(a);
      secret.grantRead(a);
      secret.grantRead(Grantee.fromRoleName(stack, 'B', 'role-b'));
    });
    const roles = Object.values(resourcesOf(out, 'aws_iam_role_policy')).map((p) => p.role);
    expect(roles).toEqual(['role-a', 'role-b']);
  });

  test('records the library version under the stack comment key', () => {
    const stack = new TerraformStack(Testing.app(), 'dev');
    new TaggedSecret(stack, 'Grafana', GRAFANA);
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf-8'));
    expect(stack.toTerraform()['//'].piksel.libraries).toEqual({ '@piksel/secrets': version });
  });

  test('fails when a schema tag breaks the schema', () => {
    expect(() => synth((stack) => new TaggedSecret(stack, 'Bad', { ...GRAFANA, service: 'Grafana' })))
      .toThrow(/Bad: the tags break the Piksel tag schema: service is "Grafana"; use lower-case/);
    expect(() => synth((stack) => new TaggedSecret(stack, 'Bad', { ...GRAFANA, tenant: '' })))
      .toThrow(/tag Tenant is ""; use 1-256/);
  });

  test('fails when extra tags redefine a schema key or use the aws: prefix', () => {
    expect(() => synth((stack) => new TaggedSecret(stack, 'Bad', { ...GRAFANA, extraTags: { owner: 'someone' } })))
      .toThrow(/extraTags.owner redefines the schema tag owner/);
    expect(() => synth((stack) => new TaggedSecret(stack, 'Bad', { ...GRAFANA, extraTags: { 'aws:foo': 'x' } })))
      .toThrow(/extraTags.aws:foo uses the prefix "aws:"/);
  });

  test('fails when the recovery window is outside 0 or 7-30 days', () => {
    for (const days of [1, 6, 31, 7.5]) {
      expect(() => synth((stack) => new TaggedSecret(stack, 'Bad', { ...GRAFANA, recoveryWindowDays: days })))
        .toThrow(new RegExp(`Bad: recoveryWindowDays is ${days}; use a whole number of days \\(or 0 to delete at once\\) from 7 to 30`));
    }
  });

  test('fails when the name would end in a hyphen and six characters', () => {
    expect(() => synth((stack) => new TaggedSecret(stack, 'Bad', { ...GRAFANA, environment: 'sandbx' })))
      .toThrow(/Bad: the derived name is "grafana-oauth-sandbx"; a name must not end in a hyphen and six characters/);
  });
});

describe('TaggedSecret.fromSecretAttributes', () => {
  const ARN = 'arn:aws:secretsmanager:ap-southeast-3:236122835646:secret:grafana-oauth-dev-AbC123';

  test('reads the name from the ARN and grants on that ARN', () => {
    const out = synth((stack) => {
      const secret = TaggedSecret.fromSecretAttributes(stack, 'Imported', { secretArn: ARN });
      expect(secret.secretName).toBe('grafana-oauth-dev');
      secret.grantRead(Grantee.fromRoleName(stack, 'Reader', 'reader'));
    });
    expect(policyOf(onlyResource(out, 'aws_iam_role_policy')).Statement[0].Resource).toBe(ARN);
  });

  test('fails when the ARN lacks the six-character suffix', () => {
    expect(() => synth((stack) => TaggedSecret.fromSecretAttributes(stack, 'Imported', { secretArn: ARN.slice(0, -7) })))
      .toThrow(/Imported: secretArn is ".*grafana-oauth-dev"; give the full ARN .* or use fromSecretName/);
  });
});

describe('TaggedSecret.fromSecretName', () => {
  test('grants on the name pattern that matches the secret', () => {
    const out = synth((stack) => {
      const key = SecretsKey.fromKeyArn(stack, 'Key', 'arn:aws:kms:ap-southeast-3:236122835646:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'ap-southeast-3');
      const secret = TaggedSecret.fromSecretName(stack, 'Imported', {
        secretName: 'slack-alerts-dev', account: '236122835646', region: 'ap-southeast-3', encryptionKey: key,
      });
      secret.grantRead(Grantee.fromRoleName(stack, 'Reader', 'reader'));
    });
    const [read, decrypt] = policyOf(onlyResource(out, 'aws_iam_role_policy')).Statement;
    expect(read.Resource).toBe('arn:aws:secretsmanager:ap-southeast-3:236122835646:secret:slack-alerts-dev-??????');
    expect(decrypt.Resource).toBe('arn:aws:kms:ap-southeast-3:236122835646:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  });

  test('fails on a name with characters Secrets Manager refuses', () => {
    expect(() => synth((stack) => TaggedSecret.fromSecretName(stack, 'Imported', {
      secretName: 'slack alerts', account: '236122835646', region: 'ap-southeast-3',
    }))).toThrow(/Imported: secretName is "slack alerts"; use 1-512/);
  });
});

describe('TaggedSecret and the app\'s environments', () => {
  test('fails when the environment is not one of the app\'s', () => {
    const app = Testing.app();
    Naming.configure(app, Naming.piksel(['hub', 'dev', 'staging', 'production']));
    expect(() => new TaggedSecret(new TerraformStack(app, 'dev'), 'Grafana', { ...GRAFANA, environment: 'prd' }))
      .toThrow(/^dev\/Grafana: environment is "prd"; the app's environments are "hub", "dev", "staging", "production"; use one of them/);
  });

  test('fails when a role of another environment is granted read without naming it', () => {
    const app = Testing.app();
    const dev = new TerraformStack(app, 'dev');
    new TaggedSecret(dev, 'Grafana', GRAFANA);
    const staging = new TaggedSecret(new TerraformStack(app, 'staging'), 'Grafana', { ...GRAFANA, environment: 'staging' });
    const devRole = Grantee.fromRoleName(dev, 'Grafana-role', 'piksel-dev-grafana');
    expect(() => staging.grantRead(devRole))
      .toThrow(/^staging\/Grafana: grantRead grantee is "dev\/Grafana-role"; the grantee is of environment "dev" and staging\/Grafana of environment "staging"/);
    expect(() => staging.grantRead(devRole, { allowFromEnvironment: 'dev' })).not.toThrow();
  });
});
