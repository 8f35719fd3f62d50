import { IConstruct } from 'constructs';

/**
 * The estate of Acme, a fictional organisation that adopts the libraries from npm: its own
 * prefix, accounts, region, CIDR blocks and names. Nothing here is Piksel's.
 */

/** The organisation's naming setting (`Naming` of @piksel/core). */
export const ORGANISATION = { prefix: 'acme', displayName: 'Acme' };

/** The region every stack deploys into, unless the app's context names another (`REGION_CONTEXT`). */
export const REGION = 'eu-west-1';

/** App context key naming the region to build the estate in: the test builds it in each of `ZONES`. */
export const REGION_CONTEXT = 'acme:region';

/**
 * Acme's zones in each region it builds in, as `aws ec2 describe-availability-zones` lists them
 * for its accounts; `undefined` where the libraries' own zones serve (eu-west-1). eu-central-1 and
 * ap-northeast-1 are outside the libraries' zone table, and ap-northeast-1 shows new accounts no
 * `b` zone.
 */
export const ZONES: { [region: string]: string[] | undefined } = {
  'eu-west-1': undefined,
  'eu-central-1': ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
  'ap-northeast-1': ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'],
};

/** The region the app builds the estate in: `REGION`, or the one its context names. */
export function regionOf(scope: IConstruct): string {
  const region = (scope.node.tryGetContext(REGION_CONTEXT) as string | undefined) ?? REGION;
  if (!(region in ZONES)) throw new Error(`${REGION_CONTEXT} is "${region}"; use one of ${Object.keys(ZONES).join(', ')}`);
  return region;
}

/** The first `count` of Acme's zones in the estate's region, or `undefined` for the libraries' own. */
export function zonesOf(scope: IConstruct, count: number): string[] | undefined {
  return ZONES[regionOf(scope)]?.slice(0, count);
}

/** The repository whose workflows plan and apply the estate. */
export const REPOSITORY = 'acme-corp/acme-infrastructure';

/** An AWS account and the stacks deployed into it. */
export interface Account {
  readonly name: string;
  readonly account: string;
  readonly cidrBlock: string;
}

/** The network account: the hub. */
export const HUB: Account = { name: 'hub', account: '210987654321', cidrBlock: '172.20.0.0/16' };

/** A workload account with a VPC attached to the hub and an EKS cluster. */
export interface Spoke extends Account {
  readonly routingDomain: string;
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  readonly zones: number;
  readonly natPerZone: boolean;
  readonly flowLogRetentionDays: number;
}

export const SPOKES: Spoke[] = [
  {
    name: 'test', account: '345678901234', cidrBlock: '172.21.0.0/16', routingDomain: 'nonprod',
    clusterName: 'acme-test', kubernetesVersion: '1.34', zones: 2, natPerZone: false, flowLogRetentionDays: 14,
  },
  {
    name: 'live', account: '456789012345', cidrBlock: '172.22.0.0/16', routingDomain: 'prod',
    clusterName: 'acme-live', kubernetesVersion: '1.35', zones: 3, natPerZone: true, flowLogRetentionDays: 365,
  },
];

/** Where each stack keeps its state: `acme-<account>-tfstate` (the account baseline's bucket). */
export function stateBucket(account: Account): string {
  return `${ORGANISATION.prefix}-${account.name}-tfstate`;
}

/** The role the pipeline deploys with in an account (the account baseline's deploy role). */
export function deployRoleArn(account: Account): string {
  return `arn:aws:iam::${account.account}:role/${ORGANISATION.prefix}-deploy`;
}
