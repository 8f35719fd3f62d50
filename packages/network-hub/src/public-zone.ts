import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { checkDomainName, checkWholeRange, invalidProp, LibraryVersion, Naming } from '@piksel/core';
import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { hostedZoneArn, isSubdomain } from './private/route53-policy';
import { ZoneDnssec, ZoneDnssecOptions } from './zone-dnssec';

/**
 * TTL of the delegation NS record in the parent zone: 172800 s (2 days), the TTL Route 53 itself
 * gives the NS record of a new public hosted zone.
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/SOA-NSrecords.html
 */
const DEFAULT_DELEGATION_TTL_SECONDS = 172800;
/** Route 53 accepts TTLs from 0 to 2147483647 seconds. */
const MAX_TTL_SECONDS = 2147483647;
/** Route 53 limits a hosted zone comment to 256 characters. */
const MAX_COMMENT_LENGTH = 256;
/** Route 53 hosted zone IDs: upper-case letters and digits, without the `/hostedzone/` prefix. */
const HOSTED_ZONE_ID = /^[A-Z0-9]{1,32}$/;

/** A Route 53 public hosted zone. */
export interface IPublicZone extends IConstruct {
  /** ID of the hosted zone, e.g. `Z0123456789ABCDEFGHIJ`. */
  readonly zoneId: string;

  /** Domain name of the zone, without a trailing dot, e.g. `piksel.big.go.id`. */
  readonly zoneName: string;

  /** IAM ARN of the zone, `arn:aws:route53:::hostedzone/<zoneId>`. */
  readonly zoneArn: string;
}

/** Options of a public zone made by `SharedDns.addPublicZone`. */
export interface PublicZoneOptions {
  /**
   * The zone this one is delegated from. The zone must be a subdomain of it; an `NS` record for
   * this zone, holding its name servers, is created in the parent.
   *
   * @default - no delegation (register the zone's name servers with the registrar)
   */
  readonly parent?: IPublicZone;

  /**
   * TTL in seconds of the delegation `NS` record in the parent zone (0–2147483647).
   *
   * @default 172800
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/SOA-NSrecords.html
   */
  readonly delegationTtl?: number;

  /**
   * Comment on the hosted zone, at most 256 characters.
   *
   * @default `<display name> public zone <zoneName>, managed by Terraform` (`Naming` of @piksel/core)
   */
  readonly comment?: string;

  /**
   * Tags for the hosted zone; they override tags of the same key given to `SharedDns`.
   *
   * @default - none besides the provider's default tags
   */
  readonly tags?: { [key: string]: string };
}

/** Properties of a `PublicZone`. */
export interface PublicZoneProps extends PublicZoneOptions {
  /**
   * Domain name of the zone: lower-case, two or more labels of 1–63 characters, at most 253
   * characters, written **without** a trailing dot (one is refused, not stripped).
   */
  readonly zoneName: string;
}

/** Attributes of a public zone created elsewhere. */
export interface PublicZoneAttributes {
  /** ID of the hosted zone, without the `/hostedzone/` prefix. */
  readonly zoneId: string;

  /** Domain name of the zone, without a trailing dot. */
  readonly zoneName: string;
}

/**
 * A Route 53 public hosted zone, optionally delegated from a parent zone.
 *
 * `force_destroy` is off: Terraform refuses to delete a zone that still holds records other
 * than its own NS and SOA, so removing a zone from code cannot erase what external-dns wrote.
 *
 * With `parent`, the zone's delegation (an `NS` record of the zone's name in the parent zone,
 * value `name_servers` of this zone) is created at `<this>/Delegation`.
 *
 * DNSSEC signing is turned on with `enableDnssec` (see `ZoneDnssec`).
 *
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-routing-traffic-for-subdomains.html
 * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/route53_zone
 */
export class PublicZone extends Construct implements IPublicZone {
  /** References a public zone created elsewhere, e.g. a parent zone in another state. */
  public static fromPublicZoneAttributes(scope: Construct, id: string, attrs: PublicZoneAttributes): IPublicZone {
    const imported = new ImportedPublicZone(scope, id, attrs);
    if (!Token.isUnresolved(attrs.zoneId) && !HOSTED_ZONE_ID.test(attrs.zoneId)) {
      throw invalidProp(imported, 'zoneId', attrs.zoneId, 'give the hosted zone ID alone (upper-case letters and digits), without "/hostedzone/"');
    }
    checkDomainName(imported, 'zoneName', attrs.zoneName);
    return imported;
  }

