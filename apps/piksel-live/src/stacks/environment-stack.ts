import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Environment, ESTATE_TAGS, stateBucket } from '@piksel/estate';
import type * as secretsLibrary from '@piksel/secrets';
import { S3Backend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { loadPinned } from '../pins';

/**
 * One spoke environment's AWS stack, built with the construct versions pinned for that
 * environment in pins.json.
 */
export class EnvironmentStack extends TerraformStack {
  constructor(scope: Construct, env: Environment) {
    super(scope, env.name);
    const secrets = loadPinned<typeof secretsLibrary>(env.name, '@piksel/secrets');

    new S3Backend(this, {
      bucket: stateBucket(env.name),
      key: `${env.name}/terraform.tfstate`,
      region: env.region,
      encrypt: true,
    });
    // S3-native state locking (Terraform ≥ 1.10); cdktf 0.21's S3Backend has no field for it.
    this.addOverride('terraform.backend.s3.use_lockfile', true);

    new AwsProvider(this, 'Aws', {
      region: env.region,
      // Terraform refuses to plan or apply with credentials of any other account.
      allowedAccountIds: [env.account],
      defaultTags: [{ tags: { ...ESTATE_TAGS, Environment: env.name } }],
    });

    const key = new secrets.SecretsKey(this, 'SecretsKey', {
      environment: env.name,
      account: env.account,
      region: env.region,
    });
    for (const spec of env.secrets) {
      const kind = spec.kind === 'oauth-client' ? secrets.SecretKind.OAUTH_CLIENT : secrets.SecretKind.SLACK_WEBHOOK;
      new secrets.TaggedSecret(this, pascal(`${spec.service}-${spec.kind}`), {
        kind,
        service: spec.service,
        environment: env.name,
        tenant: spec.tenant,
        encryptionKey: key,
      });
    }
  }
}

/** `grafana-oauth-client` → `GrafanaOauthClient`: construct IDs are PascalCase nouns. */
function pascal(text: string): string {
  return text.split('-').map((word) => word[0].toUpperCase() + word.slice(1)).join('');
}
