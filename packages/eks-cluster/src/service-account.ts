import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { checkIamPolicyArn, checkIamRoleNameOrDerived, checkKubernetesLabelName, checkKubernetesObjectName, invalidProp } from '@piksel/core';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';

/** Options of an IRSA role. */
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
}

/**
 * An IAM role for one Kubernetes service account (IRSA). Its trust lets only tokens of that
 * service account in that cluster assume it: `sub` is exactly
 * `system:serviceaccount:<namespace>:<name>` and `aud` exactly `sts.amazonaws.com`
 * (`StringEquals`, never `StringLike`). It is a grantee for `@piksel/secrets` grants
 * (`granteeRoleName`) and takes managed and inline policies.
 *
 * Works on Fargate, unlike EKS Pod Identity, whose agent runs as a DaemonSet on EC2 nodes only.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
 */
export class ServiceAccountRole extends Construct {
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
  private readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ServiceAccountRoleProps) {
    super(scope, id);
    checkKubernetesLabelName(this, 'namespace', props.namespace);
    checkKubernetesObjectName(this, 'serviceAccountName', props.serviceAccountName);
    (props.managedPolicyArns ?? []).forEach((arn, index) => checkIamPolicyArn(this, `managedPolicyArns[${index}]`, arn));
    const roleName = props.roleName ?? `${props.clusterName}-${props.namespace}-${props.serviceAccountName}`;
    checkIamRoleNameOrDerived(this, 'roleName', props.roleName, roleName, {
      field: 'namespace',
      value: props.namespace,
      overhead: roleName.length - props.namespace.length,
      override: 'roleName',
    });
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

    this.roleArn = this.role.arn;
    this.roleName = roleName;
    this.granteeRoleName = this.role.name;
    this.namespace = props.namespace;
    this.serviceAccountName = props.serviceAccountName;
  }

  /** Attaches a managed policy, keyed by its name (the part after the last `/`). */
  public addManagedPolicy(policyArn: string): void {
    checkIamPolicyArn(this, 'policyArn', policyArn);
    const id = `Managed${policyArn.split('/').pop()}`;
    if (this.node.tryFindChild(id)) return;
    new IamRolePolicyAttachment(this, id, { role: this.role.name, policyArn });
  }

  /** Adds an inline policy document (JSON) under `name`. */
  public addInlinePolicy(name: string, policyJson: string): void {
    if (this.node.tryFindChild(`Inline${name}`)) {
      throw invalidProp(this, 'inline policy name', name, 'each inline policy needs its own name');
    }
    new IamRolePolicy(this, `Inline${name}`, { role: this.role.name, name, policy: policyJson });
  }
}
