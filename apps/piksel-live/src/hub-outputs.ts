import { deployRoleArn, HUB, stateBucket } from '@piksel/estate';
import { HubOutputs } from '@piksel/network-hub';
import { DataTerraformRemoteStateS3, TerraformStack } from 'cdktf';

/**
 * The contract between the hub stack and the spoke stacks is the library's (`HubOutputs` of
 * @piksel/network-hub): `NetworkHub` writes the outputs, `HubState` of @piksel/spoke-vpc reads
 * them back. These are the names the estate's tests read.
 */
export const HUB_OUTPUT = {
  transitGatewayId: HubOutputs.TRANSIT_GATEWAY_ID,
  sharedRouteTableId: HubOutputs.SHARED_ROUTE_TABLE_ID,
  routingDomain: (domain: string) => HubOutputs.routingDomain(domain),
  privateZone: (zoneName: string) => HubOutputs.privateZone(zoneName),
};

/** The private zones every spoke associates with: the internal zone and the ECR endpoint zones. */
export const HUB_PRIVATE_ZONES = HubOutputs.privateZoneNames('piksel.internal', HUB.region);

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
