import { CorsRule } from './bucket-cors';
import { PublicRead } from './public-read';

/** Properties of a `DataBucket`. */
export interface DataBucketProps {
  /**
   * The environment the bucket serves, lower-case kebab-case (`dev`): names the bucket
   * `<prefix>-<environment>-<purpose>` (see `Naming` in `@piksel/core`).
   */
  readonly environment: string;

  /** What the bucket holds, lower-case kebab-case, e.g. `public-data` or `argo-artifacts`. */
  readonly purpose: string;

  /**
   * The bucket's name (S3 names are global: 3-63 lower-case letters, digits, `.` and `-`).
   *
   * @default `<prefix>-<environment>-<purpose>`
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
   */
  readonly bucketName?: string;

  /**
   * ARN of a customer-managed KMS key for default encryption (SSE-KMS with an S3 Bucket Key).
   * Not with public read: anonymous readers cannot use a KMS key.
   *
   * @default - SSE-S3 (AES-256 with keys S3 manages): readable by anonymous open-data clients,
   *   and no KMS request per object read when many workers scan rasters
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html
   */
  readonly encryptionKeyArn?: string;

  /**
   * Whether S3 keeps every version of an object: on for data that cannot be rebuilt, off for
   * caches and artifacts that expire anyway.
   *
   * @default true
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
   */
  readonly versioned?: boolean;

  /**
   * Days after creation when objects are deleted (1 or more).
   *
   * @default - objects never expire
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html
   */
  readonly lifecycleExpirationDays?: number;

  /**
   * Days after which an incomplete multipart upload is aborted and its parts deleted (1 or more).
   *
   * @default 7
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html
   */
  readonly lifecycleAbortIncompleteMultipartDays?: number;

  /**
   * Days after creation when objects move to S3 Intelligent-Tiering (1 or more; before
   * `lifecycleExpirationDays`).
   *
   * @default - objects stay in S3 Standard
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/intelligent-tiering.html
   */
  readonly lifecycleIntelligentTieringDays?: number;

  /**
   * Days after an object version stops being current when it is deleted (1 or more; versioned
   * buckets only).
   *
   * @default - noncurrent versions are kept
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
   */
  readonly lifecycleNoncurrentVersionExpirationDays?: number;

  /**
   * CORS rules, for browsers that read the bucket directly.
   *
   * @default - no CORS configuration
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
   */
  readonly cors?: CorsRule[];

  /**
   * Whether anyone on the internet may read the bucket.
   *
   * @default PublicRead.NONE
   */
  readonly publicRead?: PublicRead;

  /**
   * Tags on the bucket.
   *
   * @default - none besides the provider's default tags
   */
  readonly tags?: { [key: string]: string };
}
