import { deployRoleArn, HUB, stateBucket } from '@piksel/estate';
import { DataTerraformRemoteStateS3, TerraformOutput, TerraformStack } from 'cdktf';

/**
 * The contract between the hub stack and the spoke stacks: the hub writes these outputs, each
 * spoke reads them from the hub's state (assuming the hub's deploy role), so no spoke needs a
 * data source that searches the hub account.
 */
export const HUB_OUTPUT = {
  transitGatewayId: 'transit_gateway_id',
  sharedRouteTableId: 'shared_route_table_id',
  /** The route table of a routing domain. */
  routingDomain: (domain: string) => `routing_domain_${domain}_route_table_id`,
  /** The ID of one of the hub's private zones. */
  privateZone: (zoneName: string) => `private_zone_${zoneName.replace(/[.-]/g, '_')}_id`,
};

/** The private zones every spoke associates with: the internal zone and the ECR endpoint zones. */
export const HUB_PRIVATE_ZONES = ['piksel.internal', `api.ecr.${HUB.region}.amazonaws.com`, `dkr.ecr.${HUB.region}.amazonaws.com`];

/** Writes one hub output. */
export function writeHubOutput(stack: TerraformStack, name: string, value: string): void {
  new TerraformOutput(stack, name, { value, staticId: true });
}

/** The hub's state, read from its bucket with the hub's deploy role. */
export function readHubState(stack: TerraformStack): DataTerraformRemoteStateS3 {
  return new DataTerraformRemoteStateS3(stack, 'HubState', {
    bucket: stateBucket(HUB.name),
    key: `${HUB.name}/terraform.tfstate`,
    region: HUB.region,
    encrypt: true,
    assumeRole: { roleArn: deployRoleArn(HUB.account) },
  });
}
