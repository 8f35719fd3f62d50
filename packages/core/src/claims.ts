import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { checkCidrBlock } from './checks';
import { formatCidr, overlaps } from './cidr';
import { invalidProp } from './errors';

/** One value claimed in a group. */
export interface Claim {
  /** Construct path of the claimant. */
  readonly owner: string;
  /** The value claimed, as given. */
  readonly value: string;
}

/**
 * Values that must be unique across a whole app, in whatever stack they are given: the CIDR
 * blocks of one hub's spokes, the accounts of its spokes, the names of the environments.
 *
 * One registry per construct tree (the app), so a relation between stacks — two spoke stacks
 * that each import the hub — is checked as soon as the second value is given, with the same
 * message format as a bad prop. Libraries claim their values; an app can read a group back
 * (`claimsOf`) to check relations of its own.
 */
export class Claims {
  /** The registry of the construct tree `scope` belongs to. */
  public static of(scope: IConstruct): Claims {
    const root = scope.node.root;
    let claims = REGISTRIES.get(root);
    if (!claims) {
      claims = new Claims();
      REGISTRIES.set(root, claims);
    }
    return claims;
  }

  private readonly groups = new Map<string, Array<Claim & { cidr?: { network: number; prefix: number } }>>();

  private constructor() {}

  /**
   * Claims a literal CIDR block in `group`; fails when it overlaps a block already claimed there.
   * A value known only at apply time is not claimed.
   *
   * @param group what must not overlap, e.g. `network-hub:piksel-hub:vpcs`
   * @param fix what to do about an overlap
   */
  public claimCidr(claimant: IConstruct, field: string, group: string, cidrBlock: string, fix: string): void {
    if (Token.isUnresolved(cidrBlock)) return;
    const cidr = checkCidrBlock(claimant, field, cidrBlock);
    const claims = this.group(group);
    const clash = claims.find((other) => other.cidr && overlaps(other.cidr, cidr));
    if (clash) {
      throw invalidProp(claimant, field, cidrBlock, `it overlaps ${formatCidr(clash.cidr!)} of ${clash.owner}; ${fix}`);
    }
    claims.push({ owner: claimant.node.path, value: cidrBlock, cidr });
  }

  /**
   * Claims a literal value in `group`; fails when it was already claimed there.
   * A value known only at apply time is not claimed.
   */
  public claimValue(claimant: IConstruct, field: string, group: string, value: string, fix: string): void {
    if (Token.isUnresolved(value)) return;
    const claims = this.group(group);
    const clash = claims.find((other) => other.value === value);
    if (clash) {
      throw invalidProp(claimant, field, value, `${clash.owner} has it already; ${fix}`);
    }
    claims.push({ owner: claimant.node.path, value });
  }

  /** The claims of `group`, in the order they were made. */
  public claimsOf(group: string): Claim[] {
    return this.group(group).map(({ owner, value }) => ({ owner, value }));
  }

  private group(name: string) {
    let claims = this.groups.get(name);
    if (!claims) {
      claims = [];
      this.groups.set(name, claims);
    }
    return claims;
  }
}

const REGISTRIES = new WeakMap<object, Claims>();
