import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ESTATE_TAGS, stateBucket } from '@piksel/estate';
import { S3Backend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

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
   */
  constructor(scope: Construct, target: AccountTarget, stackName: string = target.name) {
    super(scope, stackName);
    new S3Backend(this, {
      bucket: stateBucket(target.name),
      key: `${stackName}/terraform.tfstate`,
      region: target.region,
      encrypt: true,
    });
    // S3-native state locking (Terraform ≥ 1.10); cdktf 0.21's S3Backend has no field for it.
    this.addOverride('terraform.backend.s3.use_lockfile', true);

    new AwsProvider(this, 'Aws', {
      region: target.region,
      // Terraform refuses to plan or apply with credentials of any other account.
      allowedAccountIds: [target.account],
      defaultTags: [{ tags: { ...ESTATE_TAGS, Environment: target.name } }],
    });
  }
}
