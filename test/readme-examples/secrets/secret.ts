/* eslint-disable */ // README example: compiled and run by test/outside-consumer.test.ts against the packed libraries, not in this workspace.
import { stack } from '../scope';

// #region README
import { SecretKind, SecretsKey, TaggedSecret } from '@piksel/secrets';

const key = new SecretsKey(stack, 'SecretsKey', {
  environment: 'dev', account: '236122835646', region: 'ap-southeast-3',
});
new TaggedSecret(stack, 'GrafanaOauth', {
  kind: SecretKind.OAUTH_CLIENT, service: 'grafana', environment: 'dev', tenant: 'Cognito',
  encryptionKey: key,
});
// #endregion
