import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HubOutputs, NetworkHub } from '@piksel/network-hub';
import { DataTerraformRemoteStateS3, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { HubState } from '../src/hub-state';
import { SpokeVpc } from '../src/spoke-vpc';

const REGION = 'ap-southeast-3';

function hubStack(app: Construct) {
  const stack = new TerraformStack(app, 'hub');
  new AwsProvider(stack, 'Aws', { region: REGION });
  const hub = new NetworkHub(stack, 'NetworkHub', { cidrBlock: '10.0.0.0/16', region: REGION });
  hub.addRoutingDomain('NonprodDomain', 'nonprod');
  return { stack, hub };
}

/** A spoke stack wired the way the README shows: the hub's contract read from its state. */
function spokeStack(app: Construct, name: string, cidrBlock: string, account?: string) {
  const stack = new TerraformStack(app, name);
  new AwsProvider(stack, 'Aws', { region: REGION });
  const hubProvider = new AwsProvider(stack, 'HubAws', { region: REGION, alias: 'hub' });
  const remoteState = new DataTerraformRemoteStateS3(stack, 'HubState', { bucket: 'piksel-hub-tfstate', key: 'hub/terraform.tfstate', region: REGION });
  const { hub, domain } = new HubState(stack, 'Hub', { remoteState, hubCidrBlock: '10.0.0.0/16', region: REGION, domainName: 'nonprod' });
  const vpc = new SpokeVpc(stack, 'Vpc', { name: `piksel-${name}`, cidrBlock, region: REGION });
  vpc.attachToHub({ hub, domain, hubProvider, account, environment: 'dev' });
  return stack;
}

describe('HubState', () => {
  test('reads every output the hub writes, the ECR endpoint zones included', () => {
    const app = Testing.app();
    const { stack: hub } = hubStack(app);
    const spoke = spokeStack(app, 'dev', '10.1.0.0/16');
    const written = Object.keys(JSON.parse(Testing.synth(hub)).output);
    const read = Testing.synth(spoke);
    for (const name of [HubOutputs.TRANSIT_GATEWAY_ID, HubOutputs.SHARED_ROUTE_TABLE_ID, HubOutputs.routingDomain('nonprod'),
      ...HubOutputs.privateZoneNames('piksel.internal', REGION).map((zone) => HubOutputs.privateZone(zone))]) {
      expect(written).toContain(name);
      expect(read).toContain(`.outputs.${name}`);
    }
    const associations = Object.keys(JSON.parse(read).resource.aws_route53_zone_association);
    expect(associations).toHaveLength(3);
    expect(associations.some((address) => /DkrEcrApSoutheast3AmazonawsCom/.test(address))).toBe(true);
    expect(associations.some((address) => /ApiEcrApSoutheast3AmazonawsCom/.test(address))).toBe(true);
  });

  test('fails when two spoke stacks of one hub overlap, whatever stack each is in', () => {
    const app = Testing.app();
    spokeStack(app, 'dev', '10.1.0.0/16');
    expect(() => spokeStack(app, 'staging', '10.1.128.0/17'))
      .toThrow(/^staging\/Vpc\/HubAttachment: cidrBlock is "10.1.128.0\/17"; it overlaps 10.1.0.0\/16 of dev\/Vpc\/HubAttachment; give every VPC on one hub its own block/);
  });

  test('fails when two spokes of one hub share an account', () => {
    const app = Testing.app();
    spokeStack(app, 'dev', '10.1.0.0/16', '236122835646');
    expect(() => spokeStack(app, 'staging', '10.2.0.0/16', '236122835646'))
      .toThrow(/staging\/Vpc\/HubAttachment: account is "236122835646"; dev\/Vpc\/HubAttachment has it already; give each spoke of a hub its own account/);
  });

  test('fails at synth when the hub of the same app never admitted the spoke', () => {
    const app = Testing.app();
    const { hub } = hubStack(app);
    hub.admitSpoke('Dev', { account: '236122835646', cidrBlock: '10.1.0.0/16' });
    spokeStack(app, 'dev', '10.1.0.0/16');
    spokeStack(app, 'staging', '10.2.0.0/16');
    expect(() => app.synth()).toThrow(/staging\/Vpc\/HubAttachment: cidrBlock is "10.2.0.0\/16"; the hub piksel-hub admits no spoke with this block \(10.1.0.0\/16\)/);
  });

  test('warns when the hub gives a spoke no ECR endpoint zones', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'dev');
    new AwsProvider(stack, 'Aws', { region: REGION });
    const hub = NetworkHub.fromHubAttributes(stack, 'Hub', {
      transitGatewayId: 'tgw-0123456789abcdef0', hubCidrBlock: '10.0.0.0/16', sharedRouteTableId: 'tgw-rtb-0', privateZones: { 'piksel.internal': 'Z0' },
    });
    const { domain } = new HubState(stack, 'Contract', {
      remoteState: new DataTerraformRemoteStateS3(stack, 'HubState', { bucket: 'b-hub', key: 'k', region: REGION }), hubCidrBlock: '10.0.0.0/16', region: REGION, domainName: 'nonprod',
    });
    const vpc = new SpokeVpc(stack, 'Vpc', { name: 'piksel-dev', cidrBlock: '10.1.0.0/16', region: REGION });
    const attachment = vpc.attachToHub({ hub, domain });
    expect(attachment.node.metadata.map((entry) => String(entry.data)).join('\n')).toMatch(/gives no private zones for api.ecr.ap-southeast-3.amazonaws.com and dkr.ecr.ap-southeast-3.amazonaws.com/);
  });

  test('fails when the hub CIDR is not a literal or the region is unknown', () => {
    const stack = new TerraformStack(Testing.app(), 'dev');
    const remoteState = new DataTerraformRemoteStateS3(stack, 'HubState', { bucket: 'b-hub', key: 'k', region: REGION });
    expect(() => new HubState(stack, 'Bad', { remoteState, hubCidrBlock: remoteState.getString('hub_cidr_block'), region: REGION, domainName: 'nonprod' }))
      .toThrow(/dev\/Bad: hubCidrBlock is .*; give the hub CIDR as a literal/);
    expect(() => new HubState(stack, 'Far', { remoteState, hubCidrBlock: '10.0.0.0/16', region: 'mars-1', domainName: 'nonprod' }))
      .toThrow(/dev\/Far: region is "mars-1"; use an AWS region code/);
  });
});
