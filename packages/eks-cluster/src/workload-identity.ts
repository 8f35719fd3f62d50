import { IConstruct } from 'constructs';

/**
 * How a Kubernetes service account's pods get AWS credentials.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/service-accounts.html#service-accounts-iam
 */
export enum WorkloadIdentity {
  /**
   * IAM roles for service accounts: the role trusts the cluster's IAM OIDC provider, and the
   * service account carries the annotation `eks.amazonaws.com/role-arn`. Works on EC2 nodes and
   * on Fargate.
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
   */
  IRSA = 'irsa',

  /**
   * EKS Pod Identity: the role trusts `pods.eks.amazonaws.com`, and an EKS association maps the
   * service account to it; the service account needs no annotation and the cluster no OIDC
   * provider. Needs the `eks-pod-identity-agent` add-on, a DaemonSet, so it gives no credentials
   * to pods on Fargate.
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html
   */
  POD_IDENTITY = 'pod-identity',
}

/**
 * The IAM role of one Kubernetes service account, whichever `WorkloadIdentity` gives it: what a
 * Helm release or a grant needs, without knowing the kind.
 *
 * It is a grantee of `@piksel/secrets` and `@piksel/data-stores` grants (`granteeRoleName`).
 */
export interface IWorkloadRole extends IConstruct {
  /** How the service account's pods get the role's credentials. */
  readonly identity: WorkloadIdentity;
  /** ARN of the role. */
  readonly roleArn: string;
  /** Name of the role (a literal when the names it derives from are). */
  readonly roleName: string;
  /** Name of the role, for grants (`IGrantee` of `@piksel/secrets` and `@piksel/data-stores`). */
  readonly granteeRoleName: string;
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Name of the service account. */
  readonly serviceAccountName: string;
  /**
   * The annotations the service account needs for this kind, to write into a chart's
   * `serviceAccount.annotations`: `{ 'eks.amazonaws.com/role-arn': <role ARN> }` for IRSA, `{}`
   * for Pod Identity (its association lives in EKS, not on the service account).
   */
  readonly serviceAccountAnnotations: { [key: string]: string };

  /** Attaches a managed policy (AWS or customer managed) by ARN; attaching one twice is a no-op. */
  addManagedPolicy(policyArn: string): void;

  /** Adds an inline policy document (JSON) under `name`, unique on the role. */
  addInlinePolicy(name: string, policyJson: string): void;
}
