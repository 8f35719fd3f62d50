/* eslint-disable */ // README example: compiled and run by test/outside-consumer.test.ts against the packed libraries, not in this workspace.
import { stack } from '../scope';

// #region README
import { AccountBaseline } from '@piksel/account-baseline';

new AccountBaseline(stack, 'Baseline', {
  environment: 'dev',                          // bucket piksel-dev-tfstate, GitHub environment "dev"
  repository: 'piksel-ina/piksel-constructs',  // the repository whose workflows plan and apply
  hubAccount: '686410905891',                  // optional: a spoke's roles may assume the hub's
});
// #endregion
