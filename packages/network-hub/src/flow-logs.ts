import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { checkLogRetentionDays, Naming } from '@piksel/core';
import { Construct } from 'constructs';


/** 90 days: long enough to investigate an incident reported a month late. */
const DEFAULT_RETENTION_DAYS = 90;

/** Properties of `FlowLogs`. */
export interface FlowLogsProps {
  /** ID of the VPC to record. */
  readonly vpcId: string;

  /** Name of the VPC; names the log group `/<prefix>/vpc/<name>/flow-logs` (`Naming` of @piksel/core) and the role `<name>-flow-logs`. */
  readonly name: string;

  /**
   * Days CloudWatch keeps the records; one of the periods CloudWatch accepts.
   *
   * @default 90
   */
  readonly retentionDays?: number;

  /**
   * Tags on every resource.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/**
 * VPC flow logs of all traffic into a CloudWatch log group with a retention period, written by a
 * role that only the flow-logs service can assume and that can only write to that group.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html
 */
export class FlowLogs extends Construct {
  /** Name of the log group. */
  public readonly logGroupName: string;
  /** Days the records are kept. */
  public readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? DEFAULT_RETENTION_DAYS;
    checkLogRetentionDays(this, 'flowLogRetentionDays', retentionDays);
    const logGroupName = `/${Naming.of(this).prefix}/vpc/${props.name}/flow-logs`;

    const group = new CloudwatchLogGroup(this, 'LogGroup', { name: logGroupName, retentionInDays: retentionDays, tags: props.tags });
    const role = new IamRole(this, 'Role', {
      name: `${props.name}-flow-logs`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
      tags: props.tags,
    });
    // The actions the flow-logs service needs to publish to CloudWatch (see @see above).
    new IamRolePolicy(this, 'WritePolicy', {
      role: role.name,
      name: 'write-flow-logs',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams'],
          Resource: [group.arn, `${group.arn}:*`],
        }],
      }),
    });
    new FlowLog(this, 'Resource', {
      vpcId: props.vpcId,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: group.arn,
      iamRoleArn: role.arn,
      tags: props.tags,
    });

    this.logGroupName = logGroupName;
    this.retentionDays = retentionDays;
  }
}
