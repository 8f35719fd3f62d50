import { Environment, ENVIRONMENTS, externalDnsRoleArn, HUB, Nat } from '@piksel/estate';
import type * as networkHubLibrary from '@piksel/network-hub';
import { Construct } from 'constructs';
import { loadPinned } from '../pins';
import { AccountStack } from './account-stack';

/**
 * The hub account's stack: the network hub with its routing domains and admitted spokes, the
 * public zones and each environment's DNS role, and the central container registry.
 */
export class HubStack extends AccountStack {
  /** @param environments the spokes the hub serves */
  constructor(scope: Construct, environments: Environment[] = ENVIRONMENTS) {
    super(scope, HUB);
    const network = loadPinned<typeof networkHubLibrary>(HUB.name, '@piksel/network-hub');

    const hub = new network.NetworkHub(this, 'NetworkHub', {
      cidrBlock: HUB.cidrBlock,
      region: HUB.region,
      maxAzs: HUB.zones,
      natStrategy: natStrategy(network, HUB.nat),
      amazonSideAsn: HUB.amazonSideAsn,
    });
    // The hub writes its contract with the spokes as outputs itself (HubOutputs), domains included.
    for (const domain of HUB.routingDomains) {
      hub.addRoutingDomain(pascal(`${domain}-domain`), domain);
    }
    for (const env of environments) {
      hub.admitSpoke(pascal(env.name), { account: env.account, cidrBlock: env.cidrBlock });
    }

    const dns = new network.SharedDns(this, 'Dns');
    const zones = new Map<string, networkHubLibrary.PublicZone>();
    for (const spec of HUB.publicZones) {
      zones.set(spec.name, dns.addPublicZone(spec.name, { parent: spec.parent ? zones.get(spec.parent) : undefined }));
    }
    for (const env of environments) {
      dns.addEnvironmentDnsRole(env.name, {
        trustedRoleArn: externalDnsRoleArn(env),
        externalId: `piksel-${env.name}-external-dns`,
        zones: [zones.get(env.dnsZone)!],
      });
    }

    const registry = new network.ContainerRegistry(this, 'Registry');
    for (const repository of HUB.repositories) {
      registry.addRepository(repository.name, {
        imageTagMutability: repository.mutableTags ? network.TagMutability.MUTABLE : network.TagMutability.IMMUTABLE,
      });
    }
    for (const env of environments) {
      registry.grantPull(env.account);
    }
    // The account's one GitHub OIDC provider belongs to hub-baseline (IAM allows one per URL per
    // account): the push role refers to it and never creates a second.
    new network.GithubPushRole(this, 'GithubPushRole', {
      registry,
      subject: HUB.githubPushSubject,
      oidcProviderArn: `arn:aws:iam::${HUB.account}:oidc-provider/token.actions.githubusercontent.com`,
    });
  }
}

/** The library's NAT strategy for the table's `nat`. */
export function natStrategy(network: typeof networkHubLibrary, nat: Nat): networkHubLibrary.NatStrategy {
  const strategies = { 'none': network.NatStrategy.NONE, 'single': network.NatStrategy.SINGLE, 'per-az': network.NatStrategy.PER_AZ };
  return strategies[nat];
}

/** `nonprod-domain` → `NonprodDomain`: construct IDs are PascalCase nouns. */
export function pascal(text: string): string {
  return text.split('-').map((word) => word[0].toUpperCase() + word.slice(1)).join('');
}
