import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Naming } from '@piksel/core';
import { NetworkHub, RoutingDomain } from '@piksel/network-hub';
import { TerraformStack, Testing } from 'cdktf';
import { HubNetworkRole } from '../../account-baseline/src/hub-network-role';
import { onlyResource, resourcesOf, synth } from '../../secrets/test/util';
import { HubAttachment } from '../src/hub-attachment';
import { HubAttachmentOptions, SpokeVpc } from '../src/spoke-vpc';

const HUB_ATTRS = {
  transitGatewayId: 'tgw-0123456789abcdef0',
  hubCidrBlock: '10.0.0.0/16',
  sharedRouteTableId: 'tgw-rtb-0000000000000shared',
  privateZones: { 'piksel.internal': 'Z0INTERNAL', 'dkr.ecr.ap-southeast-3.amazonaws.com': 'Z0DKR' },
};

/** A spoke stack: the spoke's own provider and an aliased provider for the hub account. */
function spokeStack(stack: TerraformStack, cidrBlock = '10.1.0.0/16', crossAccount = true) {
  new AwsProvider(stack, 'Aws', { region: 'ap-southeast-3' });
  const hubProvider = crossAccount ? new AwsProvider(stack, 'HubAws', { region: 'ap-southeast-3', alias: 'hub' }) : undefined;
  const hub = NetworkHub.fromHubAttributes(stack, 'Hub', HUB_ATTRS);
  const domain = RoutingDomain.fromRoutingDomainAttributes(stack, 'Nonprod', { domainName: 'nonprod', routeTableId: 'tgw-rtb-00000000000nonprod' });
  const spoke = new SpokeVpc(stack, 'Spoke', { name: 'piksel-dev', cidrBlock, region: 'ap-southeast-3' });
  return { hub, spoke, hubProvider, domain };
}

function attached(crossAccount = true) {
  return synth((stack) => {
    const { hub, spoke, hubProvider, domain } = spokeStack(stack, '10.1.0.0/16', crossAccount);
    spoke.attachToHub({ hub, domain, hubProvider, environment: crossAccount ? 'dev' : undefined });
  });
}

