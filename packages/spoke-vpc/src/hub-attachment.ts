import { Ec2TransitGatewayRouteTableAssociation } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association';
import { Ec2TransitGatewayRouteTablePropagation } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-propagation';
import { Ec2TransitGatewayVpcAttachment } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment';
import { Ec2TransitGatewayVpcAttachmentAccepter } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment-accepter';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route } from '@cdktf/provider-aws/lib/route';
import { Route53VpcAssociationAuthorization } from '@cdktf/provider-aws/lib/route53-vpc-association-authorization';
import { Route53ZoneAssociation } from '@cdktf/provider-aws/lib/route53-zone-association';
import { Claim, checkAccountId, checkEnvironmentName, Claims, invalidProp, Naming } from '@piksel/core';
import { admittedAccountsGroup, HubOutputs, IVpc, spokeClaimGroup } from '@piksel/network-hub';
import { Annotations, ITerraformDependable, TerraformProvider, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { HubAttachmentOptions } from './spoke-vpc';

/** Properties of a `HubAttachment`. */
export interface HubAttachmentProps extends HubAttachmentOptions {
  /** The spoke VPC to attach. */
  readonly spoke: IVpc;
}

/**
 * A spoke VPC's attachment to the hub, both sides: the Transit Gateway VPC attachment on the
 * spoke's private subnets (spoke account); its acceptance, its association with the routing
 * domain and its propagation into the hub's `shared` table (hub account); the spoke's routes to
 * the hub CIDR; and the association of the VPC with each of the hub's private zones (authorized
 * by the hub account, made by the spoke account). Create it with `SpokeVpc.attachToHub`.
 *
 * Across accounts the hub side is applied as the spoke's hub-network role of the hub account
 * (`HubNetworkRole` of @piksel/account-baseline), which acts only on attachments carrying the
 * spoke's ownership tag: the acceptance carries it (`<prefix>:spoke = <environment>`).
 *
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-associate-vpcs-different-accounts.html
 */
export class HubAttachment extends Construct {
  /**
   * `<prefix>:spoke`: the key of the ownership tag on the hub-side acceptance, the one
   * `HubNetworkRole.spokeTagKey` of @piksel/account-baseline requires (this package does not
   * depend on that one; a test holds the two together).
   */
  public static spokeTagKey(scope: IConstruct): string {
    return `${Naming.of(scope).prefix}:spoke`;
  }

  /**
   * `arn:aws:iam::<hubAccount>:role/<prefix>-<environment>-hub-network`: the hub role the spoke's
   * deploy role applies the hub side with (`HubNetworkRole.roleNameFor` of
   * @piksel/account-baseline), which may also read the hub's state for `HubState`.
   */
  public static hubNetworkRoleArn(scope: IConstruct, hubAccount: string, environment: string): string {
    return `arn:aws:iam::${hubAccount}:role/${Naming.of(scope).name(environment, 'hub-network')}`;
  }

  /** ID of the Transit Gateway VPC attachment, `tgw-attach-…`. */
  public readonly attachmentId: string;
  /** Name of the routing domain joined. */
  public readonly domainName: string;
  /** Construct path of the hub, for messages. */
  public readonly hubPath: string;
  /** The provider of the hub side, when the hub is in another account (`hubProvider`, or the one `hubAccount` made). */
  public readonly hubProvider?: TerraformProvider;

  constructor(scope: Construct, id: string, props: HubAttachmentProps) {
    super(scope, id);
    const { hub, spoke, domain } = props;
    hub.claimSpokeCidr(this, spoke.vpcCidrBlock);
    this.checkRelations(props);
    this.checkHubSide(props);
    const hubProvider = props.hubProvider ?? this.makeHubProvider(props);
    const hubSide = hubProvider ? { provider: hubProvider } : {};
    const crossAccount = hubProvider !== undefined;
    const ownership = props.environment !== undefined ? { [HubAttachment.spokeTagKey(this)]: props.environment } : {};

    // The default route-table options are left unset: AWS refuses them on a shared Transit Gateway.
    const attachment = new Ec2TransitGatewayVpcAttachment(this, 'Resource', {
      transitGatewayId: hub.transitGatewayId,
      vpcId: spoke.vpcId,
      subnetIds: spoke.privateSubnetIds,
      dnsSupport: 'enable',
      // Named after the spoke's VPC (its environment) on both sides: the hub account lists one
      // attachment per spoke, and construct IDs (`Vpc` in every spoke stack) would all read alike.
      tags: { Name: spoke.vpcName },
    });
    const ready: ITerraformDependable = crossAccount
      ? new Ec2TransitGatewayVpcAttachmentAccepter(this, 'Accepter', {
        ...hubSide,
        transitGatewayAttachmentId: attachment.id,
        transitGatewayDefaultRouteTableAssociation: false,
        transitGatewayDefaultRouteTablePropagation: false,
        // The hub-network role tags an untagged attachment only with this spoke's ownership tag,
        // and routes or deletes only attachments that carry it.
        tags: { Name: spoke.vpcName, ...ownership },
      })
      : attachment;
    new Ec2TransitGatewayRouteTableAssociation(this, 'DomainAssociation', {
      ...hubSide,
      transitGatewayAttachmentId: attachment.id,
      transitGatewayRouteTableId: domain.routeTableId,
      dependsOn: [ready],
    });
    // The hub learns the spoke; the spoke's domain learns only the hub (see RoutingDomain).
    new Ec2TransitGatewayRouteTablePropagation(this, 'HubLearnsSpoke', {
      ...hubSide,
      transitGatewayAttachmentId: attachment.id,
      transitGatewayRouteTableId: hub.sharedRouteTableId,
      dependsOn: [ready],
    });
    spoke.privateRouteTableIds.forEach((routeTableId, index) => {
      new Route(this, `RouteToHub${zoneKey(spoke.availabilityZones[index])}`, {
        routeTableId,
        destinationCidrBlock: hub.hubCidrBlock,
        transitGatewayId: hub.transitGatewayId,
        dependsOn: [ready],
      });
    });
    for (const [zoneName, zoneId] of Object.entries(hub.privateZones)) {
      this.associateZone(zoneName, zoneId, spoke, hubProvider);
    }

    this.attachmentId = attachment.id;
    this.domainName = domain.domainName;
    this.hubPath = hub.node.path;
    this.hubProvider = hubProvider;
  }

  /**
   * The hub side's inputs: the hub's account or provider (not both), and across accounts the
   * spoke's environment, without which the hub-network role refuses every step after acceptance.
   */
  private checkHubSide(props: HubAttachmentProps): void {
    if (props.hubAccount !== undefined) checkAccountId(this, 'hubAccount', props.hubAccount);
    if (props.environment !== undefined) checkEnvironmentName(this, 'environment', props.environment);
    if (props.hubAccount !== undefined && props.hubProvider !== undefined) {
      throw invalidProp(this, 'hubAccount', props.hubAccount, `give hubAccount or hubProvider (${props.hubProvider.node.path}), not both: hubProvider replaces the provider hubAccount makes`);
    }
    if (props.environment === undefined && (props.hubAccount ?? props.hubProvider) !== undefined) {
      throw invalidProp(this, 'environment', props.environment, `give the spoke's environment name (e.g. "dev"): the hub-network role acts only on attachments tagged ${HubAttachment.spokeTagKey(this)} = <environment>, and is named for it`);
    }
  }

  /** With `hubAccount`: an aliased provider of the hub account that assumes the spoke's hub-network role. */
  private makeHubProvider(props: HubAttachmentProps): TerraformProvider | undefined {
    if (props.hubAccount === undefined || props.environment === undefined) return undefined;
    return new AwsProvider(this, 'HubProvider', {
      alias: `hub-${props.environment}`,
      region: props.spoke.region,
      allowedAccountIds: [props.hubAccount],
      assumeRole: [{
        roleArn: HubAttachment.hubNetworkRoleArn(this, props.hubAccount, props.environment),
        sessionName: Naming.of(this).name(props.environment, 'network'),
      }],
    });
  }

  /**
   * Relations with the rest of the app: the spoke's account is its own among the hub's spokes;
   * when the hub is built in the same app, it admitted this spoke's block and account (checked at
   * synth, once every stack exists); and the spoke associates with the hub's ECR endpoint zones.
   */
  private checkRelations(props: HubAttachmentProps): void {
    const { hub, spoke } = props;
    const claims = Claims.of(this);
    // A Transit Gateway attaches VPCs of its own region only: AWS would refuse the attachment at apply.
    if (hub.hubRegion !== undefined && !Token.isUnresolved(hub.hubRegion) && !Token.isUnresolved(spoke.region) && hub.hubRegion !== spoke.region) {
      throw invalidProp(this, 'spoke.region', spoke.region,
        `the hub ${hub.node.path} and its Transit Gateway are in ${hub.hubRegion}, which attaches VPCs of its own region only; build the spoke VPC ${spoke.node.path} in ${hub.hubRegion}, or peer a hub of ${spoke.region}`);
    }
    if (props.account !== undefined) {
      checkAccountId(this, 'account', props.account);
      claims.claimValue(this, 'account', `@piksel/network-hub:${hub.hubName}:attached-accounts`, props.account, 'give each spoke of a hub its own account');
    }
    this.node.addValidation({
      validate: () => {
        const admitted = claims.claimsOf(spokeClaimGroup(hub.hubName, 'admitted'));
        if (admitted.length === 0 || Token.isUnresolved(spoke.vpcCidrBlock)) return [];
        const admission = admitted.find((claim) => claim.value === spoke.vpcCidrBlock);
        if (admission === undefined) {
          return [`${this.node.path}: cidrBlock is ${JSON.stringify(spoke.vpcCidrBlock)}; the hub ${hub.hubName} admits no spoke with this block (${admitted.map((claim) => claim.value).join(', ')}); admit it with NetworkHub.admitSpoke or attach the VPC the hub admitted`];
        }
        return this.accountProblems(props.account, admission.owner, claims.claimsOf(admittedAccountsGroup(hub.hubName)));
      },
    });
    const registryZones = HubOutputs.registryZoneNames(spoke.region);
    if (!Token.isUnresolved(spoke.region) && !registryZones.every((zone) => zone in hub.privateZones)) {
      Annotations.of(this).addWarning(`the hub gives no private zones for ${registryZones.join(' and ')}: this spoke resolves ECR publicly and, without NAT, cannot pull images; pass the hub's registry zones (HubState reads them)`);
    }
  }

  /**
   * The hub shares its Transit Gateway with the account it admitted for this block (RAM); an
   * attachment from any other account finds no Transit Gateway to attach to.
   */
  private accountProblems(account: string | undefined, admissionPath: string, admittedAccounts: Claim[]): string[] {
    const admittedAccount = admittedAccounts.find((claim) => claim.owner === admissionPath)?.value;
    if (account === undefined || Token.isUnresolved(account) || admittedAccount === undefined || admittedAccount === account) return [];
    return [`${this.node.path}: account is ${JSON.stringify(account)}; the hub admitted this spoke's block for account ${JSON.stringify(admittedAccount)} (${admissionPath}), `
      + 'so the Transit Gateway is not shared with this one; attach from the admitted account, or admit this account in NetworkHub.admitSpoke'];
  }

  private associateZone(zoneName: string, zoneId: string, spoke: IVpc, hubProvider?: TerraformProvider): void {
    const scope = new Construct(this, zoneKey(zoneName));
    const authorization = hubProvider && new Route53VpcAssociationAuthorization(scope, 'Authorization', {
      provider: hubProvider,
      zoneId,
      vpcId: spoke.vpcId,
      vpcRegion: spoke.region,
    });
    new Route53ZoneAssociation(scope, 'Association', {
      zoneId,
      vpcId: spoke.vpcId,
      vpcRegion: spoke.region,
      dependsOn: authorization ? [authorization] : undefined,
    });
  }
}

/** `dkr.ecr.ap-southeast-3.amazonaws.com` → `DkrEcrApSoutheast3AmazonawsCom`: IDs keyed by name. */
function zoneKey(name: string): string {
  return name.split(/[.-]/).map((part) => part[0].toUpperCase() + part.slice(1)).join('');
}
