import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { checkEksClusterName, checkKubernetesLabelName, checkRegion, Claims, invalidProp } from '@piksel/core';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { attachInlinePolicy, attachManagedPolicy, serviceAccountRoleName } from './private/service-account-roles';
import { ServiceAccountOptions } from './service-account';
import { IWorkloadRole, WorkloadIdentity } from './workload-identity';

/** Properties of a `PodIdentityRole`. */
export interface PodIdentityRoleProps extends ServiceAccountOptions {
  /** Name of the cluster: the association's cluster, and part of the default role name. */
  readonly clusterName: string;
  /** The cluster's AWS account (12 digits): the only account whose Pod Identity may assume the role. */
  readonly account: string;
  /** The cluster's region. */
  readonly region: string;
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Name of the service account. */
  readonly serviceAccountName: string;

  /**
   * ARN of the cluster, which the trust requires of the session (`eks-cluster-arn`). Pass the
   * cluster resource's attribute to make the association wait for the cluster.
   *
   * @default `arn:aws:eks:<region>:<account>:cluster/<clusterName>`
   */
  readonly clusterArn?: string;

  /**
   * Namespaces whose every pod runs on Fargate (a Fargate profile selects the namespace without
   * labels). A role for a service account in one of them fails: Pod Identity gives Fargate pods
   * no credentials. `Cluster.addServiceAccountIdentity` passes its profiles' namespaces.
   *
   * @default - not checked
   */
  readonly fargateNamespaces?: string[];
}

/**
 * An IAM role for one Kubernetes service account through EKS Pod Identity: the role, trusted by
 * `pods.eks.amazonaws.com` for `sts:AssumeRole` and `sts:TagSession`, and the EKS association
 * of the service account with it.
 *
 * The trust accepts only sessions of this account (`aws:SourceAccount`) whose Pod Identity
 * session tags name this cluster, namespace and service account (`aws:RequestTag/eks-cluster-arn`,
 * `kubernetes-namespace`, `kubernetes-service-account`, all `StringEquals`): another cluster or
 * service account cannot use the role, even through an association someone else creates.
 *
 * Needs the `eks-pod-identity-agent` add-on on the cluster (`Cluster` installs it). Pods on
 * Fargate get no credentials this way: use `ServiceAccountRole` (IRSA) for them.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html
 */
export class PodIdentityRole extends Construct implements IWorkloadRole {
  /** Always `WorkloadIdentity.POD_IDENTITY`. */
  public readonly identity: WorkloadIdentity;
  /** ARN of the role. */
  public readonly roleArn: string;
  /** Name of the role. */
  public readonly roleName: string;
  /** Name of the role, for grants (`@piksel/secrets` `IGrantee`). */
  public readonly granteeRoleName: string;
  /** Namespace of the service account. */
  public readonly namespace: string;
  /** Name of the service account. */
  public readonly serviceAccountName: string;
  /** `{}`: a Pod Identity service account carries no annotation. */
  public readonly serviceAccountAnnotations: { [key: string]: string };
  /** ARN of the association. */
  public readonly associationArn: string;
  private readonly role: IamRole;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    this.validate(props);
    const roleName = serviceAccountRoleName(this, props);
    this.claimAssociation(props);
    const clusterArn = props.clusterArn ?? `arn:aws:eks:${props.region}:${props.account}:cluster/${props.clusterName}`;

    this.role = new IamRole(this, 'Role', {
      name: roleName,
      description: `EKS Pod Identity role of ${props.namespace}/${props.serviceAccountName} in ${props.clusterName}`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          // AWS's Pod Identity guide scopes the trust with the session tags EKS adds to every
          // AssumeRole (an association cannot turn them off in hashicorp/aws 5.100); it documents
          // no `aws:SourceArn` for a cluster, so none is used (a wrong one denies every pod).
          Condition: {
            StringEquals: {
              'aws:SourceAccount': props.account,
              'aws:RequestTag/eks-cluster-arn': clusterArn,
              'aws:RequestTag/kubernetes-namespace': props.namespace,
              'aws:RequestTag/kubernetes-service-account': props.serviceAccountName,
            },
          },
        }],
      }),
    });
    for (const arn of props.managedPolicyArns ?? []) {
      this.addManagedPolicy(arn);
    }
    const association = new EksPodIdentityAssociation(this, 'Association', {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccountName,
      roleArn: this.role.arn,
    });

    this.identity = WorkloadIdentity.POD_IDENTITY;
    this.roleArn = this.role.arn;
    this.roleName = roleName;
    this.granteeRoleName = this.role.name;
    this.namespace = props.namespace;
    this.serviceAccountName = props.serviceAccountName;
    this.serviceAccountAnnotations = {};
    this.associationArn = association.associationArn;
  }

  /** Attaches a managed policy, keyed by its name (the part after the last `/`). */
  public addManagedPolicy(policyArn: string): void {
    attachManagedPolicy(this, this.role, policyArn);
  }

  /** Adds an inline policy document (JSON) under `name`. */
  public addInlinePolicy(name: string, policyJson: string): void {
    attachInlinePolicy(this, this.role, name, policyJson);
  }

  private validate(props: PodIdentityRoleProps): void {
    checkEksClusterName(this, 'clusterName', props.clusterName);
    checkRegion(this, 'region', props.region);
    (props.fargateNamespaces ?? []).forEach((namespace, index) => checkKubernetesLabelName(this, `fargateNamespaces[${index}]`, namespace));
    if ((props.fargateNamespaces ?? []).includes(props.namespace)) {
      throw invalidProp(this, 'namespace', props.namespace,
        'a Fargate profile runs every pod of this namespace, and EKS Pod Identity gives Fargate pods no credentials (its agent runs on EC2 nodes only); '
        + 'use WorkloadIdentity.IRSA (a ServiceAccountRole) for this service account');
    }
  }

  /** EKS takes one association per service account of a cluster: a second fails at apply. */
  private claimAssociation(props: PodIdentityRoleProps): void {
    if ([props.account, props.region, props.clusterName].some((value) => Token.isUnresolved(value))) return;
    Claims.of(this).claimValue(this, 'serviceAccountName', `@piksel/eks-cluster:${props.account}:${props.region}:${props.clusterName}:pod-identity-associations`,
      `${props.namespace}/${props.serviceAccountName}`, 'a service account has one Pod Identity association per cluster; reuse the role made the first time');
  }
}
