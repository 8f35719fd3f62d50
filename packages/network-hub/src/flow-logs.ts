import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { checkAccountId, checkLogRetentionDays, checkRegion, Claims, Naming, stackAccount } from '@piksel/core';
import { Annotations } from 'cdktf';
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
   * The VPC's region; with `account`, it narrows the role's trust to flow logs of this account
   * and region (`aws:SourceArn`).
   */
  readonly region: string;

  /**
   * The VPC's AWS account (12 digits). The role's trust then holds only for the flow-logs
   * service acting for this account (`aws:SourceAccount`) on its own flow logs (`aws:SourceArn`
   * `arn:aws:ec2:<region>:<account>:vpc-flow-log/*`), so no other account can have the service
   * write with this role (the confused-deputy problem).
   *
   * @default - the trust names the service only, and a synth warning says so
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
   */
  readonly account?: string;

  /**
   * Tags on every resource.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/**
 * VPC flow logs of all traffic into a CloudWatch log group with a retention period, written by a
 * role that only the flow-logs service can assume (for this account's flow logs, when `account`
 * is given) and that can only write to that group. The flow log waits for the role's policy:
 * created before it, it cannot deliver until IAM has the permissions, and on destroy the policy
 * would go first.
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
    checkRegion(this, 'region', props.region);
    if (props.account !== undefined) checkAccountId(this, 'account', props.account);
    const logGroupName = `/${Naming.of(this).prefix}/vpc/${props.name}/flow-logs`;
    const account = props.account ?? stackAccount(this);
    const claims = Claims.of(this);
    if (account !== undefined) claims.claimLogGroupName(this, 'the log group', account, props.region, logGroupName);
    const roleName = `${props.name}-flow-logs`;
    claims.claimIamRole(this, 'the flow-logs role', roleName, account, 'name');

    const group = new CloudwatchLogGroup(this, 'LogGroup', { name: logGroupName, retentionInDays: retentionDays, tags: props.tags });
    const role = new IamRole(this, 'Role', {
      name: roleName,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole', ...this.sourceCondition(props) }],
      }),
      tags: props.tags,
    });
    // The actions the flow-logs service needs to publish to CloudWatch (see @see above).
    const writePolicy = new IamRolePolicy(this, 'WritePolicy', {
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
      // The role must be able to write before the first delivery, and keep it until the flow log is gone.
      dependsOn: [writePolicy],
    });

    this.logGroupName = logGroupName;
    this.retentionDays = retentionDays;
  }

  /** The confused-deputy guard of the trust, when the account is known. */
  private sourceCondition(props: FlowLogsProps): { Condition?: object } {
    if (props.account === undefined) {
      Annotations.of(this).addWarning('account is not given: the flow-logs role trusts the vpc-flow-logs service for any account; give the VPC its account to narrow the trust with aws:SourceAccount and aws:SourceArn');
      return {};
    }
    return {
      Condition: {
        StringEquals: { 'aws:SourceAccount': props.account },
        ArnLike: { 'aws:SourceArn': `arn:aws:ec2:${props.region}:${props.account}:vpc-flow-log/*` },
      },
    };
  }
}
