import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { checkEnvironmentName, checkIamRoleArn, checkIamRoleNameOrDerived, checkMatches, Claims, iamArnName, invalidProp, LibraryVersion, Naming } from '@piksel/core';
import { Fn, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { externalDnsStatements, policyDocument, trustOneRoleWithExternalId } from './private/route53-policy';
import { IPublicZone } from './public-zone';

/**
 * One hour: the IAM default, and the most a role-chained session may last anyway (external-dns
 * assumes this role with IRSA credentials, which is role chaining).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
 */
const MAX_SESSION_DURATION_SECONDS = 3600;
/** `sts:AssumeRole` accepts external IDs of 2–1224 of `\w + = , . @ : / -`. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** A role in the hub that a spoke's external-dns assumes to manage records. */
export interface IEnvironmentDnsRole extends IConstruct {
  /** ARN of the role; give it to external-dns as `--aws-assume-role`. */
  readonly roleArn: string;

  /** Name of the role. */
  readonly roleName: string;
}

/** Options of an environment DNS role made by `SharedDns.addEnvironmentDnsRole`. */
export interface EnvironmentDnsRoleOptions {
  /**
   * The one role allowed to assume this one: the spoke's external-dns IRSA role,
   * `arn:aws:iam::<spoke account>:role/<name>`, as a literal. The trust names the spoke
   * account and narrows it to this ARN with `aws:PrincipalArn`, so the spoke role need not exist
   * yet when the hub is applied, and a recreated spoke role keeps its access.
   *
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
   */
  readonly trustedRoleArn: string;

  /**
   * External ID the caller must present (`sts:ExternalId`), 2–1224 of `A-Z a-z 0-9 _ + = , . @ : / -`;
   * external-dns passes it with `--aws-assume-role-external-id`. It guards against a confused
   * deputy; it is not a secret.
   *
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
   */
  readonly externalId: string;

  /** The zones whose records the environment's external-dns may change; at least one. */
  readonly zones: IPublicZone[];

  /**
   * Name of the role.
   *
   * @default `<prefix>-<environment>-external-dns` (`Naming` of @piksel/core)
   */
  readonly roleName?: string;

  /**
   * Tags for the role; they override tags of the same key given to `SharedDns`.
   *
   * @default - none besides the provider's default tags
   */
  readonly tags?: { [key: string]: string };
}

/** Properties of an `EnvironmentDnsRole`. */
export interface EnvironmentDnsRoleProps extends EnvironmentDnsRoleOptions {
  /** The environment the role serves, lower-case kebab-case, e.g. `dev`. */
  readonly environment: string;
}

/**
 * A per-environment cross-account role that the environment's external-dns assumes to write DNS
 * records in its own public zones, and nowhere else.
 *
 * Trust: exactly `trustedRoleArn` (its account, narrowed by `aws:PrincipalArn`), with
 * `sts:ExternalId` equal to `externalId`; sessions last at
 * most one hour. Permissions (inline policy `external-dns-route53`):
 *
 * - `route53:ListHostedZones` on `*` (the action takes no resource);
 * - `route53:ListResourceRecordSets`, `ListTagsForResource(s)` on the given zones;
 * - `route53:ChangeResourceRecordSets` on the given zones, only for record types `A`, `AAAA`,
 *   `CNAME` and `TXT` (`ForAllValues:StringEquals` on `route53:ChangeResourceRecordSetsRecordTypes`),
 *   so it can never rewrite `NS`/`SOA` records such as a sub-zone's delegation.
 *
 * Run external-dns with `--zone-id-filter` set to these zones: `ListHostedZones` shows every zone
 * of the hub, and reading any other zone is denied.
 *
 * @see https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/aws/
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-conditions-route53.html
 */
export class EnvironmentDnsRole extends Construct implements IEnvironmentDnsRole {
  /** References an environment DNS role by ARN, e.g. from a spoke's stack. */
  public static fromRoleArn(scope: Construct, id: string, roleArn: string): IEnvironmentDnsRole {
    const imported = new ImportedEnvironmentDnsRole(scope, id, roleArn);
    checkRoleArn(imported, 'roleArn', roleArn);
    return imported;
  }

  public readonly roleArn: string;
  public readonly roleName: string;
  /** The environment the role serves. */
  public readonly environment: string;

  constructor(scope: Construct, id: string, props: EnvironmentDnsRoleProps) {
    super(scope, id);
    this.validate(props);
    const naming = Naming.of(this);
    const roleName = props.roleName ?? naming.name(props.environment, 'external-dns');
    checkIamRoleNameOrDerived(this, 'roleName', props.roleName, roleName, { field: 'environment', value: props.environment, overhead: roleName.length - props.environment.length, override: 'roleName' });
    Claims.of(this).claimIamRole(this, props.roleName === undefined ? 'the derived roleName' : 'roleName', roleName);
    const zoneArns = [...new Set(props.zones.map((zone) => zone.zoneArn))];

    const role = new IamRole(this, 'Role', {
      name: roleName,
      description: `external-dns of ${naming.displayName} ${props.environment}: records in ${props.zones.map((zone) => zone.zoneName).join(', ')}`,
      assumeRolePolicy: policyDocument(trustOneRoleWithExternalId(props.trustedRoleArn, props.externalId)),
      maxSessionDuration: MAX_SESSION_DURATION_SECONDS,
      tags: props.tags,
    });
    new IamRolePolicy(this, 'Route53Policy', {
      role: role.name,
      name: 'external-dns-route53',
      policy: policyDocument(externalDnsStatements(zoneArns)),
    });
    LibraryVersion.record(this, __dirname);

    this.roleArn = role.arn;
    this.roleName = roleName;
    this.environment = props.environment;
  }

  private validate(props: EnvironmentDnsRoleProps): void {
    checkEnvironmentName(this, 'environment', props.environment);
    checkRoleArn(this, 'trustedRoleArn', props.trustedRoleArn);
    checkMatches(this, 'externalId', props.externalId, EXTERNAL_ID, `use 2-1224 of A-Z a-z 0-9 _ + = , . @ : / - (e.g. "${Naming.of(this).name('dev', 'external-dns')}")`);
    if (props.zones.length === 0) {
      throw invalidProp(this, 'zones', [], 'give at least one zone whose records this environment manages');
    }
  }
}

class ImportedEnvironmentDnsRole extends Construct implements IEnvironmentDnsRole {
  public readonly roleArn: string;
  public readonly roleName: string;

  constructor(scope: Construct, id: string, roleArn: string) {
    super(scope, id);
    this.roleArn = roleArn;
    this.roleName = Token.isUnresolved(roleArn)
      ? Token.asString(Fn.element(Fn.reverse(Fn.split('/', roleArn)), 0))
      : iamArnName(roleArn);
  }
}

/** Fails unless `arn` is one literal IAM role ARN: the trust policy names its account at synth. */
function checkRoleArn(scope: IConstruct, field: string, arn: string): void {
  if (Token.isUnresolved(arn)) {
    throw invalidProp(scope, field, arn, 'give the role ARN as a literal: the trust policy names its account');
  }
  checkIamRoleArn(scope, field, arn);
}
