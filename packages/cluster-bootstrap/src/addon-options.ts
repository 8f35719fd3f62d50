import { checkChartVersion, checkEksClusterName, checkIamRoleArn, checkKubernetesLabelName, checkKubernetesLabelValue, checkKubernetesQualifiedName, invalidProp, PodToleration } from '@piksel/core';
import { Token } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * Options every platform add-on takes: which cluster, which chart version, and where its pods run.
 *
 * The chart version has no default: the estate pins it per environment and promotes it like a
 * library version, so a new release of the library never upgrades an add-on by itself.
 */
export interface AddonOptions {
  /**
   * Name of the EKS cluster. Pods are judged against the NodePools and Fargate profiles the app
   * registers for this cluster (`Placements` in `@piksel/core`).
   */
  readonly clusterName: string;

  /** Chart version, exactly as the chart repository publishes it. */
  readonly version: string;

  /**
   * Node selector of the add-on's controller pods.
   *
   * @default - none: any node of an untainted NodePool, or Fargate where a profile selects the namespace
   */
  readonly nodeSelector?: { [key: string]: string };

  /**
   * Tolerations of the add-on's controller pods.
   *
   * @default - none
   */
  readonly tolerations?: PodToleration[];
}

/** The effects a toleration may name. */
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/**
 * Checks the options every add-on shares: the cluster name, the chart version (with the chart's
 * `v` prefix where it has one) and the node selector and tolerations.
 */
export function checkAddonOptions(scope: IConstruct, options: AddonOptions, versionPrefix: string = ''): void {
  if (!Token.isUnresolved(options.clusterName)) checkEksClusterName(scope, 'clusterName', options.clusterName);
  checkChartVersion(scope, 'version', options.version, versionPrefix);
  for (const [key, value] of Object.entries(options.nodeSelector ?? {})) {
    checkKubernetesQualifiedName(scope, 'nodeSelector', key);
    checkKubernetesLabelValue(scope, `nodeSelector.${key}`, value);
  }
  (options.tolerations ?? []).forEach((toleration, index) => checkToleration(scope, `tolerations[${index}]`, toleration));
}

/** Checks one toleration the way the API server does. */
export function checkToleration(scope: IConstruct, field: string, toleration: PodToleration): void {
  const operator = toleration.operator ?? 'Equal';
  if (operator !== 'Equal' && operator !== 'Exists') {
    throw invalidProp(scope, `${field}.operator`, operator, 'use "Equal" or "Exists"');
  }
  if (toleration.key !== undefined) checkKubernetesQualifiedName(scope, `${field}.key`, toleration.key);
  if (toleration.key === undefined && operator !== 'Exists') {
    throw invalidProp(scope, `${field}.operator`, operator, 'give a key, or use "Exists" to tolerate every taint');
  }
  if (operator === 'Exists' && toleration.value !== undefined) {
    throw invalidProp(scope, `${field}.value`, toleration.value, 'remove the value: "Exists" matches any value');
  }
  if (toleration.effect !== undefined && !EFFECTS.includes(toleration.effect)) {
    throw invalidProp(scope, `${field}.effect`, toleration.effect, `use one of ${EFFECTS.join(', ')}, or leave it out for every effect`);
  }
}

/** Checks a namespace given to an add-on. */
export function checkNamespace(scope: IConstruct, namespace: string | undefined): void {
  if (namespace !== undefined) checkKubernetesLabelName(scope, 'namespace', namespace);
}

/** The tolerations as the API spells them (absent fields left out). */
export function renderTolerations(tolerations: PodToleration[] | undefined): Array<{ [key: string]: string }> {
  return (tolerations ?? []).map((toleration) => JSON.parse(JSON.stringify(toleration)));
}

/** The annotation that gives a service account its IRSA role. */
const IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';

/**
 * Checks a service account's annotations: keys are qualified names, and the IRSA annotation holds
 * a role ARN (with EKS Pod Identity the map is empty).
 */
export function checkServiceAccountAnnotations(scope: IConstruct, field: string, annotations: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(annotations ?? {})) {
    checkKubernetesQualifiedName(scope, `${field} key`, key);
    if (key === IRSA_ANNOTATION) checkIamRoleArn(scope, `${field}.${key}`, value);
  }
}
