import { Token } from 'cdktf';

/**
 * A Kubernetes minor version EKS runs.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 */
export class KubernetesVersion {
  /** Kubernetes 1.33. */
  public static readonly V1_33 = new KubernetesVersion('1.33');
  /** Kubernetes 1.34. */
  public static readonly V1_34 = new KubernetesVersion('1.34');
  /** Kubernetes 1.35. */
  public static readonly V1_35 = new KubernetesVersion('1.35');
  /** Kubernetes 1.36. */
  public static readonly V1_36 = new KubernetesVersion('1.36');

  /**
   * Any minor version, e.g. `KubernetesVersion.of('1.37')` for one newer than this library.
   *
   * @param version `<major>.<minor>`, e.g. `1.36`
   */
  public static of(version: string): KubernetesVersion {
    if (!Token.isUnresolved(version) && !/^1\.\d{2}$/.test(version)) {
      throw new Error(`KubernetesVersion.of: version is ${JSON.stringify(version)}; use a minor version such as "1.36"`);
    }
    return new KubernetesVersion(version);
  }

  /** The version string, e.g. `1.36`. */
  public readonly version: string;

  private constructor(version: string) {
    this.version = version;
  }
}
