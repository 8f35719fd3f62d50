import { DEFAULT_PUSH_REFS, Environment, ENVIRONMENTS, HUB, hubNetworkRoleArn } from '@piksel/estate';
import { addressesOf, addressOf, assertion, hcl, hubStateOverride, StackJson, testFile } from './hcl';
import { HUB_OUTPUT, HUB_PRIVATE_ZONES } from '../../src/hub-outputs';
import { DNSSEC_KEY_PROVIDER_ALIAS, publicZoneDsOutput } from '../../src/stacks/hub-stack';

/**
 * Whether the resource at `address` lists `target` in its `depends_on`. An ordering edge is
 * configuration, not state, so a mocked apply cannot observe it: assertions read it here.
 */
export function dependsOn(stack: StackJson, address: string, target: string): boolean {
  const [type, name] = address.split('.');
  return (stack.resource[type]?.[name]?.depends_on ?? []).includes(target);
}

/** What the mocked hub state hands the spokes: realistic IDs, one per table and zone. */
export const HUB_STATE = {
  transitGatewayId: 'tgw-0a1b2c3d4e5f60718',
  sharedRouteTableId: 'tgw-rtb-0000000000000aaaa',
  domainRouteTableIds: { nonprod: 'tgw-rtb-0000000000000bbbb', prod: 'tgw-rtb-0000000000000cccc' } as Record<string, string>,
  privateZoneIds: Object.fromEntries(HUB_PRIVATE_ZONES.map((zone, index) => [zone, `Z0${index}HUBPRIVATEZONE0`])),
};

/**
 * The subnet plan of a /16 spoke VPC (a large private subnet per zone for nodes and pods, a small
 * public one), worked out here independently of the
 * library: zone a, b, c get private /19s from the bottom and public /22s from the top /19.
 */
export function expectedSubnets(cidrBlock: string, zones: number): Array<{ zone: string; tier: string; cidr: string }> {
  const [a, b] = cidrBlock.split('.');
  return ['a', 'b', 'c'].slice(0, zones).flatMap((letter, i) => [
    { zone: `${HUB.region}${letter}`, tier: 'private', cidr: `${a}.${b}.${32 * i}.0/19` },
    { zone: `${HUB.region}${letter}`, tier: 'public', cidr: `${a}.${b}.${224 + 4 * i}.0/22` },
  ]);
}

/** A DS record as Route 53 gives it: key tag, algorithm 13 (ECDSAP256SHA256), digest type 2 (SHA-256), digest. */
const MOCK_DS_RECORD = '12345 13 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE3C8F3C0F6E2D1B4A5C6D7E8F';

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
  '  mock_resource "aws_route53_key_signing_key" {',
  `    defaults = { ds_record = ${hcl(MOCK_DS_RECORD)} }`,
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
  return hubStateOverride(outputs);
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
  const accepter = addressOf(stack, 'aws_ec2_transit_gateway_vpc_attachment_accepter', () => true);
  body += assertion(`${attachment}.tags["Name"] == ${hcl(`piksel-${env.name}`)} && ${accepter}.tags["Name"] == ${hcl(`piksel-${env.name}`)}`,
    `the attachment must be named piksel-${env.name} in the spoke and in the hub account`);
  body += hubRoleAssertions(stack, env);
  if (env.flowLogRetentionDays !== undefined) {
    body += flowLogAssertions(stack, env);
  }
  return body;
}

/**
 * The hub role the spoke works through when it applies: its own hub-network role, never the hub's
 * piksel-deploy. Terraform evaluates the hub state's configuration (with the default
 * `pipeline_role`, "deploy"); a provider block is not state, so the hub provider's role is compared
 * with it in the synthesized stack, and so is the ownership tag the hub-network role requires.
 */
