import { checkIamRoleName, checkTags, LibraryVersion, Naming } from '@piksel/core';
import { Construct, IConstruct } from 'constructs';
import { checkSpokeEnvironment, hubNetworkStatements } from './private/hub-network-policy';
import { PolicyStatement } from './private/policy';
import { createPolicyRole } from './private/role';
import { IStateBucket } from './state-bucket';

/** One spoke environment of a hub: whose deploy role may work on the hub side of its attachment. */
export interface SpokeEnvironment {
  /** The spoke's environment name, lower-case kebab-case (`dev`): its hub role's name and ownership tag. */
  readonly environment: string;
  /** The spoke's AWS account. */
  readonly account: string;
  /** The Transit Gateway routing domain the spoke joins (`nonprod`), as `NetworkHub.addRoutingDomain` named it. */
  readonly routingDomain: string;
}

/** Properties of a `HubNetworkRole`. */
export interface HubNetworkRoleProps {
  /** The spoke whose hub side the role manages. */
  readonly spoke: SpokeEnvironment;

  /** Name of the role the spoke's pipeline applies with, the same in every account (`piksel-deploy`). */
  readonly spokeDeployRoleName: string;

  /** The hub's state bucket. */
  readonly stateBucket: IStateBucket;

  /** Key of the hub stack's state object, whose outputs the spoke reads (`hub/terraform.tfstate`). */
  readonly stateObjectKey: string;

  /**
   * Name of the domain every spoke propagates into.
   *
   * @default 'shared'
   */
  readonly sharedDomain?: string;

  /**
   * Tags for the role.
   *
   * @default - none besides the provider's default tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * The hub role a spoke's deploy role assumes for the hub side of its attachment, and for nothing
 * else: `<prefix>-<environment>-hub-network`, trusted only by the spoke account's deploy role.
 *
 * It may accept Transit Gateway VPC attachments (IAM has no key for the requesting account), tag an
 * untagged one with the spoke's ownership tag (`<prefix>:spoke = <environment>`, see
 * `HubNetworkRole.spokeTagKey`), and then only on attachments carrying that tag: associate them with
 * route tables tagged with the spoke's routing domain, propagate them into the `shared` table,
 * undo both, and delete them. It may create and delete Route 53 VPC association authorizations
 * (Route 53 has no condition that narrows them to the private zones), read what Terraform refreshes
 * for these, and read the hub's state object. The spoke's stack must tag its hub-side acceptance
 * with the ownership tag (e.g. through the hub provider's default tags).
 *
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-authentication-access-control.html
 */
export class HubNetworkRole extends Construct {
  /** The domain every spoke's attachment propagates into: `NetworkHub`'s `shared` (@piksel/network-hub). */
  public static readonly DEFAULT_SHARED_DOMAIN = 'shared';

  /** `<prefix>-<environment>-hub-network`: the role of `environment` in the hub account. */
  public static roleNameFor(scope: IConstruct, environment: string): string {
    return Naming.of(scope).name(environment, 'hub-network');
  }

  /** `<prefix>:spoke`: the key of the tag whose value names the spoke that owns an attachment. */
  public static spokeTagKey(scope: IConstruct): string {
    return `${Naming.of(scope).prefix}:spoke`;
  }

  /**
   * `<prefix>:routing-domain`: the tag on the hub's route tables that names their domain. It is
   * `RoutingDomain.tagKey` of @piksel/network-hub, which tags them; this package does not depend on it.
   */
  public static routingDomainTagKey(scope: IConstruct): string {
    return `${Naming.of(scope).prefix}:routing-domain`;
  }

  /** ARN of the role. */
  public readonly roleArn: string;
  /** Name of the role. */
  public readonly roleName: string;

  constructor(scope: Construct, id: string, props: HubNetworkRoleProps) {
    super(scope, id);
    const sharedDomain = props.sharedDomain ?? HubNetworkRole.DEFAULT_SHARED_DOMAIN;
    checkSpokeEnvironment(this, 'spoke', props.spoke, sharedDomain);
    checkIamRoleName(this, 'spokeDeployRoleName', props.spokeDeployRoleName);
    checkTags(this, 'tags', props.tags);
    // At most 20 + 24 + 13 characters (prefix, environment): always a valid role name.
    const roleName = HubNetworkRole.roleNameFor(this, props.spoke.environment);
    const spokeDeployRoleArn = `arn:aws:iam::${props.spoke.account}:role/${props.spokeDeployRoleName}`;

    const role = createPolicyRole(this, {
      roleName,
      description: `The hub side of ${props.spoke.environment}'s network, for ${spokeDeployRoleArn}`,
      trust: [trustSpokeDeployRole(props.spoke.account, spokeDeployRoleArn)],
      inlinePolicies: [{
        id: 'NetworkPolicy',
        name: 'hub-network',
        statements: hubNetworkStatements({
          environment: props.spoke.environment,
          spokeTagKey: HubNetworkRole.spokeTagKey(this),
          routingDomainTagKey: HubNetworkRole.routingDomainTagKey(this),
          routingDomain: props.spoke.routingDomain,
          sharedDomain,
          stateBucketArn: props.stateBucket.bucketArn,
          stateObjectKey: props.stateObjectKey,
        }),
      }],
      tags: props.tags,
    });
    LibraryVersion.record(this, __dirname);

    this.roleArn = role.arn;
    this.roleName = roleName;
  }
}

/**
 * Trust for exactly one role of the spoke account: its account is the principal, narrowed to the
 * role's ARN by `aws:PrincipalArn`, so the spoke's role need not exist when this one is created.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
function trustSpokeDeployRole(account: string, roleArn: string): PolicyStatement {
  return {
    Sid: 'SpokeDeployRole',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    Action: 'sts:AssumeRole',
    Condition: { ArnEquals: { 'aws:PrincipalArn': roleArn } },
  };
}
