import { CreateSecretCommand, PutSecretValueCommand, TagResourceCommand } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CALLER_ARN, mockAws, mockExistingSecret, mockNoKey, secretsManager, sts, writeCalls } from './aws-mocks';
import { OAUTH_VALUE, runCli, SLACK_VALUE } from './util';

const GRAFANA_DEV = ['put', '--env', 'dev', '--service', 'grafana', '--kind', 'oauth-client', '--value-stdin'];
const SCHEMA_TAGS = { Project: 'Piksel', Service: 'grafana', Environment: 'dev', Owner: 'Piksel-Devops-Team', Tenant: 'Cognito' };

function credentialsError(): Error {
  return Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
}

beforeEach(mockAws);

describe('piksel-secrets put', () => {
  test('creates a missing secret with the full tag schema, the environment\'s key and the value', async () => {
    const result = await runCli(GRAFANA_DEV, `${OAUTH_VALUE}\n`);

    expect(result.code).toBe(0);
    expect(secretsManager.commandCalls(CreateSecretCommand).map((call) => call.args[0].input)).toEqual([{
      Name: 'grafana-oauth-dev',
      Description: 'OAuth client credentials (client_id:client_secret) for grafana in dev',
      KmsKeyId: 'alias/piksel-dev-secrets',
      Tags: [
        { Key: 'Project', Value: 'Piksel' },
        { Key: 'Service', Value: 'grafana' },
        { Key: 'Environment', Value: 'dev' },
        { Key: 'Owner', Value: 'Piksel-Devops-Team' },
        { Key: 'Tenant', Value: 'Cognito' },
      ],
      SecretString: OAUTH_VALUE,
    }]);
    expect(secretsManager.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    expect(result.stdout).toMatch(/Created grafana-oauth-dev \(arn:aws:secretsmanager:.*\) with its first value, version v-created/);
    expect(result.output).not.toContain(OAUTH_VALUE);
  });

  test('creates the secret with the default aws/secretsmanager key when the environment has no key', async () => {
    mockNoKey();
    const result = await runCli(GRAFANA_DEV, OAUTH_VALUE);

    expect(result.code).toBe(0);
    expect(secretsManager.commandCalls(CreateSecretCommand)[0].args[0].input.KmsKeyId).toBeUndefined();
    expect(result.stdout).toMatch(/Key +aws\/secretsmanager \(the account has no alias\/piksel-dev-secrets\)/);
  });

  test('puts a new version of an existing secret and leaves its tags alone', async () => {
    mockExistingSecret('grafana-oauth-dev', { ...SCHEMA_TAGS, ManagedBy: 'Terraform' });
    const result = await runCli(GRAFANA_DEV, OAUTH_VALUE);

    expect(result.code).toBe(0);
    expect(secretsManager.commandCalls(PutSecretValueCommand).map((call) => call.args[0].input))
      .toEqual([{ SecretId: 'grafana-oauth-dev', SecretString: OAUTH_VALUE }]);
    expect(secretsManager.commandCalls(CreateSecretCommand)).toHaveLength(0);
    expect(secretsManager.commandCalls(TagResourceCommand)).toHaveLength(0);
    expect(result.stdout).toContain('Put a new value in grafana-oauth-dev: version v-put is now AWSCURRENT.');
  });

  test('adds the schema tags an existing secret lacks before putting the value', async () => {
    mockExistingSecret('slack-alerts-dev', { Project: 'Piksel', Service: 'alerts', Environment: 'dev' });
    const result = await runCli(['put', '--env', 'dev', '--service', 'alerts', '--kind', 'slack-webhook', '--value-stdin'], SLACK_VALUE);

    expect(result.code).toBe(0);
    expect(secretsManager.commandCalls(TagResourceCommand).map((call) => call.args[0].input)).toEqual([{
      SecretId: 'slack-alerts-dev',
      Tags: [{ Key: 'Owner', Value: 'Piksel-Devops-Team' }, { Key: 'Tenant', Value: 'Slack' }],
    }]);
    expect(secretsManager.commandCalls(PutSecretValueCommand)).toHaveLength(1);
    expect(result.output).not.toContain(SLACK_VALUE);
  });

  test('fails when an existing secret\'s tags contradict the schema, writing nothing', async () => {
    mockExistingSecret('grafana-oauth-dev', { ...SCHEMA_TAGS, Environment: 'staging' });
    const result = await runCli(GRAFANA_DEV, OAUTH_VALUE);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refused: grafana-oauth-dev exists with tags that contradict the schema: Environment=staging \(expected dev\)/);
    expect(writeCalls()).toHaveLength(0);
  });

  test('fails when the secret is scheduled for deletion, saying how to restore it', async () => {
    mockExistingSecret('grafana-oauth-dev', SCHEMA_TAGS, true, { DeletedDate: new Date() });
    const result = await runCli(GRAFANA_DEV, OAUTH_VALUE);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/scheduled for deletion.*restore-secret --secret-id grafana-oauth-dev/);
    expect(writeCalls()).toHaveLength(0);
  });

  test('fails when the credentials belong to another account, writing nothing', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '522783511350', Arn: 'arn:aws:sts::522783511350:assumed-role/Admin/me' });
    const result = await runCli(GRAFANA_DEV, OAUTH_VALUE);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refused: your credentials are for account 522783511350 .* but dev is account 236122835646/);
    expect(writeCalls()).toHaveLength(0);
  });

  test('fails on a malformed value before any AWS call, without repeating the value', async () => {
    const malformed = 'client-id-only-3x4mpl3';
    const result = await runCli(GRAFANA_DEV, malformed);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refused: the value has 1 part\(s\) separated by ":"; expected exactly two.*Nothing was sent to AWS/);
    expect(result.output).not.toContain(malformed);
    expect(sts.calls()).toHaveLength(0);
    expect(secretsManager.calls()).toHaveLength(0);
  });

  test('fails when a value is given on the command line, without repeating it', async () => {
    const result = await runCli(['put', '--env', 'dev', '--service', 'grafana', '--kind', 'oauth-client', `--value=${OAUTH_VALUE}`]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/a value is never taken from the command line.*--value-stdin/);
    expect(result.output).not.toContain(OAUTH_VALUE);
    expect(sts.calls()).toHaveLength(0);
  });

  test('fails when there is neither --value-stdin nor a terminal to prompt on', async () => {
    const result = await runCli(['put', '--env', 'dev', '--service', 'grafana', '--kind', 'oauth-client']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no terminal to prompt for the value on; pipe the value in and add --value-stdin/);
  });

  test('reads the value from a hidden prompt on a terminal, echoing nothing', async () => {
    const result = await runCli(['put', '--env', 'dev', '--service', 'grafana', '--kind', 'oauth-client'], `${OAUTH_VALUE}\n`, true);

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Value for grafana-oauth-dev (input hidden): ');
    expect(secretsManager.commandCalls(CreateSecretCommand)[0].args[0].input.SecretString).toBe(OAUTH_VALUE);
    expect(result.output).not.toContain(OAUTH_VALUE);
  });

  test.each([
    [['--env', 'prod'], /option '--env <env>' argument 'prod' is invalid. Allowed choices are dev, staging, production/],
    [['--kind', 'api-key'], /option '--kind <kind>' argument 'api-key' is invalid. Allowed choices are oauth-client, slack-webhook/],
    [['--service', 'Grafana UI'], /service is "Grafana UI"; use lower-case letters, digits and hyphens/],
  ])('fails on %j, saying what is allowed', async (override, message) => {
    const argv = [...GRAFANA_DEV];
    argv[argv.indexOf(override[0]) + 1] = override[1];
    const result = await runCli(argv, OAUTH_VALUE);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(writeCalls()).toHaveLength(0);
  });

  test('fails with a sign-in hint when there are no credentials', async () => {
    sts.on(GetCallerIdentityCommand).rejects(credentialsError());
    const result = await runCli(GRAFANA_DEV, OAUTH_VALUE);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error: no usable AWS credentials .*aws sso login --profile <profile>/);
    expect(writeCalls()).toHaveLength(0);
  });

  test('fails with an access-denied message when Secrets Manager refuses the write', async () => {
    secretsManager.on(CreateSecretCommand).rejects(Object.assign(
      new Error(`User: ${CALLER_ARN} is not authorized to perform: secretsmanager:CreateSecret`), { name: 'AccessDeniedException' },
    ));
    const result = await runCli(GRAFANA_DEV, OAUTH_VALUE);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error: access denied \(User: .* is not authorized to perform: secretsmanager:CreateSecret\)/);
    expect(result.output).not.toContain(OAUTH_VALUE);
  });

  describe('--dry-run', () => {
    test('shows the name, tags, key and the masked value, and writes nothing', async () => {
      const result = await runCli([...GRAFANA_DEV, '--dry-run'], OAUTH_VALUE);

      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Account      236122835646, verified (${CALLER_ARN})`);
      expect(result.stdout).toContain('Tags         Project=Piksel, Service=grafana, Environment=dev, Owner=Piksel-Devops-Team, Tenant=Cognito');
      expect(result.stdout).toMatch(/CreateSecret Name=grafana-oauth-dev KmsKeyId=alias\/piksel-dev-secrets Tags: .* SecretString=\*{8}/);
      expect(result.stdout).toContain('Dry run: nothing was written.');
      expect(result.output).not.toContain(OAUTH_VALUE);
      expect(writeCalls()).toHaveLength(0);
    });

    test('shows a new version and the missing tags for an existing secret', async () => {
      mockExistingSecret('grafana-oauth-dev', { Project: 'Piksel', Service: 'grafana', Environment: 'dev' });
      const result = await runCli([...GRAFANA_DEV, '--dry-run'], OAUTH_VALUE);

      expect(result.stdout).toContain('TagResource SecretId=grafana-oauth-dev Tags: Owner=Piksel-Devops-Team, Tenant=Cognito');
      expect(result.stdout).toContain('PutSecretValue SecretId=grafana-oauth-dev SecretString=********');
      expect(writeCalls()).toHaveLength(0);
    });

    test('goes on without credentials and says the account was not verified', async () => {
      sts.on(GetCallerIdentityCommand).rejects(credentialsError());
      const result = await runCli([...GRAFANA_DEV, '--dry-run'], OAUTH_VALUE);

      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Account +not verified: no usable AWS credentials/);
      expect(result.stdout).toMatch(/if absent +CreateSecret Name=grafana-oauth-dev/);
      expect(result.stdout).toMatch(/if present +PutSecretValue SecretId=grafana-oauth-dev/);
      expect(secretsManager.calls()).toHaveLength(0);
      expect(result.output).not.toContain(OAUTH_VALUE);
    });

    test('still refuses credentials of another account', async () => {
      sts.on(GetCallerIdentityCommand).resolves({ Account: '326641642924', Arn: 'arn:aws:sts::326641642924:assumed-role/Admin/me' });
      const result = await runCli([...GRAFANA_DEV, '--dry-run'], OAUTH_VALUE);

      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/but dev is account 236122835646/);
    });
  });
});
