import { arnAccount } from '@piksel/core';

/**
 * Route 53 names and IAM policies for `SharedDns`: DNS-name checks, construct IDs keyed by name,
 * hosted-zone ARNs and the external-dns policy statements. Nothing here is public API.
 */

/** One IAM policy statement, as AWS spells it. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string[];
  readonly Resource?: string | string[];
  readonly Principal?: Record<string, string | string[]>;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/**
 * Renders a policy document as JSON. References that are still tokens at synth time stay in it as
 * `${...}` interpolations, which Terraform resolves. (Statements must not contain IAM policy
 * variables such as `${aws:username}`: Terraform would read them as interpolations.)
 */
export function policyDocument(statements: PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * The IAM ARN of a hosted zone. Route 53 ARNs have no region and no account.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonroute53.html#amazonroute53-resources-for-iam-policies
 */
export function hostedZoneArn(zoneId: string): string {
  return `arn:aws:route53:::hostedzone/${zoneId}`;
}

/**
 * Record types external-dns writes: A/AAAA (and ALIAS, which Route 53 types as A or AAAA),
 * CNAME, and TXT for its ownership registry. Never NS or SOA, so a role limited to these cannot
 * rewrite the delegation of a sub-zone that sits inside its zone.
 * @see https://kubernetes-sigs.github.io/external-dns/latest/docs/registry/txt/
 */
export const EXTERNAL_DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'TXT'];

/**
 * What external-dns calls on Route 53, from its AWS tutorial (IAM Policy section) and
 * `provider/aws/aws.go`: https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/aws/
 *
 * - `ListHostedZones` lists the zones to consider; it takes no resource, so `*`.
 * - `ListResourceRecordSets` reads the current records of a zone.
 * - `ListTagsForResources` (external-dns ≥ 0.16, batched) and `ListTagsForResource` (earlier
 *   releases) read zone tags when `--aws-zone-tags` filters zones.
 * - `ChangeResourceRecordSets` writes records.
 *
 * Resource types per action: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonroute53.html
 */
const LIST_ZONES_ACTIONS = ['route53:ListHostedZones'];
const READ_ZONE_ACTIONS = ['route53:ListResourceRecordSets', 'route53:ListTagsForResource', 'route53:ListTagsForResources'];
const WRITE_ZONE_ACTIONS = ['route53:ChangeResourceRecordSets'];

/**
 * The permissions of an external-dns role: list every zone (not resource-scopable), read and
 * write records of `zoneArns` only, and write only `EXTERNAL_DNS_RECORD_TYPES`.
 *
 * `ForAllValues:` is true for an empty key, but `ChangeResourceRecordSets` always carries at
 * least one change, so every call sets `route53:ChangeResourceRecordSetsRecordTypes`.
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-conditions-route53.html
 */
export function externalDnsStatements(zoneArns: string[]): PolicyStatement[] {
  return [
    { Sid: 'ListHostedZones', Effect: 'Allow', Action: LIST_ZONES_ACTIONS, Resource: '*' },
    { Sid: 'ReadOwnZones', Effect: 'Allow', Action: READ_ZONE_ACTIONS, Resource: zoneArns },
    {
      Sid: 'WriteExternalDnsRecordTypesInOwnZones',
      Effect: 'Allow',
      Action: WRITE_ZONE_ACTIONS,
      Resource: zoneArns,
      Condition: {
        'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': EXTERNAL_DNS_RECORD_TYPES },
      },
    },
  ];
}

/**
 * A trust policy that lets exactly one role assume this one, and only with `externalId`.
 *
 * The principal is the role's account, narrowed to the role by `aws:PrincipalArn`: a role ARN as
 * principal must exist when the policy is written (IAM refuses unknown principals, so the hub
 * could not be applied before its spokes) and is pinned to the role's unique ID (a recreated
 * role would silently lose access).
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
export function trustOneRoleWithExternalId(trustedRoleArn: string, externalId: string): PolicyStatement[] {
  const account = arnAccount(trustedRoleArn);
  return [{
    Sid: 'AssumeFromSpokeExternalDns',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    Action: ['sts:AssumeRole'],
    Condition: {
      StringEquals: { 'sts:ExternalId': externalId },
      ArnEquals: { 'aws:PrincipalArn': trustedRoleArn },
    },
  }];
}

/** Whether `child` is a proper subdomain of `parent` (`staging.piksel.big.go.id` of `piksel.big.go.id`). */
export function isSubdomain(child: string, parent: string): boolean {
  return child.endsWith(`.${parent}`);
}

