import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Backend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Account, ORGANISATION, regionOf, stateBucket } from './estate';

/** A stack of one account: state in the account's bucket, the AWS provider locked to the account. */
export class AccountStack extends TerraformStack {
  /** The region of the estate (`regionOf`). */
  public readonly region: string;

  constructor(scope: Construct, id: string, account: Account) {
    super(scope, id);
    this.region = regionOf(this);
    new S3Backend(this, { bucket: stateBucket(account), key: `${id}/terraform.tfstate`, region: this.region, encrypt: true });
    new AwsProvider(this, 'Aws', {
      region: this.region,
      allowedAccountIds: [account.account],
      defaultTags: [{ tags: { Organisation: ORGANISATION.displayName, Environment: account.name } }],
    });
  }
}
