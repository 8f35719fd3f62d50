import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Backend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Account, ORGANISATION, REGION, stateBucket } from './estate';

/** A stack of one account: state in the account's bucket, the AWS provider locked to the account. */
export class AccountStack extends TerraformStack {
  constructor(scope: Construct, id: string, account: Account) {
    super(scope, id);
    new S3Backend(this, { bucket: stateBucket(account), key: `${id}/terraform.tfstate`, region: REGION, encrypt: true });
    new AwsProvider(this, 'Aws', {
      region: REGION,
      allowedAccountIds: [account.account],
      defaultTags: [{ tags: { Organisation: ORGANISATION.displayName, Environment: account.name } }],
    });
  }
}
