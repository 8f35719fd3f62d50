/**
 * IPv4 CIDR arithmetic for synth-time planning and validation. Addresses are unsigned 32-bit
 * numbers; nothing here knows about constructs.
 */

/** A parsed IPv4 CIDR block. */
export interface Cidr {
  /** First address of the block. */
  readonly network: number;
  /** Prefix length, 0–32. */
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses `a.b.c.d/n`. Returns `undefined` for anything else, including octets above 255 and a
 * block whose address has host bits set (`10.1.0.1/16`): AWS normalises those silently, which
 * hides typos.
 */
export function parseCidr(text: string): Cidr | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return undefined;
  const network = octets.reduce((address, octet) => address * 256 + octet, 0);
  if (network % blockSize(prefix) !== 0) return undefined;
  return { network, prefix };
}

/** `a.b.c.d/n` of a block. */
export function formatCidr(cidr: Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.network / 2 ** shift) % 256);
  return `${octets.join('.')}/${cidr.prefix}`;
}

/** Number of addresses in a block of the given prefix length. */
export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** Whether two blocks share any address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.network < b.network + blockSize(b.prefix) && b.network < a.network + blockSize(a.prefix);
}

/** Whether `inner` lies wholly inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix
    && inner.network >= outer.network
    && inner.network + blockSize(inner.prefix) <= outer.network + blockSize(outer.prefix);
}

/**
 * The `index`-th block of length `prefix` inside `parent`, or `undefined` when the parent has no
 * such block.
 */
export function subBlock(parent: Cidr, prefix: number, index: number): Cidr | undefined {
  if (prefix < parent.prefix || prefix > 32) return undefined;
  if (index < 0 || index >= 2 ** (prefix - parent.prefix)) return undefined;
  return { network: parent.network + index * blockSize(prefix), prefix };
}
