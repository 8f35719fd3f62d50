import { IConstruct } from 'constructs';
import { invalidProp } from './errors';
import { isKebabCase, isTagValue } from './patterns';

/** Properties of a `Naming`. */
export interface NamingProps {
  /**
   * The organisation's name prefix, lower-case kebab-case: `<prefix>-<env>-<thing>` names,
   * `/<prefix>/…` log groups, `<prefix>.internal`.
   *
   * @default 'piksel'
   */
  readonly prefix?: string;

  /**
   * The organisation's name as people read it, in descriptions and comments.
   *
   * @default 'Piksel'
   */
  readonly displayName?: string;

  /**
   * The team that owns what the libraries create (the `Owner` tag of secrets).
   *
   * @default - `Piksel-Devops-Team` for Piksel's naming; the display name for a configured one
   */
  readonly owner?: string;

  /**
   * Every environment name the app uses (`hub`, `dev`, `staging`, …): the closed set. Given, every
   * library's `environment` prop (secrets, read-by-tag policies, buckets, databases) outside it
   * fails, so a typo such as `prd` cannot make a second, empty environment.
   *
   * @default - any lower-case kebab-case name
   */
  readonly environments?: string[];
}

/** Context key the naming setting is stored under. */
const CONTEXT_KEY = '@piksel/core:naming';
const PREFIX = /^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/;
/** cdktf's `AnnotationMetadataEntryType.WARN`, written out: the CLI loads this module and must not load cdktf. */
const WARNING_METADATA = '@cdktf/warn';
/** The roots (apps) already warned that they never chose a naming. */
const WARNED = new WeakSet<object>();

/**
 * The one naming setting every library reads: an organisation's prefix and display name. Set it
 * once, on the app, before adding stacks:
 *
 * ```ts
 * const app = new App();
 * Naming.configure(app, { prefix: 'acme', displayName: 'Acme' });
 * ```
 *
 * Every default name a library derives (`acme-hub`, `/acme/vpc/<name>/flow-logs`,
 * `acme-dev-external-dns`, `alias/acme-dev-secrets`) then uses it. Explicit names given as props
 * always win. Without the setting, names are Piksel's.
 */
export class Naming {
  /** The prefix when none is configured. */
  public static readonly DEFAULT_PREFIX = 'piksel';
  /** The display name when none is configured. */
  public static readonly DEFAULT_DISPLAY_NAME = 'Piksel';
  /** The owning team when none is configured. */
  public static readonly DEFAULT_OWNER = 'Piksel-Devops-Team';

  /**
   * Sets the naming of `scope` and everything under it (construct context, so it must be set
   * before children are added).
   */
  public static configure(scope: IConstruct, props: NamingProps): Naming {
    const naming = new Naming(scope, props, true);
    scope.node.setContext(CONTEXT_KEY, {
      prefix: naming.prefix, displayName: naming.displayName, owner: naming.owner, environments: naming.environments,
    });
    return naming;
  }

  /**
   * Piksel's own naming, to choose explicitly: `Naming.configure(app, Naming.piksel())`.
   *
   * @param environments the app's environment names (see `NamingProps.environments`)
   */
  public static piksel(environments?: string[]): NamingProps {
    return { prefix: Naming.DEFAULT_PREFIX, displayName: Naming.DEFAULT_DISPLAY_NAME, owner: Naming.DEFAULT_OWNER, environments };
  }

  /**
   * The naming in force at `scope`: the nearest configured one, or Piksel's. Piksel's by default
   * warns once per app (on the first construct that asks), saying how to choose a naming.
   */
  public static of(scope: IConstruct): Naming {
    const setting = scope.node.tryGetContext(CONTEXT_KEY) as NamingProps | undefined;
    if (setting === undefined) warnUnconfigured(scope);
    return new Naming(scope, setting ?? {}, false);
  }

