import { arnAccount, compare, Estate, list, Resource, statements } from './terraform';

/**
 * The network picture's model, read from the synthesized stacks: each account's VPC, the Transit
 * Gateway's routing domains, the hub's registry path and DNS.
 */

export interface Subnet {
  readonly name: string;
  readonly cidr: string;
  /** `public` or `private`, from the subnet's `kubernetes.io/role/*` tag or name. */
  readonly tier: string;
  /** The NAT gateway in this subnet, if any. */
  readonly nat?: string;
}

export interface Zone {
  readonly zone: string;
  readonly subnets: Subnet[];
}

export interface Vpc {
  readonly name: string;
  readonly cidr: string;
  readonly zones: Zone[];
  /** Gateway endpoints (`s3`). */
  readonly gatewayEndpoints: string[];
  /** Flow-log retention in days, if the VPC logs its flows. */
  readonly flowLogDays?: number;
}

/** One account of the estate and what its stacks put in it. */
export interface Account {
  readonly environment: string;
  readonly account: string;
  /** Its stacks, in apply order. */
  readonly stacks: string[];
  readonly vpc?: Vpc;
}

/** A Transit Gateway route table: who is associated with it and whose routes it learns. */
export interface RoutingDomain {
  readonly name: string;
  /** Environments whose attachment uses this table. */
  readonly members: string[];
  /** Environments whose attachment propagates into this table. */
  readonly learns: string[];
}

export interface TransitGateway {
  readonly name: string;
  readonly asn: number;
  /** Accounts it is shared with through RAM, as environments. */
  readonly sharedWith: string[];
  readonly domains: RoutingDomain[];
}

/** A public zone and the environments whose external-dns role may change its records. */
export interface PublicZone {
  readonly name: string;
  readonly delegatedFrom?: string;
}

/** A role in the hub that a spoke's external-dns assumes, and the zones it may write. */
export interface DnsRole {
  readonly name: string;
  /** The account the role is in. */
  readonly account: string;
  /** The environment whose account the role trusts. */
  readonly environment: string;
  readonly zones: string[];
}

export interface Registry {
  /** Interface endpoints (`ecr.api`, `ecr.dkr`) and the environments admitted on 443. */
  readonly endpoints: string[];
  readonly admits: string[];
  /** Private zones and the environments whose VPC is associated with each. */
  readonly privateZones: Array<{ readonly name: string; readonly environments: string[] }>;
  readonly repositories: string[];
  /** Environments whose accounts may pull every repository. */
  readonly pullers: string[];
}

export interface NetworkModel {
  readonly region: string;
  readonly hub: string;
  readonly accounts: Account[];
  readonly transitGateway?: TransitGateway;
  readonly registry: Registry;
  readonly publicZones: PublicZone[];
  readonly dnsRoles: DnsRole[];
}

/** Reads the network model from the estate. */
export function networkModel(estate: Estate): NetworkModel {
  const accounts = readAccounts(estate);
  const envOf = (account: string | undefined) => accounts.find((a) => a.account === account)?.environment ?? account ?? '?';
  const tgw = estate.resources('aws_ec2_transit_gateway')[0];
  const hub = tgw ? estate.stack(tgw.stack)!.environment : '';
  return {
    region: String(estate.stacks[0]?.json.provider?.aws?.[0]?.region ?? ''),
    hub,
    accounts,
    transitGateway: tgw ? readTransitGateway(estate, tgw, envOf) : undefined,
    registry: readRegistry(estate, accounts, envOf),
    publicZones: readPublicZones(estate),
    dnsRoles: readDnsRoles(estate, envOf),
  };
}

function readAccounts(estate: Estate): Account[] {
  const accounts: Account[] = [];
  for (const stack of estate.stacks) {
    const existing = accounts.find((a) => a.account === stack.account);
    const vpc = estate.resources('aws_vpc', [stack.name])[0];
    if (existing) {
      (existing.stacks as string[]).push(stack.name);
      if (vpc && !existing.vpc) Object.assign(existing, { vpc: readVpc(estate, vpc) });
    } else {
      accounts.push({ environment: stack.environment, account: stack.account, stacks: [stack.name], vpc: vpc ? readVpc(estate, vpc) : undefined });
    }
  }
  return accounts;
}

