import { invalidProp } from '@piksel/core';
import { Construct } from 'constructs';
import { PodIdentityRole } from './pod-identity-role';
import { ServiceAccountOptions, ServiceAccountRole } from './service-account';
import { IWorkloadRole, WorkloadIdentity } from './workload-identity';

/** Options of a service account's role when the caller chooses its kind. */
export interface ServiceAccountIdentityOptions extends ServiceAccountOptions {
  /**
   * How the service account's pods get credentials. No default: IRSA works everywhere, Pod
   * Identity is AWS's recommendation off Fargate; the estate chooses per environment.
   */
  readonly identity: WorkloadIdentity;
}

/** Properties of `WorkloadRole.forServiceAccount`: the cluster by its attributes (e.g. read from remote state). */
export interface WorkloadRoleProps extends ServiceAccountIdentityOptions {
  /** Name of the cluster. */
  readonly clusterName: string;
  /** The cluster's AWS account (12 digits). */
  readonly account: string;
  /** The cluster's region. */
  readonly region: string;
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Name of the service account. */
  readonly serviceAccountName: string;

  /**
   * ARN of the cluster's IAM OIDC provider. Required for IRSA; ignored for Pod Identity.
   *
   * @default - none (an IRSA role fails without it)
   */
  readonly oidcProviderArn?: string;

  /**
   * Issuer URL of the cluster's OIDC provider. Required for IRSA; ignored for Pod Identity.
   *
   * @default - none (an IRSA role fails without it)
   */
  readonly oidcIssuerUrl?: string;

  /**
   * Namespaces the cluster runs wholly on Fargate. A Pod Identity role in one of them fails, as in
   * `Cluster.addServiceAccountIdentity`; an imported cluster's Fargate profiles are not visible
   * here, so without this list nothing is checked.
   *
   * @default - not checked
   */
  readonly fargateNamespaces?: string[];
}

/**
 * Makes a service account's role of either kind, for a cluster known by its attributes (a stack
 * that reads the cluster from another stack's state). Within the cluster's own stack, use
 * `Cluster.addServiceAccountIdentity`, which also sees the cluster's Fargate profiles.
 *
 * Under one construct ID both kinds create the same role (same Terraform address, name and ARN):
 * switching kinds updates its trust in place and creates or destroys the association.
 */
export class WorkloadRole {
  /**
   * A `ServiceAccountRole` (IRSA) or a `PodIdentityRole`, as `props.identity` says.
   */
  public static forServiceAccount(scope: Construct, id: string, props: WorkloadRoleProps): IWorkloadRole {
    const common = {
      roleName: props.roleName,
      managedPolicyArns: props.managedPolicyArns,
      clusterName: props.clusterName,
      account: props.account,
      namespace: props.namespace,
      serviceAccountName: props.serviceAccountName,
    };
    if (props.identity === WorkloadIdentity.POD_IDENTITY) {
      return new PodIdentityRole(scope, id, { ...common, region: props.region, fargateNamespaces: props.fargateNamespaces });
    }
    if (props.oidcProviderArn === undefined || props.oidcIssuerUrl === undefined) {
      const field = props.oidcProviderArn === undefined ? 'oidcProviderArn' : 'oidcIssuerUrl';
      throw invalidProp(scope, field, undefined,
        `the IRSA role ${id} of ${props.namespace}/${props.serviceAccountName} needs the cluster's OIDC provider; give oidcProviderArn and oidcIssuerUrl, or use WorkloadIdentity.POD_IDENTITY`);
    }
    return new ServiceAccountRole(scope, id, { ...common, oidcProviderArn: props.oidcProviderArn, oidcIssuerUrl: props.oidcIssuerUrl });
  }

  private constructor() {}
}
