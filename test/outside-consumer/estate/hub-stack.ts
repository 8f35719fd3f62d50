import { ContainerRegistry, GithubPushRole, NatStrategy, NetworkHub, SharedDns, TagMutability } from '@piksel/network-hub';
import { Construct } from 'constructs';
import { AccountStack } from './account-stack';
import { HUB, ORGANISATION, SPOKES, zonesOf } from './estate';

/** The hub: network hub with routing domains and admitted spokes, public DNS, the registry. */
export class HubStack extends AccountStack {
  constructor(scope: Construct, id: string) {
    super(scope, id, HUB);
    const hub = new NetworkHub(this, 'NetworkHub', {
      cidrBlock: HUB.cidrBlock, region: this.region, availabilityZones: zonesOf(this, 2), natStrategy: NatStrategy.SINGLE, flowLogs: true,
    });
    for (const domain of new Set(SPOKES.map((spoke) => spoke.routingDomain))) {
      hub.addRoutingDomain(`${domain[0].toUpperCase()}${domain.slice(1)}Domain`, domain);
    }
    for (const spoke of SPOKES) {
      hub.admitSpoke(`${spoke.name[0].toUpperCase()}${spoke.name.slice(1)}`, { account: spoke.account, cidrBlock: spoke.cidrBlock });
    }

    const dns = new SharedDns(this, 'Dns');
    const root = dns.addPublicZone('acme.example');
    for (const spoke of SPOKES) {
      const zone = dns.addPublicZone(`${spoke.name}.acme.example`, { parent: root });
      dns.addEnvironmentDnsRole(spoke.name, {
        trustedRoleArn: `arn:aws:iam::${spoke.account}:role/${spoke.clusterName}-external-dns`,
        externalId: `${ORGANISATION.prefix}-${spoke.name}-external-dns`,
        zones: [zone],
      });
    }

    const registry = new ContainerRegistry(this, 'Registry');
    registry.addRepository('storefront');
    registry.addRepository('tools', { imageTagMutability: TagMutability.MUTABLE });
    for (const spoke of SPOKES) registry.grantPull(spoke.account);
    // The account's GitHub OIDC provider belongs to its baseline (one per account).
    new GithubPushRole(this, 'StorefrontPushRole', {
      registry, githubRepository: 'acme-corp/storefront', repositoryNames: ['storefront'],
      oidcProviderArn: `arn:aws:iam::${HUB.account}:oidc-provider/token.actions.githubusercontent.com`,
    });
  }
}
