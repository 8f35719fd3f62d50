import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { checkAccountId, checkEksClusterName, checkIamRoleArn, checkKubernetesObjectName, checkRegion, checkSqsQueueName, invalidProp, LibraryVersion } from '@piksel/core';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { IFluxRelease } from './flux-release';

/** The ConfigMap name `FluxRelease` substitutes from by default. */
const DEFAULT_NAME = 'cluster-values';
/** Flux's namespace, when no `flux` is given. */
const DEFAULT_NAMESPACE = 'flux-system';
/**
 * Flux post-build variable names: `^[_[:alpha:]][_[:alpha:][:digit:]]*$`; one bad key fails the
 * whole Kustomization. This is a subset of ConfigMap keys (`[-._a-zA-Z0-9]+`, at most 253).
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#post-build-variable-substitution
 */
const SUBSTITUTION_KEY = /^[_a-zA-Z][_a-zA-Z0-9]{0,252}$/;

/** The values of the cluster that GitOps manifests refer to as `${key}`. */
export interface GitOpsValuesOptions {
  /** Name of the EKS cluster; key `clusterName`. */
  readonly clusterName: string;

  /** AWS region of the cluster, e.g. `ap-southeast-3`; key `region`. */
  readonly region: string;

  /** 12-digit AWS account of the cluster; key `account`. */
  readonly account: string;

  /** ARN of Karpenter's controller role; key `karpenterRoleArn`. */
  readonly karpenterRoleArn: string;

  /** Name of Karpenter's SQS interruption queue; key `interruptionQueueName`. */
  readonly interruptionQueueName: string;

  /**
   * ARN of external-dns's IRSA role; key `externalDnsRoleArn`.
   *
   * @default - key absent
   */
  readonly externalDnsRoleArn?: string;

  /**
   * ARN of external-secrets' IRSA role; key `externalSecretsRoleArn`.
   *
   * @default - key absent
   */
  readonly externalSecretsRoleArn?: string;

  /**
   * Further values, by key. Keys must be Flux variable names (letters, digits and `_`, not
   * starting with a digit) and must not repeat a key above.
   *
   * @default - none
   */
  readonly extra?: { [key: string]: string };
}

/** Properties of a `GitOpsValues`. */
export interface GitOpsValuesProps extends GitOpsValuesOptions {
  /**
   * The Flux installation that reads the ConfigMap. Given, the ConfigMap goes in Flux's
   * namespace after Flux's controllers (whose release creates the namespace), takes the name
   * Flux substitutes from, and Flux's sync waits for it.
   *
   * @default - no ordering; the namespace `flux-system` must exist
   */
  readonly flux?: IFluxRelease;

  /**
   * Name of the ConfigMap; must equal `flux.substituteFrom` when `flux` is given.
   *
   * @default - `flux.substituteFrom`, else 'cluster-values'
   */
  readonly name?: string;
}

/**
 * The ConfigMap of cluster values that GitOps needs (`cluster-values` in `flux-system`): Flux's
 * Kustomization substitutes `${clusterName}`, `${region}`, `${account}`, `${karpenterRoleArn}`,
 * `${interruptionQueueName}` (and the optional keys) in the manifests of `piksel-gitops` after
 * building them.
 *
 * The keys are a contract with the GitOps repository: renaming one breaks its manifests.
 *
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#post-build-variable-substitution
 * @see https://kubernetes.io/docs/concepts/configuration/configmap/
 */
export class GitOpsValues extends Construct {
  /** Name of the ConfigMap. */
  public readonly configMapName: string;
  /** Namespace of the ConfigMap. */
  public readonly configMapNamespace: string;
  /** The ConfigMap's data, by key. */
  public readonly data: { [key: string]: string };

  constructor(scope: Construct, id: string, props: GitOpsValuesProps) {
    super(scope, id);
    const data = this.flatten(props);
    this.validate(props, data);
    const name = props.name ?? props.flux?.substituteFrom ?? DEFAULT_NAME;
    const namespace = props.flux?.fluxNamespace ?? DEFAULT_NAMESPACE;

    const configMap = new ConfigMapV1(this, 'ConfigMap', {
      metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'terraform' } },
      data,
      dependsOn: props.flux === undefined ? undefined : [props.flux.controllersRelease],
    });
    props.flux?.syncAfter(configMap);
    LibraryVersion.record(this, __dirname);

    this.configMapName = name;
    this.configMapNamespace = namespace;
    this.data = data;
  }

  /** The typed values and `extra` as one flat string map; typed keys first. */
  private flatten(props: GitOpsValuesProps): { [key: string]: string } {
    const data: { [key: string]: string } = {
      clusterName: props.clusterName,
      region: props.region,
      account: props.account,
      karpenterRoleArn: props.karpenterRoleArn,
      interruptionQueueName: props.interruptionQueueName,
    };
    if (props.externalDnsRoleArn !== undefined) {
      data.externalDnsRoleArn = props.externalDnsRoleArn;
    }
    if (props.externalSecretsRoleArn !== undefined) {
      data.externalSecretsRoleArn = props.externalSecretsRoleArn;
    }
    for (const [key, value] of Object.entries(props.extra ?? {})) {
      if (key in data) {
        throw invalidProp(this, `extra.${key}`, value, `rename the key: "${key}" is already set from the typed property of that name`);
      }
      data[key] = value;
    }
    return data;
  }

  private validate(props: GitOpsValuesProps, data: { [key: string]: string }): void {
    for (const [key, value] of Object.entries(data)) {
      if (!SUBSTITUTION_KEY.test(key)) {
        throw invalidProp(this, 'extra', key, 'use keys of letters, digits and _ that do not start with a digit (Flux rejects any other variable name, e.g. "node_group" not "node-group")');
      }
      if (!Token.isUnresolved(value) && /[\r\n]/.test(value)) {
        throw invalidProp(this, key, value, 'remove line breaks: Flux strips them before substituting');
      }
    }
    // The cluster name is only substituted into manifests, so one known at apply time will do.
    if (!Token.isUnresolved(props.clusterName)) checkEksClusterName(this, 'clusterName', props.clusterName);
    checkRegion(this, 'region', props.region);
    checkAccountId(this, 'account', props.account);
    checkSqsQueueName(this, 'interruptionQueueName', props.interruptionQueueName);
    for (const field of ['karpenterRoleArn', 'externalDnsRoleArn', 'externalSecretsRoleArn'] as const) {
      const arn = props[field];
      if (arn !== undefined) checkIamRoleArn(this, field, arn);
    }
    if (props.name !== undefined) checkKubernetesObjectName(this, 'name', props.name);
    if (props.flux !== undefined && props.name !== undefined && props.name !== props.flux.substituteFrom) {
      throw invalidProp(this, 'name', props.name, `use "${props.flux.substituteFrom}", the ConfigMap the given Flux substitutes from, or omit it`);
    }
  }
}
