import { Release } from '@cdktf/provider-helm/lib/release';
import { checkKubernetesObjectName, checkMatches, checkChartVersion, invalidProp, LibraryVersion } from '@piksel/core';
import { dependable, ITerraformDependable, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';

/** flux2 chart 2.18.3 (Flux 2.8.5), tag `flux2-2.18.3` of fluxcd-community/helm-charts. */
const DEFAULT_VERSION = '2.18.3';
/** flux2-sync chart 1.14.5 (Flux 2.8.5), from the same repository. */
const DEFAULT_SYNC_VERSION = '1.14.5';
const CHART_REPOSITORY = 'https://fluxcd-community.github.io/helm-charts';
/** The namespace `flux bootstrap` uses, and the one the cluster's Fargate profile selects. */
const NAMESPACE = 'flux-system';
/** Named like `flux bootstrap`'s objects, so GitRepository and Kustomization are `flux-system`. */
const SYNC_RELEASE_NAME = 'flux-system';
/** The trunk of `piksel-gitops` (the chart's own default, `master`, is not ours). */
const DEFAULT_BRANCH = 'main';
/** Five minutes: the flux2-sync chart's default for both the source and the Kustomization. */
const DEFAULT_INTERVAL = '5m';
/** The name `GitOpsValues` gives its ConfigMap by default. */
const DEFAULT_SUBSTITUTE_FROM = 'cluster-values';
/** Fargate schedules each pod on a fresh micro-VM; allow 10 minutes for the controllers. */
const RELEASE_TIMEOUT_SECONDS = 600;

/** Flux clones over HTTPS or SSH (scp-like `git@host:path` is not accepted). */
const GIT_URL = /^(https|ssh):\/\/[^\s/]+\/\S+$/;
/** Go durations as Flux accepts them (`1m`, `1h30m`, `30s`). */
const FLUX_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
/** A Git branch: no spaces, `..`, `~^:?*[\` or leading `-`. */
const BRANCH = /^(?!-)(?!.*\.\.)[^\s~^:?*[\\]+$/;

/** A Flux installation that syncs one path of a Git repository. */
export interface IFluxRelease extends IConstruct {
  /** Namespace of Flux's controllers and sync objects, `flux-system`. */
  readonly fluxNamespace: string;

  /** Name of the ConfigMap whose keys the sync's Kustomization substitutes. */
  readonly substituteFrom: string;

  /** The release of Flux's controllers and CRDs; it also creates the namespace. */
  readonly controllersRelease: ITerraformDependable;

  /**
   * Makes the sync (the GitRepository and Kustomization) wait for `dependency`, e.g. the
   * ConfigMap its Kustomization substitutes from.
   */
  syncAfter(dependency: ITerraformDependable): void;
}

/** Properties of a `FluxRelease`. */
export interface FluxReleaseProps {
  /**
   * URL of the Git repository, `https://...` or `ssh://git@host/...`.
   *
   * @see https://fluxcd.io/flux/components/source/gitrepositories/#url
   */
  readonly gitRepositoryUrl: string;

  /**
   * Directory of the repository to apply, relative to its root, e.g. `clusters/dev`.
   *
   * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#path
   */
  readonly path: string;

  /**
   * Branch to follow.
   *
   * @default 'main'
   */
  readonly branch?: string;

  /**
   * How often Flux fetches the repository and re-applies the path (a Go duration).
   *
   * @default '5m'
   */
  readonly interval?: string;

  /**
   * Secret in `flux-system` with the Git credentials: `username`/`password` for HTTPS, or
   * `identity`, `identity.pub` and `known_hosts` for SSH. Required for `ssh://` URLs.
   *
   * @default - no credentials (a public HTTPS repository)
   * @see https://fluxcd.io/flux/components/source/gitrepositories/#secret-reference
   */
  readonly secretRefName?: string;

  /**
   * ConfigMap in `flux-system` whose keys the Kustomization substitutes (`${clusterName}`)
   * after building; see `GitOpsValues`.
   *
   * @default 'cluster-values'
   * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#post-build-variable-substitution
   */
  readonly substituteFrom?: string;

  /**
   * Version of the flux2 chart (controllers and CRDs).
   *
   * @default '2.18.3'
   */
  readonly version?: string;

  /**
   * Version of the flux2-sync chart (GitRepository and Kustomization).
   *
   * @default '1.14.5'
   */
  readonly syncVersion?: string;
}

/**
 * Flux, installed with Helm: the `flux2` chart (controllers and CRDs, namespace `flux-system`,
 * created by the release), then the `flux2-sync` chart, which makes a GitRepository and a
 * Kustomization named `flux-system` that apply `path` of the repository with pruning and
 * post-build substitution from a ConfigMap.
 *
 * The sync objects are Flux custom resources, but Helm resolves their kinds at apply time, so
 * the first plan of a fresh cluster succeeds where `kubernetes_manifest` would fail; the sync
 * release depends on the controllers release, which installs the CRDs.
 *
 * @see https://github.com/fluxcd-community/helm-charts
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/
 */
export class FluxRelease extends Construct implements IFluxRelease {
  public readonly fluxNamespace: string;
  public readonly substituteFrom: string;
  public readonly controllersRelease: ITerraformDependable;
  private readonly syncRelease: Release;

  constructor(scope: Construct, id: string, props: FluxReleaseProps) {
    super(scope, id);
    this.validate(props);
    const substituteFrom = props.substituteFrom ?? DEFAULT_SUBSTITUTE_FROM;
    const interval = props.interval ?? DEFAULT_INTERVAL;

    const controllers = new Release(this, 'Controllers', {
      name: 'flux2',
      repository: CHART_REPOSITORY,
      chart: 'flux2',
      version: props.version ?? DEFAULT_VERSION,
      namespace: NAMESPACE,
      createNamespace: true,
      atomic: true,
      wait: true,
      timeout: RELEASE_TIMEOUT_SECONDS,
    });
    this.syncRelease = new Release(this, 'Sync', {
      name: SYNC_RELEASE_NAME,
      repository: CHART_REPOSITORY,
      chart: 'flux2-sync',
      version: props.syncVersion ?? DEFAULT_SYNC_VERSION,
      namespace: NAMESPACE,
      atomic: true,
      wait: true,
      values: [JSON.stringify({
        gitRepository: {
          spec: {
            url: props.gitRepositoryUrl,
            ref: { branch: props.branch ?? DEFAULT_BRANCH },
            interval,
            secretRef: props.secretRefName === undefined ? {} : { name: props.secretRefName },
          },
        },
        kustomization: {
          spec: {
            path: props.path,
            prune: true,
            interval,
            postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: substituteFrom }] },
          },
        },
      })],
      dependsOn: [controllers],
    });
    LibraryVersion.record(this, __dirname);

    this.fluxNamespace = NAMESPACE;
    this.substituteFrom = substituteFrom;
    this.controllersRelease = controllers;
  }

  public syncAfter(dependency: ITerraformDependable): void {
    this.syncRelease.dependsOn = [...(this.syncRelease.dependsOn ?? []), dependable(dependency)];
  }

  private validate(props: FluxReleaseProps): void {
    const url = props.gitRepositoryUrl;
    checkMatches(this, 'gitRepositoryUrl', url, GIT_URL, 'use https://host/owner/repo or ssh://git@host/owner/repo (not git@host:owner/repo)');
    if (!Token.isUnresolved(url) && url.startsWith('ssh://') && props.secretRefName === undefined) {
      throw invalidProp(this, 'secretRefName', undefined, 'an ssh:// repository needs a Secret with identity, identity.pub and known_hosts; name it here');
    }
    this.validatePath(props.path);
    checkMatches(this, 'branch', props.branch, BRANCH, 'give a Git branch name such as "main"');
    checkMatches(this, 'interval', props.interval, FLUX_DURATION, 'use a Go duration such as "5m" or "1h"');
    if (props.secretRefName !== undefined) checkKubernetesObjectName(this, 'secretRefName', props.secretRefName);
    if (props.substituteFrom !== undefined) checkKubernetesObjectName(this, 'substituteFrom', props.substituteFrom);
    if (props.version !== undefined) checkChartVersion(this, 'version', props.version);
    if (props.syncVersion !== undefined) checkChartVersion(this, 'syncVersion', props.syncVersion);
  }

  private validatePath(path: string): void {
    if (Token.isUnresolved(path)) {
      return;
    }
    if (path.trim() === '' || path.startsWith('/')) {
      throw invalidProp(this, 'path', path, 'give a directory relative to the repository root, e.g. "clusters/dev"');
    }
    if (path.split('/').includes('..')) {
      throw invalidProp(this, 'path', path, 'remove ".." segments: the path must stay inside the repository');
    }
    if (/\s/.test(path)) {
      throw invalidProp(this, 'path', path, 'remove whitespace: the chart writes the path unquoted into YAML');
    }
  }
}
