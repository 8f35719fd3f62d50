/**
 * Whether anyone on the internet may read a `DataBucket`: off (`PublicRead.NONE`, the default),
 * or on for open data (`PublicRead.openData(bucketName)`), which restates the bucket's name so
 * that the opt-in is deliberate and cannot travel to another bucket with copied props.
 *
 * Public read allows `s3:GetObject` on every object and `s3:ListBucket` on the bucket to `*`
 * (open-data tools list before they read: `aws s3 ls --no-sign-request`, STAC browsers, GDAL's
 * `/vsis3/` directory reads), over TLS only. Its public access block relaxes only the two policy
 * settings; ACLs stay blocked and ignored.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
export class PublicRead {
  /** Nobody outside the account's grants may read: every public access block setting on. */
  public static readonly NONE = new PublicRead(false, undefined);

  /**
   * Anyone may list and read the bucket: published open data.
   *
   * @param confirmBucketName the bucket's full name, restated (e.g. `piksel-dev-public-data`);
   *   the bucket refuses the opt-in unless it is exactly its own name
   */
  public static openData(confirmBucketName: string): PublicRead {
    return new PublicRead(true, confirmBucketName);
  }

  /** Whether public read is requested. */
  public readonly enabled: boolean;
  /** The bucket name the opt-in was made for. */
  public readonly confirmedBucketName?: string;

  private constructor(enabled: boolean, confirmedBucketName: string | undefined) {
    this.enabled = enabled;
    this.confirmedBucketName = confirmedBucketName;
  }
}
