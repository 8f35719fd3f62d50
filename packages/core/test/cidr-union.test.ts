import { addressesCovered, IPV4_ADDRESSES, parseCidr } from '../src';

const covered = (...cidrs: string[]) => addressesCovered(cidrs.map((cidr) => parseCidr(cidr)!));

describe('addressesCovered', () => {
  test('counts the addresses of the blocks, not their spelling', () => {
    expect(covered('0.0.0.0/0')).toBe(IPV4_ADDRESSES);
    expect(covered('0.0.0.0/1', '128.0.0.0/1')).toBe(IPV4_ADDRESSES);
    expect(covered('203.0.113.0/24')).toBe(256);
  });

  test('counts overlapping and repeated blocks once', () => {
    expect(covered('10.0.0.0/8', '10.1.0.0/16', '10.0.0.0/8')).toBe(2 ** 24);
    expect(covered('10.0.0.0/24', '10.0.1.0/24', '10.0.0.128/25')).toBe(512);
    expect(covered()).toBe(0);
  });
});
