import { checkEksClusterName, LibraryVersion } from '@piksel/core';
import { INetworkHub, IRoutingDomain, Vpc, VpcProps } from '@piksel/network-hub';
import { TerraformProvider } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { HubAttachment } from './hub-attachment';

/** Properties of a `SpokeVpc`. */
export interface SpokeVpcProps extends VpcProps {
  /**
   * Name of the EKS cluster that will run in the VPC. Tags the subnets for load balancers
   * (`kubernetes.io/role/elb` public, `kubernetes.io/role/internal-elb` private) and the private
   * subnets for Karpenter (`karpenter.sh/discovery=<cluster>`): nodes go to private subnets only.
   *
   * @default - no Kubernetes tags
   */
  readonly clusterName?: string;
}

/** How a spoke attaches to the hub. */
export interface HubAttachmentOptions {
  /** The hub to attach to (`NetworkHub`, or `NetworkHub.fromHubAttributes` in a spoke stack). */
  readonly hub: INetworkHub;

  /** The routing domain to join, e.g. `nonprod` or `prod`. */
  readonly domain: IRoutingDomain;

  /**
   * The spoke's environment name (`dev`), lower-case kebab-case: the value of the ownership tag
   * `<prefix>:spoke` the hub-side acceptance carries, and the `<environment>` of the hub-network
   * role `<prefix>-<environment>-hub-network`. That role (`HubNetworkRole` of
   * @piksel/account-baseline) routes, and later deletes, only attachments with this tag.
   * Required when the hub is in another account (`hubAccount` or `hubProvider`).
   *
   * @default - none: the hub is in the spoke's account
   */
  readonly environment?: string;

  /**
   * The hub's AWS account, when it is not the spoke's. The attachment then makes its hub-side
   * provider itself: an aliased AWS provider in the spoke's region (a Transit Gateway attaches
   * VPCs of its own region only), locked to this account, that assumes the spoke's hub-network
   * role `<prefix>-<environment>-hub-network` (`HubAttachment.hubNetworkRoleArn`) with the
   * credentials the stack runs with: the spoke account's deploy role, the one principal the hub
   * baseline lets assume it.
   *
   * @default - the hub is in the spoke's account, unless `hubProvider` is given
   */
  readonly hubAccount?: string;

  /**
   * The provider for the hub account's side (acceptance, domain association and propagation,
   * private-zone authorizations), instead of the one `hubAccount` makes: an aliased AWS provider
   * of the hub's account, e.g. to set a session name or default tags. It must act as a role the
   * hub-network role's policy allows for; `hubAccount` is simpler. Giving it marks the attachment
   * as cross-account.
   *
   * @default - the provider `hubAccount` makes; without `hubAccount`, the hub is in the spoke's
   * account: the stack's default provider, nothing to accept
   */
  readonly hubProvider?: TerraformProvider;

  /**
   * The spoke's AWS account. When given, no other spoke of the hub anywhere in the app may have
   * the same account, and the hub, when it is in the same app, must have admitted it.
   *
   * @default - the account is not checked
   */
  readonly account?: string;
}

/**
 * A spoke VPC: public and private subnets per zone, NAT by strategy, an S3 gateway endpoint,
 * optional flow logs and the tags EKS and Karpenter discover subnets by. Attach it to the hub
 * with `attachToHub`.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html
 * @see https://karpenter.sh/docs/concepts/nodeclasses/#specsubnetselectorterms
 */
export class SpokeVpc extends Vpc {
  /** Name of the EKS cluster the subnets are tagged for, if any. */
  public readonly clusterName?: string;
  private attachment?: HubAttachment;

  constructor(scope: Construct, id: string, props: SpokeVpcProps) {
    super(scope, id, { ...props, ...kubernetesSubnetTags(scope, id, props) });
    LibraryVersion.record(this, __dirname);
    this.clusterName = props.clusterName;
  }

  /** The attachment to the hub, once `attachToHub` was called. */
  public get hubAttachment(): HubAttachment | undefined {
    return this.attachment;
  }

  /**
   * Attaches the VPC to the hub's Transit Gateway on its private subnets: accepts and associates
   * the attachment with `domain` and propagates it into the hub's `shared` table (hub side),
   * routes the hub's CIDR — and only that — from every private route table, and associates the
   * VPC with the hub's private zones. A VPC attaches to one hub once.
   */
  public attachToHub(options: HubAttachmentOptions): HubAttachment {
    if (this.attachment) {
      throw new Error(`${this.node.path}: attachToHub was already called (to ${this.attachment.hubPath}); a spoke attaches to one hub, once`);
    }
    this.attachment = new HubAttachment(this, 'HubAttachment', { ...options, spoke: this });
    return this.attachment;
  }
}

/** The subnet tags of `clusterName`, merged over the ones given. */
function kubernetesSubnetTags(scope: Construct, id: string, props: SpokeVpcProps): Partial<VpcProps> {
  if (props.clusterName === undefined) return {};
  // Checked before the VPC exists (its tags depend on it): the message names the path it will have.
  const at = { node: { path: `${scope.node.path}/${id}` } } as IConstruct;
  checkEksClusterName(at, 'clusterName', props.clusterName);
  return {
    publicSubnetTags: { ...props.publicSubnetTags, 'kubernetes.io/role/elb': '1' },
    privateSubnetTags: {
      ...props.privateSubnetTags,
      'kubernetes.io/role/internal-elb': '1',
      'karpenter.sh/discovery': props.clusterName,
    },
  };
}
