import { Cidr, contains, formatCidr, invalidProp, overlaps, parseCidr, Regions, subBlock } from '@piksel/core';
import { IConstruct } from 'constructs';

/**
 * The computed layout, for a VPC of prefix /p: the VPC splits into eight blocks of /p+3. Zone
 * `a` gets private block 0, zone `b` block 1, … zone `f` block 5 (nodes and pods live there, so
 * they are large). The last block splits into eight /p+6 public subnets, zone `a` first. A
 * zone's place depends on its letter only, never on the list, so removing a zone renumbers
 * nothing. For a /16: private /19 (8,190 addresses), public /22 (1,022).
 */
const PRIVATE_EXTRA_BITS = 3;
const PUBLIC_EXTRA_BITS = 6;
const PUBLIC_AREA_INDEX = 7;
/** Zones `a`–`f` fit the computed layout (private blocks 0–5). */
export const MAX_PLANNED_ZONE_INDEX = 5;
/** AWS VPCs are /16 to /28; the computed layout needs public subnets of at most /28. */
export const PLANNED_PREFIX_RANGE = { min: 16, max: 28 - PUBLIC_EXTRA_BITS };

/** Subnet CIDRs by zone. */
export interface SubnetPlan {
  readonly public: Map<string, string>;
  readonly private: Map<string, string>;
}

/** Inputs of a subnet plan, as given to the VPC construct. */
export interface SubnetPlanInput {
  readonly vpcCidr: Cidr;
  readonly zones: string[];
  readonly publicOverrides?: { [zone: string]: string };
  readonly privateOverrides?: { [zone: string]: string };
}

/**
 * Plans the public and private subnet of every zone, taking overrides where given, and fails
 * with a constructor error when a subnet is malformed, outside the VPC or overlaps another.
 */
export function planSubnets(scope: IConstruct, input: SubnetPlanInput): SubnetPlan {
  const plan: SubnetPlan = { public: new Map(), private: new Map() };
  const taken: Array<{ field: string; cidr: Cidr }> = [];
  for (const [tier, overrides, field] of [
    ['private', input.privateOverrides, 'privateSubnetCidrs'],
    ['public', input.publicOverrides, 'publicSubnetCidrs'],
  ] as const) {
    for (const zone of Object.keys(overrides ?? {})) {
      if (!input.zones.includes(zone)) {
        throw invalidProp(scope, `${field}["${zone}"]`, overrides![zone], `name one of the VPC's zones (${input.zones.join(', ')}) or remove the entry`);
      }
    }
    for (const zone of input.zones) {
      const override = overrides?.[zone];
      const cidr = override !== undefined
        ? checkOverride(scope, `${field}["${zone}"]`, override, input.vpcCidr)
        : planned(scope, tier, zone, input.vpcCidr, field);
      const clash = taken.find((other) => overlaps(other.cidr, cidr));
      if (clash) {
        throw invalidProp(scope, `${field}["${zone}"]`, formatCidr(cidr), `it overlaps ${clash.field} (${formatCidr(clash.cidr)}); give each subnet its own block`);
      }
      taken.push({ field: `${field}["${zone}"]`, cidr });
      plan[tier].set(zone, formatCidr(cidr));
    }
  }
  return plan;
}

function checkOverride(scope: IConstruct, field: string, text: string, vpcCidr: Cidr): Cidr {
  const cidr = parseCidr(text);
  if (!cidr) {
    throw invalidProp(scope, field, text, 'use an IPv4 CIDR block such as 10.1.0.0/19, with no host bits set');
  }
  if (!contains(vpcCidr, cidr) || cidr.prefix > 28) {
    throw invalidProp(scope, field, text, `use a block of /28 or larger inside the VPC's ${formatCidr(vpcCidr)}`);
  }
  return cidr;
}

function planned(scope: IConstruct, tier: 'public' | 'private', zone: string, vpcCidr: Cidr, field: string): Cidr {
  const index = Regions.zoneIndex(zone);
  if (vpcCidr.prefix < PLANNED_PREFIX_RANGE.min || vpcCidr.prefix > PLANNED_PREFIX_RANGE.max) {
    throw invalidProp(scope, 'cidrBlock', formatCidr(vpcCidr), `the computed subnet layout needs a VPC of /${PLANNED_PREFIX_RANGE.min} to /${PLANNED_PREFIX_RANGE.max}; use one, or give ${field} for every zone`);
  }
  if (index < 0 || index > MAX_PLANNED_ZONE_INDEX) {
    throw invalidProp(scope, 'availabilityZones', zone, `the computed subnet layout places zones a–f; give ${field}["${zone}"] explicitly`);
  }
  const block = tier === 'private'
    ? subBlock(vpcCidr, vpcCidr.prefix + PRIVATE_EXTRA_BITS, index)
    : subBlock(subBlock(vpcCidr, vpcCidr.prefix + PRIVATE_EXTRA_BITS, PUBLIC_AREA_INDEX)!, vpcCidr.prefix + PUBLIC_EXTRA_BITS, index);
  return block!;
}
