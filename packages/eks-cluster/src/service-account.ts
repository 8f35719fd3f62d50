import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { attachInlinePolicy, attachManagedPolicy, serviceAccountRoleName } from './private/service-account-roles';
import { IWorkloadRole, WorkloadIdentity } from './workload-identity';

/** Options of a service account's role, IRSA or Pod Identity. */
export interface ServiceAccountOptions {
  /**
   * Name of the role (IAM: at most 64 characters).
   *
   * @default `<cluster>-<namespace>-<service account>`
   */
  readonly roleName?: string;

  /**
   * AWS managed or customer policies to attach, by ARN.
   *
   * @default - none
   */
  readonly managedPolicyArns?: string[];
}

/** Properties of a `ServiceAccountRole`. */
export interface ServiceAccountRoleProps extends ServiceAccountOptions {
  /** Name of the cluster (for the default role name). */
  readonly clusterName: string;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** Issuer URL of the cluster's OIDC provider, `https://oidc.eks.<region>.amazonaws.com/id/<id>`. */
  readonly oidcIssuerUrl: string;
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Name of the service account. */
  readonly serviceAccountName: string;

  /**
   * The cluster's AWS account (12 digits). The role name is claimed in that account across the
   * app's stacks, so two roles of one name fail at synth, not at apply.
   *
   * @default - the account of the stack's AWS provider (its one allowed account); with none, the
   * role name is not claimed
   */
  readonly account?: string;
}

/**
 * An IAM role for one Kubernetes service account (IRSA). Its trust lets only tokens of that
 * service account in that cluster assume it: `sub` is exactly
 * `system:serviceaccount:<namespace>:<name>` and `aud` exactly `sts.amazonaws.com`
 * (`StringEquals`, never `StringLike`). It is a grantee for `@piksel/secrets` and
 * `@piksel/data-stores` grants (`granteeRoleName`) and takes managed and inline policies.
 *
 * Works on Fargate, unlike EKS Pod Identity (`PodIdentityRole`), whose agent runs as a DaemonSet
 * on EC2 nodes only.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
 */
export class ServiceAccountRole extends Construct implements IWorkloadRole {
  /** Always `WorkloadIdentity.IRSA`. */
  public readonly identity: WorkloadIdentity;
  /** ARN of the role: the service account's `eks.amazonaws.com/role-arn` annotation. */
  public readonly roleArn: string;
  /** Name of the role. */
  public readonly roleName: string;
  /** Name of the role, for grants (`@piksel/secrets` `IGrantee`). */
  public readonly granteeRoleName: string;
  /** Namespace of the service account. */
  public readonly namespace: string;
  /** Name of the service account. */
  public readonly serviceAccountName: string;
  /** `{ 'eks.amazonaws.com/role-arn': <role ARN> }`: what the service account must carry. */
  public readonly serviceAccountAnnotations: { [key: string]: string };
  private readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ServiceAccountRoleProps) {
    super(scope, id);
    const roleName = serviceAccountRoleName(this, props);
    const issuer = Fn.replace(props.oidcIssuerUrl, 'https://', '');

    this.role = new IamRole(this, 'Role', {
      name: roleName,
      description: `IRSA role of ${props.namespace}/${props.serviceAccountName} in ${props.clusterName}`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Federated: props.oidcProviderArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${issuer}:sub`]: `system:serviceaccount:${props.namespace}:${props.serviceAccountName}`,
              [`${issuer}:aud`]: 'sts.amazonaws.com',
            },
          },
        }],
      }),
    });
    for (const arn of props.managedPolicyArns ?? []) {
      this.addManagedPolicy(arn);
    }

    this.identity = WorkloadIdentity.IRSA;
    this.roleArn = this.role.arn;
    this.roleName = roleName;
    this.granteeRoleName = this.role.name;
    this.namespace = props.namespace;
    this.serviceAccountName = props.serviceAccountName;
    this.serviceAccountAnnotations = { 'eks.amazonaws.com/role-arn': this.roleArn };
  }

  /** Attaches a managed policy, keyed by its name (the part after the last `/`). */
  public addManagedPolicy(policyArn: string): void {
    attachManagedPolicy(this, this.role, policyArn);
  }

  /** Adds an inline policy document (JSON) under `name`. */
  public addInlinePolicy(name: string, policyJson: string): void {
    attachInlinePolicy(this, this.role, name, policyJson);
  }
}
