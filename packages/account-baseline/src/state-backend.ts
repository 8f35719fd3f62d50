import { checkIamRoleArn, checkRegion, invalidProp, LibraryVersion } from '@piksel/core';
import { S3Backend, TerraformBackend, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { IStateBucket } from './state-bucket';

/** The state object's name under each stack's prefix: `<stack>/terraform.tfstate`. */
const STATE_OBJECT = 'terraform.tfstate';

/** Where one stack keeps its Terraform state, as other constructs see it. */
export interface IStateBackend extends IConstruct {
  /** The state bucket's name: the backend's `bucket`. */
  readonly bucketName: string;
  /** The state object's key in the bucket; Terraform's lock file is `<stateKey>.tflock` beside it. */
  readonly stateKey: string;
  /** The bucket's region: the backend's `region`. */
  readonly region: string;
}

/** Properties of a `StateBackend`. */
export interface StateBackendProps {
  /**
   * The account's state bucket: a `StateBucket`, or `StateBucket.fromBucketName(...)` for one
   * made elsewhere.
   */
  readonly bucket: IStateBucket;

  /**
   * The region of the bucket.
   *
   * @see https://developer.hashicorp.com/terraform/language/backend/s3#region
   */
  readonly region: string;

  /**
   * The state object's key: a path inside the bucket, segments joined by single `/`, none of
   * them `.` or `..`, no leading or trailing `/`. The lock file is the key plus `.tflock`.
   *
   * @default `<stack name>/terraform.tfstate`
   */
  readonly key?: string;

  /**
   * An IAM role Terraform assumes to read and write the state (`assume_role { role_arn }`), e.g.
   * when the state lives in another account than the credentials Terraform runs with.
   *
   * @default - the credentials Terraform runs with
   * @see https://developer.hashicorp.com/terraform/language/backend/s3#assume-role-configuration
   */
  readonly roleArn?: string;
}

/**
 * The S3 backend of the stack it is created in: the state at `<stack>/terraform.tfstate` in the
 * account's state bucket, `encrypt = true`, and S3-native locking (`use_lockfile = true`,
 * Terraform 1.10 or later): the lock is the object `<key>.tflock` beside the state, no DynamoDB
 * table. cdktf 0.21's `S3Backend` has no field for `use_lockfile`, so it is written as an
 * override on the backend.
 *
 * Terraform reads the backend before anything else, so every value must be a literal: a
 * reference to a resource, variable or local fails here, as does a key that is not a plain path
 * inside the bucket (`..`, a leading `/`, an empty segment), and a second backend in one stack.
 *
 * @see https://developer.hashicorp.com/terraform/language/backend/s3
 */
export class StateBackend extends Construct implements IStateBackend {
  public readonly bucketName: string;
  public readonly stateKey: string;
  public readonly region: string;

  constructor(scope: Construct, id: string, props: StateBackendProps) {
    super(scope, id);
    const stack = TerraformStack.of(this);
    checkNoOtherBackend(this, stack);
    checkLiteral(this, 'bucket.bucketName', props.bucket.bucketName);
    checkLiteral(this, 'region', props.region);
    checkRegion(this, 'region', props.region);
    if (props.roleArn !== undefined) {
      checkLiteral(this, 'roleArn', props.roleArn);
      checkIamRoleArn(this, 'roleArn', props.roleArn);
    }
    const key = props.key ?? `${stack.node.id}/${STATE_OBJECT}`;
    checkStateKey(this, props.key === undefined ? 'the derived key' : 'key', key);

    const backend = new S3Backend(this, {
      bucket: props.bucket.bucketName,
      key,
      region: props.region,
      encrypt: true,
      ...(props.roleArn === undefined ? {} : { assumeRole: { roleArn: props.roleArn } }),
    });
    // S3-native state locking (Terraform >= 1.10); cdktf 0.21's S3BackendConfig has no field for it.
    backend.addOverride('use_lockfile', true);
    LibraryVersion.record(this, __dirname);

    this.bucketName = props.bucket.bucketName;
    this.stateKey = key;
    this.region = props.region;
  }
}

/** A stack has one backend: a second would be merged into the first's block. */
function checkNoOtherBackend(scope: Construct, stack: TerraformStack): void {
  const existing = stack.node.findAll().find((c) => c !== scope && TerraformBackend.isBackend(c));
  if (existing) {
    throw invalidProp(scope, 'the stack\'s backend', existing.node.path, 'a stack has one backend: remove the other one, or this StateBackend');
  }
}

/** Terraform configures the backend before it evaluates anything, so a value cannot be a reference. */
function checkLiteral(scope: Construct, field: string, value: string): void {
  if (Token.isUnresolved(value)) {
    throw invalidProp(scope, field, value, 'give a literal: Terraform reads the backend before any resource, variable or local');
  }
}

/** Fails unless `key` is a plain path inside the bucket that cannot escape its prefix. */
function checkStateKey(scope: Construct, field: string, key: string): void {
  const problem = stateKeyProblem(key);
  if (problem) {
    throw invalidProp(scope, field, key,
      `${problem}; give a path inside the bucket such as "dev/terraform.tfstate": segments joined by single "/", none of them "." or ".."`);
  }
}

function stateKeyProblem(key: string): string | undefined {
  if (key === '') return 'it is empty';
  if (key.startsWith('/')) return 'remove the leading "/"';
  if (key.endsWith('/')) return 'it ends with "/", a folder, not an object';
  const segments = key.split('/');
  if (segments.includes('')) return 'it has an empty segment ("//")';
  if (segments.some((segment) => segment === '.' || segment === '..')) return 'it has a "." or ".." segment, which escapes its prefix';
  return undefined;
}
