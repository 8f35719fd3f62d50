import { ENVIRONMENTS } from '@piksel/estate';
import { CliError, secretTarget, tagDifferences } from '../src';

describe('secretTarget', () => {
  test('names OAuth clients <service>-oauth-<env> and Slack webhooks slack-<service>-<env>', () => {
    expect(secretTarget({ env: 'dev', service: 'grafana', kind: 'oauth-client' }).name).toBe('grafana-oauth-dev');
    expect(secretTarget({ env: 'production', service: 'alerts', kind: 'slack-webhook' }).name).toBe('slack-alerts-production');
  });

  test('renders the full tag schema, taking the tenant from the estate table', () => {
    expect(secretTarget({ env: 'staging', service: 'jupyterhub', kind: 'oauth-client' }).tags).toEqual({
      Project: 'Piksel', Service: 'jupyterhub', Environment: 'staging', Owner: 'Piksel-Devops-Team', Tenant: 'Cognito',
    });
  });

  test('uses the environment\'s key alias and the description Terraform gives the secret', () => {
    const target = secretTarget({ env: 'dev', service: 'alerts', kind: 'slack-webhook' });
    expect(target.keyAlias).toBe('alias/piksel-dev-secrets');
    expect(target.description).toBe('Slack incoming webhook URL for alerts in dev');
  });

  test('covers every secret of the estate table', () => {
    for (const env of ENVIRONMENTS) {
      for (const spec of env.secrets) {
        expect(secretTarget({ env: env.name, service: spec.service, kind: spec.kind }).expected).toBe(true);
      }
    }
  });

  test('accepts a secret the table does not list when a tenant is given, and says it is not expected', () => {
    const target = secretTarget({ env: 'dev', service: 'superset', kind: 'oauth-client', tenant: 'Auth0' });
    expect(target.name).toBe('superset-oauth-dev');
    expect(target.tags.Tenant).toBe('Auth0');
    expect(target.expected).toBe(false);
  });

  test('fails when the environment is unknown, listing the environments there are', () => {
    expect(() => secretTarget({ env: 'prod', service: 'grafana', kind: 'oauth-client' }))
      .toThrow(/unknown environment "prod"; use one of: dev, staging, production/);
  });

  test('fails when the kind is unknown, listing the kinds there are', () => {
    expect(() => secretTarget({ env: 'dev', service: 'grafana', kind: 'api-key' }))
      .toThrow(/unknown kind "api-key"; use one of: oauth-client, slack-webhook/);
  });

  test('fails when the service has characters the convention does not allow', () => {
    expect(() => secretTarget({ env: 'dev', service: 'Grafana_UI', kind: 'oauth-client', tenant: 'Cognito' }))
      .toThrow(/service is "Grafana_UI"; use lower-case letters, digits and hyphens/);
  });

  test('fails when the tenant breaks the tag schema', () => {
    expect(() => secretTarget({ env: 'dev', service: 'superset', kind: 'oauth-client', tenant: 'Auth0!' }))
      .toThrow(/tag Tenant is "Auth0!"/);
  });

  test('fails when a secret the table does not list has no tenant', () => {
    expect(() => secretTarget({ env: 'dev', service: 'superset', kind: 'oauth-client' }))
      .toThrow(/--tenant is required: the estate table has no oauth-client secret for "superset" in dev/);
  });

  test('fails when the tenant contradicts the estate table', () => {
    expect(() => secretTarget({ env: 'dev', service: 'grafana', kind: 'oauth-client', tenant: 'Auth0' }))
      .toThrow(/--tenant is "Auth0", but the estate table says grafana-oauth-dev is issued by "Cognito"/);
  });

  test('fails with a CliError, which the CLI prints without a stack trace', () => {
    expect(() => secretTarget({ env: 'prod', service: 'grafana', kind: 'oauth-client' })).toThrow(CliError);
  });
});

describe('tagDifferences', () => {
  const target = secretTarget({ env: 'dev', service: 'grafana', kind: 'oauth-client' });

  test('finds nothing when every schema tag is there, whatever else is', () => {
    expect(tagDifferences(target, { ...target.tags, ManagedBy: 'Terraform' })).toEqual({ missing: [], conflicting: [] });
  });

  test('lists missing schema tags and those with other values', () => {
    expect(tagDifferences(target, { Project: 'Piksel', Service: 'grafana', Environment: 'staging' })).toEqual({
      missing: ['Owner', 'Tenant'],
      conflicting: [{ key: 'Environment', expected: 'dev', actual: 'staging' }],
    });
  });
});
