import { ENVIRONMENTS, ESTATE_TAGS } from '@piksel/estate';
import { App, Testing } from 'cdktf';
import { buildEstate } from '../src/main';
import { expectedSecretNames } from './terraform/estate-assertions';

function synthEstate(): Record<string, any> {
  const app = Testing.app() as App;
  buildEstate(app);
  return Object.fromEntries(app.node.children.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack as any))]));
}

describe('the estate', () => {
  const stacks = synthEstate();

  test('has one AWS stack per environment: dev, staging, production', () => {
    expect(Object.keys(stacks)).toEqual(['dev', 'staging', 'production']);
  });

  describe.each(ENVIRONMENTS)('$name', (env) => {
    const stack = () => stacks[env.name];

    test('holds the four tagged secrets of the environment and no secret value', () => {
      const names = Object.values(stack().resource.aws_secretsmanager_secret).map((s: any) => s.name);
      expect(names.sort()).toEqual(expectedSecretNames(env.name).sort());
      expect(stack().resource.aws_secretsmanager_secret_version).toBeUndefined();
      expect(JSON.stringify(stack())).not.toMatch(/secret_string|secret_binary/);
    });

    test('keeps state in its own encrypted, lock-file S3 backend', () => {
      expect(stack().terraform.backend.s3).toEqual({
        bucket: `piksel-${env.name}-tfstate`,
        key: `${env.name}/terraform.tfstate`,
        region: 'ap-southeast-3',
        encrypt: true,
        use_lockfile: true,
      });
    });

    test('tags everything with the estate tags and runs only against its own account', () => {
      const [provider] = stack().provider.aws;
      expect(provider.default_tags).toEqual([{ tags: { ...ESTATE_TAGS, Environment: env.name } }]);
      expect(provider.allowed_account_ids).toEqual([env.account]);
      expect(provider.region).toBe('ap-southeast-3');
    });
  });
});