function hubRoleAssertions(stack: StackJson, env: Environment): string {
  const config = stack as StackJson & { provider: { aws: any[] }; data: { terraform_remote_state: Record<string, any> } };
  const hubProvider = config.provider.aws.find((p) => p.alias === 'hub');
  const stateRole = config.data.terraform_remote_state.HubState.config.assume_role.role_arn;
  // Terraform refuses a constant condition: the synthesized facts ride with the evaluated role.
  const role = 'data.terraform_remote_state.HubState.config.assume_role.role_arn';
  let body = '';
  body += assertion(`${role} == ${hcl(hubNetworkRoleArn(env))}`,
    `${env.name} must apply its hub side as ${hubNetworkRoleArn(env)}, never as the hub's piksel-deploy`);
  body += assertion(`${hcl(hubProvider?.assume_role?.[0]?.role_arn === stateRole)} && ${role} != ""`,
    `${env.name}'s hub provider must assume the same hub role as its hub state read`);
  body += assertion(`${hcl(hubProvider?.default_tags?.[0]?.tags?.['piksel:spoke'] === env.name)} && ${role} != ""`,
    `${env.name}'s hub provider must tag what it creates piksel:spoke = ${env.name}, the tag its hub-network role requires`);
  return body;
}

/** The flow logs of a spoke or the hub: what they record, retention, the role's confused-deputy guard, and apply order. */
function flowLogAssertions(stack: StackJson, env: Pick<Environment, 'name' | 'account' | 'region' | 'flowLogRetentionDays'>): string {
  const group = addressOf(stack, 'aws_cloudwatch_log_group', (r) => r.name === `/piksel/vpc/piksel-${env.name}/flow-logs`);
  const role = addressOf(stack, 'aws_iam_role', (r) => r.name === `piksel-${env.name}-flow-logs`);
  const policy = addressOf(stack, 'aws_iam_role_policy', (r) => r.role.includes(role.split('.')[1]));
  const flowLog = addressOf(stack, 'aws_flow_log', () => true);
  const vpc = addressOf(stack, 'aws_vpc', (r) => r.tags?.Name === `piksel-${env.name}`);
  const trust = `jsondecode(${role}.assume_role_policy).Statement[0]`;
  let body = '';
  body += assertion(`${flowLog}.vpc_id == ${vpc}.id && ${flowLog}.traffic_type == "ALL" && ${flowLog}.log_destination == ${group}.arn`,
    `the flow log must record all traffic of piksel-${env.name} into its log group`);
  body += assertion(`${group}.retention_in_days == ${env.flowLogRetentionDays}`, `flow logs must be kept ${env.flowLogRetentionDays} days`);
  body += assertion(`${trust}.Principal.Service == "vpc-flow-logs.amazonaws.com" && ${trust}.Condition.StringEquals["aws:SourceAccount"] == ${hcl(env.account)} && ${trust}.Condition.ArnLike["aws:SourceArn"] == ${hcl(`arn:aws:ec2:${env.region}:${env.account}:vpc-flow-log/*`)}`,
    `the flow-logs role must trust the service only for ${env.name}'s own flow logs`);
  // depends_on is configuration, not state: the edge is read from the synthesized stack, its ends from the applied values.
  body += assertion(`${hcl(dependsOn(stack, flowLog, policy))} && ${policy}.role == ${role}.name && ${flowLog}.iam_role_arn == ${role}.arn`,
    'the flow log must depend on its role\'s write policy (created after it, destroyed before it)');
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
  for (const domain of ['shared', ...HUB.routingDomains]) {
    // The spokes' hub-network roles (hub-baseline) may use a route table only by this tag.
    body += assertion(`${table(domain)}.tags["piksel:routing-domain"] == ${hcl(domain)}`, `the ${domain} route table must be tagged piksel:routing-domain = ${domain}`);
  }
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
  if (HUB.flowLogRetentionDays === undefined) {
    body += assertion('false', 'the hub VPC carries every spoke\'s shared traffic: give HUB a flowLogRetentionDays');
  } else {
    body += flowLogAssertions(stack, HUB);
  }
  body += dnsAssertions(stack);
  body += dnssecAssertions(stack);
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
  body += lifecycleAssertions(stack);
  body += pushRoleAssertions(stack);
  return body;
}

/** The lifecycle the estate promises (release tags never expire; build tags and untagged images do), worked out here from the table, not from the library. */
function expectedLifecycleRules(): unknown[] {
  const expire = { type: 'expire' };
  return [
    ...HUB.releaseTagPatterns.map((pattern) => ({ tagStatus: 'tagged', tagPatternList: [pattern], countType: 'imageCountMoreThan', countNumber: 100000 })),
    ...HUB.buildTagPatterns.map((pattern) => ({ tagStatus: 'tagged', tagPatternList: [pattern], countType: 'imageCountMoreThan', countNumber: 30 })),
    { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
  ].map((selection, index) => ({ rulePriority: index + 1, selection, action: expire }));
}

function lifecycleAssertions(stack: StackJson): string {
  let body = '';
  const release = hcl(HUB.releaseTagPatterns);
  for (const spec of HUB.repositories) {
    const repository = addressOf(stack, 'aws_ecr_repository', (r) => r.name === spec.name);
    const lifecycle = addressOf(stack, 'aws_ecr_lifecycle_policy', (r) => r.repository.includes(repository.split('.')[1]));
    const rules = `jsondecode(${lifecycle}.policy).rules`;
    body += assertion(`[for r in ${rules} : { rulePriority = r.rulePriority, selection = r.selection, action = r.action }] == jsondecode(${hcl(JSON.stringify(expectedLifecycleRules()))})`,
      `${spec.name} must shield release tags ${HUB.releaseTagPatterns.join(', ')}, keep the newest 30 of each build tag and expire untagged images after 7 days`);
    // ECR: an image matching a rule's tags cannot be expired by a rule of lower priority. Every
    // rule that can select a release tag must come before every rule that expires by build count
    // or age, and must never reach its count (the per-repository image quota).
    const shields = `[for r in ${rules} : r if contains(${release}, try(r.selection.tagPatternList[0], ""))]`;
    const expiring = `[for r in ${rules} : r if !contains(${release}, try(r.selection.tagPatternList[0], ""))]`;
    body += assertion(`length(${shields}) == ${HUB.releaseTagPatterns.length} && alltrue([for r in ${shields} : r.selection.countNumber >= 100000 && r.rulePriority < min([for e in ${expiring} : e.rulePriority]...)])`,
      `no rule of ${spec.name} may ever expire an image carrying a release tag, even one that also carries a build tag`);
    body += assertion(`alltrue([for r in ${rules} : r.selection.tagStatus != "any"])`, `${spec.name} must never expire by a rule over every image`);
  }
  return body;
}

/** Each pushing repository's role: exact subjects (patterns only inside a ref), grants on its own repositories only. */
function pushRoleAssertions(stack: StackJson): string {
  let body = '';
  const provider = `arn:aws:iam::${HUB.account}:oidc-provider/token.actions.githubusercontent.com`;
  if (addressesOf(stack, 'aws_iam_openid_connect_provider').length > 0) {
    body += assertion('false', 'the hub stack must not create a GitHub OIDC provider: hub-baseline owns it');
  }
  for (const pusher of HUB.imagePushers) {
    const repositoryName = pusher.githubRepository.split('/')[1];
    const role = addressOf(stack, 'aws_iam_role', (r) => r.name === `piksel-registry-push-${repositoryName}`);
    const policy = addressOf(stack, 'aws_iam_role_policy', (r) => r.role.includes(role.split('.')[1]));
    const refs = pusher.refs ?? DEFAULT_PUSH_REFS;
    const subject = (ref: string) => `repo:${pusher.githubRepository}:ref:${ref}`;
    const statements = `jsondecode(${role}.assume_role_policy).Statement`;
    const exact = `flatten([for s in ${statements} : try(s.Condition.StringEquals["token.actions.githubusercontent.com:sub"], [])])`;
    const like = `flatten([for s in ${statements} : try(s.Condition.StringLike["token.actions.githubusercontent.com:sub"], [])])`;
    body += assertion(`toset(${exact}) == toset(${hcl(refs.filter((ref) => !ref.includes('*')).map(subject))}) && toset(${like}) == toset(${hcl(refs.filter((ref) => ref.includes('*')).map(subject))})`,
      `only ${refs.join(', ')} of ${pusher.githubRepository} may push (exact refs compared exactly, tag patterns with StringLike)`);
    body += assertion(`alltrue([for s in concat(${exact}, ${like}) : startswith(s, ${hcl(`repo:${pusher.githubRepository}:ref:refs/`)})])`,
      `no subject of ${pusher.githubRepository}'s push role may reach another repository`);
    body += assertion(`alltrue([for s in ${statements} : s.Principal.Federated == ${hcl(provider)} && s.Condition.StringEquals["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"])`,
      `${pusher.githubRepository}'s push role must trust the hub's GitHub provider for the STS audience only`);
    const arns = pusher.repositories.map((name) => `${addressOf(stack, 'aws_ecr_repository', (r) => r.name === name)}.arn`);
    body += assertion(`toset(jsondecode(${policy}.policy).Statement[1].Resource) == toset([${arns.join(', ')}]) && jsondecode(${policy}.policy).Statement[0].Resource == "*"`,
      `${pusher.githubRepository} may push ${pusher.repositories.join(', ')} and no other repository`);
  }
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

/** The hub's us-east-1 provider, which makes the DNSSEC keys: its own mocks, ARNs of its region. */
export function dnssecKeyMocks(): string {
  return [
    'mock_provider "aws" {',
    `  alias = ${hcl(DNSSEC_KEY_PROVIDER_ALIAS)}`,
    '  mock_resource "aws_kms_key" {',
    `    defaults = { arn = ${hcl(`arn:aws:kms:us-east-1:${HUB.account}:key/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9`)} }`,
    '  }',
    '}',
  ].join('\n');
}

/**
 * Each public zone signs with a key-signing key made from a key in us-east-1 that only Route 53
 * DNSSEC may use, for this zone of the hub account; a delegated zone's DS record is in its parent
 * once it signs, an apex zone's is an output for the registrar.
 */
function dnssecAssertions(stack: StackJson): string {
  const config = stack as StackJson & { provider: { aws: any[] } };
  const keyProvider = config.provider.aws.find((p) => p.alias === DNSSEC_KEY_PROVIDER_ALIAS);
  const zone = (name: string) => addressOf(stack, 'aws_route53_zone', (r) => r.name === name);
  let body = '';
  for (const spec of HUB.publicZones) {
    const key = addressOf(stack, 'aws_kms_key', (r) => r.description === `DNSSEC key-signing key of ${spec.name}`);
    const ksk = addressOf(stack, 'aws_route53_key_signing_key', (r) => r.hosted_zone_id === `\${${zone(spec.name)}.zone_id}`);
    const signing = addressOf(stack, 'aws_route53_hosted_zone_dnssec', (r) => r.hosted_zone_id === `\${${ksk}.hosted_zone_id}`);
    const [type, name] = key.split('.');
    const inUsEast1 = stack.resource[type][name].provider === `aws.${DNSSEC_KEY_PROVIDER_ALIAS}` && keyProvider?.region === 'us-east-1';
    body += assertion(`${hcl(inUsEast1)} && ${key}.customer_master_key_spec == "ECC_NIST_P256" && ${key}.key_usage == "SIGN_VERIFY"`,
      `${spec.name} must be signed with an ECC_NIST_P256 signing key in us-east-1, the only region Route 53 takes`);
    const use = `jsondecode(${key}.policy).Statement[0]`;
    body += assertion(`${use}.Principal.Service == "dnssec-route53.amazonaws.com" && ${use}.Condition.StringEquals["aws:SourceAccount"] == ${hcl(HUB.account)} && ${use}.Condition.ArnLike["aws:SourceArn"] == ${zone(spec.name)}.arn`,
      `only Route 53 DNSSEC may sign with ${spec.name}'s key, for that zone of the hub account`);
    body += assertion(`${ksk}.key_management_service_arn == ${key}.arn && ${ksk}.status == "ACTIVE"`, `${spec.name}'s key-signing key must be active and made from its key`);
    body += assertion(`${hcl(dependsOn(stack, signing, ksk))} && ${signing}.hosted_zone_id == ${zone(spec.name)}.zone_id && ${signing}.signing_status == "SIGNING"`,
      `${spec.name} must sign, after its key-signing key exists`);
    if (spec.parent) {
      const ds = addressOf(stack, 'aws_route53_record', (r) => r.type === 'DS' && r.name === spec.name);
      body += assertion(`${hcl(dependsOn(stack, ds, signing))} && ${ds}.zone_id == ${zone(spec.parent)}.zone_id && ${ds}.records == toset([${ksk}.ds_record])`,
        `${spec.parent} must publish ${spec.name}'s DS record once ${spec.name} signs`);
    } else {
      body += assertion(`output.${publicZoneDsOutput(spec.name)} == ${ksk}.ds_record`,
        `${spec.name}'s DS record must be an output, for its registrar`);
    }
  }
  return body;
}

/** The `terraform test` file of the hub stack. */
export function hubTestFile(stack: StackJson): string {
  return testFile(NETWORK_MOCKS, dnssecKeyMocks(), hubAssertions(stack));
}
