/**
 * AWS regions, and the availability zones of those whose zones are planned without being named.
 * Sources: the AWS Regions and Zones page (docs.aws.amazon.com/global-infrastructure) and
 * `aws ec2 describe-availability-zones`; zones open to every account.
 */

/** Every region code AWS publishes (commercial, China and GovCloud partitions). */
const REGIONS = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4',
  'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', 'ca-central-1', 'ca-west-1', 'cn-north-1',
  'cn-northwest-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1',
  'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-gov-east-1', 'us-gov-west-1',
  'us-west-1', 'us-west-2',
];

/** Zone suffixes of the regions whose subnets are planned without naming zones. */
const ZONE_SUFFIXES: Record<string, string[]> = {
  'ap-southeast-1': ['a', 'b', 'c'],
  'ap-southeast-2': ['a', 'b', 'c'],
  'ap-southeast-3': ['a', 'b', 'c'],
  'eu-west-1': ['a', 'b', 'c'],
  'us-east-1': ['a', 'b', 'c', 'd', 'e', 'f'],
  'us-west-2': ['a', 'b', 'c', 'd'],
};

/** The regions of AWS, and the zones of some of them. */
export class Regions {
  /** Every region code this library knows. */
  public static readonly ALL: string[] = [...REGIONS];

  /** The regions whose zones are known (`zonesOf` answers for them). */
  public static readonly WITH_KNOWN_ZONES: string[] = Object.keys(ZONE_SUFFIXES);

  /** Whether `region` is an AWS region code. */
  public static isRegion(region: string): boolean {
    return REGIONS.includes(region);
  }

  /** The zones of `region` (`ap-southeast-3a` …), or `undefined` when they are not known. */
  public static zonesOf(region: string): string[] | undefined {
    return ZONE_SUFFIXES[region]?.map((suffix) => `${region}${suffix}`);
  }

  /**
   * Whether `zone` is a zone name of `region`: the region followed by one letter. Known zones
   * are checked against the table; for other regions, the shape alone.
   */
  public static isZoneOf(zone: string, region: string): boolean {
    const known = Regions.zonesOf(region);
    return known ? known.includes(zone) : new RegExp(`^${region}[a-z]$`).test(zone);
  }

  /**
   * Position of a zone in its region by its letter (`a` = 0), which fixes the zone's place in a
   * CIDR plan: removing zone `b` never moves zone `c`.
   */
  public static zoneIndex(zone: string): number {
    return zone.charCodeAt(zone.length - 1) - 'a'.charCodeAt(0);
  }
}
