import { Lazy } from 'cdktf';
import { onlyResource, policyOf, resourcesOf, synth, Synthesized } from '../../secrets/test/util';
import { InterruptionQueue, InterruptionQueueProps } from '../src/interruption-queue';

const QUEUE = 'piksel-production';

function build(props: Partial<InterruptionQueueProps> = {}): Synthesized {
  return synth((stack) => new InterruptionQueue(stack, 'Queue', { queueName: QUEUE, ...props }));
}

function queueArn(out: Synthesized): string {
  return `\${aws_sqs_queue.${Object.keys(resourcesOf(out, 'aws_sqs_queue'))[0]}.arn}`;
}

/** KP-CFN v1.14: the five rules by logical name, with the rule-name suffix, source and detail-type. */
const RULES: Array<[string, string, string, string]> = [
  ['ScheduledChangeRule', 'scheduled-change', 'aws.health', 'AWS Health Event'],
  ['SpotInterruptionRule', 'spot-interruption', 'aws.ec2', 'EC2 Spot Instance Interruption Warning'],
  ['RebalanceRule', 'rebalance', 'aws.ec2', 'EC2 Instance Rebalance Recommendation'],
  ['InstanceStateChangeRule', 'state-change', 'aws.ec2', 'EC2 Instance State-change Notification'],
  ['CapacityReservationInterruptionRule', 'capacity-interruption', 'aws.ec2', 'EC2 Capacity Reservation Instance Interruption Warning'],
];

describe('InterruptionQueue', () => {
  test('keeps messages five minutes, encrypted with SQS-managed keys', () => {
    expect(onlyResource(build(), 'aws_sqs_queue')).toEqual({ name: QUEUE, message_retention_seconds: 300, sqs_managed_sse_enabled: true });
  });

  test('lets EventBridge and SQS send, and denies every request without TLS', () => {
    const out = build();
    const policy = onlyResource(out, 'aws_sqs_queue_policy');
    expect(policy.queue_url).toBe(`\${aws_sqs_queue.${Object.keys(resourcesOf(out, 'aws_sqs_queue'))[0]}.url}`);
    expect(policyOf(policy)).toEqual({
      Version: '2012-10-17',
      Id: 'EC2InterruptionPolicy',
      Statement: [
        {
          Sid: 'AllowEventBridgeSendMessage',
          Effect: 'Allow',
          Principal: { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] },
          Action: 'sqs:SendMessage',
          Resource: queueArn(out),
        },
        { Sid: 'DenyHTTP', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: queueArn(out), Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    });
  });

  test.each(RULES)('sends %s events to the queue', (id, suffix, source, detailType) => {
    const out = build();
    const [address, rule] = Object.entries(resourcesOf(out, 'aws_cloudwatch_event_rule')).find(([key]) => key.startsWith(`Queue_${id}_`))!;
    expect(rule.name).toBe(`${QUEUE}-${suffix}`);
    expect(JSON.parse(rule.event_pattern)).toEqual({ 'source': [source], 'detail-type': [detailType] });
    const targets = Object.values(resourcesOf(out, 'aws_cloudwatch_event_target')).filter((target) => target.rule === `\${aws_cloudwatch_event_rule.${address}.name}`);
    expect(targets).toEqual([{ rule: `\${aws_cloudwatch_event_rule.${address}.name}`, target_id: 'KarpenterInterruptionQueueTarget', arn: queueArn(out) }]);
  });

  test('makes exactly the five rules of Karpenter 1.14', () => {
    const out = build();
    expect(Object.keys(resourcesOf(out, 'aws_cloudwatch_event_rule'))).toHaveLength(RULES.length);
    expect(Object.keys(resourcesOf(out, 'aws_cloudwatch_event_target'))).toHaveLength(RULES.length);
  });

  test('keeps every rule name within 64 characters for the longest queue name allowed', () => {
    const longest = 'q'.repeat(42);
    for (const rule of Object.values(resourcesOf(build({ queueName: longest }), 'aws_cloudwatch_event_rule'))) {
      expect(rule.name.length).toBeLessThanOrEqual(64);
    }
  });

  test('tags the queue and the rules', () => {
    const tags = { Service: 'karpenter' };
    const out = build({ tags });
    expect(onlyResource(out, 'aws_sqs_queue').tags).toEqual(tags);
    expect(Object.values(resourcesOf(out, 'aws_cloudwatch_event_rule')).map((rule) => rule.tags)).toEqual(RULES.map(() => tags));
  });

  test('fails when the queue name is too long for the rule names', () => {
    expect(() => build({ queueName: 'q'.repeat(43) })).toThrow(/Queue: queueName is "q{43}"; the EventBridge rule names .* at most 42 characters/);
  });

  test('fails when the queue name is not an SQS queue name', () => {
    expect(() => build({ queueName: 'karpenter.fifo' })).toThrow(/queueName is "karpenter.fifo"; use an SQS queue name \(the name, not its ARN or URL\): 1-80/);
    expect(() => build({ queueName: 'q'.repeat(81) })).toThrow(/use an SQS queue name .*: 1-80/);
    expect(() => build({ queueName: '' })).toThrow(/use an SQS queue name .*: 1-80/);
  });

  test('fails when the queue name is not a literal', () => {
    expect(() => build({ queueName: Lazy.stringValue({ produce: () => QUEUE }) })).toThrow(/queueName is .*; give the queue name as a literal/);
  });
});
