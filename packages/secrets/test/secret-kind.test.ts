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

  test('accepts valid values', () => {
    expect(SecretTagSchema.problems({ service: 'jupyterhub', environment: 'production', tenant: 'Cognito', owner: 'Data Team', extraTags: { 'cost:centre': 'geo/42' } })).toEqual([]);
  });
});
