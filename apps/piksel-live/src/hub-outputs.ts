import { Environment, HUB, hubNetworkRoleArn, planRoleArn, stateBucket } from '@piksel/estate';
import { HubOutputs } from '@piksel/network-hub';
import { DataTerraformRemoteStateS3, Fn, Op, TerraformStack, TerraformVariable } from 'cdktf';

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

/**
 * The hub role a spoke stack works through for its hub side: the environment's least-privilege
 * `piksel-<env>-hub-network` when the pipeline applies (never the hub's `piksel-deploy`, which no
 * spoke may assume), the hub's read-only `piksel-plan` when it plans a pull request (a spoke's plan
 * role may assume only that). Set by `TF_VAR_pipeline_role=plan` in the plan jobs; Terraform
 * ignores the variable in stacks that do not declare it.
 */
export function hubRoleArn(stack: TerraformStack, env: Environment): string {
  const role = new TerraformVariable(stack, 'pipeline_role', {
    type: 'string',
    default: 'deploy',
    description: 'Which pipeline identity runs Terraform: "deploy" (apply) or "plan" (pull-request plans, read-only)',
    validation: [{ condition: '${contains(["deploy", "plan"], var.pipeline_role)}', errorMessage: 'pipeline_role must be "deploy" or "plan".' }],
  });
  return Fn.conditional(Op.eq(role.stringValue, 'plan'), planRoleArn(HUB.account), hubNetworkRoleArn(env));
}

/** The hub's state, read from its bucket with the hub role of the pipeline identity (`hubRoleArn`). */
export function readHubState(stack: TerraformStack, roleArn: string): DataTerraformRemoteStateS3 {
  return new DataTerraformRemoteStateS3(stack, 'HubState', {
    bucket: stateBucket(HUB.name),
    key: `${HUB.name}/terraform.tfstate`,
    region: HUB.region,
    encrypt: true,
    assumeRole: { roleArn },
  });
}
