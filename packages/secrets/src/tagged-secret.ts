import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { checkEnvironmentName, checkGrantWithinEnvironment, checkWholeRange, Claims, GrantOptions, invalidProp, LibraryVersion, Naming } from '@piksel/core';
import { Fn, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { IGrantee } from './grantee';
import { attachInlinePolicy } from './private/grants';
import { decryptViaSecretsManager, PolicyStatement, SECRET_READ_ACTIONS } from './private/policy';
import { SecretKind } from './secret-kind';
import { ISecretsKey } from './secrets-key';
import { SecretTagSchema, SecretTagValues } from './tag-schema';

/** Secrets Manager's own default: 30 days in which a deleted secret can be restored. */
const DEFAULT_RECOVERY_WINDOW_DAYS = 30;

/** A Secrets Manager secret. */
export interface ISecret extends IConstruct {
  /** ARN of the secret (for a secret referenced by name, an ARN pattern valid in IAM policies). */
  readonly secretArn: string;

  /** Name of the secret. */
  readonly secretName: string;

  /**
   * The customer-managed key that encrypts the secret.
   *
   * @default - the AWS-managed key `aws/secretsmanager`
   */
  readonly encryptionKey?: ISecretsKey;

  /**
   * Lets `grantee` read the secret's value: `GetSecretValue` and `DescribeSecret` on this secret,
   * and, when a customer-managed key encrypts it, `kms:Decrypt` through Secrets Manager. A
   * grantee of another environment or account is refused unless `options.allowFromEnvironment`
   * names its environment.
   */
  grantRead(grantee: IGrantee, options?: GrantOptions): void;
}

/** Properties of a `TaggedSecret`. */
export interface TaggedSecretProps extends SecretTagValues {
  /** What the secret holds; fixes its name (see `SecretKind`) and description. */
  readonly kind: SecretKind;

  /**
   * Description of the secret.
   *
   * @default - the kind's description, the service and the environment
   */
  readonly description?: string;

  /**
   * Customer-managed key that encrypts the secret.
   *
   * @default - the AWS-managed key `aws/secretsmanager`
   */
  readonly encryptionKey?: ISecretsKey;

  /**
   * Days in which a deleted secret can still be restored: 0 (delete at once) or 7–30.
   *
   * @default 30
   */
  readonly recoveryWindowDays?: number;
}

/** Attributes of a secret created elsewhere, referenced by ARN. */
export interface SecretAttributes {
  /** The secret's full ARN, including the six-character suffix Secrets Manager appends. */
  readonly secretArn: string;

  /**
   * The key that encrypts the secret.
   *
   * @default - the AWS-managed key `aws/secretsmanager`
   */
  readonly encryptionKey?: ISecretsKey;
}

/** Attributes of a secret created elsewhere, referenced by name. */
export interface SecretNameAttributes {
  /** The secret's name. */
  readonly secretName: string;

  /** The account ID that holds the secret. */
  readonly account: string;

  /** The region that holds the secret. */
  readonly region: string;

  /**
   * The key that encrypts the secret.
   *
   * @default - the AWS-managed key `aws/secretsmanager`
   */
  readonly encryptionKey?: ISecretsKey;
}

/**
 * A Secrets Manager secret that follows the Piksel tag schema and naming convention, and never
 * holds its value in Terraform.
 *
 * The construct creates the secret container only, never a `secret_string`: values would
 * otherwise sit in plain text in Terraform state. Operators put values with the CLI or
 * `aws secretsmanager put-secret-value`.
 *
 * The name is `kind.secretName(service, environment)`, e.g. `grafana-oauth-dev`; the tags are
 * `Project`, `Service`, `Environment`, `Owner`, `Tenant` (see `SecretTagSchema`) plus
 * `extraTags`.
 *
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_iam-permissions.html
 */
export class TaggedSecret extends Construct implements ISecret {
  /** References a secret created elsewhere by its full ARN. */
  public static fromSecretAttributes(scope: Construct, id: string, attrs: SecretAttributes): ISecret {
    const imported = new ImportedSecret(scope, id, attrs.secretArn, nameFromArn(attrs.secretArn), attrs.encryptionKey);
    if (!Token.isUnresolved(attrs.secretArn) && !SECRET_ARN.test(attrs.secretArn)) {
      throw invalidProp(imported, 'secretArn', attrs.secretArn, 'give the full ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 chars>), or use fromSecretName');
    }
    return imported;
  }

  /**
   * References a secret created elsewhere by name. Its `secretArn` is the pattern
   * `...:secret:<name>-??????`, which matches the secret (and only it) in IAM policies.
   */
  public static fromSecretName(scope: Construct, id: string, attrs: SecretNameAttributes): ISecret {
    const arn = `arn:aws:secretsmanager:${attrs.region}:${attrs.account}:secret:${attrs.secretName}-??????`;
    const imported = new ImportedSecret(scope, id, arn, attrs.secretName, attrs.encryptionKey);
    checkSecretName(imported, 'secretName', attrs.secretName);
    return imported;
  }

  public readonly secretArn: string;
  public readonly secretName: string;
  public readonly encryptionKey?: ISecretsKey;
  /** The tags the secret carries (schema tags with defaults applied, then extra tags). */
  public readonly secretTags: { [key: string]: string };
  /** The environment the secret belongs to. */
  public readonly environment: string;

  constructor(scope: Construct, id: string, props: TaggedSecretProps) {
    super(scope, id);
    const problems = SecretTagSchema.problems(props);
    if (problems.length > 0) {
      throw new Error(`${this.node.path}: the tags break the Piksel tag schema: ${problems.join('; ')}`);
    }
    checkEnvironmentName(this, 'environment', props.environment);
    checkWholeRange(this, 'recoveryWindowDays', props.recoveryWindowDays === 0 ? undefined : props.recoveryWindowDays, 7, 30, 'days (or 0 to delete at once)');
    const secretName = props.kind.secretName(props.service, props.environment);
    checkSecretName(this, 'the derived name', secretName);
    const description = props.description ?? `${props.kind.description} for ${props.service} in ${props.environment}`;
    // The organisation's project and owning team come from the naming setting unless given.
    const naming = Naming.of(this);
    const tags = SecretTagSchema.render({ ...props, project: props.project ?? naming.displayName, owner: props.owner ?? naming.owner });

    const secret = new SecretsmanagerSecret(this, 'Secret', {
      name: secretName,
      description,
      kmsKeyId: props.encryptionKey?.keyArn,
      recoveryWindowInDays: props.recoveryWindowDays ?? DEFAULT_RECOVERY_WINDOW_DAYS,
      tags,
    });
    LibraryVersion.record(this, __dirname);

    this.secretArn = secret.arn;
    this.secretName = secretName;
    this.encryptionKey = props.encryptionKey;
    this.secretTags = tags;
    this.environment = props.environment;
    Claims.of(this).noteEnvironment(this, props.environment);
  }

  public grantRead(grantee: IGrantee, options: GrantOptions = {}): void {
    checkGrantWithinEnvironment(this, 'grantRead grantee', grantee, this.environment, undefined, options);
    attachInlinePolicy(this, 'Read', grantee, readStatements(this));
  }
}

class ImportedSecret extends Construct implements ISecret {
  constructor(
    scope: Construct,
    id: string,
    public readonly secretArn: string,
    public readonly secretName: string,
    public readonly encryptionKey?: ISecretsKey,
  ) {
    super(scope, id);
  }

  public grantRead(grantee: IGrantee, options: GrantOptions = {}): void {
    checkGrantWithinEnvironment(this, 'grantRead grantee', grantee, undefined, undefined, options);
    attachInlinePolicy(this, 'Read', grantee, readStatements(this));
  }
}

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/;

function readStatements(secret: ISecret): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    { Sid: 'ReadSecret', Effect: 'Allow', Action: SECRET_READ_ACTIONS, Resource: secret.secretArn },
  ];
  if (secret.encryptionKey) {
    statements.push(decryptViaSecretsManager(secret.encryptionKey.keyArn, secret.encryptionKey.keyRegion));
  }
  return statements;
}

