import { blockSize, Cidr } from './cidr';

/** The whole IPv4 space, in addresses: what `0.0.0.0/0` covers. */
export const IPV4_ADDRESSES = 2 ** 32;

/**
 * How many distinct addresses the blocks cover together: overlapping blocks count once, so a list
 * is judged by the addresses it admits, not by how it is spelled (`0.0.0.0/1` and `128.0.0.0/1`
 * cover all of IPv4, as `0.0.0.0/0` does).
 */
export function addressesCovered(cidrs: Cidr[]): number {
  const ranges = cidrs
    .map((cidr) => [cidr.network, cidr.network + blockSize(cidr.prefix)] as const)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let end = 0;
  for (const [start, stop] of ranges) {
    if (stop <= end) continue;
    covered += stop - Math.max(start, end);
    end = stop;
  }
  return covered;
}
