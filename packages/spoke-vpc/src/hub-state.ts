import { checkKebabName, checkRegion, invalidProp, Naming } from '@piksel/core';
import { HubOutputs, INetworkHub, IRoutingDomain, NetworkHub, RoutingDomain } from '@piksel/network-hub';
import { TerraformRemoteState, Token } from 'cdktf';
import { Construct } from 'constructs';

/** Properties of a `HubState`. */
export interface HubStateProps {
  /**
   * The hub stack's state, e.g. a `DataTerraformRemoteStateS3` that reads the hub's bucket with
   * a role allowed to.
   */
  readonly remoteState: TerraformRemoteState;

  /**
   * CIDR block of the hub VPC, as a literal: spoke blocks are checked against it at synth time
   * (the state's copy is known only at apply time).
   */
  readonly hubCidrBlock: string;

  /** Region of the hub: names the ECR endpoint zones, e.g. `api.ecr.ap-southeast-3.amazonaws.com`. */
  readonly region: string;

  /** The routing domain this spoke joins, e.g. `nonprod`. */
  readonly domainName: string;

  /**
   * Name of the hub's internal private zone.
   *
   * @default - `<prefix>.internal` of the naming setting (`Naming` of @piksel/core), as `NetworkHub` defaults it
   */
  readonly privateZoneName?: string;

  /**
   * Whether the hub has ECR interface endpoints (`NetworkHub` `registryEndpoints`), whose zones
   * every spoke must associate with to pull images privately.
   *
   * @default true
   */
  readonly registryEndpoints?: boolean;

  /**
   * Name of the hub, as given to `NetworkHub`.
   *
   * @default - `<prefix>-hub` of the naming setting
   */
  readonly hubName?: string;
}

/**
 * The hub as a spoke stack sees it, read in one call from the outputs the hub stack wrote
 * (`HubOutputs` of @piksel/network-hub): the Transit Gateway, the `shared` route table, the
 * route table of the spoke's routing domain and every private zone the spoke associates with —
 * the internal zone and the ECR endpoint zones.
 *
 * ```ts
 * const hubState = new DataTerraformRemoteStateS3(this, 'HubState', { bucket, key, region });
 * const { hub, domain } = new HubState(this, 'Hub', { remoteState: hubState, hubCidrBlock: '10.0.0.0/16', region, domainName: 'nonprod' });
 * vpc.attachToHub({ hub, domain, hubProvider });
 * ```
 */
export class HubState extends Construct {
  /** The hub, to attach to. */
  public readonly hub: INetworkHub;
  /** The routing domain the spoke joins. */
  public readonly domain: IRoutingDomain;

  constructor(scope: Construct, id: string, props: HubStateProps) {
    super(scope, id);
    checkRegion(this, 'region', props.region);
    checkKebabName(this, 'domainName', props.domainName, 32, 'nonprod');
    if (Token.isUnresolved(props.hubCidrBlock)) {
      throw invalidProp(this, 'hubCidrBlock', props.hubCidrBlock, 'give the hub CIDR as a literal, e.g. "10.0.0.0/16"');
    }
    const naming = Naming.of(this);
    const state = props.remoteState;
    const zoneNames = HubOutputs.privateZoneNames(props.privateZoneName ?? `${naming.prefix}.internal`, props.region, props.registryEndpoints ?? true);

    this.hub = NetworkHub.fromHubAttributes(this, 'Hub', {
      hubName: props.hubName,
      transitGatewayId: state.getString(HubOutputs.TRANSIT_GATEWAY_ID),
      hubCidrBlock: props.hubCidrBlock,
      region: props.region,
      sharedRouteTableId: state.getString(HubOutputs.SHARED_ROUTE_TABLE_ID),
      privateZones: Object.fromEntries(zoneNames.map((zone) => [zone, state.getString(HubOutputs.privateZone(zone))])),
    });
    this.domain = RoutingDomain.fromRoutingDomainAttributes(this, 'Domain', {
      domainName: props.domainName,
      routeTableId: state.getString(HubOutputs.routingDomain(props.domainName)),
    });
  }
}
