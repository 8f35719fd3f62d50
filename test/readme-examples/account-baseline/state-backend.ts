/* eslint-disable */ // README example: compiled and run by test/outside-consumer.test.ts against the packed libraries, not in this workspace.
import { stack } from '../scope';

// #region README
import { StateBackend, StateBucket } from '@piksel/account-baseline';

new StateBackend(stack, 'StateBackend', {
  bucket: StateBucket.fromBucketName(stack, 'StateBucket', 'piksel-dev-tfstate'), // or the StateBucket itself
  region: 'ap-southeast-3',                    // the bucket's region
});                                            // key: <stack name>/terraform.tfstate
// #endregion