/**
 * Secret names are 1–512 of `A-Z a-z 0-9 / _ + = . @ -`, and must not end in a hyphen and six
 * characters: Secrets Manager appends exactly that to ARNs, so such a name makes partial-ARN
 * lookups ambiguous.
 */
function checkSecretName(scope: IConstruct, field: string, name: string): void {
  if (Token.isUnresolved(name)) return;
  if (!/^[\w/+=.@-]{1,512}$/.test(name)) {
    throw invalidProp(scope, field, name, 'use 1-512 of A-Z a-z 0-9 / _ + = . @ -');
  }
  if (/-[A-Za-z0-9]{6}$/.test(name)) {
    throw invalidProp(scope, field, name, 'a name must not end in a hyphen and six characters (Secrets Manager appends that to ARNs); pick a service or environment name that is not six characters long');
  }
}

/** The name inside a full secret ARN (without the six-character suffix), or a Terraform expression for it. */
function nameFromArn(arn: string): string {
  if (Token.isUnresolved(arn)) {
    return Token.asString(Fn.element(Fn.regex(':secret:(.+)-[A-Za-z0-9]{6}$', arn), 0));
  }
  const match = /:secret:(.+)-[A-Za-z0-9]{6}$/.exec(arn);
  return match ? match[1] : arn;
}
