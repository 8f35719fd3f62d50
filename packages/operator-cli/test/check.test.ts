import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { mockAws, mockExistingSecret, secretsManager, sts, writeCalls } from './aws-mocks';
import { runCli } from './util';

const schemaTags = (service: string, tenant = 'Cognito') =>
  ({ Project: 'Piksel', Service: service, Environment: 'dev', Owner: 'Piksel-Devops-Team', Tenant: tenant });

function mockCompleteDev(): void {
  for (const service of ['argo', 'jupyterhub', 'grafana']) mockExistingSecret(`${service}-oauth-dev`, schemaTags(service));
  mockExistingSecret('slack-alerts-dev', schemaTags('alerts', 'Slack'));
}

beforeEach(mockAws);

describe('piksel-secrets check', () => {
  test('lists every expected secret and exits 0 when all are in place', async () => {
    mockCompleteDev();
    const result = await runCli(['check', '--env', 'dev']);

    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(1, 6)).toEqual([
      'SECRET                EXISTS  TAGS  VALUE',
      'argo-oauth-dev        yes     ok    current',
      'jupyterhub-oauth-dev  yes     ok    current',
      'grafana-oauth-dev     yes     ok    current',
      'slack-alerts-dev      yes     ok    current',
    ]);
    expect(result.stdout).toContain('All 4 secrets of dev exist, carry the tag schema and have a value.');
    expect(secretsManager.commandCalls(DescribeSecretCommand).map((call) => call.args[0].input.SecretId))
      .toEqual(['argo-oauth-dev', 'jupyterhub-oauth-dev', 'grafana-oauth-dev', 'slack-alerts-dev']);
    expect(writeCalls()).toHaveLength(0);
  });

  test('reports missing secrets, missing or wrong tags and missing values, and exits 1', async () => {
    mockExistingSecret('argo-oauth-dev', schemaTags('argo'), false);
    mockExistingSecret('jupyterhub-oauth-dev', { Project: 'Piksel', Service: 'jupyterhub', Environment: 'dev' });
    mockExistingSecret('grafana-oauth-dev', schemaTags('grafana', 'Auth0'));
    const result = await runCli(['check', '--env', 'dev']);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/argo-oauth-dev +yes +ok +none/);
    expect(result.stdout).toMatch(/jupyterhub-oauth-dev +yes +missing Owner, Tenant +current/);
    expect(result.stdout).toMatch(/grafana-oauth-dev +yes +Tenant=Auth0 \(expected Cognito\) +current/);
    expect(result.stdout).toMatch(/slack-alerts-dev +no +- +-/);
    expect(result.stdout).toContain('4 of 4 secrets of dev need attention.');
  });

  test('fails when the credentials belong to another account, before looking at any secret', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '236122835646', Arn: 'arn:aws:sts::236122835646:assumed-role/Admin/me' });
    const result = await runCli(['check', '--env', 'production']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/credentials are for account 236122835646 .* but production is account 522783511350/);
    expect(secretsManager.calls()).toHaveLength(0);
  });

  test('fails with an access-denied message when DescribeSecret is refused', async () => {
    secretsManager.on(DescribeSecretCommand).rejects(Object.assign(new Error('not authorized to perform: secretsmanager:DescribeSecret'), { name: 'AccessDeniedException' }));
    const result = await runCli(['check', '--env', 'dev']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error: access denied \(not authorized to perform: secretsmanager:DescribeSecret\)/);
  });

  test('fails when the environment is missing, saying which are allowed', async () => {
    const result = await runCli(['check']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/required option '--env <env>' not specified/);
  });
});
