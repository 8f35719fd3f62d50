import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { checkEnvironmentName, checkPositive, checkS3BucketName, checkTags, Claims, LibraryVersion, Naming } from '@piksel/core';
import { Construct, IConstruct } from 'constructs';
import { policyDocument } from './private/policy';

/**
 * Days a replaced or deleted state version is kept: long enough to roll a stack back to any
 * state of the last quarter. State files are small, so the cost is negligible.
 */
const DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS = 90;
/** Terraform writes state in one request, so an unfinished upload is an interrupted client. */
const DEFAULT_ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

/** The Terraform state bucket of one account, as other constructs see it. */
export interface IStateBucket extends IConstruct {
  /** Name of the bucket: the `bucket` of each stack's S3 backend. */
  readonly bucketName: string;
  /** ARN of the bucket, `arn:aws:s3:::<name>`. */
  readonly bucketArn: string;
}

/** Properties of a `StateBucket`. */
export interface StateBucketProps {
  /**
   * The account's name in the estate (`hub`, `dev`), lower-case kebab-case: the infix of the
   * default bucket name.
   */
  readonly environment: string;

  /**
   * Name of the bucket; bucket names are global, so the default carries the naming prefix.
   *
   * @default `<prefix>-<environment>-tfstate` (see `Naming` in @piksel/core)
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
   */
  readonly bucketName?: string;

  /**
   * Days S3 keeps a state version after a newer one replaced it (or after its deletion): how far
   * back a stack's state can be restored. The current version of every object is never expired.
   *
   * @default 90
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
   */
  readonly noncurrentVersionRetentionDays?: number;

  /**
   * Days after which S3 aborts a multipart upload that never completed, and deletes its parts.
   *
   * @default 7
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html
   */
  readonly abortIncompleteUploadDays?: number;

  /**
   * Tags for the bucket.
   *
   * @default - none besides the provider's default tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * The account's Terraform state bucket: every stack of the account keeps its state here under
 * `<stack>/terraform.tfstate`, locked with Terraform's S3-native lock file
 * `<stack>/terraform.tfstate.tflock` (`use_lockfile`, Terraform 1.10+; no DynamoDB table).
 *
 * - versioning on, so every state ever written can be restored; versions replaced more than
 *   `noncurrentVersionRetentionDays` ago expire, and so do the delete markers lock files leave;
 * - default encryption SSE-S3 (AES-256). Not a KMS key: the state holds no secret values in this
 *   estate, a customer key would need a key policy admitting every role that reads state across
 *   accounts, and with SSE-S3 the plan role can be denied `kms:Decrypt` outright;
 * - all four public-access-block settings, and ownership `BucketOwnerEnforced` (ACLs off);
 * - a bucket policy that denies every request without TLS and denies `s3:DeleteBucket` to
 *   everyone (to delete the bucket, an administrator must first remove the policy);
 * - `prevent_destroy`: Terraform refuses any plan that would destroy the bucket.
 *
 * @see https://developer.hashicorp.com/terraform/language/backend/s3
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 */
export class StateBucket extends Construct implements IStateBucket {
  /** References an existing state bucket by name, e.g. one another app created. */
  public static fromBucketName(scope: Construct, id: string, bucketName: string): IStateBucket {
    const imported = new ImportedStateBucket(scope, id, bucketName);
    checkS3BucketName(imported, 'bucketName', bucketName);
    return imported;
  }

  public readonly bucketName: string;
  public readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    checkEnvironmentName(this, 'environment', props.environment);
    const bucketName = props.bucketName ?? Naming.of(this).name(props.environment, 'tfstate');
    checkS3BucketName(this, props.bucketName === undefined ? 'the derived bucketName' : 'bucketName', bucketName);
    checkPositive(this, 'noncurrentVersionRetentionDays', props.noncurrentVersionRetentionDays, 'days');
    checkPositive(this, 'abortIncompleteUploadDays', props.abortIncompleteUploadDays, 'days');
    checkTags(this, 'tags', props.tags);
    Claims.of(this).claimBucketName(this, props.bucketName === undefined ? 'the derived bucketName' : 'bucketName', bucketName);
    Claims.of(this).noteEnvironment(this, props.environment);
    const retentionDays = props.noncurrentVersionRetentionDays ?? DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS;
    const abortDays = props.abortIncompleteUploadDays ?? DEFAULT_ABORT_INCOMPLETE_UPLOAD_DAYS;
    const bucketArn = `arn:aws:s3:::${bucketName}`;

    const bucket = new S3Bucket(this, 'Bucket', { bucket: bucketName, tags: props.tags, lifecycle: { preventDestroy: true } });
    const versioning = new S3BucketVersioningA(this, 'Versioning', {
      bucket: bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'Ownership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketPolicy(this, 'Policy', {
      bucket: bucket.id,
      policy: stateBucketPolicy(bucketArn),
      // S3 judges a new policy against the public access block: set the block first.
      dependsOn: [publicAccessBlock],
    });
    new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket: bucket.id,
      rule: [
        {
          id: 'expire-noncurrent-state-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: retentionDays }],
          // A lock file's delete marker is left alone once its versions expire: remove it too.
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
        {
          id: 'abort-incomplete-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: abortDays }],
        },
      ],
      // Noncurrent-version rules act only on a versioned bucket (the provider documents this order).
      dependsOn: [versioning],
    });
    LibraryVersion.record(this, __dirname);

    this.bucketName = bucketName;
    this.bucketArn = bucketArn;
  }
}

/** Denies requests without TLS, and deleting the bucket, to every principal. */
function stateBucketPolicy(bucketArn: string): string {
  return policyDocument([
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    {
      Sid: 'DenyBucketDeletion',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:DeleteBucket',
      Resource: bucketArn,
    },
  ]);
}

class ImportedStateBucket extends Construct implements IStateBucket {
  public readonly bucketName: string;
  public readonly bucketArn: string;

  constructor(scope: Construct, id: string, bucketName: string) {
    super(scope, id);
    this.bucketName = bucketName;
    this.bucketArn = `arn:aws:s3:::${bucketName}`;
  }
}
