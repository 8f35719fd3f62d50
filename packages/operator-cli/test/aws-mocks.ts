import { DescribeKeyCommand, KMSClient, NotFoundException } from '@aws-sdk/client-kms';
import {
  CreateSecretCommand, DescribeSecretCommand, DescribeSecretResponse, PutSecretValueCommand, ResourceNotFoundException,
  SecretsManagerClient, TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

// Only the SDK releases from 2027 on need Node 22; keep their notice out of the test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const DEV_ACCOUNT = '236122835646';
export const CALLER_ARN = `arn:aws:sts::${DEV_ACCOUNT}:assumed-role/PikselAdmin/operator`;

/** Mocked STS, Secrets Manager and KMS clients, reset before each test by `mockAws`. */
export const sts = mockClient(STSClient);
export const secretsManager = mockClient(SecretsManagerClient);
export const kms = mockClient(KMSClient);

/** Resets the mocks to: signed in to dev's account, no secrets, dev's key present. */
export function mockAws(): void {
  sts.reset();
  secretsManager.reset();
  kms.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: DEV_ACCOUNT, Arn: CALLER_ARN });
  secretsManager.on(DescribeSecretCommand).rejects(new ResourceNotFoundException({ message: 'Secrets Manager can\'t find the specified secret.', $metadata: {} }));
  secretsManager.on(CreateSecretCommand).resolves({ ARN: 'arn:aws:secretsmanager:ap-southeast-3:236122835646:secret:x-AbCdEf', VersionId: 'v-created' });
  secretsManager.on(PutSecretValueCommand).resolves({ VersionId: 'v-put' });
  secretsManager.on(TagResourceCommand).resolves({});
  kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' } });
}

/** Makes the environment's key alias absent. */
export function mockNoKey(): void {
  kms.on(DescribeKeyCommand).rejects(new NotFoundException({ message: 'Alias is not found.', $metadata: {} }));
}

/** Makes `name` exist with `tags` and, with `withValue`, a current version. */
export function mockExistingSecret(name: string, tags: Record<string, string>, withValue = true, extra: DescribeSecretResponse = {}): void {
  secretsManager.on(DescribeSecretCommand, { SecretId: name }).resolves({
    ARN: `arn:aws:secretsmanager:ap-southeast-3:${DEV_ACCOUNT}:secret:${name}-AbCdEf`,
    Name: name,
    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    VersionIdsToStages: withValue ? { 'v-old': ['AWSCURRENT'] } : {},
    ...extra,
  });
}

/** Every call that writes to Secrets Manager. */
export function writeCalls() {
  return [
    ...secretsManager.commandCalls(CreateSecretCommand),
    ...secretsManager.commandCalls(PutSecretValueCommand),
    ...secretsManager.commandCalls(TagResourceCommand),
  ];
}
