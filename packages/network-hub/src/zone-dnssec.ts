import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Route53HostedZoneDnssec } from '@cdktf/provider-aws/lib/route53-hosted-zone-dnssec';
import { Route53KeySigningKey } from '@cdktf/provider-aws/lib/route53-key-signing-key';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { checkAccountId, checkWholeRange, invalidProp, Naming } from '@piksel/core';
import { TerraformProvider, Token } from 'cdktf';
import { Construct } from 'constructs';
import { IPublicZone } from './public-zone';

/**
 * TTL of the DS record in the parent zone: 1 hour. Undoing DNSSEC means removing the DS record
 * and waiting out its TTL before signing stops, so a short TTL keeps that wait short.
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-configuring-dnssec-disable.html
 */
const DEFAULT_DS_TTL_SECONDS = 3600;
/** Route 53 accepts TTLs from 0 to 2147483647 seconds. */
const MAX_TTL_SECONDS = 2147483647;
/** KMS waits 7–30 days before deleting a key; the longest wait leaves time to notice a mistake. */
const KEY_DELETION_WINDOW_DAYS = 30;
/** Route 53 KSK names: 3–128 letters, digits, periods, underscores or hyphens. */
const KSK_NAME = /^[0-9A-Za-z_.-]{3,128}$/;

/** Options of `PublicZone.enableDnssec`. */
export interface ZoneDnssecOptions {
  /**
   * The zone's AWS account (12 digits): the key policy lets Route 53 DNSSEC use the key only for
   * hosted zones of this account (`aws:SourceAccount`) and gives the account's IAM control of it.
   */
  readonly account: string;

  /**
   * The provider the KMS key is created with; it must be in `us-east-1`
   * (`ZoneDnssec.KEY_REGION`), the only region Route 53 takes DNSSEC keys from. The key-signing
   * key and the signing itself belong to Route 53, which is global, and use the zone's provider.
   *
   * @default - the stack's default provider, which must then be in us-east-1
   */
  readonly keyProvider?: TerraformProvider;

  /**
   * Name of the key-signing key, unique in the zone: 3–128 letters, digits, periods, underscores
   * or hyphens. A new name is a new KSK (a key rotation).
   *
   * @default `<prefix>-ksk` of the naming setting (`piksel-ksk`)
   */
  readonly keySigningKeyName?: string;

  /**
   * TTL in seconds of the DS record in the parent zone (0–2147483647), for a delegated zone.
   *
   * @default 3600
   */
  readonly dsRecordTtl?: number;

  /**
   * Tags on the KMS key.
   *
   * @default - none besides the provider's default tags
   */
  readonly tags?: { [key: string]: string };
}

/** Properties of a `ZoneDnssec`. */
export interface ZoneDnssecProps extends ZoneDnssecOptions {
  /** The zone to sign. */
  readonly zone: IPublicZone;

  /**
   * The zone's parent, when the delegation is in Route 53: it gets the zone's DS record.
   *
   * @default - no DS record in Terraform: give `dsRecord` to the registrar
   */
  readonly parent?: IPublicZone;
}

/**
 * DNSSEC signing of a public hosted zone: a customer-managed KMS key in us-east-1 (ECC_NIST_P256,
 * SIGN_VERIFY) that only Route 53 DNSSEC may use, for this account's zones, a key-signing key
 * made from it, and signing turned on after the KSK exists. With a parent in Route 53, the parent
 * gets the zone's DS record once the zone signs, which completes the chain of trust; without one,
 * `dsRecord` is what the registrar needs.
 *
 * Destroying runs backwards (DS record, then signing, then KSK), but Terraform does not wait for
 * the DS record's TTL between the steps: resolvers that still hold the DS then reject the unsigned
 * zone. To turn DNSSEC off, remove the DS record first (at the registrar for an apex zone), wait
 * for its TTL to pass, then remove the signing.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-configuring-dnssec-cmk-requirements.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-configuring-dnssec-enable-signing.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-configuring-dnssec-disable.html
 */
