import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import {
  checkAccountId, checkEnvironmentName, checkGrantWithinEnvironment, checkKmsKeyArn, checkRegion, checkWholeRange, Claims, GrantOptions, invalidProp,
  LibraryVersion, Naming,
} from '@piksel/core';
import { Construct, IConstruct } from 'constructs';
import { IGrantee } from './grantee';
import { attachInlinePolicy } from './private/grants';
import { decryptViaSecretsManager, PolicyStatement, policyDocument, secretsManagerViaService } from './private/policy';
import { SecretsKeyAlias } from './secrets-key-alias';

/** KMS accepts 7–30 days before a scheduled key deletion; AWS defaults to 30. */
const DEFAULT_DELETION_WINDOW_DAYS = 30;
/** KMS rotates customer-managed keys every 90–2560 days; AWS defaults to 365. */
const DEFAULT_ROTATION_PERIOD_DAYS = 365;

/** Key usage that Secrets Manager performs on a caller's behalf. */
const USAGE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];
/** Key administration: everything but using the key. */
const ADMIN_ACTIONS = [
  'kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*',
  'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource',
  'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand',
];

/**
 * A customer-managed KMS key for Secrets Manager.
 */
export interface ISecretsKey extends IConstruct {
  /** ARN of the key. */
  readonly keyArn: string;

  /** Region the key lives in; Secrets Manager must call KMS from this region. */
  readonly keyRegion: string;

  /**
   * Lets `grantee` decrypt with this key, only when Secrets Manager in the key's region asks
   * (`kms:ViaService`), never directly. A grantee of another environment or account is refused
   * unless `options.allowFromEnvironment` names its environment.
   */
  grantDecrypt(grantee: IGrantee, options?: GrantOptions): void;
}

/** Properties of a `SecretsKey`. */
export interface SecretsKeyProps {
  /** The environment the key serves, lower-case kebab-case, e.g. `dev`. */
  readonly environment: string;

  /** The AWS account ID that owns the key (12 digits). */
  readonly account: string;

  /** The region of the key and of the secrets it protects, e.g. `ap-southeast-3`. */
  readonly region: string;

  /**
   * Alias of the key.
   *
   * @default `alias/<prefix>-<environment>-secrets` (`Naming` of @piksel/core)
   */
  readonly aliasName?: string;

  /**
   * Days KMS waits before deleting the key once deletion is scheduled (7–30).
   *
   * @default 30
   */
  readonly deletionWindowDays?: number;

  /**
   * Days between automatic rotations of the key material (90–2560). Rotation is always on.
   *
   * @default 365
   */
  readonly rotationPeriodDays?: number;

  /**
   * Tags for the key.
   *
   * @default - none besides the provider's default tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * A per-environment customer-managed KMS key for Secrets Manager, with rotation on.
 *
 * The key policy separates administration from use. The account (that is, IAM policies in it)
 * may administer the key, but may use it to encrypt or decrypt **only through Secrets Manager
 * in the key's region** (`kms:ViaService`), so a principal that can read a secret still cannot
 * decrypt anything else with this key.
 *
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export class SecretsKey extends Construct implements ISecretsKey {
  /**
   * References a key created elsewhere.
   *
   * @param keyArn the key's ARN
   * @param region the key's region
   */
  public static fromKeyArn(scope: Construct, id: string, keyArn: string, region: string): ISecretsKey {
    return new ImportedSecretsKey(scope, id, keyArn, region);
  }

  public readonly keyArn: string;
  public readonly keyRegion: string;
  /** ID of the key. */
  public readonly keyId: string;
  /** Alias of the key, `alias/...`. */
  public readonly aliasName: string;
  /** The environment the key serves. */
  public readonly environment: string;
  private readonly account: string;

  constructor(scope: Construct, id: string, props: SecretsKeyProps) {
    super(scope, id);
    this.validate(props);
    const naming = Naming.of(this);
    const aliasName = props.aliasName ?? SecretsKeyAlias.forEnvironment(props.environment, naming.prefix);
    const deletionWindowDays = props.deletionWindowDays ?? DEFAULT_DELETION_WINDOW_DAYS;
    const rotationPeriodDays = props.rotationPeriodDays ?? DEFAULT_ROTATION_PERIOD_DAYS;
    Claims.of(this).claimKmsAlias(this, props.aliasName === undefined ? 'the derived aliasName' : 'aliasName', props.account, props.region, aliasName);
    Claims.of(this).noteEnvironment(this, props.environment);

    const key = new KmsKey(this, 'Key', {
      description: `${naming.displayName} ${props.environment} Secrets Manager key`,
      enableKeyRotation: true,
      rotationPeriodInDays: rotationPeriodDays,
      deletionWindowInDays: deletionWindowDays,
      policy: policyDocument(this.keyPolicy(props.account, props.region)),
      tags: props.tags,
    });
    new KmsAlias(this, 'Alias', { name: aliasName, targetKeyId: key.keyId });
    LibraryVersion.record(this, __dirname);

    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.keyRegion = props.region;
    this.aliasName = aliasName;
    this.environment = props.environment;
    this.account = props.account;
  }

  public grantDecrypt(grantee: IGrantee, options: GrantOptions = {}): void {
    checkGrantWithinEnvironment(this, 'grantDecrypt grantee', grantee, this.environment, this.account, options);
    attachInlinePolicy(this, 'Decrypt', grantee, [decryptViaSecretsManager(this.keyArn, this.keyRegion)]);
  }

  private validate(props: SecretsKeyProps): void {
    checkEnvironmentName(this, 'environment', props.environment);
    checkAccountId(this, 'account', props.account);
    checkRegion(this, 'region', props.region);
    if (props.aliasName !== undefined && !/^alias\/(?!aws\/)[\w/-]{1,250}$/.test(props.aliasName)) {
      throw invalidProp(this, 'aliasName', props.aliasName, 'start with "alias/", not "alias/aws/", and use letters, digits, / _ -');
    }
    checkWholeRange(this, 'deletionWindowDays', props.deletionWindowDays, 7, 30, 'days');
    checkWholeRange(this, 'rotationPeriodDays', props.rotationPeriodDays, 90, 2560, 'days');
  }

  private keyPolicy(account: string, region: string): PolicyStatement[] {
    const accountRoot = { AWS: `arn:aws:iam::${account}:root` };
    return [
      {
        Sid: 'AccountAdministersKey',
        Effect: 'Allow',
        Principal: accountRoot,
        Action: ADMIN_ACTIONS,
        Resource: '*',
      },
      {
        Sid: 'AccountUsesKeyOnlyViaSecretsManager',
        Effect: 'Allow',
        Principal: accountRoot,
        Action: USAGE_ACTIONS,
        Resource: '*',
        Condition: {
          StringEquals: {
            'kms:ViaService': secretsManagerViaService(region),
            'kms:CallerAccount': account,
          },
        },
      },
    ];
  }
}

class ImportedSecretsKey extends Construct implements ISecretsKey {
  public readonly keyArn: string;
  public readonly keyRegion: string;

  constructor(scope: Construct, id: string, keyArn: string, region: string) {
    super(scope, id);
    checkKmsKeyArn(this, 'keyArn', keyArn);
    this.keyArn = keyArn;
    this.keyRegion = region;
  }

  public grantDecrypt(grantee: IGrantee, options: GrantOptions = {}): void {
    checkGrantWithinEnvironment(this, 'grantDecrypt grantee', grantee, undefined, undefined, options);
    attachInlinePolicy(this, 'Decrypt', grantee, [decryptViaSecretsManager(this.keyArn, this.keyRegion)]);
  }
}
