import { TerraformOutput, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * The names of the stack outputs a `NetworkHub` writes for its spokes: the contract between the
 * hub's stack and every spoke stack. A spoke reads them back from the hub's remote state in one
 * call (`HubState` in `@piksel/spoke-vpc`), so neither side invents names.
 *
 * | Output | Value |
 * |---|---|
 * | `hub_name` | the hub's name (`piksel-hub`) |
 * | `hub_cidr_block` | the hub VPC's CIDR block |
 * | `transit_gateway_id` | the Transit Gateway |
 * | `shared_route_table_id` | the `shared` domain's route table |
 * | `routing_domain_<domain>_route_table_id` | each routing domain's route table (`-` → `_`) |
 * | `private_zone_<zone>_id` | each private zone spokes associate with (`.` and `-` → `_`) |
 */
export class HubOutputs {
  /** The hub's name. */
  public static readonly HUB_NAME = 'hub_name';
  /** The hub VPC's CIDR block. */
  public static readonly HUB_CIDR_BLOCK = 'hub_cidr_block';
  /** The Transit Gateway ID. */
  public static readonly TRANSIT_GATEWAY_ID = 'transit_gateway_id';
  /** The `shared` route table ID. */
  public static readonly SHARED_ROUTE_TABLE_ID = 'shared_route_table_id';

  /** The output holding the route table of routing domain `domainName`. */
  public static routingDomain(domainName: string): string {
    return `routing_domain_${snake(domainName)}_route_table_id`;
  }

  /** The output holding the ID of private zone `zoneName`. */
  public static privateZone(zoneName: string): string {
    return `private_zone_${snake(zoneName)}_id`;
  }

  /**
   * The private zones every spoke of a hub associates with: the internal zone and, unless the
   * hub has no registry endpoints, the zones of the ECR API and Docker endpoints of `region`.
   */
  public static privateZoneNames(internalZoneName: string, region: string, registryEndpoints: boolean = true): string[] {
    const registry = registryEndpoints ? HubOutputs.registryZoneNames(region) : [];
    return [internalZoneName, ...registry];
  }

  /** The private zones that make the hub's ECR endpoints resolvable from spokes. */
  public static registryZoneNames(region: string): string[] {
    return [`api.ecr.${region}.amazonaws.com`, `dkr.ecr.${region}.amazonaws.com`];
  }

  /** Writes one output of the contract in the stack of `scope`. */
  public static write(scope: IConstruct, name: string, value: string): void {
    new TerraformOutput(TerraformStack.of(scope), name, { value, staticId: true, description: `Network hub contract: ${name}` });
  }

  private constructor() {}
}

/** `staging.example.org` → `staging_example_org`: output names take letters, digits and `_`. */
function snake(name: string): string {
  return name.replace(/[.-]/g, '_');
}
