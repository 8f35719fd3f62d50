import type * as coreLibrary from '@piksel/core';
import type * as dataLibrary from '@piksel/data-stores';
import type * as eksLibrary from '@piksel/eks-cluster';
import { BucketSpec, Environment, HUB, ServiceAccountRef, stateBucket } from '@piksel/estate';
import type * as secretsLibrary from '@piksel/secrets';
import { DataTerraformRemoteStateS3, Fn, TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { loadPinned } from '../pins';
import { AccountStack } from './account-stack';
import { efsCsiNodeRoleName } from './bootstrap-stacks';
import { pascal } from './hub-stack';

/** The environment stack's outputs the data stack reads from its state. */
export const ENVIRONMENT_OUTPUT = {
  vpcId: 'vpc_id',
  privateSubnetIds: 'private_subnet_ids',
  clusterSecurityGroupId: 'cluster_security_group_id',
  oidcProviderArn: 'cluster_oidc_provider_arn',
  oidcIssuerUrl: 'cluster_oidc_issuer_url',
  secretsKeyArn: 'secrets_key_arn',
};

/** The data stack's outputs: what GitOps needs (the `cluster-values` contract) about the data tier. */
export const DATA_OUTPUT = {
  postgresEndpoint: 'postgres_endpoint',
  postgresPort: 'postgres_port',
  postgresMasterSecretArn: 'postgres_master_secret_arn',
  /** JSON: `[{ name, owner, readers, extensions }]`, the databases GitOps creates. */
  postgresDatabases: 'postgres_databases',
  /** JSON: `{ <login role>: <credentials secret name> }`, the secrets the init job fills. */
  postgresCredentialSecrets: 'postgres_credential_secrets',
  bucket: (purpose: string) => `bucket_${snake(purpose)}`,
  /** ID of the shared EFS file system (`fs-…`): JupyterHub home directories and Argo volumes. */
  efsFileSystemId: 'efs_file_system_id',
  roleArn: (serviceAccount: ServiceAccountRef) => `role_arn_${snake(serviceAccount)}`,
};

/**
 * The service accounts the data stack makes IRSA roles for, in the order it makes them: the
 * database init job, each bucket's users, the external-bucket readers. Each has the output
 * `DATA_OUTPUT.roleArn(<service account>)`.
 */
export function dataServiceAccounts(env: Environment): ServiceAccountRef[] {
  return [...new Set([
    env.data.databaseInitServiceAccount,
    ...env.data.buckets.flatMap((bucket) => Object.keys(bucket.access)),
    ...env.data.externalBucketReaders,
  ])];
}

/** `Tenant` of the login credentials: PostgreSQL itself issues them (the init job creates the roles). */
const CREDENTIALS_TENANT = 'PostgreSQL';

/**
 * An environment's data tier, in its own stack (`<env>-data`) so stateful resources never share a
 * plan with the cluster's churn: PostgreSQL on RDS, the per-login-role credential secrets (no
 * values), the buckets, the IRSA roles of the service accounts that use them, and the shared EFS
 * file system. Reads the VPC, cluster and secrets key from the environment stack's state.
 */
export class DataStack extends AccountStack {
  private readonly data: typeof dataLibrary;
  private readonly eks: typeof eksLibrary;
  private readonly secrets: typeof secretsLibrary;
  private readonly environmentState: DataTerraformRemoteStateS3;
  private readonly roles = new Map<ServiceAccountRef, eksLibrary.ServiceAccountRole>();

  /** @param pinnedAs the environment whose pins build this stack */
  constructor(scope: Construct, private readonly env: Environment, pinnedAs: string = env.name) {
    super(scope, env, `${env.name}-data`, pinnedAs);
    this.data = loadPinned<typeof dataLibrary>(pinnedAs, '@piksel/data-stores');
    this.eks = loadPinned<typeof eksLibrary>(pinnedAs, '@piksel/eks-cluster');
    this.secrets = loadPinned<typeof secretsLibrary>(pinnedAs, '@piksel/secrets');
    this.environmentState = new DataTerraformRemoteStateS3(this, 'EnvironmentState', {
      bucket: stateBucket(env.name),
      key: `${env.name}/terraform.tfstate`,
      region: env.region,
      encrypt: true,
    });
    this.addPostgres();
    this.addBuckets();
    this.addSharedFileSystem();
    for (const [serviceAccount, role] of this.roles) {
      new TerraformOutput(this, DATA_OUTPUT.roleArn(serviceAccount), { value: role.roleArn, staticId: true });
    }
  }

  private addPostgres(): void {
    const { env, environmentState: state } = this;
    const spec = env.data.postgres;
    const secretsKey = this.secrets.SecretsKey.fromKeyArn(this, 'SecretsKey', state.getString(ENVIRONMENT_OUTPUT.secretsKeyArn), env.region);
    const postgres = new this.data.PostgresInstance(this, 'Postgres', {
      environment: env.name,
      account: env.account,
      region: env.region,
      engineVersion: spec.engineVersion,
      instanceClass: spec.instanceClass,
      allocatedStorage: spec.allocatedStorage,
      maxAllocatedStorage: spec.maxAllocatedStorage,
      backupRetentionDays: spec.backupRetentionDays,
      multiAz: spec.multiAz,
      deletionProtection: spec.deletionProtection,
      vpcId: state.getString(ENVIRONMENT_OUTPUT.vpcId),
      subnetIds: state.getList(ENVIRONMENT_OUTPUT.privateSubnetIds),
      sourceSecurityGroupId: state.getString(ENVIRONMENT_OUTPUT.clusterSecurityGroupId),
      masterSecretKeyArn: secretsKey.keyArn,
    });

    // One credentials secret per login role: the init job puts the values, never Terraform.
    const kind = this.secrets.SecretKind.of('db-credentials', 'PostgreSQL login role credentials (JSON: username, password)');
    const loginRoles = env.data.databases.flatMap((db) => [db.name, ...db.readers]);
    const credentials = loginRoles.map((login) => new this.secrets.TaggedSecret(this, pascal(`${login}-db-credentials`), {
      kind,
      service: login,
      environment: env.name,
      tenant: CREDENTIALS_TENANT,
      encryptionKey: secretsKey,
      recoveryWindowDays: env.secretRecoveryWindowDays,
    }));
    const init = this.role(env.data.databaseInitServiceAccount);
    postgres.grantReadMasterSecret(init);
    for (const secret of credentials) secret.grantRead(init);
    init.addInlinePolicy('put-db-credentials', JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'PutCredentials', Effect: 'Allow', Action: ['secretsmanager:PutSecretValue'], Resource: credentials.map((secret) => secret.secretArn) },
        {
          Sid: 'EncryptViaSecretsManager',
          Effect: 'Allow',
          Action: ['kms:GenerateDataKey', 'kms:Encrypt'],
          Resource: secretsKey.keyArn,
          Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${env.region}.amazonaws.com` } },
        },
      ],
    }));

    const outputs: Record<string, string | number> = {
      [DATA_OUTPUT.postgresEndpoint]: postgres.instanceEndpointAddress,
      [DATA_OUTPUT.postgresPort]: postgres.instancePort,
      [DATA_OUTPUT.postgresMasterSecretArn]: postgres.masterSecretArn,
      [DATA_OUTPUT.postgresDatabases]: JSON.stringify(env.data.databases.map((db) => ({
        name: db.name, owner: db.name, readers: db.readers, extensions: db.extensions,
      }))),
      [DATA_OUTPUT.postgresCredentialSecrets]: JSON.stringify(Object.fromEntries(credentials.map((secret, i) => [loginRoles[i], secret.secretName]))),
    };
    for (const [name, value] of Object.entries(outputs)) {
      new TerraformOutput(this, name, { value, staticId: true });
    }
  }

  private addBuckets(): void {
    const { env } = this;
    for (const spec of env.data.buckets) {
      const bucket = this.bucket(spec);
      for (const [serviceAccount, access] of Object.entries(spec.access)) {
        if (access === 'read-write') bucket.grantReadWrite(this.role(serviceAccount));
        else bucket.grantRead(this.role(serviceAccount));
      }
      new TerraformOutput(this, DATA_OUTPUT.bucket(spec.purpose), { value: bucket.bucketName, staticId: true });
    }
    for (const reader of env.data.externalBucketReaders) {
      this.data.DataBucket.grantReadExternal(this, this.role(reader), env.data.externalBuckets);
    }
  }

  /**
   * The shared EFS file system in the private subnets, one mount target per zone, NFS from the
   * cluster security group, under a key of its own (the environment stack has no storage key).
   */
  private addSharedFileSystem(): void {
    const { env, environmentState: state } = this;
    // The VPC's zones, as it chose them: the first `zones` of the region (the core library is pinned by the hub).
    const core = loadPinned<typeof coreLibrary>(HUB.name, '@piksel/core');
    const zones = (core.Regions.zonesOf(env.region) ?? []).slice(0, env.zones);
    // The environment stack lists its private subnets in zone order.
    const privateSubnetIds = state.getList(ENVIRONMENT_OUTPUT.privateSubnetIds);
    const efs = new this.data.EfsFileSystem(this, 'SharedFileSystem', {
      name: `piksel-${env.name}-shared`,
      account: env.account,
      region: env.region,
      vpcId: state.getString(ENVIRONMENT_OUTPUT.vpcId),
      subnetIds: Object.fromEntries(zones.map((zone, index) => [zone, Fn.element(privateSubnetIds, index)])),
      clientSecurityGroupIds: { cluster: state.getString(ENVIRONMENT_OUTPUT.clusterSecurityGroupId) },
      transitionToIaDays: env.data.efs.transitionToIaDays,
      deletionProtection: env.data.efs.deletionProtection,
    });
    // The EFS CSI node plugin mounts with IAM authorization as its own role (made by the environment stack).
    efs.grantReadWrite(this.secrets.Grantee.fromRoleName(this, 'EfsCsiNode', efsCsiNodeRoleName(env)));
    new TerraformOutput(this, DATA_OUTPUT.efsFileSystemId, { value: efs.fileSystemId, staticId: true });
  }

  private bucket(spec: BucketSpec): dataLibrary.DataBucket {
    const { data, env } = this;
    const name = `piksel-${env.name}-${spec.purpose}`;
    return new data.DataBucket(this, pascal(`${spec.purpose}-bucket`), {
      environment: env.name,
      purpose: spec.purpose,
      versioned: spec.versioned,
      lifecycleExpirationDays: spec.expireDays,
      lifecycleAbortIncompleteMultipartDays: spec.abortMultipartDays,
      lifecycleIntelligentTieringDays: spec.intelligentTieringDays,
      lifecycleNoncurrentVersionExpirationDays: spec.noncurrentVersionExpireDays,
      cors: spec.corsGetFromAnyOrigin
        ? [{ allowedMethods: [data.CorsHttpMethod.GET, data.CorsHttpMethod.HEAD], allowedOrigins: ['*'], maxAgeSeconds: 3000 }]
        : undefined,
      // The estate's `openData` is the one deliberate opt-in: only `public-data` is publicly readable.
      publicRead: spec.openData ? data.PublicRead.openData(name) : data.PublicRead.NONE,
    });
  }

  /** The IRSA role of `serviceAccount` (`namespace/name`), made on first use. */
  private role(serviceAccount: ServiceAccountRef): eksLibrary.ServiceAccountRole {
    let role = this.roles.get(serviceAccount);
    if (!role) {
      const [namespace, name] = serviceAccount.split('/');
      role = new this.eks.ServiceAccountRole(this, pascal(`${namespace}-${name}-role`), {
        clusterName: this.env.clusterName,
        oidcProviderArn: this.environmentState.getString(ENVIRONMENT_OUTPUT.oidcProviderArn),
        oidcIssuerUrl: this.environmentState.getString(ENVIRONMENT_OUTPUT.oidcIssuerUrl),
        namespace,
        serviceAccountName: name,
      });
      this.roles.set(serviceAccount, role);
    }
    return role;
  }
}

function snake(text: string): string {
  return text.replace(/[^a-zA-Z0-9]/g, '_');
}