function readVpc(estate: Estate, vpc: Resource): Vpc {
  const inVpc = (r: Resource) => estate.target(r.stack, r.body.vpc_id, 'aws_vpc')?.name === vpc.name;
  const nats = estate.resources('aws_nat_gateway', [vpc.stack]);
  const subnets = estate.resources('aws_subnet', [vpc.stack]).filter(inVpc);
  const zones = [...new Set(subnets.map((s) => String(s.body.availability_zone)))].sort(compare);
  const flowLog = estate.resources('aws_flow_log', [vpc.stack]).find((f) => estate.target(f.stack, f.body.vpc_id, 'aws_vpc')?.name === vpc.name);
  const logGroup = flowLog ? estate.target(flowLog.stack, flowLog.body.log_destination, 'aws_cloudwatch_log_group') : undefined;
  return {
    name: vpc.body.tags?.Name ?? vpc.name,
    cidr: vpc.body.cidr_block,
    zones: zones.map((zone) => ({
      zone,
      subnets: subnets
        .filter((s) => s.body.availability_zone === zone)
        .map((s) => ({
          name: s.body.tags?.Name ?? s.name,
          cidr: s.body.cidr_block,
          tier: subnetTier(s),
          nat: nats.find((n) => estate.target(n.stack, n.body.subnet_id, 'aws_subnet')?.name === s.name)?.body.tags?.Name,
        }))
        .sort((a, b) => compare(a.tier, b.tier)),
    })),
    gatewayEndpoints: estate.resources('aws_vpc_endpoint', [vpc.stack])
      .filter((e) => inVpc(e) && e.body.vpc_endpoint_type === 'Gateway')
      .map((e) => String(e.body.service_name).split('.').pop()!),
    flowLogDays: logGroup?.body.retention_in_days,
  };
}

function subnetTier(subnet: Resource): string {
  const tags = subnet.body.tags ?? {};
  if ('kubernetes.io/role/elb' in tags) return 'public';
  if ('kubernetes.io/role/internal-elb' in tags) return 'private';
  return /public/.test(tags.Name ?? subnet.name) ? 'public' : 'private';
}

