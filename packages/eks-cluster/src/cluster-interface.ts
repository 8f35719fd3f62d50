import { IConstruct } from 'constructs';
import { AccessEntry, AccessEntryOptions } from './access-entry';
import { ServiceAccountOptions, ServiceAccountRole } from './service-account';

/** An EKS cluster, created here or imported. */
export interface ICluster extends IConstruct {
  /** Name of the cluster (a literal). */
  readonly clusterName: string;
  /** ARN of the cluster. */
  readonly clusterArn: string;
  /** URL of the Kubernetes API server. */
  readonly clusterEndpoint: string;
  /** Base64 certificate authority data of the API server. */
  readonly clusterCertificateAuthorityData: string;
  /** ID of the security group EKS created for the control plane and nodes (tagged for Karpenter discovery). */
  readonly clusterSecurityGroupId: string;
  /** The cluster's AWS account (12 digits, a literal). */
  readonly account: string;
  /** The cluster's region (a literal). */
  readonly region: string;
  /** Subnets the cluster, its Fargate pods and its nodes use. */
  readonly privateSubnetIds: string[];

  /**
   * An IAM role for the Kubernetes service account `namespace/name` (IRSA): its trust pins
   * `sub` to exactly that service account and `aud` to `sts.amazonaws.com`.
   */
  addServiceAccount(namespace: string, name: string, options?: ServiceAccountOptions): ServiceAccountRole;

  /** Gives an IAM principal access to the cluster through an access entry. */
  addAccessEntry(id: string, options: AccessEntryOptions): AccessEntry;
}
