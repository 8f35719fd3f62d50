import { checkDomainName, checkIamRoleArn, checkMatches, checkRegion, invalidProp, LibraryVersion } from '@piksel/core';
import { ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AddonOptions, checkAddonOptions, checkServiceAccountAnnotations } from './addon-options';
import { helmRelease, placementValues, requirePlacement } from './private/helm-addon';

/** The external-dns project's chart repository. */
const CHART_REPOSITORY = 'https://kubernetes-sigs.github.io/external-dns/';
/** The namespace a Fargate profile of each estate cluster selects. */
const DEFAULT_NAMESPACE = 'external-dns';
/** The service account the estate's IRSA role trusts. */
const DEFAULT_SERVICE_ACCOUNT = 'external-dns-sa';
/** Records of `HTTPRoute`s attached to a Gateway, and of annotated LoadBalancer Services. */
const DEFAULT_SOURCES = ['gateway-httproute', 'service'];
/** Go durations. */
const DURATION = /^([0-9]+(ms|s|m|h))+$/;
/** A public hosted zone ID. */
const ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
/** `sts:ExternalId`: 2–1224 characters of `[\w+=,.@:/-]`. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** Properties of `ExternalDns`. */
export interface ExternalDnsProps extends AddonOptions {
  /** Region of the cluster (the AWS SDK's region for STS and Route 53). */
  readonly region: string;

  /** The zone's domain; external-dns writes records under it only (`domainFilters`). */
  readonly domain: string;

  /**
   * ID of the hosted zone to write (`--zone-id-filter`): with the domain filter, a zone of the
   * same name elsewhere, or a parent zone, is never touched.
   */
  readonly zoneId: string;

  /**
   * Subdomains under `domain` that are other zones (delegated elsewhere), whose names external-dns
   * must never write (`excludeDomains`): production's `piksel.big.go.id` holds the delegation of
   * staging's `staging.piksel.big.go.id`, and a route of a staging hostname must not land in it.
   *
   * @default - none
   */
  readonly excludeDomains?: string[];

  /**
   * The role in the zone's account that external-dns assumes to write records
   * (`--aws-assume-role`), when the zone lives in another account.
   *
   * @default - the pod's own credentials write the zone
   */
  readonly assumeRoleArn?: string;

  /**
   * External ID presented when assuming `assumeRoleArn` (`--aws-assume-role-external-id`).
   *
   * @default - none
   */
  readonly assumeRoleExternalId?: string;

  /**
   * Annotations of external-dns's service account: the IRSA role annotation, or `{}` for EKS Pod
   * Identity. external-dns runs on Fargate in the estate, where only IRSA works.
   *
   * @default - none
   */
  readonly serviceAccountAnnotations?: { [key: string]: string };

  /**
   * Namespace of external-dns.
   *
   * @default 'external-dns'
   */
  readonly namespace?: string;

  /**
   * Name of the service account.
   *
   * @default 'external-dns-sa'
   */
  readonly serviceAccountName?: string;

  /**
   * Owner ID written in the TXT ownership records, so two clusters never delete each other's
   * records (`txtOwnerId`).
   *
   * @default `eks-cluster-<clusterName>`
   */
  readonly txtOwnerId?: string;

  /**
   * Kubernetes sources external-dns reads hostnames from.
   *
   * @default ['gateway-httproute', 'service']
   * @see https://kubernetes-sigs.github.io/external-dns/latest/docs/sources/about/
   */
  readonly sources?: string[];

  /**
   * How often external-dns reconciles (a Go duration).
   *
   * @default '30s'
   */
  readonly interval?: string;

  /**
   * What must be applied before external-dns starts, e.g. the Gateway API CRDs its
   * `gateway-httproute` source watches.
   *
   * @default - nothing
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * external-dns, installed with Helm, publishing the hostnames of the cluster's Gateway routes
 * to one Route 53 zone: `policy: sync` (records it owns are deleted with their routes), TXT
 * ownership records prefixed `external-dns` with the cluster's owner ID, only A, AAAA, CNAME and
 * TXT records, and only in the zone given by ID. When the zone lives in the hub account it
 * assumes the hub's DNS role for this environment with an external ID.
 *
 * @see https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/aws/
 * @see https://kubernetes-sigs.github.io/external-dns/latest/docs/sources/gateway/
 */
export class ExternalDns extends Construct {
  /** Namespace of external-dns. */
  public readonly externalDnsNamespace: string;
  /** Name of its service account. */
  public readonly serviceAccountName: string;

