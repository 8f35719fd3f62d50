/* eslint-disable */ // README example: compiled and run by test/outside-consumer.test.ts against the packed libraries, not in this workspace.
import { stack } from '../scope';

// #region README
import { SharedDns } from '@piksel/network-hub';

const dns = new SharedDns(stack, 'Dns');
const root = dns.addPublicZone('piksel.big.go.id');
const staging = dns.addPublicZone('staging.piksel.big.go.id', { parent: root });
dns.addEnvironmentDnsRole('staging', {
  trustedRoleArn: 'arn:aws:iam::326641642924:role/piksel-staging-external-dns',
  externalId: 'piksel-staging-external-dns',
  zones: [staging],
});
// #endregion
