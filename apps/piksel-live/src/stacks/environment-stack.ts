import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { deployRoleArn, Environment, ESTATE_TAGS, HUB } from '@piksel/estate';
import type * as networkHubLibrary from '@piksel/network-hub';
import type * as secretsLibrary from '@piksel/secrets';
import type * as spokeVpcLibrary from '@piksel/spoke-vpc';
import { Construct } from 'constructs';
import { HUB_OUTPUT, HUB_PRIVATE_ZONES, readHubState } from '../hub-outputs';
import { loadPinned } from '../pins';
import { AccountStack } from './account-stack';
import { natStrategy, pascal } from './hub-stack';

/**
 * One spoke environment's AWS stack, built with the construct versions pinned for that
 * environment in pins.json: its VPC attached to the hub, and its secrets.
 */
export class EnvironmentStack extends AccountStack {
  constructor(scope: Construct, env: Environment) {
    super(scope, env);
    this.addNetwork(env);
    this.addSecrets(env);
  }

  private addNetwork(env: Environment): void {
    // The hub's library is pinned once, for the hub: spoke-vpc takes it as a peer dependency.
    const network = loadPinned<typeof networkHubLibrary>(HUB.name, '@piksel/network-hub');
    const spokes = loadPinned<typeof spokeVpcLibrary>(env.name, '@piksel/spoke-vpc');

    // The hub account's side of the attachment, managed with the hub's deploy role.
    const hubProvider = new AwsProvider(this, 'HubAws', {
      alias: 'hub',
      region: HUB.region,
      assumeRole: [{ roleArn: deployRoleArn(HUB.account), sessionName: `piksel-${env.name}-network` }],
      allowedAccountIds: [HUB.account],
      defaultTags: [{ tags: { ...ESTATE_TAGS, Environment: env.name } }],
    });
    const hubState = readHubState(this);
    const hub = network.NetworkHub.fromHubAttributes(this, 'Hub', {
      transitGatewayId: hubState.getString(HUB_OUTPUT.transitGatewayId),
      hubCidrBlock: HUB.cidrBlock,
      sharedRouteTableId: hubState.getString(HUB_OUTPUT.sharedRouteTableId),
      privateZones: Object.fromEntries(HUB_PRIVATE_ZONES.map((zone) => [zone, hubState.getString(HUB_OUTPUT.privateZone(zone))])),
    });
    const domain = network.RoutingDomain.fromRoutingDomainAttributes(this, 'RoutingDomain', {
      domainName: env.routingDomain,
      routeTableId: hubState.getString(HUB_OUTPUT.routingDomain(env.routingDomain)),
    });

    const vpc = new spokes.SpokeVpc(this, 'Vpc', {
      name: `piksel-${env.name}`,
      cidrBlock: env.cidrBlock,
      region: env.region,
      maxAzs: env.zones,
      natStrategy: natStrategy(network, env.nat),
      flowLogs: env.flowLogRetentionDays !== undefined,
      flowLogRetentionDays: env.flowLogRetentionDays,
      clusterName: env.clusterName,
    });
    vpc.attachToHub({ hub, domain, hubProvider });
  }

  private addSecrets(env: Environment): void {
    const secrets = loadPinned<typeof secretsLibrary>(env.name, '@piksel/secrets');
    const key = new secrets.SecretsKey(this, 'SecretsKey', {
      environment: env.name,
      account: env.account,
      region: env.region,
    });
    for (const spec of env.secrets) {
      const kind = spec.kind === 'oauth-client' ? secrets.SecretKind.OAUTH_CLIENT : secrets.SecretKind.SLACK_WEBHOOK;
      new secrets.TaggedSecret(this, pascal(`${spec.service}-${spec.kind}`), {
        kind,
        service: spec.service,
        environment: env.name,
        tenant: spec.tenant,
        encryptionKey: key,
      });
    }
  }
}