export class ZoneDnssec extends Construct {
  /** The only region Route 53 takes DNSSEC signing keys from. */
  public static readonly KEY_REGION = 'us-east-1';

  /** ARN of the KMS key the KSK is made from. */
  public readonly keyArn: string;
  /** Name of the key-signing key. */
  public readonly keySigningKeyName: string;
  /**
   * The zone's DS record (`<key tag> 13 2 <digest>`), a token until apply: what the parent zone
   * or the registrar publishes.
   */
  public readonly dsRecord: string;
  /** The DS record in the parent zone, when the parent is in Route 53. */
  public readonly parentDsRecord?: Route53Record;

  constructor(scope: Construct, id: string, props: ZoneDnssecProps) {
    super(scope, id);
    const keySigningKeyName = props.keySigningKeyName ?? Naming.of(this).name('ksk');
    this.validate(props, keySigningKeyName);
    const dsTtl = props.dsRecordTtl ?? DEFAULT_DS_TTL_SECONDS;

    const key = new KmsKey(this, 'Key', {
      provider: props.keyProvider,
      description: `DNSSEC key-signing key of ${props.zone.zoneName}`,
      customerMasterKeySpec: 'ECC_NIST_P256',
      keyUsage: 'SIGN_VERIFY',
      deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: keyPolicy(props.account, props.zone.zoneArn) }),
      tags: props.tags,
    });
    const ksk = new Route53KeySigningKey(this, 'KeySigningKey', {
      hostedZoneId: props.zone.zoneId,
      keyManagementServiceArn: key.arn,
      name: keySigningKeyName,
      status: 'ACTIVE',
    });
    const signing = new Route53HostedZoneDnssec(this, 'Signing', {
      hostedZoneId: ksk.hostedZoneId,
      signingStatus: 'SIGNING',
      // Route 53 refuses to sign a zone without an active KSK, and to delete a KSK that signs.
      dependsOn: [ksk],
    });
    if (props.parent) {
      this.parentDsRecord = new Route53Record(this, 'ParentDsRecord', {
        zoneId: props.parent.zoneId,
        name: props.zone.zoneName,
        type: 'DS',
        ttl: dsTtl,
        records: [ksk.dsRecord],
        // The parent vouches for the zone only once it signs (and stops vouching before it stops).
        dependsOn: [signing],
      });
    }

    this.keyArn = key.arn;
    this.keySigningKeyName = keySigningKeyName;
    this.dsRecord = ksk.dsRecord;
  }

  private validate(props: ZoneDnssecProps, keySigningKeyName: string): void {
    checkAccountId(this, 'account', props.account);
    if (!Token.isUnresolved(keySigningKeyName) && !KSK_NAME.test(keySigningKeyName)) {
      throw invalidProp(this, 'keySigningKeyName', keySigningKeyName, 'use 3–128 letters, digits, periods, underscores or hyphens');
    }
    checkWholeRange(this, 'dsRecordTtl', props.dsRecordTtl, 0, MAX_TTL_SECONDS, 'seconds');
    if (props.dsRecordTtl !== undefined && !props.parent) {
      throw invalidProp(this, 'dsRecordTtl', props.dsRecordTtl, 'drop dsRecordTtl: a zone without a parent in Route 53 has no DS record in Terraform (give dsRecord to the registrar)');
    }
  }
}

/**
 * The key policy Route 53 DNSSEC needs: use of the key (describe, public key, sign) for this
 * account's hosted zone only, grants for AWS resources only, and the account's IAM in control.
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/access-control-managing-permissions.html#KMS-key-policy-for-DNSSEC
 */
function keyPolicy(account: string, zoneArn: string): object[] {
  const service = { Service: 'dnssec-route53.amazonaws.com' };
  return [
    {
      Sid: 'Route53DnssecUse',
      Effect: 'Allow',
      Principal: service,
      Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': zoneArn } },
    },
    {
      Sid: 'Route53DnssecGrants',
      Effect: 'Allow',
      Principal: service,
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    },
    {
      Sid: 'AccountAdministers',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ];
}
