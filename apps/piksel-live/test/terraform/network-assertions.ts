import { Environment, ENVIRONMENTS, HUB } from '@piksel/estate';
import { addressesOf, addressOf, assertion, hcl, StackJson, testFile } from './hcl';
import { HUB_OUTPUT, HUB_PRIVATE_ZONES } from '../../src/hub-outputs';

/** What the mocked hub state hands the spokes: realistic IDs, one per table and zone. */
export const HUB_STATE = {
  transitGatewayId: 'tgw-0a1b2c3d4e5f60718',
  sharedRouteTableId: 'tgw-rtb-0000000000000aaaa',
  domainRouteTableIds: { nonprod: 'tgw-rtb-0000000000000bbbb', prod: 'tgw-rtb-0000000000000cccc' } as Record<string, string>,
  privateZoneIds: Object.fromEntries(HUB_PRIVATE_ZONES.map((zone, index) => [zone, `Z0${index}HUBPRIVATEZONE0`])),
};

/**
 * The subnet plan DESIGN.md §3 implies for a /16 VPC, worked out here independently of the
 * library: zone a, b, c get private /19s from the bottom and public /22s from the top /19.
 */
export function expectedSubnets(cidrBlock: string, zones: number): Array<{ zone: string; tier: string; cidr: string }> {
  const [a, b] = cidrBlock.split('.');
  return ['a', 'b', 'c'].slice(0, zones).flatMap((letter, i) => [
    { zone: `${HUB.region}${letter}`, tier: 'private', cidr: `${a}.${b}.${32 * i}.0/19` },
    { zone: `${HUB.region}${letter}`, tier: 'public', cidr: `${a}.${b}.${224 + 4 * i}.0/22` },
  ]);
}

/** Mocked computed values the provider checks the shape of (ARNs), for the default provider. */
export const NETWORK_MOCKS = [
  '  mock_resource "aws_vpc_endpoint" {',
  '    defaults = {',
  '      dns_entry = [{ dns_name = "vpce-0a1b2c3d4e5f60718-abcdefgh.ecr.ap-southeast-3.vpce.amazonaws.com", hosted_zone_id = "Z0VPCEENDPOINTZONE0" }]',
  '    }',
  '  }',
  '  mock_resource "aws_route53_zone" {',
  '    defaults = { name_servers = ["ns-1.awsdns-01.org", "ns-2.awsdns-02.net", "ns-3.awsdns-03.com", "ns-4.awsdns-04.co.uk"] }',
  '  }',
  '  mock_resource "aws_ec2_transit_gateway" {',
  `    defaults = { arn = ${hcl(`arn:aws:ec2:${HUB.region}:${HUB.account}:transit-gateway/tgw-0a1b2c3d4e5f60718`)} }`,
  '  }',
  '  mock_resource "aws_ram_resource_share" {',
  `    defaults = { arn = ${hcl(`arn:aws:ram:${HUB.region}:${HUB.account}:resource-share/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9`)} }`,
  '  }',
  '  mock_resource "aws_iam_role" {',
  '    defaults = { arn = "arn:aws:iam::111122223333:role/piksel-mock" }',
  '  }',
  '  mock_resource "aws_cloudwatch_log_group" {',
  `    defaults = { arn = ${hcl(`arn:aws:logs:${HUB.region}:111122223333:log-group:/piksel/mock`)} }`,
  '  }',
].join('\n');

/** The hub-account provider of a spoke stack, and the hub state it reads. */
export function spokeMocks(): string {
  const outputs: Record<string, string> = {
    [HUB_OUTPUT.transitGatewayId]: HUB_STATE.transitGatewayId,
    [HUB_OUTPUT.sharedRouteTableId]: HUB_STATE.sharedRouteTableId,
    ...Object.fromEntries(Object.entries(HUB_STATE.domainRouteTableIds).map(([domain, id]) => [HUB_OUTPUT.routingDomain(domain), id])),
    ...Object.fromEntries(Object.entries(HUB_STATE.privateZoneIds).map(([zone, id]) => [HUB_OUTPUT.privateZone(zone), id])),
  };
  return [
    'mock_provider "aws" {',
    '  alias = "hub"',
    '}',
    '',
    'override_data {',
    '  target = data.terraform_remote_state.HubState',
    `  values = { outputs = { ${Object.entries(outputs).map(([k, v]) => `${k} = ${hcl(v)}`).join(', ')} } }`,
    '}',
  ].join('\n');
}