describe('HubAttachment', () => {
  test('attaches on the private subnets from the spoke account, leaving default route tables alone', () => {
    const attachment = onlyResource(attached(), 'aws_ec2_transit_gateway_vpc_attachment');
    expect(attachment).toMatchObject({ transit_gateway_id: 'tgw-0123456789abcdef0', dns_support: 'enable' });
    expect(attachment.subnet_ids).toHaveLength(2);
    expect(attachment.subnet_ids.every((id: string) => /aws_subnet\..*PrivateSubnet/.test(id))).toBe(true);
    expect(attachment).not.toHaveProperty('provider');
    expect(attachment).not.toHaveProperty('transit_gateway_default_route_table_association');
  });

  test('accepts, associates with the domain and propagates into shared with the hub provider', () => {
    const synthesized = attached();
    expect(onlyResource(synthesized, 'aws_ec2_transit_gateway_vpc_attachment_accepter')).toMatchObject({
      provider: 'aws.hub',
      transit_gateway_default_route_table_association: false,
      transit_gateway_default_route_table_propagation: false,
    });
    const association = onlyResource(synthesized, 'aws_ec2_transit_gateway_route_table_association');
    expect(association).toMatchObject({ provider: 'aws.hub', transit_gateway_route_table_id: 'tgw-rtb-00000000000nonprod' });
    expect(association.depends_on[0]).toMatch(/^aws_ec2_transit_gateway_vpc_attachment_accepter\./);
    const propagation = onlyResource(synthesized, 'aws_ec2_transit_gateway_route_table_propagation');
    expect(propagation).toMatchObject({ provider: 'aws.hub', transit_gateway_route_table_id: 'tgw-rtb-0000000000000shared' });
  });

  test('names the attachment and its acceptance after the spoke VPC, not after its construct ID', () => {
    const synthesized = attached();
    expect(onlyResource(synthesized, 'aws_ec2_transit_gateway_vpc_attachment').tags).toEqual({ Name: 'piksel-dev' });
    expect(onlyResource(synthesized, 'aws_ec2_transit_gateway_vpc_attachment_accepter').tags).toMatchObject({ Name: 'piksel-dev' });
  });

  test('tags the acceptance with the spoke\'s ownership tag, the one the hub-network role requires', () => {
    expect(onlyResource(attached(), 'aws_ec2_transit_gateway_vpc_attachment_accepter').tags).toEqual({ 'Name': 'piksel-dev', 'piksel:spoke': 'dev' });
  });

  test('makes the hub provider from hubAccount: the hub-network role of the environment, in the spoke\'s region, locked to the hub account', () => {
    const synthesized = synth((stack) => {
      Naming.configure(stack, { prefix: 'geo' });
      const { hub, spoke, domain } = spokeStack(stack, '10.1.0.0/16', false);
      spoke.attachToHub({ hub, domain, environment: 'dev', hubAccount: '686410905891', account: '236122835646' });
    });
    const providers = (synthesized as any).provider.aws as any[];
    expect(providers.find((p) => p.alias === 'hub-dev')).toEqual({
      alias: 'hub-dev',
      region: 'ap-southeast-3',
      allowed_account_ids: ['686410905891'],
      assume_role: [{ role_arn: 'arn:aws:iam::686410905891:role/geo-dev-hub-network', session_name: 'geo-dev-network' }],
    });
    expect(onlyResource(synthesized, 'aws_ec2_transit_gateway_vpc_attachment_accepter')).toMatchObject({ provider: 'aws.hub-dev', tags: { 'geo:spoke': 'dev' } });
    expect(onlyResource(synthesized, 'aws_ec2_transit_gateway_route_table_association').provider).toBe('aws.hub-dev');
  });

  test('derives the tag key and the role name as account-baseline\'s HubNetworkRole does, under any prefix', () => {
    for (const prefix of [undefined, 'geo']) {
      const app = Testing.app();
      if (prefix) Naming.configure(app, { prefix });
      const scope = new TerraformStack(app, 'Stack');
      expect(HubAttachment.spokeTagKey(scope)).toBe(HubNetworkRole.spokeTagKey(scope));
      expect(HubAttachment.hubNetworkRoleArn(scope, '686410905891', 'dev')).toBe(`arn:aws:iam::686410905891:role/${HubNetworkRole.roleNameFor(scope, 'dev')}`);
    }
  });

  test('never propagates the spoke into its own domain: the domain learns only the hub', () => {
    const propagations = Object.values(resourcesOf(attached(), 'aws_ec2_transit_gateway_route_table_propagation')) as any[];
    expect(propagations.map((p) => p.transit_gateway_route_table_id)).toEqual(['tgw-rtb-0000000000000shared']);
  });

  test('routes the hub CIDR, and nothing else, from every private route table to the Transit Gateway', () => {
    const routes = Object.values(resourcesOf(attached(), 'aws_route')).filter((r: any) => r.transit_gateway_id) as any[];
    expect(routes).toHaveLength(2);
    expect(routes.every((r) => r.destination_cidr_block === '10.0.0.0/16' && /PrivateRouteTable/.test(r.route_table_id))).toBe(true);
  });

  test('associates the VPC with every hub private zone, authorized by the hub account first', () => {
    const synthesized = attached();
    const authorizations = Object.values(resourcesOf(synthesized, 'aws_route53_vpc_association_authorization')) as any[];
    expect(authorizations.map((a) => [a.zone_id, a.provider, a.vpc_region]).sort()).toEqual([['Z0DKR', 'aws.hub', 'ap-southeast-3'], ['Z0INTERNAL', 'aws.hub', 'ap-southeast-3']]);
    const associations = Object.entries(resourcesOf(synthesized, 'aws_route53_zone_association')) as any[];
    expect(associations.map(([, a]) => a.zone_id).sort()).toEqual(['Z0DKR', 'Z0INTERNAL']);
    expect(associations.every(([, a]) => !a.provider && a.depends_on[0].startsWith('aws_route53_vpc_association_authorization.'))).toBe(true);
    expect(associations.some(([name]) => name.includes('PikselInternal'))).toBe(true);
  });

  test('needs no acceptance and no authorization when the hub is in the same account', () => {
    const synthesized = attached(false);
    expect(resourcesOf(synthesized, 'aws_ec2_transit_gateway_vpc_attachment_accepter')).toEqual({});
    expect(resourcesOf(synthesized, 'aws_route53_vpc_association_authorization')).toEqual({});
    expect(onlyResource(synthesized, 'aws_ec2_transit_gateway_route_table_association').depends_on[0]).toMatch(/^aws_ec2_transit_gateway_vpc_attachment\./);
  });

  test('fails across accounts without the environment, with both a hub account and a provider, or with a malformed account', () => {
    const attach = (options: Partial<HubAttachmentOptions>, crossAccount = true) => synth((stack) => {
      const { hub, spoke, hubProvider, domain } = spokeStack(stack, '10.1.0.0/16', crossAccount);
      spoke.attachToHub({ hub, domain, hubProvider, ...options });
    });
    expect(() => attach({})).toThrow(/Spoke\/HubAttachment: environment is undefined; give the spoke's environment name \(e.g. "dev"\): the hub-network role acts only on attachments tagged piksel:spoke = <environment>/);
    expect(() => attach({ hubAccount: '686410905891' }, false)).toThrow(/Spoke\/HubAttachment: environment is undefined; give the spoke's environment name/);
    expect(() => attach({ environment: 'dev', hubAccount: '686410905891' })).toThrow(/hubAccount is "686410905891"; give hubAccount or hubProvider \(.*HubAws\), not both/);
    expect(() => attach({ environment: 'dev', hubAccount: '6864' }, false)).toThrow(/hubAccount is "6864"; use a 12-digit AWS account ID/);
    expect(() => attach({ environment: 'Dev' })).toThrow(/environment is "Dev"; use lower-case kebab-case/);
  });

  test('fails when the spoke overlaps the hub', () => {
    expect(() => synth((stack) => {
      const { hub, spoke, hubProvider, domain } = spokeStack(stack, '10.0.0.0/16');
      spoke.attachToHub({ hub, domain, hubProvider, environment: 'dev' });
    })).toThrow(/Spoke\/HubAttachment: cidrBlock is "10.0.0.0\/16"; it overlaps 10.0.0.0\/16 of the hub .*Hub; give every VPC on one hub its own block/);
  });

  test('fails when two spokes on one hub overlap', () => {
    expect(() => synth((stack) => {
      const { hub, spoke, hubProvider, domain } = spokeStack(stack);
      spoke.attachToHub({ hub, domain, hubProvider, environment: 'dev' });
      const other = new SpokeVpc(stack, 'Staging', { name: 'piksel-staging', cidrBlock: '10.1.128.0/17', region: 'ap-southeast-3' });
      other.attachToHub({ hub, domain, hubProvider, environment: 'staging' });
    })).toThrow(/Staging\/HubAttachment: cidrBlock is "10.1.128.0\/17"; it overlaps 10.1.0.0\/16 of .*Spoke\/HubAttachment/);
  });

  test('fails when a spoke attaches twice', () => {
    expect(() => synth((stack) => {
      const { hub, spoke, hubProvider, domain } = spokeStack(stack);
      spoke.attachToHub({ hub, domain, hubProvider, environment: 'dev' });
      spoke.attachToHub({ hub, domain, hubProvider, environment: 'dev' });
    })).toThrow(/Spoke: attachToHub was already called \(to .*Hub\); a spoke attaches to one hub, once/);
  });

  test('fails when the spoke is in another region than the hub\'s Transit Gateway, naming both', () => {
    const app = Testing.app();
    const hubStack = new TerraformStack(app, 'HubStack');
    new AwsProvider(hubStack, 'Aws', { region: 'ap-southeast-3' });
    const hub = new NetworkHub(hubStack, 'Hub', { cidrBlock: '10.0.0.0/16', region: 'ap-southeast-3' });
    const domain = hub.addRoutingDomain('NonprodDomain', 'nonprod');
    const spokeStackInIreland = new TerraformStack(app, 'SpokeStack');
    new AwsProvider(spokeStackInIreland, 'Aws', { region: 'eu-west-1' });
    const spoke = new SpokeVpc(spokeStackInIreland, 'Spoke', { name: 'piksel-dev', cidrBlock: '10.1.0.0/16', region: 'eu-west-1', availabilityZones: ['eu-west-1a', 'eu-west-1b'] });
    expect(() => spoke.attachToHub({ hub, domain })).toThrow(
      /SpokeStack\/Spoke\/HubAttachment: spoke.region is "eu-west-1"; the hub HubStack\/Hub and its Transit Gateway are in ap-southeast-3, .*; build the spoke VPC SpokeStack\/Spoke in ap-southeast-3/);
  });

  test('fails at synth when the spoke attaches from another account than the hub admitted for its block, naming both', () => {
    const app = Testing.app();
    const hubStack = new TerraformStack(app, 'HubStack');
    new AwsProvider(hubStack, 'Aws', { region: 'ap-southeast-3' });
    new NetworkHub(hubStack, 'Hub', { cidrBlock: '10.0.0.0/16', region: 'ap-southeast-3' }).admitSpoke('Dev', { account: '236122835646', cidrBlock: '10.1.0.0/16' });
    const stack = new TerraformStack(app, 'DevSpoke');
    const { hub, spoke, domain } = spokeStack(stack, '10.1.0.0/16', false);
    spoke.attachToHub({ hub, domain, environment: 'dev', hubAccount: '686410905891', account: '522783511350' });
    expect(() => app.synth()).toThrow(
      /DevSpoke\/Spoke\/HubAttachment: account is "522783511350"; the hub admitted this spoke's block for account "236122835646" \(HubStack\/Hub\/Dev\), so the Transit Gateway is not shared with this one; attach from the admitted account/);
  });

  test('synthesizes when the spoke attaches from the account the hub admitted', () => {
    const app = Testing.app();
    const hubStack = new TerraformStack(app, 'HubStack');
    new AwsProvider(hubStack, 'Aws', { region: 'ap-southeast-3' });
    new NetworkHub(hubStack, 'Hub', { cidrBlock: '10.0.0.0/16', region: 'ap-southeast-3' }).admitSpoke('Dev', { account: '236122835646', cidrBlock: '10.1.0.0/16' });
    const stack = new TerraformStack(app, 'DevSpoke');
    const { hub, spoke, domain } = spokeStack(stack, '10.1.0.0/16', false);
    spoke.attachToHub({ hub, domain, environment: 'dev', hubAccount: '686410905891', account: '236122835646' });
    expect(() => app.synth()).not.toThrow();
  });
});
