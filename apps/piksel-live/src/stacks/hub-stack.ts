import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DEFAULT_PUSH_REFS, Environment, ENVIRONMENTS, ESTATE_TAGS, externalDnsExternalId, externalDnsRoleArn, HUB, Nat } from '@piksel/estate';
import type * as networkHubLibrary from '@piksel/network-hub';
import { TerraformOutput } from 'cdktf';
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
      // It carries every spoke's traffic to shared services: recorded like a spoke's, by the table.
      flowLogs: HUB.flowLogRetentionDays !== undefined,
      flowLogRetentionDays: HUB.flowLogRetentionDays,
      account: HUB.account,
    });
    // The hub writes its contract with the spokes as outputs itself (HubOutputs), domains included.
    for (const domain of HUB.routingDomains) {
      hub.addRoutingDomain(pascal(`${domain}-domain`), domain);
    }
    for (const env of environments) {
      hub.admitSpoke(pascal(env.name), { account: env.account, cidrBlock: env.cidrBlock });
    }

    // Route 53 takes DNSSEC signing keys from us-east-1 only; the zones' other resources are global.
    const dnssecKeys = new AwsProvider(this, 'DnssecKeyAws', {
      alias: DNSSEC_KEY_PROVIDER_ALIAS,
      region: network.ZoneDnssec.KEY_REGION,
      allowedAccountIds: [HUB.account],
      defaultTags: [{ tags: { ...ESTATE_TAGS, Environment: HUB.name } }],
    });
    const dns = new network.SharedDns(this, 'Dns');
    const zones = new Map<string, networkHubLibrary.PublicZone>();
    for (const spec of HUB.publicZones) {
      const zone = dns.addPublicZone(spec.name, { parent: spec.parent ? zones.get(spec.parent) : undefined });
      zones.set(spec.name, zone);
      // Each spoke's external-dns filters on its zone's ID: a domain filter is a suffix match, so
      // `piksel.big.go.id` would also select the delegated `staging.piksel.big.go.id`.
      new TerraformOutput(this, publicZoneOutput(spec.name), { value: zone.zoneId, staticId: true, description: `ID of the public zone ${spec.name}` });
      const dnssec = zone.enableDnssec({ account: HUB.account, keyProvider: dnssecKeys });
      if (!spec.parent) {
        // A delegated zone's DS record is in its parent; an apex zone's goes to the registrar (README).
        new TerraformOutput(this, publicZoneDsOutput(spec.name), { value: dnssec.dsRecord, staticId: true, description: `DS record of ${spec.name}, for its registrar` });
      }
    }
    for (const env of environments) {
      dns.addEnvironmentDnsRole(env.name, {
        trustedRoleArn: externalDnsRoleArn(env),
        externalId: externalDnsExternalId(env),
        zones: [zones.get(env.dnsZone)!],
      });
    }

    const registry = new network.ContainerRegistry(this, 'Registry', {
      releaseTagPatterns: HUB.releaseTagPatterns,
      buildTagPatterns: HUB.buildTagPatterns,
    });
    for (const repository of HUB.repositories) {
      registry.addRepository(repository.name, {
        imageTagMutability: repository.mutableTags ? network.TagMutability.MUTABLE : network.TagMutability.IMMUTABLE,
      });
    }
    for (const env of environments) {
      registry.grantPull(env.account);
    }
    // One push role per pushing GitHub repository, each granted its own repositories. The account's
    // one GitHub OIDC provider belongs to hub-baseline (IAM allows one per URL per account): the
    // roles refer to it and never create a second.
    for (const pusher of HUB.imagePushers) {
      new network.GithubPushRole(this, `GithubPush${pascal(pusher.githubRepository.replace(/[/_.]/g, '-'))}`, {
        registry,
        githubRepository: pusher.githubRepository,
        refs: pusher.refs ?? DEFAULT_PUSH_REFS,
        repositoryNames: pusher.repositories,
        oidcProviderArn: `arn:aws:iam::${HUB.account}:oidc-provider/token.actions.githubusercontent.com`,
      });
    }
  }
}

/** The hub output holding the ID of public zone `zoneName`, e.g. `public_zone_pik_sel_id_id`. */
export function publicZoneOutput(zoneName: string): string {
  return `public_zone_${zoneName.replace(/[.-]/g, '_')}_id`;
}

/** The hub output holding the DS record of apex zone `zoneName`, e.g. `public_zone_pik_sel_id_ds_record`. */
export function publicZoneDsOutput(zoneName: string): string {
  return `public_zone_${zoneName.replace(/[.-]/g, '_')}_ds_record`;
}

/** Alias of the hub's us-east-1 provider, which holds the DNSSEC signing keys. */
export const DNSSEC_KEY_PROVIDER_ALIAS = 'dnssec_keys';

/** The library's NAT strategy for the table's `nat`. */
export function natStrategy(network: typeof networkHubLibrary, nat: Nat): networkHubLibrary.NatStrategy {
  const strategies = { 'none': network.NatStrategy.NONE, 'single': network.NatStrategy.SINGLE, 'per-az': network.NatStrategy.PER_AZ };
  return strategies[nat];
}

/** `nonprod-domain` → `NonprodDomain`: construct IDs are PascalCase nouns. */
export function pascal(text: string): string {
  return text.split('-').map((word) => word[0].toUpperCase() + word.slice(1)).join('');
}
