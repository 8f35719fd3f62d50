/**
 * The estate of Acme, a fictional organisation that adopts the libraries from npm: its own
 * prefix, accounts, region, CIDR blocks and names. Nothing here is Piksel's.
 */

/** The organisation's naming setting (`Naming` of @piksel/core). */
export const ORGANISATION = { prefix: 'acme', displayName: 'Acme' };

/** Every stack deploys into this region. */
export const REGION = 'eu-west-1';

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

/** The hub role a spoke's deploy role applies the hub side of its attachment with (the hub baseline's). */
export function hubNetworkRoleArn(spoke: Spoke): string {
  return `arn:aws:iam::${HUB.account}:role/${ORGANISATION.prefix}-${spoke.name}-hub-network`;
}

/** The role the pipeline deploys with in an account (the account baseline's deploy role). */
export function deployRoleArn(account: Account): string {
  return `arn:aws:iam::${account.account}:role/${ORGANISATION.prefix}-deploy`;
}
