import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketCorsConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration';
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import {
  checkEnvironmentName, checkGrantWithinEnvironment, checkKebabName, checkKmsKeyArn, checkPositive, checkS3BucketName, checkTags, Claims,
  derivedTooLong, GrantOptions, invalidProp, LibraryVersion, Naming,
} from '@piksel/core';
import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { DataBucketProps } from './data-bucket-props';
import { IGrantee } from './grantee';
import { attachInlinePolicy } from './private/grants';
import { policyDocument, PolicyStatement } from './private/policy';
import { PublicRead } from './public-read';

/** Incomplete multipart uploads cost storage and show nowhere: abort them after a week. */
const DEFAULT_ABORT_MULTIPART_DAYS = 7;
const READ_ACTIONS = ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'];
const WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:ListBucketMultipartUploads'];

/** An S3 bucket, created here or referenced. */
export interface IDataBucket extends IConstruct {
  /** Name of the bucket. */
  readonly bucketName: string;
  /** ARN of the bucket. */
  readonly bucketArn: string;

  /**
   * Lets `grantee` list the bucket and read its objects. A grantee of another environment or
   * account is refused unless `options.allowFromEnvironment` names its environment.
   */
  grantRead(grantee: IGrantee, options?: GrantOptions): void;

  /**
   * Lets `grantee` list the bucket and read, write and delete its objects. A grantee of another
   * environment or account is refused unless `options.allowFromEnvironment` names its environment.
   */
  grantReadWrite(grantee: IGrantee, options?: GrantOptions): void;
}

/**
 * An S3 bucket for data, secure by default: default encryption (SSE-S3, or SSE-KMS with a
 * customer key), object ownership enforced for the bucket owner (ACLs off), every public access
 * block setting on, a policy that denies any request without TLS, lifecycle rules (incomplete
 * multipart uploads aborted after 7 days unless told otherwise), versioning on unless turned off,
 * optional CORS. Public read is a deliberate opt-in (`PublicRead.openData`).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 */
export class DataBucket extends Construct implements IDataBucket {
  /**
   * Lets `grantee` list and read buckets that other accounts own (public data sets such as
   * `usgs-landsat`), by name, in one inline policy created in `scope`. Call once per grantee and
   * scope, with every bucket. Reading a requester-pays bucket also needs the client to send
   * `x-amz-request-payer: requester`.
   */
  public static grantReadExternal(scope: Construct, grantee: IGrantee, bucketNames: string[]): void {
    bucketNames.forEach((name, index) => checkS3BucketName(scope, `bucketNames[${index}]`, name));
    if (bucketNames.length === 0) {
      throw invalidProp(scope, 'bucketNames', bucketNames, 'name one or more buckets');
    }
    const id = `ExternalBucketsReadBy${grantee.node.path.replace(/\//g, '_')}`;
    if (scope.node.tryFindChild(id)) {
      throw invalidProp(scope, 'grantReadExternal grantee', grantee.node.path, 'grant every external bucket of a grantee in one call');
    }
    const arns = bucketNames.map((name) => `arn:aws:s3:::${name}`);
    new IamRolePolicy(scope, id, {
      role: grantee.granteeRoleName,
      name: `read-external-buckets-${scope.node.addr.slice(0, 8)}`,
      policy: policyDocument([{ Sid: 'ReadExternalBuckets', Effect: 'Allow', Action: READ_ACTIONS, Resource: [...arns, ...arns.map((arn) => `${arn}/*`)] }]),
    });
  }

  public readonly bucketName: string;
  public readonly bucketArn: string;
  /** The bucket's regional domain name, `<bucket>.s3.<region>.amazonaws.com`. */
  public readonly bucketRegionalDomainName: string;
  /** Whether anyone may read the bucket. */
  public readonly publicRead: boolean;
  /** The environment the bucket serves. */
  public readonly environment: string;
  private readonly encryptionKeyArn?: string;

