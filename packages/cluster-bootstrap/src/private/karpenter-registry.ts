import { Token } from 'cdktf';
import { IConstruct } from 'constructs';

/** One registered Karpenter object: where it is and which cluster it names. */
interface Entry {
  readonly path: string;
  readonly clusterName: string;
  /** The object's name (an EC2NodeClass's). */
  readonly name?: string;
}

/**
 * The Karpenter objects of one app, by cluster: releases (`KarpenterRelease`), node classes
 * (`Ec2NodeClass`) and NodePools that name their cluster. They live in different stacks (the
 * release in the first bootstrap stack, the objects that need its CRDs in the second), so their
 * relations are checked when the app synthesizes, every stack built by then:
 *
 * - a NodePool's `nodeClassName` is an EC2NodeClass of its cluster, when the app has any
 *   EC2NodeClass (an app without one keeps its node classes elsewhere);
 * - an EC2NodeClass or NodePool has a KarpenterRelease for its cluster, and a KarpenterRelease has
 *   an EC2NodeClass for its cluster, when the app has any of the other side.
 *
 * Cluster names that are tokens are not registered.
 */
export class KarpenterRegistry {
  /** The registry of the construct tree `scope` belongs to. */
  public static of(scope: IConstruct): KarpenterRegistry {
    const root = scope.node.root;
    let registry = REGISTRIES.get(root);
    if (!registry) {
      registry = new KarpenterRegistry();
      REGISTRIES.set(root, registry);
    }
    return registry;
  }

  private readonly releases: Entry[] = [];
  private readonly nodeClasses: Entry[] = [];

  private constructor() {}

  /** Registers a release; at synth it must find an EC2NodeClass of its cluster, if the app has any. */
  public addRelease(release: IConstruct, clusterName: string): void {
    if (Token.isUnresolved(clusterName)) return;
    this.releases.push({ path: release.node.path, clusterName });
    release.node.addValidation({
      validate: () => {
        if (this.nodeClasses.length === 0 || this.nodeClasses.some((nodeClass) => nodeClass.clusterName === clusterName)) return [];
        return [`${release.node.path}: clusterName is ${JSON.stringify(clusterName)}; no EC2NodeClass of the app is for this cluster `
          + `(${describe(this.nodeClasses, 'EC2NodeClass')}), so this Karpenter would launch no node; give the release and its EC2NodeClasses and NodePools the same cluster name`];
      },
    });
  }

  /** Registers a node class; at synth it must find a KarpenterRelease of its cluster, if the app has any. */
  public addNodeClass(nodeClass: IConstruct, clusterName: string, name: string): void {
    if (Token.isUnresolved(clusterName)) return;
    this.nodeClasses.push({ path: nodeClass.node.path, clusterName, name });
    nodeClass.node.addValidation({ validate: () => this.releaseProblems(nodeClass, 'EC2NodeClass', clusterName) });
  }

  /** Registers a NodePool; at synth its node class must exist for its cluster, and a release too. */
  public addNodePool(pool: IConstruct, clusterName: string, nodeClassName: string): void {
    if (Token.isUnresolved(clusterName)) return;
    pool.node.addValidation({
      validate: () => [...this.nodeClassProblems(pool, clusterName, nodeClassName), ...this.releaseProblems(pool, 'NodePool', clusterName)],
    });
  }

  private nodeClassProblems(pool: IConstruct, clusterName: string, nodeClassName: string): string[] {
    if (this.nodeClasses.length === 0 || Token.isUnresolved(nodeClassName)) return [];
    if (this.nodeClasses.some((nodeClass) => nodeClass.clusterName === clusterName && nodeClass.name === nodeClassName)) return [];
    const ofCluster = this.nodeClasses.filter((nodeClass) => nodeClass.clusterName === clusterName);
    const elsewhere = this.nodeClasses.filter((nodeClass) => nodeClass.clusterName !== clusterName && nodeClass.name === nodeClassName);
    return [`${pool.node.path}: nodeClassName is ${JSON.stringify(nodeClassName)}; no EC2NodeClass of that name is for cluster ${JSON.stringify(clusterName)} in the app `
      + `(of this cluster: ${ofCluster.length ? ofCluster.map((nodeClass) => `"${nodeClass.name}" ${nodeClass.path}`).join(', ') : 'none'}`
      + `${elsewhere.length ? `; of that name: ${describe(elsewhere, 'EC2NodeClass')}` : ''}), so Karpenter would launch no node for this pool; `
      + `give the name of an EC2NodeClass of cluster ${JSON.stringify(clusterName)}, or add one with that name and cluster`];
  }

  private releaseProblems(scope: IConstruct, kind: string, clusterName: string): string[] {
    if (this.releases.length === 0 || this.releases.some((release) => release.clusterName === clusterName)) return [];
    return [`${scope.node.path}: clusterName is ${JSON.stringify(clusterName)}; no KarpenterRelease of the app runs for this cluster `
      + `(${describe(this.releases, 'KarpenterRelease')}), so no Karpenter reconciles this ${kind}; give the release and its EC2NodeClasses and NodePools the same cluster name`];
  }
}

/** `EC2NodeClass stack/Default for "piksel-dev"`, joined. */
function describe(entries: Entry[], kind: string): string {
  return entries.map((entry) => `${kind} ${entry.path} for ${JSON.stringify(entry.clusterName)}`).join(', ');
}

const REGISTRIES = new WeakMap<object, KarpenterRegistry>();