  constructor(scope: Construct, id: string, props: ExternalDnsProps) {
    super(scope, id);
    this.validate(props);
    const namespace = props.namespace ?? DEFAULT_NAMESPACE;
    const serviceAccountName = props.serviceAccountName ?? DEFAULT_SERVICE_ACCOUNT;
    const assumeRole = props.assumeRoleArn === undefined ? [] : [
      `--aws-assume-role=${props.assumeRoleArn}`,
      ...(props.assumeRoleExternalId === undefined ? [] : [`--aws-assume-role-external-id=${props.assumeRoleExternalId}`]),
    ];

    helmRelease(this, 'Release', {
      name: 'external-dns',
      repository: CHART_REPOSITORY,
      chart: 'external-dns',
      version: props.version,
      namespace,
      values: {
        provider: { name: 'aws' },
        env: [{ name: 'AWS_DEFAULT_REGION', value: props.region }],
        serviceAccount: { create: true, name: serviceAccountName, annotations: props.serviceAccountAnnotations ?? {} },
        sources: props.sources ?? DEFAULT_SOURCES,
        domainFilters: [props.domain],
        ...(props.excludeDomains?.length ? { excludeDomains: props.excludeDomains } : {}),
        managedRecordTypes: ['A', 'AAAA', 'CNAME'],
        extraArgs: [`--zone-id-filter=${props.zoneId}`, '--aws-zone-type=public', ...assumeRole],
        txtOwnerId: props.txtOwnerId ?? `eks-cluster-${props.clusterName}`,
        txtPrefix: 'external-dns',
        policy: 'sync',
        interval: props.interval ?? '30s',
        ...placementValues(props),
      },
      dependsOn: props.dependsOn,
    });
    requirePlacement(this, props, { description: 'external-dns', namespace });
    LibraryVersion.record(this, __dirname);

    this.externalDnsNamespace = namespace;
    this.serviceAccountName = serviceAccountName;
  }

  private validate(props: ExternalDnsProps): void {
    checkAddonOptions(this, props);
    checkRegion(this, 'region', props.region);
    checkServiceAccountAnnotations(this, 'serviceAccountAnnotations', props.serviceAccountAnnotations);
    checkDomainName(this, 'domain', props.domain);
    (props.excludeDomains ?? []).forEach((excluded, index) => {
      checkDomainName(this, `excludeDomains[${index}]`, excluded);
      if (!Token.isUnresolved(excluded) && !Token.isUnresolved(props.domain) && !excluded.endsWith(`.${props.domain}`)) {
        throw invalidProp(this, `excludeDomains[${index}]`, excluded, `give a subdomain of ${props.domain}: external-dns writes nothing outside it anyway`);
      }
    });
    checkMatches(this, 'zoneId', props.zoneId, ZONE_ID, 'give the hosted zone ID, e.g. "Z0123456789ABCDEFGHIJ" (not its name)');
    if (props.assumeRoleArn !== undefined) checkIamRoleArn(this, 'assumeRoleArn', props.assumeRoleArn);
    checkMatches(this, 'assumeRoleExternalId', props.assumeRoleExternalId, EXTERNAL_ID, 'use 2-1224 letters, digits and +=,.@:/-');
    if (props.assumeRoleExternalId !== undefined && props.assumeRoleArn === undefined) {
      throw invalidProp(this, 'assumeRoleExternalId', props.assumeRoleExternalId, 'give assumeRoleArn too: the external ID is presented when assuming it');
    }
    checkMatches(this, 'interval', props.interval, DURATION, 'use a Go duration such as "30s" or "1m"');
    for (const source of props.sources ?? []) {
      if (!Token.isUnresolved(source) && !/^[a-z][a-z0-9-]*$/.test(source)) {
        throw invalidProp(this, 'sources', source, 'use external-dns source names such as "gateway-httproute" or "service"');
      }
    }
  }
}
