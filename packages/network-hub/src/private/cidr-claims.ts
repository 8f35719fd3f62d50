import { IConstruct } from 'constructs';
import { Cidr, formatCidr, overlaps, parseCidr } from './cidr';
import { invalidProp } from './errors';

/**
 * The address blocks of one hub and the spokes attached to it in this app, so that a spoke
 * overlapping another fails at synth time instead of as a blackholed route.
 */
export class CidrClaims {
  private readonly claims: Array<{ owner: string; cidr: Cidr }> = [];

  /** Claims `cidrBlock` for `claimant`, failing with `field` named when it is taken. */
  public claim(claimant: IConstruct, field: string, cidrBlock: string, owner: string = claimant.node.path): void {
    const cidr = parseCidr(cidrBlock);
    if (!cidr) {
      throw invalidProp(claimant, field, cidrBlock, 'use an IPv4 CIDR block such as 10.1.0.0/16, with no host bits set');
    }
    const clash = this.claims.find((other) => overlaps(other.cidr, cidr));
    if (clash) {
      throw invalidProp(claimant, field, cidrBlock, `it overlaps ${formatCidr(clash.cidr)} of ${clash.owner}; give every VPC on one hub its own block`);
    }
    this.claims.push({ owner, cidr });
  }
}
