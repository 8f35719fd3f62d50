import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { Construct } from 'constructs';
import { checkQueueName, INTERRUPTION_RULES, interruptionQueuePolicy } from './private/karpenter-policy';

/**
 * Five minutes: Karpenter acts on an interruption within the two-minute spot warning, so older
 * messages are stale (KP-CFN `KarpenterInterruptionQueue.MessageRetentionPeriod`).
 */
const MESSAGE_RETENTION_SECONDS = 300;
/** The target ID KP-CFN gives every rule's queue target. */
const TARGET_ID = 'KarpenterInterruptionQueueTarget';

/** Properties of an `InterruptionQueue`. */
export interface InterruptionQueueProps {
  /**
   * Name of the SQS queue: Karpenter's Helm value `settings.interruptionQueue`. The EventBridge
   * rules are named `<queueName>-<event>`, so it has at most 42 characters.
   */
  readonly queueName: string;

  /**
   * Tags for the queue and the rules (the provider's default tags still apply beneath them).
   *
   * @default - none besides the provider's default tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * Karpenter's interruption queue: an SQS queue (SSE with SQS-managed keys, messages kept five
 * minutes) that EventBridge rules fill with the events after which Karpenter drains a node ahead
 * of time — AWS Health scheduled changes, spot interruption warnings, rebalance recommendations,
 * instance state changes and capacity-reservation interruption warnings. Its policy lets
 * EventBridge send and denies any request without TLS.
 *
 * Each rule's construct ID names its event kind, never its position, so adding a rule for a new
 * Karpenter release leaves the others in place. (No `IInterruptionQueue`: nothing imports a queue
 * from another stack; `Karpenter` exposes its name and ARN.)
 *
 * @see https://karpenter.sh/docs/concepts/disruption/#interruption
 * @see https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml
 */
export class InterruptionQueue extends Construct {
  /** Name of the queue (Helm value `settings.interruptionQueue`). */
  public readonly queueName: string;
  /** ARN of the queue. */
  public readonly queueArn: string;
  /** URL of the queue. */
  public readonly queueUrl: string;

  constructor(scope: Construct, id: string, props: InterruptionQueueProps) {
    super(scope, id);
    checkQueueName(this, 'queueName', props.queueName, 'pass a queueName');

    const queue = new SqsQueue(this, 'Queue', {
      name: props.queueName,
      messageRetentionSeconds: MESSAGE_RETENTION_SECONDS,
      sqsManagedSseEnabled: true,
      tags: props.tags,
    });
    new SqsQueuePolicy(this, 'Policy', { queueUrl: queue.url, policy: interruptionQueuePolicy(queue.arn) });
    for (const rule of INTERRUPTION_RULES) {
      const eventRule = new CloudwatchEventRule(this, rule.id, {
        name: `${props.queueName}-${rule.suffix}`,
        description: `Karpenter interruption handling: ${rule.detailType} to SQS ${props.queueName}`,
        eventPattern: JSON.stringify({ 'source': [rule.source], 'detail-type': [rule.detailType] }),
        tags: props.tags,
      });
      new CloudwatchEventTarget(eventRule, 'Target', { rule: eventRule.name, targetId: TARGET_ID, arn: queue.arn });
    }

    this.queueName = props.queueName;
    this.queueArn = queue.arn;
    this.queueUrl = queue.url;
  }
}