/** Assertions on a spoke stack's network after the mocked apply. */
export function spokeAssertions(stack: StackJson, env: Environment): string {
  const attachment = addressOf(stack, 'aws_ec2_transit_gateway_vpc_attachment', () => true);
  const association = addressOf(stack, 'aws_ec2_transit_gateway_route_table_association', () => true);
  const domainTable = HUB_STATE.domainRouteTableIds[env.routingDomain];
  const otherTables = Object.entries(HUB_STATE.domainRouteTableIds).filter(([domain]) => domain !== env.routingDomain).map(([, id]) => id);
  const subnet = (tier: string, zone: string) => addressOf(stack, 'aws_subnet', (r) => r.tags.Name === `piksel-${env.name}-${tier}-${zone}`);
  let body = '';
  body += assertion(`${association}.transit_gateway_route_table_id == ${hcl(domainTable)} && ${association}.transit_gateway_attachment_id == ${attachment}.id`,
    `${env.name} must join the ${env.routingDomain} routing domain`);
  body += assertion(`!contains(${hcl(otherTables)}, ${association}.transit_gateway_route_table_id)`, `${env.name} must not join another routing domain`);
  for (const propagation of addressesOf(stack, 'aws_ec2_transit_gateway_route_table_propagation')) {
    body += assertion(`${propagation}.transit_gateway_route_table_id == ${hcl(HUB_STATE.sharedRouteTableId)}`,
      `${env.name} may propagate only into the hub's shared table, never into a routing domain`);
  }
  body += assertion(`${attachment}.transit_gateway_id == ${hcl(HUB_STATE.transitGatewayId)}`, 'the attachment must use the hub Transit Gateway');
  const privateSubnets = expectedSubnets(env.cidrBlock, env.zones).filter((s) => s.tier === 'private').map((s) => `${subnet('private', s.zone)}.id`);
  body += assertion(`toset(${attachment}.subnet_ids) == toset([${privateSubnets.join(', ')}])`, 'the attachment must sit on the private subnets');
  for (const route of addressesOf(stack, 'aws_route', (r) => r.transit_gateway_id !== undefined)) {
    body += assertion(`${route}.destination_cidr_block == ${hcl(HUB.cidrBlock)} && ${route}.transit_gateway_id == ${hcl(HUB_STATE.transitGatewayId)}`,
      'a spoke routes only the hub CIDR to the Transit Gateway');
  }
  for (const expected of expectedSubnets(env.cidrBlock, env.zones)) {
    const address = subnet(expected.tier, expected.zone);
    body += assertion(`${address}.cidr_block == ${hcl(expected.cidr)} && ${address}.availability_zone == ${hcl(expected.zone)}`,
      `the ${expected.tier} subnet in ${expected.zone} must be ${expected.cidr}`);
  }
  const associations = addressesOf(stack, 'aws_route53_zone_association').map((a) => `${a}.zone_id`);
  body += assertion(`toset([${associations.join(', ')}]) == toset(${hcl(Object.values(HUB_STATE.privateZoneIds))})`,
    'the VPC must be associated with every private zone of the hub');
  if (env.flowLogRetentionDays !== undefined) {
    const group = addressOf(stack, 'aws_cloudwatch_log_group', (r) => r.name === `/piksel/vpc/piksel-${env.name}/flow-logs`);
    body += assertion(`${group}.retention_in_days == ${env.flowLogRetentionDays}`, `flow logs must be kept ${env.flowLogRetentionDays} days`);
  }
  return body;
}

/** Assertions on the hub stack after the mocked apply. */
export function hubAssertions(stack: StackJson): string {
  const tgw = addressOf(stack, 'aws_ec2_transit_gateway', () => true);
  const attachment = addressOf(stack, 'aws_ec2_transit_gateway_vpc_attachment', () => true);
  const table = (name: string) => addressOf(stack, 'aws_ec2_transit_gateway_route_table', (r) => r.tags.Name === `piksel-hub-${name}`);
  const association = addressOf(stack, 'aws_ec2_transit_gateway_route_table_association', () => true);
  const propagations = addressesOf(stack, 'aws_ec2_transit_gateway_route_table_propagation');
  let body = '';
  body += assertion(`${tgw}.amazon_side_asn == ${HUB.amazonSideAsn} && ${tgw}.auto_accept_shared_attachments == "disable"`, 'the Transit Gateway must use the estate ASN and accept nothing by itself');
  body += assertion(`${tgw}.default_route_table_association == "disable" && ${tgw}.default_route_table_propagation == "disable"`, 'no attachment may land in a default route table');
  body += assertion(`${association}.transit_gateway_attachment_id == ${attachment}.id && ${association}.transit_gateway_route_table_id == ${table('shared')}.id`, 'the hub VPC must sit in the shared domain');
  body += assertion(`${table('nonprod')}.id != ${table('prod')}.id`, 'nonprod and prod must be separate route tables');
  body += assertion(`toset([${propagations.map((p) => `${p}.transit_gateway_route_table_id`).join(', ')}]) == toset([${table('nonprod')}.id, ${table('prod')}.id])`,
    'each routing domain must learn the hub');
  body += assertion(`alltrue([${propagations.map((p) => `${p}.transit_gateway_attachment_id == ${attachment}.id`).join(', ')}])`,
    'routing domains learn the hub attachment only: prod and nonprod never propagate into each other');
  const share = addressOf(stack, 'aws_ram_resource_share', () => true);
  const principals = addressesOf(stack, 'aws_ram_principal_association').map((p) => `${p}.principal`);
  body += assertion(`${share}.allow_external_principals == false && toset([${principals.join(', ')}]) == toset(${hcl(ENVIRONMENTS.map((e) => e.account))})`,
    'the Transit Gateway must be shared with the spoke accounts of the organization only');
  for (const env of ENVIRONMENTS) {
    const routes = addressesOf(stack, 'aws_route', (r) => r.destination_cidr_block === env.cidrBlock);
    body += assertion(`length([${routes.join(', ')}]) == ${HUB.zones} && alltrue([${routes.map((r) => `${r}.transit_gateway_id == ${tgw}.id`).join(', ')}])`,
      `every hub private route table must route ${env.name} (${env.cidrBlock}) to the Transit Gateway`);
  }
  for (const expected of expectedSubnets(HUB.cidrBlock, HUB.zones)) {
    const address = addressOf(stack, 'aws_subnet', (r) => r.tags.Name === `piksel-hub-${expected.tier}-${expected.zone}`);
    body += assertion(`${address}.cidr_block == ${hcl(expected.cidr)}`, `the hub ${expected.tier} subnet in ${expected.zone} must be ${expected.cidr}`);
  }
  body += dnsAssertions(stack);
  body += registryAssertions(stack);
  return body;
}

