import { Token } from 'cdktf';

/** One row of the EKS Kubernetes version calendar. */
interface CalendarRow {
  /** `<major>.<minor>`. */
  readonly version: string;
  /** Last day of standard support (14 months after release on EKS), `YYYY-MM-DD`; unknown when not yet published. */
  readonly endOfStandardSupport?: string;
  /** Last day of extended support (12 months more), after which EKS upgrades the cluster itself. */
  readonly endOfExtendedSupport?: string;
}

/**
 * The versions EKS supports, standard or extended, as of 2026-12-07, oldest first: the "Amazon
 * EKS Kubernetes release calendar" of the version lifecycle page. 1.31 left extended support on
 * 2026-11-26 and is gone. 1.36, the estate's version, is newer than the calendar this table was
 * read from: its dates are EKS's to publish. Update the table (and the dates) like the add-on pins.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 */
const EKS_CALENDAR: CalendarRow[] = [
  { version: '1.32', endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23' },
  { version: '1.33', endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29' },
  { version: '1.34', endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02' },
  { version: '1.35', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27' },
  { version: '1.36' },
];

/** Minor numbers `of` accepts: the calendar's, and the next one (released after this library). */
const OLDEST_MINOR = minorOf(EKS_CALENDAR[0].version);
const NEWEST_MINOR = minorOf(EKS_CALENDAR[EKS_CALENDAR.length - 1].version) + 1;

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
   * Any minor version EKS supports, in standard or extended support, by this library's copy of
   * the EKS calendar (1.32 to 1.36 as of 2026-12-07), or the one after it: e.g.
   * `KubernetesVersion.of('1.37')` for a version newer than this library. Older versions (EKS
   * has upgraded such clusters itself) and versions further ahead (`1.99`) are refused.
   *
   * @param version `<major>.<minor>`, e.g. `1.36`
   */
  public static of(version: string): KubernetesVersion {
    if (Token.isUnresolved(version)) return new KubernetesVersion(version);
    if (!/^1\.\d{2}$/.test(version)) {
      throw new Error(`KubernetesVersion.of: version is ${JSON.stringify(version)}; use a minor version such as "1.36"`);
    }
    const minor = minorOf(version);
    if (minor < OLDEST_MINOR || minor > NEWEST_MINOR) {
      const oldest = EKS_CALENDAR[0];
      throw new Error(`KubernetesVersion.of: version is ${JSON.stringify(version)}; use a version EKS supports, 1.${OLDEST_MINOR} to 1.${NEWEST_MINOR} `
        + `(${oldest.version} is in extended support until ${oldest.endOfExtendedSupport}; see the EKS Kubernetes version calendar, `
        + 'https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html)');
    }
    return new KubernetesVersion(version);
  }

  /** The version string, e.g. `1.36`. */
  public readonly version: string;

  private constructor(version: string) {
    this.version = version;
  }
}

function minorOf(version: string): number {
  return Number(version.split('.')[1]);
}
