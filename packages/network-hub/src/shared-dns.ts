import { checkDomainName, checkEnvironmentName, invalidProp, LibraryVersion } from '@piksel/core';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentDnsRole, EnvironmentDnsRoleOptions } from './dns-role';
import { pascalId } from './private/construct-id';
import { PublicZone, PublicZoneOptions } from './public-zone';

/** Properties of a `SharedDns`. */
export interface SharedDnsProps {
  /**
   * Tags for every zone and role this construct makes. Precedence, lowest first: the provider's
   * default tags (estate-wide), these, then the `tags` of one zone or role.
   *
   * @default - none besides the provider's default tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * The hub's public DNS: Route 53 public hosted zones, their delegations, and one cross-account
 * role per environment that the environment's external-dns assumes to write records in its own
 * zone only.
 *
 * Construct IDs are API (they are the Terraform addresses) and are keyed by name, never by
 * order:
 *
 * - a zone lives at `<this>/<ZoneName in PascalCase>`, every label and hyphen-separated part
 *   capitalised and separators dropped: `piksel.big.go.id` → `PikselBigGoId`,
 *   `staging.piksel.big.go.id` → `StagingPikselBigGoId`, `pik-sel.id` → `PikSelId`;
 * - an environment's role lives at `<this>/<Environment in PascalCase>DnsRole`: `dev` →
 *   `DevDnsRole`.
 *
 * Two names that map to the same ID (`pik-sel.id` and `pik.sel.id`) are refused rather than
 * numbered. The private zone `piksel.internal` and the ECR endpoint zones are not here: they
 * belong to `NetworkHub`.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/AboutHZWorkingWith.html
 * @see https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/aws/
 */
export class SharedDns extends Construct {
  private readonly tags?: { [key: string]: string };
  private readonly zones = new Map<string, PublicZone>();
  private readonly roles = new Map<string, EnvironmentDnsRole>();

  constructor(scope: Construct, id: string, props: SharedDnsProps = {}) {
    super(scope, id);
    this.tags = props.tags;
    LibraryVersion.record(this, __dirname);
  }

  /** The public zones added so far, in the order they were added. */
  public get publicZones(): PublicZone[] {
    return [...this.zones.values()];
  }

  /** The environment DNS roles added so far, in the order they were added. */
  public get environmentDnsRoles(): EnvironmentDnsRole[] {
    return [...this.roles.values()];
  }

  /**
   * Adds a public hosted zone, delegated from `options.parent` when given (an `NS` record in the
   * parent zone holding this zone's name servers).
   *
   * @param zoneName the zone's domain, lower-case and without a trailing dot, e.g.
   * `staging.piksel.big.go.id`; a literal, since it keys the construct ID
   */
  public addPublicZone(zoneName: string, options: PublicZoneOptions = {}): PublicZone {
    if (Token.isUnresolved(zoneName)) {
      throw invalidProp(this, 'zoneName', zoneName, 'give the zone name as a literal: it keys the construct ID');
    }
    checkDomainName(this, 'zoneName', zoneName);
    if (this.zones.has(zoneName)) {
      throw invalidProp(this, 'zoneName', zoneName, 'this zone was already added; add each zone once and reuse the returned PublicZone');
    }
    const id = this.freeId(pascalId(zoneName), 'zoneName', zoneName);
    const zone = new PublicZone(this, id, {
      ...options,
      zoneName,
      tags: this.mergeTags(options.tags),
    });
    this.zones.set(zoneName, zone);
    return zone;
  }

  /**
   * Adds the role that `environment`'s external-dns assumes (from `options.trustedRoleArn`, with
   * `options.externalId`) to change records of `options.zones` only.
   *
   * @param environment the environment, lower-case kebab-case, e.g. `staging`
   */
  public addEnvironmentDnsRole(environment: string, options: EnvironmentDnsRoleOptions): EnvironmentDnsRole {
    checkEnvironmentName(this, 'environment', environment);
    if (this.roles.has(environment)) {
      throw invalidProp(this, 'environment', environment, 'this environment already has a DNS role; give all its zones in one call');
    }
    const id = this.freeId(`${pascalId(environment)}DnsRole`, 'environment', environment);
    const role = new EnvironmentDnsRole(this, id, {
      ...options,
      environment,
      tags: this.mergeTags(options.tags),
    });
    this.roles.set(environment, role);
    return role;
  }

  /** `id`, or a constructor error when another name already maps to it. */
  private freeId(id: string, field: string, value: string): string {
    if (this.node.tryFindChild(id)) {
      throw invalidProp(this, field, value, `its construct ID "${id}" is taken by another name that maps to the same ID; rename one of them`);
    }
    return id;
  }

  private mergeTags(own?: { [key: string]: string }): { [key: string]: string } | undefined {
    if (this.tags === undefined && own === undefined) return undefined;
    return { ...this.tags, ...own };
  }
}