function readTransitGateway(estate: Estate, tgw: Resource, envOf: (account?: string) => string): TransitGateway {
  // The environment of an attachment is the environment of the stack that creates it.
  const attachmentEnv = (r: Resource) => {
    const attachment = estate.target(r.stack, r.body.transit_gateway_attachment_id, 'aws_ec2_transit_gateway_vpc_attachment');
    return attachment ? estate.stack(attachment.stack)!.environment : '?';
  };
  const tableOf = (r: Resource) => estate.target(r.stack, r.body.transit_gateway_route_table_id, 'aws_ec2_transit_gateway_route_table')?.name;
  const associations = estate.resources('aws_ec2_transit_gateway_route_table_association');
  const propagations = estate.resources('aws_ec2_transit_gateway_route_table_propagation');
  const order = estate.stacks.map((s) => s.environment);
  const inOrder = (envs: string[]) => [...new Set(envs)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const tables = estate.resources('aws_ec2_transit_gateway_route_table', [tgw.stack]);
  const domains = tables.map((table) => ({
    name: table.body.tags?.Name ?? table.name,
    members: inOrder(associations.filter((a) => tableOf(a) === table.name).map(attachmentEnv)),
    learns: inOrder(propagations.filter((p) => tableOf(p) === table.name).map(attachmentEnv)),
  }));
  // A domain's place follows its first member, so the picture reads in apply order.
  const firstMember = (d: RoutingDomain) => Math.min(...d.members.map((m) => order.indexOf(m)), order.length);
  return {
    name: tgw.body.tags?.Name ?? tgw.name,
    asn: tgw.body.amazon_side_asn,
    sharedWith: inOrder(estate.resources('aws_ram_principal_association', [tgw.stack]).map((p) => envOf(String(p.body.principal)))),
    domains: domains.sort((a, b) => firstMember(a) - firstMember(b) || compare(a.name, b.name)),
  };
}

function readRegistry(estate: Estate, accounts: Account[], envOf: (account?: string) => string): Registry {
  const interfaces = estate.resources('aws_vpc_endpoint').filter((e) => e.body.vpc_endpoint_type === 'Interface');
  const groups = new Set(interfaces.flatMap((e) => list(e.body.security_group_ids).map((g) => estate.targets(e.stack, g)[0]?.name)));
  const admitted = estate.resources('aws_vpc_security_group_ingress_rule')
    .filter((rule) => groups.has(estate.targets(rule.stack, rule.body.security_group_id)[0]?.name))
    .map((rule) => accounts.find((a) => a.vpc?.cidr === rule.body.cidr_ipv4)?.environment ?? rule.body.cidr_ipv4);
  const zones = estate.resources('aws_route53_zone').filter((z) => z.body.vpc !== undefined);
  const associations = estate.resources('aws_route53_zone_association');
  const policies = estate.resources('aws_ecr_repository_policy');
  const pullers = policies.flatMap((p) => statements(p.body.policy)
    .flatMap((s) => list(s.Principal?.AWS))
    .map((arn) => envOf(arnAccount(arn))));
  return {
    endpoints: interfaces.map((e) => String(e.body.service_name).split('.').slice(-2).join('.')),
    admits: [...new Set(admitted)],
    privateZones: zones.map((zone) => ({
      name: zone.body.name,
      environments: [
        estate.stack(zone.stack)!.environment,
        ...associations
          .filter((a) => estate.target(a.stack, a.body.zone_id, 'aws_route53_zone')?.name === zone.name)
          .map((a) => estate.stack(a.stack)!.environment),
      ],
    })),
    repositories: estate.resources('aws_ecr_repository').map((r) => String(r.body.name)),
    pullers: [...new Set(pullers)],
  };
}

function readPublicZones(estate: Estate): PublicZone[] {
  const zones = estate.resources('aws_route53_zone').filter((z) => z.body.vpc === undefined);
  const delegations = estate.resources('aws_route53_record').filter((r) => r.body.type === 'NS');
  return zones
    .map((zone) => {
      const delegation = delegations.find((d) => estate.target(d.stack, d.body.records, 'aws_route53_zone')?.name === zone.name);
      const parent = delegation ? estate.target(delegation.stack, delegation.body.zone_id, 'aws_route53_zone') : undefined;
      return { name: String(zone.body.name), delegatedFrom: parent?.body.name };
    })
    // Parents before the zones delegated from them.
    .sort((a, b) => compare(a.name.split('.').reverse().join('.'), b.name.split('.').reverse().join('.')));
}

export function readDnsRoles(estate: Estate, envOf: (account?: string) => string): DnsRole[] {
  const roles: DnsRole[] = [];
  for (const policy of estate.resources('aws_iam_role_policy')) {
    const zones = statements(policy.body.policy)
      .filter((s) => s.Effect === 'Allow' && list(s.Action).includes('route53:ChangeResourceRecordSets'))
      .flatMap((s) => list(s.Resource).map((r) => estate.target(policy.stack, r, 'aws_route53_zone')?.body.name))
      .filter((name): name is string => name !== undefined);
    const role = estate.target(policy.stack, policy.body.role, 'aws_iam_role');
    if (zones.length === 0 || !role) continue;
    const trusted = statements(role.body.assume_role_policy).flatMap((s) => list(s.Principal?.AWS)).map(arnAccount)[0];
    roles.push({ name: role.body.name, account: estate.stack(role.stack)!.account, environment: envOf(trusted), zones });
  }
  const order = estate.stacks.map((s) => s.environment);
  return roles.sort((a, b) => order.indexOf(a.environment) - order.indexOf(b.environment) || compare(a.name, b.name));
}