  constructor(scope: Construct, id: string, props: DataBucketProps) {
    super(scope, id);
    const bucketName = props.bucketName ?? Naming.of(this).name(props.environment, props.purpose);
    const publicRead = props.publicRead ?? PublicRead.NONE;
    const versioned = props.versioned ?? true;
    this.validate(props, bucketName, publicRead, versioned);
    Claims.of(this).claimBucketName(this, props.bucketName === undefined ? 'the derived bucketName' : 'bucketName', bucketName);
    Claims.of(this).noteEnvironment(this, props.environment);

    const bucket = new S3Bucket(this, 'Resource', { bucket: bucketName, tags: props.tags });
    new S3BucketOwnershipControls(this, 'OwnershipControls', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    // Open data relaxes only the policy settings; ACLs stay blocked and ignored.
    const accessBlock = new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket: bucket.id,
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: !publicRead.enabled,
      restrictPublicBuckets: !publicRead.enabled,
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket: bucket.id,
      rule: [props.encryptionKeyArn === undefined
        ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }
        : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.encryptionKeyArn }, bucketKeyEnabled: true }],
    });
    const versioning = versioned
      ? new S3BucketVersioningA(this, 'Versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } })
      : undefined;
    new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket: bucket.id,
      rule: [this.lifecycleRule(props)],
      // Noncurrent-version rules act on versions: the configuration waits for versioning to be on
      // (hashicorp/aws s3_bucket_lifecycle_configuration, "Specifying a filter" note).
      dependsOn: versioning === undefined ? undefined : [versioning],
    });
    if (props.cors !== undefined && props.cors.length > 0) {
      new S3BucketCorsConfiguration(this, 'Cors', {
        bucket: bucket.id,
        corsRule: props.cors.map((rule) => ({ ...rule, allowedMethods: [...rule.allowedMethods] })),
      });
    }
    new S3BucketPolicy(this, 'Policy', {
      bucket: bucket.id,
      policy: policyDocument(this.bucketPolicy(bucket.arn, publicRead.enabled)),
      // With the block still on, S3 refuses a public policy: relax the block first.
      dependsOn: [accessBlock],
    });
    LibraryVersion.record(this, __dirname);

    this.bucketName = bucketName;
    this.bucketArn = bucket.arn;
    this.bucketRegionalDomainName = bucket.bucketRegionalDomainName;
    this.publicRead = publicRead.enabled;
    this.encryptionKeyArn = props.encryptionKeyArn;
    this.environment = props.environment;
  }

  public grantRead(grantee: IGrantee, options: GrantOptions = {}): void {
    checkGrantWithinEnvironment(this, 'grantRead grantee', grantee, this.environment, undefined, options);
    attachInlinePolicy(this, 'Read', grantee, this.grantStatements(READ_ACTIONS, ['kms:Decrypt']));
  }

  public grantReadWrite(grantee: IGrantee, options: GrantOptions = {}): void {
    checkGrantWithinEnvironment(this, 'grantReadWrite grantee', grantee, this.environment, undefined, options);
    attachInlinePolicy(this, 'ReadWrite', grantee, this.grantStatements([...READ_ACTIONS, ...WRITE_ACTIONS], ['kms:Decrypt', 'kms:GenerateDataKey']));
  }

  private grantStatements(actions: string[], keyActions: string[]): PolicyStatement[] {
    const statements: PolicyStatement[] = [{ Sid: 'Bucket', Effect: 'Allow', Action: actions, Resource: [this.bucketArn, `${this.bucketArn}/*`] }];
    if (this.encryptionKeyArn !== undefined) {
      statements.push({ Sid: 'BucketKey', Effect: 'Allow', Action: keyActions, Resource: this.encryptionKeyArn });
    }
    return statements;
  }

  private lifecycleRule(props: DataBucketProps): S3BucketLifecycleConfigurationRule {
    const { lifecycleExpirationDays: expire, lifecycleIntelligentTieringDays: tier, lifecycleNoncurrentVersionExpirationDays: noncurrent } = props;
    return {
      id: 'data-lifecycle',
      status: 'Enabled',
      // An empty filter: the rule applies to every object.
      filter: [{}],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.lifecycleAbortIncompleteMultipartDays ?? DEFAULT_ABORT_MULTIPART_DAYS }],
      expiration: expire === undefined ? undefined : [{ days: expire }],
      transition: tier === undefined ? undefined : [{ days: tier, storageClass: 'INTELLIGENT_TIERING' }],
      noncurrentVersionExpiration: noncurrent === undefined ? undefined : [{ noncurrentDays: noncurrent }],
    };
  }

  private bucketPolicy(bucketArn: string, publicRead: boolean): PolicyStatement[] {
    const statements: PolicyStatement[] = [{
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:*'],
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }];
    if (publicRead) {
      statements.push(
        { Sid: 'PublicListBucket', Effect: 'Allow', Principal: '*', Action: ['s3:ListBucket'], Resource: bucketArn },
        { Sid: 'PublicGetObject', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: `${bucketArn}/*` },
      );
    }
    return statements;
  }

  private validate(props: DataBucketProps, bucketName: string, publicRead: PublicRead, versioned: boolean): void {
    checkEnvironmentName(this, 'environment', props.environment);
    checkKebabName(this, 'purpose', props.purpose, 40, 'public-data');
    if (props.bucketName === undefined && !Token.isUnresolved(bucketName) && bucketName.length > 63) {
      throw derivedTooLong(this, 'bucketName', bucketName, 63, { field: 'purpose', value: props.purpose, overhead: bucketName.length - props.purpose.length });
    }
    checkS3BucketName(this, props.bucketName === undefined ? 'the derived bucketName' : 'bucketName', bucketName);
    if (props.encryptionKeyArn !== undefined) checkKmsKeyArn(this, 'encryptionKeyArn', props.encryptionKeyArn);
    checkPositive(this, 'lifecycleExpirationDays', props.lifecycleExpirationDays, 'days');
    checkPositive(this, 'lifecycleAbortIncompleteMultipartDays', props.lifecycleAbortIncompleteMultipartDays, 'days');
    checkPositive(this, 'lifecycleIntelligentTieringDays', props.lifecycleIntelligentTieringDays, 'days');
    checkPositive(this, 'lifecycleNoncurrentVersionExpirationDays', props.lifecycleNoncurrentVersionExpirationDays, 'days');
    const { lifecycleExpirationDays: expire, lifecycleIntelligentTieringDays: tier } = props;
    if (expire !== undefined && tier !== undefined && expire <= tier) {
      throw invalidProp(this, 'lifecycleExpirationDays', expire, `S3 expires objects only after they transition; use more than lifecycleIntelligentTieringDays (${tier}) or drop the transition`);
    }
    if (!versioned && props.lifecycleNoncurrentVersionExpirationDays !== undefined) {
      throw invalidProp(this, 'lifecycleNoncurrentVersionExpirationDays', props.lifecycleNoncurrentVersionExpirationDays, 'an unversioned bucket has no noncurrent versions; remove it or set versioned');
    }
    (props.cors ?? []).forEach((rule, index) => {
      if (rule.allowedMethods.length === 0 || rule.allowedOrigins.length === 0) {
        throw invalidProp(this, `cors[${index}]`, rule, 'give at least one allowed method and one allowed origin');
      }
    });
    this.validatePublicRead(props, bucketName, publicRead);
    checkTags(this, 'tags', props.tags);
  }

  private validatePublicRead(props: DataBucketProps, bucketName: string, publicRead: PublicRead): void {
    if (!publicRead.enabled) return;
    if (publicRead.confirmedBucketName !== bucketName) {
      throw invalidProp(this, 'publicRead', `openData(${JSON.stringify(publicRead.confirmedBucketName)})`,
        `public read needs the opt-in for this bucket: use PublicRead.openData(${JSON.stringify(bucketName)}), or PublicRead.NONE to keep it private`);
    }
    if (props.encryptionKeyArn !== undefined) {
      throw invalidProp(this, 'encryptionKeyArn', props.encryptionKeyArn, 'anonymous readers cannot decrypt with a KMS key; remove it from a public-read bucket (SSE-S3 encrypts it)');
    }
  }
}
