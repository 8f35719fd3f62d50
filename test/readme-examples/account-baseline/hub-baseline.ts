/* eslint-disable */ // README example: compiled and run by test/outside-consumer.test.ts against the packed libraries, not in this workspace.
import { stack } from '../scope';

// #region README
import { AccountBaseline } from '@piksel/account-baseline';

// In the hub account: piksel-dev-hub-network, trusted by the dev account's piksel-deploy only.
new AccountBaseline(stack, 'Baseline', {
  environment: 'hub',                          // bucket piksel-hub-tfstate; the hub's state at hub/terraform.tfstate
  repository: 'piksel-ina/piksel-constructs',
  spokes: [{ environment: 'dev', account: '236122835646', routingDomain: 'nonprod' }],
  routingDomains: ['nonprod', 'prod'],
});
// #endregion
