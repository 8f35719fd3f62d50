import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type * as accountBaselineLibrary from '@piksel/account-baseline';
import { ESTATE_TAGS, stateBucket } from '@piksel/estate';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { loadPinned } from '../pins';

/** Where a stack deploys: its name, account and region. */
export interface AccountTarget {
  /** Stack name, also the `Environment` tag and the state bucket's infix. */
  readonly name: string;
  /** The AWS account the stack deploys into. */
  readonly account: string;
  /** The region the stack deploys into. */
  readonly region: string;
}

/**
 * A stack that deploys into one account: its state in that account's S3 bucket (encrypted,
 * S3-native locking) and the AWS provider locked to that account, tagging everything with the
 * estate tags.
 */
export class AccountStack extends TerraformStack {
  /**
   * @param stackName the stack's name and state key; several stacks of one account share its bucket
   * @param pinnedAs the environment whose pins build this stack
   */
  constructor(scope: Construct, target: AccountTarget, stackName: string = target.name, pinnedAs: string = target.name) {
    super(scope, stackName);
    // The pinned baseline library writes the backend: key `<stackName>/terraform.tfstate`.
    const baseline = loadPinned<typeof accountBaselineLibrary>(pinnedAs, '@piksel/account-baseline');
    new baseline.StateBackend(this, 'StateBackend', {
      bucket: baseline.StateBucket.fromBucketName(this, 'StateBucket', stateBucket(target.name)),
      region: target.region,
    });

    new AwsProvider(this, 'Aws', {
      region: target.region,
      // Terraform refuses to plan or apply with credentials of any other account.
      allowedAccountIds: [target.account],
      defaultTags: [{ tags: { ...ESTATE_TAGS, Environment: target.name } }],
    });
  }
}