  public readonly zoneId: string;
  public readonly zoneName: string;
  public readonly zoneArn: string;
  /** The four name servers Route 53 assigned to the zone (a list token until apply). */
  public readonly nameServers: string[];
  /** The delegation `NS` record in the parent zone, when the zone has a parent. */
  public readonly delegationRecord?: Route53Record;
  private readonly parent?: IPublicZone;
  private signing?: ZoneDnssec;

  constructor(scope: Construct, id: string, props: PublicZoneProps) {
    super(scope, id);
    this.validate(props);
    const comment = props.comment ?? `${Naming.of(this).displayName} public zone ${props.zoneName}, managed by Terraform`;
    const delegationTtl = props.delegationTtl ?? DEFAULT_DELEGATION_TTL_SECONDS;

    const zone = new Route53Zone(this, 'Zone', {
      name: props.zoneName,
      comment,
      forceDestroy: false,
      tags: props.tags,
    });
    if (props.parent) {
      this.delegationRecord = new Route53Record(this, 'Delegation', {
        zoneId: props.parent.zoneId,
        name: props.zoneName,
        type: 'NS',
        ttl: delegationTtl,
        records: zone.nameServers,
      });
    }
    LibraryVersion.record(this, __dirname);

    this.zoneId = zone.zoneId;
    this.zoneName = props.zoneName;
    this.zoneArn = zone.arn;
    this.nameServers = zone.nameServers;
    this.parent = props.parent;
  }

  /** The zone's DNSSEC signing, once `enableDnssec` has turned it on. */
  public get dnssec(): ZoneDnssec | undefined {
    return this.signing;
  }

  /**
   * Signs the zone with DNSSEC (at `<this>/Dnssec`): a KMS key in us-east-1, a key-signing key
   * and signing on; the parent zone, when the zone has one, gets its DS record. An apex zone's
   * `dsRecord` goes to the registrar.
   */
  public enableDnssec(options: ZoneDnssecOptions): ZoneDnssec {
    if (this.signing) {
      throw invalidProp(this, 'dnssec', 'enabled', 'enable DNSSEC once per zone and reuse the returned ZoneDnssec');
    }
    this.signing = new ZoneDnssec(this, 'Dnssec', { ...options, zone: this, parent: this.parent });
    return this.signing;
  }

  private validate(props: PublicZoneProps): void {
    checkDomainName(this, 'zoneName', props.zoneName);
    checkWholeRange(this, 'delegationTtl', props.delegationTtl, 0, MAX_TTL_SECONDS, 'seconds');
    if (props.delegationTtl !== undefined && !props.parent) {
      throw invalidProp(this, 'delegationTtl', props.delegationTtl, 'give parent as well, or drop delegationTtl: only a delegated zone has a delegation record');
    }
    if (props.comment !== undefined && props.comment.length > MAX_COMMENT_LENGTH) {
      throw invalidProp(this, 'comment', props.comment, `use at most ${MAX_COMMENT_LENGTH} characters`);
    }
    const parentName = props.parent?.zoneName;
    if (parentName !== undefined && !Token.isUnresolved(parentName) && !Token.isUnresolved(props.zoneName)
      && !isSubdomain(props.zoneName, parentName)) {
      throw invalidProp(this, 'zoneName', props.zoneName, `a zone delegated from "${parentName}" must be a subdomain of it, e.g. "staging.${parentName}"; fix the name or the parent`);
    }
  }
}

class ImportedPublicZone extends Construct implements IPublicZone {
  public readonly zoneId: string;
  public readonly zoneName: string;
  public readonly zoneArn: string;

  constructor(scope: Construct, id: string, attrs: PublicZoneAttributes) {
    super(scope, id);
    this.zoneId = attrs.zoneId;
    this.zoneName = attrs.zoneName;
    this.zoneArn = hostedZoneArn(attrs.zoneId);
  }
}
