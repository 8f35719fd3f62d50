import { DataBucket, PostgresInstance } from '@piksel/data-stores';
import { Grantee, SecretKind, SecretsKey, TaggedSecret } from '@piksel/secrets';
import { DataTerraformRemoteStateS3 } from 'cdktf';
import { Construct } from 'constructs';
import { AccountStack } from './account-stack';
import { Spoke, stateBucket } from './estate';
import { SPOKE_OUTPUT } from './spoke-stack';

/** A spoke's data tier: PostgreSQL and a bucket, reading the VPC and cluster from the spoke's state. */
export class DataStack extends AccountStack {
  constructor(scope: Construct, id: string, spoke: Spoke) {
    super(scope, id, spoke);
    const spokeState = new DataTerraformRemoteStateS3(this, 'SpokeState', {
      bucket: stateBucket(spoke), key: `${spoke.name}/terraform.tfstate`, region: this.region, encrypt: true,
    });
    const key = new SecretsKey(this, 'SecretsKey', { environment: spoke.name, account: spoke.account, region: this.region });
    new TaggedSecret(this, 'AnalyticsOauth', {
      kind: SecretKind.OAUTH_CLIENT, service: 'analytics', environment: spoke.name, tenant: 'Okta',
      project: 'Storefront', owner: 'Acme-Platform-Team', encryptionKey: key,
    });

    new PostgresInstance(this, 'Postgres', {
      environment: spoke.name,
      account: spoke.account,
      region: this.region,
      engineVersion: '17.4',
      instanceClass: 'db.t4g.medium',
      vpcId: spokeState.getString(SPOKE_OUTPUT.vpcId),
      subnetIds: spokeState.getList(SPOKE_OUTPUT.privateSubnetIds),
      sourceSecurityGroupId: spokeState.getString(SPOKE_OUTPUT.clusterSecurityGroupId),
      masterSecretKeyArn: key.keyArn,
    });
    const reports = new DataBucket(this, 'ReportsBucket', {
      environment: spoke.name, purpose: 'reports', lifecycleExpirationDays: 30,
    });
    reports.grantReadWrite(Grantee.fromRoleName(this, 'Reporting', `${spoke.clusterName}-reporting`));
  }
}