function registryAssertions(stack: StackJson): string {
  let body = '';
  const pullers = hcl(ENVIRONMENTS.map((env) => `arn:aws:iam::${env.account}:root`));
  for (const spec of HUB.repositories) {
    const repository = addressOf(stack, 'aws_ecr_repository', (r) => r.name === spec.name);
    const policy = addressOf(stack, 'aws_ecr_repository_policy', (r) => r.repository.includes(repository.split('.')[1]));
    const mutability = spec.mutableTags ? 'MUTABLE' : 'IMMUTABLE';
    body += assertion(`${repository}.image_tag_mutability == ${hcl(mutability)} && ${repository}.image_scanning_configuration[0].scan_on_push == true`,
      `${spec.name} must have ${mutability.toLowerCase()} tags and scan on push`);
    body += assertion(`toset(jsondecode(${policy}.policy).Statement[0].Principal.AWS) == toset(${pullers})`, `every spoke account must be able to pull ${spec.name}`);
  }
  const role = addressOf(stack, 'aws_iam_role', (r) => r.name === 'piksel-registry-push');
  body += assertion(`jsondecode(${role}.assume_role_policy).Statement[0].Condition.StringLike["token.actions.githubusercontent.com:sub"] == ${hcl(HUB.githubPushSubject)}`,
    `only GitHub workflows of ${HUB.githubPushSubject} may push images`);
  return body;
}

function dnsAssertions(stack: StackJson): string {
  const zone = (name: string) => addressOf(stack, 'aws_route53_zone', (r) => r.name === name);
  let body = '';
  for (const spec of HUB.publicZones.filter((z) => z.parent)) {
    const record = addressOf(stack, 'aws_route53_record', (r) => r.type === 'NS' && r.name === spec.name);
    body += assertion(`${record}.zone_id == ${zone(spec.parent!)}.zone_id && ${record}.records == toset(${zone(spec.name)}.name_servers)`,
      `${spec.parent} must delegate ${spec.name} to its name servers`);
  }
  for (const env of ENVIRONMENTS) {
    const role = addressOf(stack, 'aws_iam_role', (r) => r.name === `piksel-${env.name}-external-dns`);
    const policy = addressOf(stack, 'aws_iam_role_policy', (r) => r.role.includes(role.split('.')[1]));
    const trust = `jsondecode(${role}.assume_role_policy).Statement[0]`;
    body += assertion(`${trust}.Condition.ArnEquals["aws:PrincipalArn"] == ${hcl(`arn:aws:iam::${env.account}:role/piksel-${env.name}-external-dns`)} && ${trust}.Condition.StringEquals["sts:ExternalId"] == ${hcl(`piksel-${env.name}-external-dns`)}`,
      `only ${env.name}'s external-dns may assume its DNS role, with the external ID`);
    const change = `[for s in jsondecode(${policy}.policy).Statement : s if contains(s.Action, "route53:ChangeResourceRecordSets")][0]`;
    body += assertion(`${change}.Resource == [${zone(env.dnsZone)}.arn]`,
      `${env.name}'s DNS role may change records in ${env.dnsZone} only`);
  }
  return body;
}

/** The `terraform test` file of the hub stack. */
export function hubTestFile(stack: StackJson): string {
  return testFile(NETWORK_MOCKS, '', hubAssertions(stack));
}
