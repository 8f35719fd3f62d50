import { Release } from '@cdktf/provider-helm/lib/release';
import { Placements, PodPlacement } from '@piksel/core';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AddonOptions, renderTolerations } from '../addon-options';

/** Pods start on nodes Karpenter launches for them first: allow 10 minutes. */
const RELEASE_TIMEOUT_SECONDS = 600;

/** One chart of an add-on. */
export interface ChartSpec {
  /** Release name. */
  readonly name: string;
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
  readonly namespace: string;
  /** Values, built from typed props; written as one JSON document. */
  readonly values: { [key: string]: unknown };
  /** Whether this release creates its namespace (the first release into it). */
  readonly createNamespace?: boolean;
  /** Whether Helm skips the chart's `crds/` directory (a separate CRD release owns them). */
  readonly skipCrds?: boolean;
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * An add-on's Helm release, atomic (a failed install or upgrade rolls back) and waited for, so
 * whatever depends on it starts after its pods are ready.
 */
export function helmRelease(scope: Construct, id: string, spec: ChartSpec): Release {
  return new Release(scope, id, {
    name: spec.name,
    repository: spec.repository,
    chart: spec.chart,
    version: spec.version,
    namespace: spec.namespace,
    createNamespace: spec.createNamespace ?? true,
    skipCrds: spec.skipCrds,
    atomic: true,
    wait: true,
    timeout: RELEASE_TIMEOUT_SECONDS,
    values: [JSON.stringify(spec.values)],
    dependsOn: spec.dependsOn,
  });
}

/** The pod placement of `options` (selector and tolerations) as chart values take it. */
export function placementValues(options: AddonOptions): { nodeSelector?: { [key: string]: string }; tolerations?: Array<{ [key: string]: string }> } {
  return {
    ...(options.nodeSelector === undefined ? {} : { nodeSelector: options.nodeSelector }),
    ...(options.tolerations === undefined ? {} : { tolerations: renderTolerations(options.tolerations) }),
  };
}

/** Requires that the add-on's pods in `namespace` fit a NodePool or Fargate profile of its cluster. */
export function requirePlacement(scope: Construct, options: AddonOptions, placement: Omit<PodPlacement, 'nodeSelector' | 'tolerations'> & Partial<PodPlacement>): void {
  Placements.of(scope).require(scope, 'nodeSelector', options.clusterName, {
    nodeSelector: options.nodeSelector,
    tolerations: options.tolerations,
    ...placement,
  });
}