  /**
   * The app's closed set of environment names at `scope`, or `undefined` when none was configured.
   * Reads the setting without the warning of `of`.
   */
  public static environmentsOf(scope: IConstruct): string[] | undefined {
    const setting = scope.node.tryGetContext(CONTEXT_KEY) as NamingProps | undefined;
    return setting?.environments;
  }

  /** The prefix, e.g. `piksel`. */
  public readonly prefix: string;
  /** The display name, e.g. `Piksel`. */
  public readonly displayName: string;
  /** The owning team, e.g. `Piksel-Devops-Team`. */
  public readonly owner: string;

  /** The app's environment names, when configured (see `NamingProps.environments`). */
  public readonly environments?: string[];

  private constructor(scope: IConstruct, props: NamingProps, configuring: boolean) {
    if (configuring) validate(scope, props);
    const prefix = props.prefix ?? Naming.DEFAULT_PREFIX;
    this.prefix = prefix;
    const piksels = props.prefix === undefined;
    this.displayName = props.displayName ?? (piksels ? Naming.DEFAULT_DISPLAY_NAME : prefix);
    this.owner = props.owner ?? (piksels ? Naming.DEFAULT_OWNER : this.displayName);
    this.environments = props.environments === undefined ? undefined : [...props.environments];
  }

  /** `<prefix>-<part>-<part>…`: `name('dev', 'tfstate')` → `piksel-dev-tfstate`. */
  public name(...parts: string[]): string {
    return [this.prefix, ...parts].join('-');
  }
}

/**
 * Checks a naming before it is stored: the prefix makes names, the display name and owner become
 * descriptions and tag values (the `Owner` tag of secrets), the environments are names.
 */
function validate(scope: IConstruct, props: NamingProps): void {
  const { prefix, displayName, owner, environments } = props;
  if (prefix !== undefined && !PREFIX.test(prefix)) {
    throw settingError(scope, 'naming prefix', prefix, 'use 1-20 lower-case letters, digits and inner -, starting with a letter, e.g. "acme"');
  }
  const example = prefix === undefined ? Naming.DEFAULT_DISPLAY_NAME : prefix.charAt(0).toUpperCase() + prefix.slice(1);
  for (const [field, value] of [['naming displayName', displayName], ['naming owner', owner]] as const) {
    if (value !== undefined && (value.length === 0 || !isTagValue(value))) {
      throw settingError(scope, field, value, `it becomes a tag value: use 1-256 letters, digits, spaces and _ . : / = + - @, e.g. "${example}"`);
    }
  }
  (environments ?? []).forEach((environment, index) => {
    if (!isKebabCase(environment) || environment.length > 24) {
      throw settingError(scope, `naming environments[${index}]`, environment, 'use lower-case kebab-case of at most 24 characters, e.g. "staging"');
    }
    if (environments!.indexOf(environment) !== index) {
      throw settingError(scope, `naming environments[${index}]`, environment, 'name each environment once');
    }
  });
  if (environments !== undefined && environments.length === 0) {
    throw settingError(scope, 'naming environments', environments, 'name at least one environment, or leave it unset to allow any');
  }
}

/** `invalidProp`, with the app named `App` where its construct path is empty. */
function settingError(scope: IConstruct, field: string, value: unknown, fix: string): Error {
  const error = invalidProp(scope, field, value, fix);
  if (scope.node.path === '') error.message = `App${error.message}`;
  return error;
}

/** Warns once per app that no naming was chosen and Piksel's is in force. */
function warnUnconfigured(scope: IConstruct): void {
  const root = scope.node.root;
  if (WARNED.has(root)) return;
  WARNED.add(root);
  scope.node.addMetadata(WARNING_METADATA,
    `${scope.node.path}: no naming is configured, so names use Piksel's ("${Naming.DEFAULT_PREFIX}-…"); `
    + 'call Naming.configure(app, { prefix, displayName, owner }) before adding stacks, or Naming.configure(app, Naming.piksel()) to keep Piksel\'s');
}
