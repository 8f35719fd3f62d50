import { join } from 'path';
import { Environment, HUB } from '@piksel/estate';
import { readPins } from './pins';

/**
 * Relations of the estate as a whole, checked before any stack is built: the environments are the
 * estate table's known set, each named once, `pins.json` pins exactly those (plus the hub), and
 * no environment runs a version ahead of the one before it (`checkPromotionOrder`). Relations
 * between stacks (spoke CIDRs and accounts, a cluster and its VPC) are checked by the libraries
 * themselves (`Claims` of @piksel/core) as the stacks are built.
 */
export function checkEstate(environments: Environment[], appDir: string = join(__dirname, '..')): void {
  const names = environments.map((env) => env.name);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice !== undefined) {
    throw new Error(`estate: environment name is "${twice}" twice; give each environment of @piksel/estate its own name`);
  }
  if (names.includes(HUB.name)) {
    throw new Error(`estate: environment name is "${HUB.name}"; that is the hub's name, give the environment another`);
  }
  const known = [HUB.name, ...names];
  const pinned = Object.keys(readPins(appDir));
  const unknown = pinned.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(`pins.json: environment is ${JSON.stringify(unknown)}; the estate knows only ${known.join(', ')}: remove the pins or add the environment to @piksel/estate`);
  }
  const unpinned = known.filter((name) => !pinned.includes(name));
  if (unpinned.length > 0) {
    throw new Error(`pins.json: environment ${JSON.stringify(unpinned)} has no pins; pin its libraries (a version or "workspace") before it is built`);
  }
  checkPromotionOrder(environments);
}

/**
 * An environment as this check reads it. `chartVersions` is optional here so that the check reads
 * the chart pins wherever the estate has them, and compiles where it has none.
 */
type PinnedEnvironment = Environment & { readonly chartVersions?: Readonly<Record<string, string>> };

/** A field every environment pins and promotes like a library version: its values by key. */
interface PromotedField {
  readonly field: string;
  /** The pinned values, by key; one value under the key `''` for a field that is one value. */
  readonly values: (env: PinnedEnvironment) => Readonly<Record<string, string>>;
  /** Positive when `a` is newer than `b`, 0 when the same, negative when older; throws when either cannot be ordered. */
  readonly compare: (a: string, b: string) => number;
}

/** The pins that move dev → staging → production, like the library pins of `pins.json`. */
const PROMOTED_FIELDS: PromotedField[] = [
  { field: 'kubernetesVersion', values: (env) => ({ '': env.kubernetesVersion }), compare: compareKubernetesMinors },
  { field: 'nodeImage', values: (env) => ({ '': env.nodeImage }), compare: compareNodeImages },
  { field: 'addonVersions', values: (env) => env.addonVersions, compare: compareVersions },
  { field: 'chartVersions', values: (env) => env.chartVersions ?? {}, compare: compareVersions },
];

/**
 * Fails when an environment runs a Kubernetes minor, node image, add-on version or chart version
 * ahead of the environment before it in promotion order (the order of `environments`: dev, staging,
 * production), or pins an add-on or chart the one before it does not. A value may lag behind; it
 * never leads. The message names the environment, the field, both values and the step to take.
 */
export function checkPromotionOrder(environments: Environment[]): void {
  for (let i = 1; i < environments.length; i++) {
    const previous: PinnedEnvironment = environments[i - 1];
    const env: PinnedEnvironment = environments[i];
    for (const { field, values, compare } of PROMOTED_FIELDS) {
      const before = values(previous);
      for (const [key, value] of Object.entries(values(env))) {
        const path = key === '' ? field : `${field}.${key}`;
        const earlier = before[key];
        if (earlier === undefined) {
          throw new Error(`estate: ${env.name} ${path} is ${value}, and ${previous.name} pins none; promote ${value} to ${previous.name} first`);
        }
        let order: number;
        try {
          order = compare(value, earlier);
        } catch (err) {
          throw new Error(`estate: ${env.name} ${path} is ${value} and ${previous.name}'s is ${earlier}; ${(err as Error).message}`);
        }
        if (order > 0) {
          throw new Error(`estate: ${env.name} ${path} is ${value}, ahead of ${previous.name}'s ${earlier}; promote ${value} to ${previous.name} first`);
        }
      }
    }
  }
}

