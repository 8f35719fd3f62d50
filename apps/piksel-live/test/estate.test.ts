import { ENVIRONMENTS, ESTATE_TAGS, HUB, hubNetworkRoleArn } from '@piksel/estate';
import { App, Testing } from 'cdktf';
import { HUB_OUTPUT, HUB_PRIVATE_ZONES } from '../src/hub-outputs';
import { buildEstate } from '../src/main';
import { expectedSecretNames } from './terraform/estate-assertions';
import { DNSSEC_KEY_PROVIDER_ALIAS, publicZoneDsOutput, publicZoneOutput } from '../src/stacks/hub-stack';

function synthEstate(): Record<string, any> {
  const app = Testing.app() as App;
  buildEstate(app);
  return Object.fromEntries(app.node.children.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack as any))]));
}

describe('the estate', () => {
  const stacks = synthEstate();

  test('no trust policy of any stack accepts a GitHub subject of more than one repository, nor a wildcard service account', () => {
    const subjects: string[] = [];
    for (const stack of Object.values(stacks)) {
      for (const role of Object.values(stack.resource?.aws_iam_role ?? {}) as any[]) {
        // Terraform expressions (`${replace(...issuer, "https://", "")}`) quote inside: read them as opaque.
        const policy = JSON.parse(String(role.assume_role_policy).replace(/\$\{[^}]*\}/g, 'EXPR'));
        for (const statement of policy.Statement) {
          for (const operator of Object.values(statement.Condition ?? {}) as Array<Record<string, string | string[]>>) {
            for (const [key, value] of Object.entries(operator)) {
              if (key.endsWith(':sub')) subjects.push(...[value].flat());
            }
          }
        }
      }
    }
    const github = subjects.filter((subject) => subject.startsWith('repo:'));
    const serviceAccounts = subjects.filter((subject) => subject.startsWith('system:serviceaccount:'));
    expect(github.length).toBeGreaterThan(0);
    expect(serviceAccounts.length).toBeGreaterThan(0);
    expect(github.length + serviceAccounts.length).toBe(subjects.length);
    // The repository part of every GitHub subject is one literal owner/name: no wildcard before its qualifier.
    for (const subject of github) expect(subject).toMatch(/^repo:[A-Za-z0-9-]+\/[A-Za-z0-9._-]+:(environment:[^*?]+|pull_request|ref:refs\/(heads|tags)\/.+)$/);
    for (const subject of serviceAccounts) expect(subject).toMatch(/^system:serviceaccount:[a-z0-9-]+:[a-z0-9.-]+$/);
  });

  test('has the hub stack, then per environment its AWS stack, its data stack and three in-cluster stages', () => {
    expect(Object.keys(stacks)).toEqual([
      ...[HUB, ...ENVIRONMENTS].map((target) => `${target.name}-baseline`),
      'hub',
      ...ENVIRONMENTS.flatMap((env) => [env.name, `${env.name}-data`, `${env.name}-bootstrap`, `${env.name}-bootstrap-nodes`, `${env.name}-platform`]),
    ]);
  });

  test('gives every VPC on the hub its own address block', () => {
    const blocks = [HUB.cidrBlock, ...ENVIRONMENTS.map((env) => env.cidrBlock)];
    expect(blocks).toEqual(['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16']);
  });

  describe('hub', () => {
    const hub = () => stacks.hub;

    test('creates no GitHub OIDC provider: the push role trusts the one hub-baseline owns', () => {
      expect(hub().resource.aws_iam_openid_connect_provider).toBeUndefined();
      const pushRoles = Object.values(hub().resource.aws_iam_role).filter((r: any) => r.name.startsWith('piksel-registry-push-')) as any[];
      expect(pushRoles.length).toBeGreaterThan(0);
      for (const role of pushRoles) {
        for (const statement of JSON.parse(role.assume_role_policy).Statement) {
          expect(statement.Principal.Federated).toBe(`arn:aws:iam::${HUB.account}:oidc-provider/token.actions.githubusercontent.com`);
        }
      }
    });

    test('tags each Transit Gateway route table with the routing-domain tag that hub-baseline\'s hub-network roles are scoped by', () => {
      const tables = Object.values(hub().resource.aws_ec2_transit_gateway_route_table).map((t: any) => t.tags['piksel:routing-domain']);
      expect(tables.sort()).toEqual(['nonprod', 'prod', 'shared']);
      const roles = (Object.values(stacks['hub-baseline'].resource.aws_iam_role) as any[]).map((r) => r.name);
      expect(roles).toEqual(expect.arrayContaining(ENVIRONMENTS.map((env) => `piksel-${env.name}-hub-network`)));
      const policies = (Object.values(stacks['hub-baseline'].resource.aws_iam_role_policy) as any[]).filter((p) => p.name === 'hub-network');
      const domains = policies.map((p) => JSON.parse(p.policy).Statement.find((st: any) => st.Sid === 'AssociateWithOwnDomainOnly').Condition.StringEquals['aws:ResourceTag/piksel:routing-domain']);
      expect(domains.sort()).toEqual(ENVIRONMENTS.map((env) => env.routingDomain).sort());
    });

    test('keeps state in the hub account and runs only against it, in its region and in us-east-1 for the DNSSEC keys', () => {
      expect(hub().terraform.backend.s3).toMatchObject({ bucket: 'piksel-hub-tfstate', key: 'hub/terraform.tfstate', use_lockfile: true });
      expect(hub().provider.aws).toEqual([
        expect.objectContaining({ region: HUB.region, allowed_account_ids: [HUB.account] }),
        expect.objectContaining({ alias: DNSSEC_KEY_PROVIDER_ALIAS, region: 'us-east-1', allowed_account_ids: [HUB.account] }),
      ]);
    });

    test('publishes what spokes read: the Transit Gateway, the shared and domain tables, every private zone, every public zone\'s ID; and each apex zone\'s DS record', () => {
      expect(Object.keys(hub().output).sort()).toEqual([
        'hub_cidr_block',
        'hub_name',
        HUB_OUTPUT.transitGatewayId,
        HUB_OUTPUT.sharedRouteTableId,
        HUB_OUTPUT.routingDomain('nonprod'),
        HUB_OUTPUT.routingDomain('prod'),
        ...HUB_PRIVATE_ZONES.map(HUB_OUTPUT.privateZone),
        // external-dns's zone-ID filter (issue 12).
        ...HUB.publicZones.map((zone) => publicZoneOutput(zone.name)),
        // For the registrar: a delegated zone's DS record is in its parent.
        ...HUB.publicZones.filter((zone) => !zone.parent).map((zone) => publicZoneDsOutput(zone.name)),
      ].sort());
    });

    test('admits each environment once: RAM principal, a route per hub zone, HTTPS to the registry endpoints', () => {
      const principals = Object.values(hub().resource.aws_ram_principal_association).map((p: any) => p.principal);
      expect(principals.sort()).toEqual(ENVIRONMENTS.map((env) => env.account).sort());
      for (const env of ENVIRONMENTS) {
        expect(Object.values(hub().resource.aws_route).filter((r: any) => r.destination_cidr_block === env.cidrBlock)).toHaveLength(HUB.zones);
        expect(Object.values(hub().resource.aws_vpc_security_group_ingress_rule).filter((r: any) => r.cidr_ipv4 === env.cidrBlock)).toHaveLength(1);
      }
    });

    test('holds the public zones, the delegation of staging and one DNS role per environment', () => {
      const zones = Object.values(hub().resource.aws_route53_zone).map((z: any) => z.name);
      expect(zones).toEqual(expect.arrayContaining(HUB.publicZones.map((z) => z.name)));
      const delegations = Object.values(hub().resource.aws_route53_record).filter((r: any) => r.type === 'NS').map((r: any) => r.name);
      expect(delegations).toEqual(['staging.piksel.big.go.id']);
      const roles = Object.values(hub().resource.aws_iam_role).map((r: any) => r.name);
      expect(roles).toEqual(expect.arrayContaining(ENVIRONMENTS.map((env) => `piksel-${env.name}-external-dns`)));
    });
  });

  test('holds the eleven estate repositories, pullable by every spoke account', () => {
    const repositories = Object.values(stacks.hub.resource.aws_ecr_repository) as any[];
    expect(repositories.map((r) => r.name).sort()).toEqual(HUB.repositories.map((r) => r.name).sort());
    expect(repositories.filter((r) => r.image_tag_mutability === 'MUTABLE').map((r) => r.name)).toEqual(['coastlines']);
    expect(Object.keys(stacks.hub.resource.aws_ecr_repository_policy)).toHaveLength(11);
  });

  describe.each(ENVIRONMENTS)('$name', (env) => {
    const resources = (type: string): any[] => Object.values(stacks[env.name].resource[type] ?? {});

    test('manages the hub side of its attachment with its own hub-network role to apply and the hub\'s plan role to plan, reading the hub state with it', () => {
      const hubProvider = stacks[env.name].provider.aws.find((p: any) => p.alias === 'hub');
      const hubRole = `\${(var.pipeline_role == "plan") ? "arn:aws:iam::${HUB.account}:role/piksel-plan" : "arn:aws:iam::${HUB.account}:role/piksel-${env.name}-hub-network"}`;
      expect(hubRole).toContain(hubNetworkRoleArn(env));
      expect(JSON.stringify(stacks[env.name])).not.toContain(`arn:aws:iam::${HUB.account}:role/piksel-deploy`);
      expect(hubProvider).toMatchObject({
        allowed_account_ids: [HUB.account],
        assume_role: [{ role_arn: hubRole }],
        // The hub-network role acts only on attachments tagged as this spoke's (hub-baseline).
        default_tags: [{ tags: { 'Environment': env.name, 'piksel:spoke': env.name } }],
      });
      expect(stacks[env.name].variable.pipeline_role).toMatchObject({ default: 'deploy' });
      for (const type of ['aws_ec2_transit_gateway_vpc_attachment_accepter', 'aws_ec2_transit_gateway_route_table_association',
        'aws_ec2_transit_gateway_route_table_propagation', 'aws_route53_vpc_association_authorization']) {
        expect(resources(type).length).toBeGreaterThan(0);
        expect(resources(type).every((r) => r.provider === 'aws.hub')).toBe(true);
      }
      expect(resources('aws_ec2_transit_gateway_vpc_attachment')[0].provider).toBeUndefined();
      expect(stacks[env.name].data.terraform_remote_state.HubState.config).toMatchObject({
        bucket: 'piksel-hub-tfstate',
        key: 'hub/terraform.tfstate',
        assume_role: { role_arn: hubRole },
      });
    });

    test('propagates only into the hub\'s shared table and associates with its own domain only', () => {
      expect(resources('aws_ec2_transit_gateway_route_table_propagation')).toHaveLength(1);
      expect(resources('aws_ec2_transit_gateway_route_table_association')).toHaveLength(1);
      expect(JSON.stringify(resources('aws_ec2_transit_gateway_route_table_association')[0]))
        .toContain(HUB_OUTPUT.routingDomain(env.routingDomain));
    });

    test('spans its zones with NAT and flow logs as the table says, and tags subnets for its cluster', () => {
      expect(resources('aws_subnet')).toHaveLength(2 * env.zones);
      expect(resources('aws_nat_gateway')).toHaveLength(env.nat === 'per-az' ? env.zones : 1);
      expect(resources('aws_flow_log')).toHaveLength(env.flowLogRetentionDays === undefined ? 0 : 1);
      const privateSubnets = resources('aws_subnet').filter((s) => s.tags.Name.includes('-private-'));
      expect(privateSubnets.every((s) => s.tags['karpenter.sh/discovery'] === env.clusterName)).toBe(true);
    });

    const stack = () => stacks[env.name];

    test('holds the four tagged secrets of the environment and no secret value', () => {
      const names = Object.values(stack().resource.aws_secretsmanager_secret).map((s: any) => s.name);
      expect(names.sort()).toEqual(expectedSecretNames(env.name).sort());
      expect(stack().resource.aws_secretsmanager_secret_version).toBeUndefined();
      expect(JSON.stringify(stack())).not.toMatch(/secret_string|secret_binary/);
    });

    test('keeps state in its own encrypted, lock-file S3 backend', () => {
      expect(stack().terraform.backend.s3).toEqual({
        bucket: `piksel-${env.name}-tfstate`,
        key: `${env.name}/terraform.tfstate`,
        region: 'ap-southeast-3',
        encrypt: true,
        use_lockfile: true,
      });
    });

    test('tags everything with the estate tags and runs only against its own account', () => {
      const [provider] = stack().provider.aws;
      expect(provider.default_tags).toEqual([{ tags: { ...ESTATE_TAGS, Environment: env.name } }]);
      expect(provider.allowed_account_ids).toEqual([env.account]);
      expect(provider.region).toBe('ap-southeast-3');
    });
  });
});
