import { SecretsKeyAlias } from '../src';

describe('SecretsKeyAlias', () => {
  test('names an environment\'s key alias/piksel-<environment>-secrets', () => {
    expect(SecretsKeyAlias.forEnvironment('dev')).toBe('alias/piksel-dev-secrets');
    expect(SecretsKeyAlias.forEnvironment('production')).toBe('alias/piksel-production-secrets');
  });
});