/** Orders Kubernetes minors, `1.34` < `1.36` < `2.0`. */
export function compareKubernetesMinors(a: string, b: string): number {
  const minor = (value: string): number[] => {
    const match = /^(\d+)\.(\d+)$/.exec(value);
    if (!match) throw new Error(`"${value}" is no Kubernetes minor; use MAJOR.MINOR, e.g. 1.36`);
    return [Number(match[1]), Number(match[2])];
  };
  return compareNumbers(minor(a), minor(b));
}

/**
 * Orders Karpenter AMI aliases of one family by release date: `al2023@v20260818` <
 * `al2023@v20260903` < `al2023@latest` (which follows every release). An image of another family
 * is ahead of the one before it: a family reaches staging before production too.
 */
export function compareNodeImages(a: string, b: string): number {
  const image = (value: string): { family: string; release: number } => {
    const match = /^([a-z0-9]+)@(?:latest|v(\d{8}))$/.exec(value);
    if (!match) throw new Error(`"${value}" is no node image alias; use <family>@v<YYYYMMDD> or <family>@latest, e.g. al2023@v20260903`);
    return { family: match[1], release: match[2] === undefined ? Number.POSITIVE_INFINITY : Number(match[2]) };
  };
  const [x, y] = [image(a), image(b)];
  if (x.family !== y.family) return 1;
  return x.release === y.release ? 0 : Math.sign(x.release - y.release);
}

/**
 * Orders versions of semantic versioning, with or without a leading `v` (`v1.21.1` = `1.21.1`):
 * by MAJOR.MINOR.PATCH, then a release above its pre-releases (`1.2.0-rc.1` < `1.2.0`). EKS add-on
 * builds (`v1.21.1-eksbuild.3`) are builds of one upstream release, ordered by build number.
 * @see https://semver.org/#spec-item-11
 */
export function compareVersions(a: string, b: string): number {
  const version = (value: string): { core: number[]; suffix?: string } => {
    const match = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(value);
    if (!match) throw new Error(`"${value}" is no version; use MAJOR.MINOR.PATCH, optionally with a leading v`);
    return { core: [Number(match[1]), Number(match[2]), Number(match[3])], suffix: match[4] };
  };
  const [x, y] = [version(a), version(b)];
  const core = compareNumbers(x.core, y.core);
  if (core !== 0 || x.suffix === y.suffix) return core;
  const eksBuild = /^eksbuild\.(\d+)$/;
  const [bx, by] = [eksBuild.exec(x.suffix ?? ''), eksBuild.exec(y.suffix ?? '')];
  if (bx && by) return Math.sign(Number(bx[1]) - Number(by[1]));
  if (x.suffix === undefined) return 1;
  if (y.suffix === undefined) return -1;
  return comparePreReleases(x.suffix.split('.'), y.suffix.split('.'));
}

/** Semantic versioning's pre-release precedence: identifier by identifier, numbers below words. */
function comparePreReleases(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [x, y] = [a[i], b[i]];
    if (x === y) continue;
    const [nx, ny] = [/^\d+$/.test(x), /^\d+$/.test(y)];
    if (nx && ny) return Math.sign(Number(x) - Number(y));
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return Math.sign(a.length - b.length);
}

/** Compares equal-length lists of numbers, first difference first. */
function compareNumbers(a: number[], b: number[]): number {
  const i = a.findIndex((n, index) => n !== b[index]);
  return i < 0 ? 0 : Math.sign(a[i] - b[i]);
}
