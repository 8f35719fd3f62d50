import { SecretKind, SecretTagSchema } from '../src';

describe('SecretKind', () => {
  test('names secrets by the estate convention', () => {
    expect(SecretKind.OAUTH_CLIENT.secretName('argo', 'production')).toBe('argo-oauth-production');
    expect(SecretKind.SLACK_WEBHOOK.secretName('alerts', 'dev')).toBe('slack-alerts-dev');
    expect(SecretKind.of('db-credentials', 'PostgreSQL login').secretName('datacube', 'staging')).toBe('datacube-db-credentials-staging');
  });

  test('fails when a custom purpose is not kebab-case', () => {
    expect(() => SecretKind.of('DB creds', 'x')).toThrow(/SecretKind.of: purpose is "DB creds"; use lower-case letters, digits and hyphens/);
  });
});

describe('SecretTagSchema', () => {
  test('applies the Project and Owner defaults and keeps the schema order', () => {
    expect(Object.entries(SecretTagSchema.render({ service: 'argo', environment: 'dev', tenant: 'Auth0' }))).toEqual([
      ['Project', 'Piksel'], ['Service', 'argo'], ['Environment', 'dev'], ['Owner', 'Piksel-Devops-Team'], ['Tenant', 'Auth0'],
    ]);
  });

  test('reports every problem at once', () => {
    const problems = SecretTagSchema.problems({ service: 'Argo', environment: 'dev env', tenant: 'Auth0', extraTags: { Service: 'x' } });
    expect(problems).toEqual([
      expect.stringMatching(/^service is "Argo"/),
      expect.stringMatching(/^environment is "dev env"/),
      expect.stringMatching(/^extraTags.Service redefines the schema tag Service/),
    ]);
  });

  test('refuses tag values and extra keys AWS refuses, by the one tag rule of @piksel/core', () => {
    expect(SecretTagSchema.problems({ service: 'grafana', environment: 'dev', tenant: 'team#1', extraTags: { ['k'.repeat(129)]: 'x', cost: 'v'.repeat(257) } })).toEqual([
      expect.stringMatching(/^tag Tenant is "team#1"; use 1-256 letters/),
      expect.stringMatching(/^tag cost is "v{257}"; use 1-256 letters/),
      expect.stringMatching(/^extraTags key "k{129}" is not a valid tag key/),
    ]);
    expect(SecretTagSchema.problems({ service: 'grafana', environment: 'dev', tenant: '' })).toEqual([expect.stringMatching(/^tag Tenant is ""; use 1-256/)]);
  });

  test('accepts valid values', () => {
    expect(SecretTagSchema.problems({ service: 'jupyterhub', environment: 'production', tenant: 'Cognito', owner: 'Data Team', extraTags: { 'cost:centre': 'geo/42' } })).toEqual([]);
  });
});
