import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

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
}

/** Context key the naming setting is stored under. */
const CONTEXT_KEY = '@piksel/core:naming';
const PREFIX = /^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/;

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
    const naming = new Naming(scope, props);
    scope.node.setContext(CONTEXT_KEY, { prefix: naming.prefix, displayName: naming.displayName, owner: naming.owner });
    return naming;
  }

  /** The naming in force at `scope`: the nearest configured one, or Piksel's. */
  public static of(scope: IConstruct): Naming {
    const setting = scope.node.tryGetContext(CONTEXT_KEY) as NamingProps | undefined;
    return new Naming(scope, setting ?? {});
  }

  /** The prefix, e.g. `piksel`. */
  public readonly prefix: string;
  /** The display name, e.g. `Piksel`. */
  public readonly displayName: string;
  /** The owning team, e.g. `Piksel-Devops-Team`. */
  public readonly owner: string;

  private constructor(scope: IConstruct, props: NamingProps) {
    const prefix = props.prefix ?? Naming.DEFAULT_PREFIX;
    if (!PREFIX.test(prefix)) {
      throw invalidProp(scope, 'naming prefix', prefix, 'use 1-20 lower-case letters, digits and inner -, starting with a letter, e.g. "acme"');
    }
    this.prefix = prefix;
    const piksels = props.prefix === undefined;
    this.displayName = props.displayName ?? (piksels ? Naming.DEFAULT_DISPLAY_NAME : prefix);
    this.owner = props.owner ?? (piksels ? Naming.DEFAULT_OWNER : this.displayName);
  }

  /** `<prefix>-<part>-<part>…`: `name('dev', 'tfstate')` → `piksel-dev-tfstate`. */
  public name(...parts: string[]): string {
    return [this.prefix, ...parts].join('-');
  }
}
