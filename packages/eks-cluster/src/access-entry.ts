import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { checkIamPrincipalArn, checkKubernetesLabelName, checkKubernetesObjectName, invalidProp } from '@piksel/core';
import { Construct } from 'constructs';

/**
 * What an access entry is for.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html
 */
export class AccessEntryType {
  /** A person or pipeline: gets Kubernetes permissions from access policies. */
  public static readonly STANDARD = new AccessEntryType('STANDARD');
  /** The role of self-managed Linux nodes (e.g. Karpenter's): joins nodes, takes no access policy. */
  public static readonly EC2_LINUX = new AccessEntryType('EC2_LINUX');

  private constructor(
    /** The EKS name of the type. */
    public readonly value: string,
  ) {}
}

/**
 * An EKS access policy, cluster-wide.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
 */
export class AccessPolicy {
  /** Everything, like `cluster-admin`. */
  public static readonly CLUSTER_ADMIN = new AccessPolicy('AmazonEKSClusterAdminPolicy');
  /** Most resources, without changing quotas or the namespaces themselves. */
  public static readonly ADMIN = new AccessPolicy('AmazonEKSAdminPolicy');
  /** Create and change most namespaced resources. */
  public static readonly EDIT = new AccessPolicy('AmazonEKSEditPolicy');
  /** Read most resources. */
  public static readonly VIEW = new AccessPolicy('AmazonEKSViewPolicy');
  /**
   * Read every resource, Secrets and custom resources included, and change nothing: what a
   * Terraform plan of in-cluster stacks needs (Helm keeps release state in Secrets; the Kubernetes
   * provider reads custom resources such as Karpenter's NodePools).
   */
  public static readonly ADMIN_VIEW = new AccessPolicy('AmazonEKSAdminViewPolicy');

  /** ARN of the policy. */
  public readonly policyArn: string;

  private constructor(
    /** Name of the policy. */
    public readonly policyName: string,
  ) {
    this.policyArn = `arn:aws:eks::aws:cluster-access-policy/${policyName}`;
  }
}

/** How a principal gets access to a cluster. */
export interface AccessEntryOptions {
  /** ARN of the IAM role (or user) given access. */
  readonly principalArn: string;

  /**
   * Type of the entry.
   *
   * @default AccessEntryType.STANDARD
   */
  readonly type?: AccessEntryType;

  /**
   * Access policies associated cluster-wide (only for `STANDARD` entries).
   *
   * @default - none
   */
  readonly accessPolicies?: AccessPolicy[];

  /**
   * Access policies associated in some namespaces only (only for `STANDARD` entries), e.g.
   * `AccessPolicy.ADMIN_VIEW` where Helm keeps its release records, without reading the Secrets
   * of every other namespace. A policy is either cluster-wide or namespaced, not both.
   *
   * @default - none
   */
  readonly namespacedAccessPolicies?: NamespacedAccessPolicy[];

  /**
   * Kubernetes groups the principal belongs to, for RBAC bindings of your own (a ClusterRole
   * bound to the group), beside or instead of access policies.
   *
   * @default - none
   */
  readonly kubernetesGroups?: string[];
}

/** An access policy that applies in some namespaces only. */
export interface NamespacedAccessPolicy {
  /** The policy. */
  readonly policy: AccessPolicy;
  /** The namespaces it applies in (1 or more). */
  readonly namespaces: string[];
}

/** Properties of an `AccessEntry`. */
export interface AccessEntryProps extends AccessEntryOptions {
  /** Name of the cluster, as a reference to the cluster resource so the entry waits for it. */
  readonly clusterName: string;
}

/**
 * An EKS access entry (the cluster uses access entries only, no `aws-auth` ConfigMap) and its
 * cluster-wide access-policy associations.
 */
export class AccessEntry extends Construct {
  /** ARN of the principal. */
  public readonly principalArn: string;

  constructor(scope: Construct, id: string, props: AccessEntryProps) {
    super(scope, id);
    const type = props.type ?? AccessEntryType.STANDARD;
    checkIamPrincipalArn(this, 'principalArn', props.principalArn);
    if (type !== AccessEntryType.STANDARD && (props.accessPolicies ?? []).length + (props.namespacedAccessPolicies ?? []).length > 0) {
      throw invalidProp(this, 'accessPolicies', props.accessPolicies?.map((p) => p.policyName), `a ${type.value} entry takes no access policy; leave accessPolicies out`);
    }
    this.checkNamespaced(props);
    (props.kubernetesGroups ?? []).forEach((group, index) => checkKubernetesObjectName(this, `kubernetesGroups[${index}]`, group));

    const entry = new EksAccessEntry(this, 'Resource', {
      clusterName: props.clusterName,
      principalArn: props.principalArn,
      type: type.value,
      kubernetesGroups: props.kubernetesGroups,
    });
    for (const policy of props.accessPolicies ?? []) {
      new EksAccessPolicyAssociation(this, policy.policyName, {
        clusterName: props.clusterName,
        principalArn: entry.principalArn,
        policyArn: policy.policyArn,
        accessScope: { type: 'cluster' },
      });
    }
    for (const { policy, namespaces } of props.namespacedAccessPolicies ?? []) {
      new EksAccessPolicyAssociation(this, `${policy.policyName}Namespaced`, {
        clusterName: props.clusterName,
        principalArn: entry.principalArn,
        policyArn: policy.policyArn,
        accessScope: { type: 'namespace', namespaces },
      });
    }
    this.principalArn = props.principalArn;
  }

  private checkNamespaced(props: AccessEntryProps): void {
    const clusterWide = (props.accessPolicies ?? []).map((p) => p.policyName);
    (props.namespacedAccessPolicies ?? []).forEach(({ policy, namespaces }, index) => {
      const field = `namespacedAccessPolicies[${index}]`;
      if (clusterWide.includes(policy.policyName)) {
        throw invalidProp(this, `${field}.policy`, policy.policyName, 'it is associated cluster-wide already; give it either cluster-wide or in namespaces');
      }
      if (namespaces.length === 0) {
        throw invalidProp(this, `${field}.namespaces`, namespaces, 'name at least one namespace, or give the policy cluster-wide in accessPolicies');
      }
      namespaces.forEach((namespace, n) => checkKubernetesLabelName(this, `${field}.namespaces[${n}]`, namespace));
    });
  }
}
