import { Naming } from '@piksel/core';
import { App, TerraformStack, Testing } from 'cdktf';
import { onlyResource, resourcesOf, synth } from '../../secrets/test/util';
import { FlowLogs, FlowLogsProps } from '../src/flow-logs';
import { NetworkHub } from '../src/network-hub';
import { Vpc } from '../src/vpc';

const PROPS: FlowLogsProps = { vpcId: 'vpc-0123456789abcdef0', name: 'piksel-production', region: 'ap-southeast-3', account: '522783511350' };

function build(props: Partial<FlowLogsProps> = {}) {
  return synth((stack) => new FlowLogs(stack, 'FlowLogs', { ...PROPS, ...props }));
}

describe('FlowLogs', () => {
  test('trusts the flow-logs service only for flow logs of its own account and region', () => {
    const trust = JSON.parse(onlyResource(build(), 'aws_iam_role').assume_role_policy).Statement[0];
    expect(trust).toEqual({
      Effect: 'Allow',
      Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '522783511350' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:ec2:ap-southeast-3:522783511350:vpc-flow-log/*' },
      },
    });
  });

  test('creates the flow log after the role may write to the group, and destroys it before', () => {
    const out = build();
    const [policyAddress] = Object.keys(resourcesOf(out, 'aws_iam_role_policy'));
    expect(onlyResource(out, 'aws_flow_log').depends_on).toEqual([`aws_iam_role_policy.${policyAddress}`]);
  });

  test('trusts the service for any account without an account, and warns', () => {
    expect(JSON.parse(onlyResource(build({ account: undefined }), 'aws_iam_role').assume_role_policy).Statement[0].Condition).toBeUndefined();
    const app = Testing.app();
    Naming.configure(app, Naming.piksel());
    const flowLogs = new FlowLogs(new TerraformStack(app, 'stack'), 'FlowLogs', { ...PROPS, account: undefined });
    expect(flowLogs.node.metadata.map((entry) => entry.data)).toEqual([expect.stringMatching(/account is not given: the flow-logs role trusts the vpc-flow-logs service for any account/)]);
  });

  test('takes the account and region from the VPC', () => {
    const out = synth((stack) => new Vpc(stack, 'Vpc', { name: 'piksel-dev', cidrBlock: '10.1.0.0/16', region: 'ap-southeast-3', flowLogs: true, account: '236122835646' }));
    const role = Object.values(resourcesOf(out, 'aws_iam_role')).find((r: any) => r.name === 'piksel-dev-flow-logs') as any;
    expect(JSON.parse(role.assume_role_policy).Statement[0].Condition.ArnLike['aws:SourceArn']).toBe('arn:aws:ec2:ap-southeast-3:236122835646:vpc-flow-log/*');
  });

  test('records the hub VPC with the retention and account the hub is given', () => {
    const out = synth((stack) => new NetworkHub(stack, 'Hub', {
      cidrBlock: '10.0.0.0/16', region: 'ap-southeast-3', flowLogs: true, flowLogRetentionDays: 30, account: '686410905891',
    }));
    const group = Object.values(resourcesOf(out, 'aws_cloudwatch_log_group')).find((g: any) => g.name === '/piksel/vpc/piksel-hub/flow-logs') as any;
    expect(group.retention_in_days).toBe(30);
    const role = Object.values(resourcesOf(out, 'aws_iam_role')).find((r: any) => r.name === 'piksel-hub-flow-logs') as any;
    expect(JSON.parse(role.assume_role_policy).Statement[0].Condition.StringEquals['aws:SourceAccount']).toBe('686410905891');
    expect(onlyResource(out, 'aws_flow_log')).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
  });

  test('fails when the hub\'s retention is not a period CloudWatch accepts', () => {
    expect(() => synth((stack) => new NetworkHub(stack, 'Hub', { cidrBlock: '10.0.0.0/16', region: 'ap-southeast-3', flowLogs: true, flowLogRetentionDays: 100 })))
      .toThrow(/flowLogRetentionDays is 100; use one of the periods CloudWatch Logs accepts/);
  });

  test('fails when the account is not a 12-digit ID', () => {
    expect(() => build({ account: '5227835113' })).toThrow(/FlowLogs: account is "5227835113"; use a 12-digit AWS account ID/);
    expect(() => synth((stack) => new Vpc(stack, 'Vpc', { name: 'piksel-dev', cidrBlock: '10.1.0.0/16', region: 'ap-southeast-3', account: 'arn:aws:iam::236122835646:root' })))
      .toThrow(/Vpc: account is "arn:aws:iam::236122835646:root"; use a 12-digit AWS account ID/);
  });

  test('fails when the region is not an AWS region', () => {
    expect(() => build({ region: 'jakarta' })).toThrow(/FlowLogs: region is "jakarta"; use an AWS region code/);
  });

  test('fails when flow logs of another VPC of the app take its log group in the same account and region', () => {
    const app = new App();
    Naming.configure(app, Naming.piksel(['production']));
    new FlowLogs(new TerraformStack(app, 'production'), 'FlowLogs', PROPS);
    expect(() => new FlowLogs(new TerraformStack(app, 'production-copy'), 'FlowLogs', { ...PROPS, vpcId: 'vpc-0fedcba9876543210' })).toThrow(
      /^production-copy\/FlowLogs: the log group is "\/piksel\/vpc\/piksel-production\/flow-logs"; production\/FlowLogs has it already; log group names are unique in an account and region; give one of the two its own name$/);
  });
});
