/**
 * An HTTP method a CORS rule allows.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
 */
export enum CorsHttpMethod {
  /** Read an object. */
  GET = 'GET',
  /** Read an object's metadata. */
  HEAD = 'HEAD',
  /** Upload an object (presigned URLs). */
  PUT = 'PUT',
  /** Upload an object with a browser form. */
  POST = 'POST',
  /** Delete an object. */
  DELETE = 'DELETE',
}

/**
 * One CORS rule of a bucket: which web origins may call which methods from a browser.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ManageCorsUsing.html
 */
export interface CorsRule {
  /** Methods the origins may use. */
  readonly allowedMethods: CorsHttpMethod[];

  /** Origins that may call, e.g. `https://terria.piksel.big.go.id`, or `*` for any. */
  readonly allowedOrigins: string[];

  /**
   * Request headers the origins may send.
   *
   * @default - none beyond the simple headers
   */
  readonly allowedHeaders?: string[];

  /**
   * Response headers the browser may read, e.g. `ETag`.
   *
   * @default - none beyond the simple response headers
   */
  readonly exposeHeaders?: string[];

  /**
   * Seconds a browser may cache the preflight answer.
   *
   * @default - the browser's default
   */
  readonly maxAgeSeconds?: number;
}
