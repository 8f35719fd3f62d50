/**
 * Availability zones of the regions this library plans subnets for without being told, by zone
 * suffix. Source: the AWS Regions and Zones page (docs.aws.amazon.com/global-infrastructure),
 * zones open to every account. Other regions must name their zones explicitly.
 */
const REGION_ZONE_SUFFIXES: Record<string, string[]> = {
  'ap-southeast-1': ['a', 'b', 'c'],
  'ap-southeast-2': ['a', 'b', 'c'],
  'ap-southeast-3': ['a', 'b', 'c'],
  'eu-west-1': ['a', 'b', 'c'],
  'us-east-1': ['a', 'b', 'c', 'd', 'e', 'f'],
  'us-west-2': ['a', 'b', 'c', 'd'],
};

/** The zones of `region`, or `undefined` when the region is not in the table. */
export function zonesOf(region: string): string[] | undefined {
  return REGION_ZONE_SUFFIXES[region]?.map((suffix) => `${region}${suffix}`);
}

/** The regions whose zones the table knows. */
export const KNOWN_REGIONS = Object.keys(REGION_ZONE_SUFFIXES);

/**
 * Position of a zone in its region by its letter (`a` = 0), which fixes the zone's place in the
 * CIDR plan: removing zone `b` never moves zone `c`.
 */
export function zoneIndex(zone: string): number {
  return zone.charCodeAt(zone.length - 1) - 'a'.charCodeAt(0);
}
