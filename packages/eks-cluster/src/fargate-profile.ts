import { EksFargateProfile } from '@cdktf/provider-aws/lib/eks-fargate-profile';
import { checkEksFargateProfileName, checkKubernetesLabelName, checkKubernetesLabelValue, checkKubernetesQualifiedName, Claims, invalidProp, Placements } from '@piksel/core';
import { ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';

/** Which pods a Fargate profile runs: a namespace, optionally narrowed by labels. */
export interface FargateSelector {
  /** Namespace of the pods. */
  readonly namespace: string;

  /**
   * Labels the pods must all carry.
   *
   * @default - every pod of the namespace
   */
  readonly labels?: { [key: string]: string };
}

/** Options of a Fargate profile. */
export interface FargateProfileOptions {
  /** Name of the profile, unique in the cluster: lower-case letters, digits, - and _ (1–100). */
  readonly profileName: string;

  /** The pods the profile runs (1–5 selectors). */
  readonly selectors: FargateSelector[];
}

/** Properties of a `FargateProfile`. */
export interface FargateProfileProps extends FargateProfileOptions {
  /** Name of the cluster, as a reference to the cluster resource. */
  readonly clusterName: string;
  /** ARN of the pod execution role (pulls images and writes logs for the pods). */
  readonly podExecutionRoleArn: string;
  /**
   * The pod execution role's policy attachments. The profile waits for them (`depends_on`):
   * created earlier, its pods could not pull images; destroyed later, EKS could not clean up.
   *
   * @default - none to wait for
   */
  readonly podExecutionRolePolicies?: ITerraformDependable[];
  /** Private subnets the pods run in (Fargate takes no public subnet). */
  readonly subnetIds: string[];
  /**
   * Tags on the profile.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/**
 * A Fargate profile: pods matching a selector run on Fargate, in the cluster's private subnets.
 * Create it with `Cluster.addFargateProfile`.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html
 */
export class FargateProfile extends Construct {
  /** Name of the profile. */
  public readonly profileName: string;
  /** The profile's resource, for resources that must wait for it (CoreDNS). */
  public readonly resource: EksFargateProfile;

  constructor(scope: Construct, id: string, props: FargateProfileProps) {
    super(scope, id);
    checkEksFargateProfileName(this, 'profileName', props.profileName);
    if (props.selectors.length < 1 || props.selectors.length > 5) {
      throw invalidProp(this, 'selectors', props.selectors.length, 'give 1 to 5 selectors');
    }
    for (const selector of props.selectors) {
      checkKubernetesLabelName(this, 'selectors[].namespace', selector.namespace);
      for (const [key, value] of Object.entries(selector.labels ?? {})) {
        checkKubernetesQualifiedName(this, 'selectors[].labels key', key);
        checkKubernetesLabelValue(this, `selectors[].labels.${key}`, value);
      }
    }
    const spelled = props.selectors.map(selectorKey);
    spelled.forEach((key, index) => {
      if (spelled.indexOf(key) !== index) throw invalidProp(this, `selectors[${index}]`, key, 'give each selector once');
    });
    claimFargateSelectors(this, props.clusterName, props.selectors);

    this.resource = new EksFargateProfile(this, 'Resource', {
      clusterName: props.clusterName,
      fargateProfileName: props.profileName,
      podExecutionRoleArn: props.podExecutionRoleArn,
      subnetIds: props.subnetIds,
      selector: props.selectors.map((s) => ({ namespace: s.namespace, labels: s.labels })),
      tags: props.tags,
      dependsOn: props.podExecutionRolePolicies,
    });
    registerFargateCapacity(this, props.clusterName, props.profileName, props.selectors);
    this.profileName = props.profileName;
  }
}

/**
 * Registers a profile's namespaces with `Placements`, so add-ons of the cluster, in any stack of
 * the app, are judged against them. A selector with labels runs only some pods of its namespace,
 * so only label-free ones count. A cluster name known only at apply time registers nothing:
 * `Cluster.addFargateProfile` passes its resource's name (for the dependency) and registers
 * under the literal name itself.
 */
export function registerFargateCapacity(profile: Construct, clusterName: string, profileName: string, selectors: FargateSelector[]): void {
  Placements.of(profile).addCapacity(profile, clusterName, {
    description: `Fargate profile "${profileName}"`,
    fargateNamespaces: selectors.filter((s) => Object.keys(s.labels ?? {}).length === 0).map((s) => s.namespace),
  });
}

/**
 * Claims each selector of a profile among the cluster's, app-wide (`Claims` of @piksel/core), so
 * profiles in any stack are checked against each other: the same selector twice, or one namespace
 * selected whole (without labels) by two profiles, fails naming both. EKS then runs a pod on
 * either profile, unpredictably, unless it names one (`eks.amazonaws.com/fargate-profile`).
 * A cluster name known only at apply time claims nothing.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html
 */
export function claimFargateSelectors(profile: Construct, clusterName: string, selectors: FargateSelector[]): void {
  if (Token.isUnresolved(clusterName)) return;
  const claims = Claims.of(profile);
  selectors.forEach((selector, index) => {
    claims.claimValue(profile, `selectors[${index}]`, `@piksel/eks-cluster:${clusterName}:fargate-selectors`, selectorKey(selector),
      `give the namespace to one Fargate profile of cluster "${clusterName}" (EKS would run its pods on either), or narrow one selector with labels`);
  });
}

/** `karpenter`, or `kube-system{k8s-app=kube-dns}`: one spelling per selector, labels sorted. */
function selectorKey(selector: FargateSelector): string {
  const labels = Object.entries(selector.labels ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => `${key}=${value}`);
  return labels.length === 0 ? selector.namespace : `${selector.namespace}{${labels.join(',')}}`;
}
