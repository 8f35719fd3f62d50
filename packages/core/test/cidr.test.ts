import { contains, formatCidr, overlaps, parseCidr, subBlock } from '../src';

describe('CIDR arithmetic', () => {
  test('parses, formats and compares blocks', () => {
    const vpc = parseCidr('10.1.0.0/16')!;
    expect(formatCidr(vpc)).toBe('10.1.0.0/16');
    expect(formatCidr(subBlock(vpc, 19, 1)!)).toBe('10.1.32.0/19');
    expect(subBlock(vpc, 19, 8)).toBeUndefined();
    expect(contains(vpc, parseCidr('10.1.32.0/19')!)).toBe(true);
    expect(overlaps(vpc, parseCidr('10.0.0.0/8')!)).toBe(true);
    expect(overlaps(vpc, parseCidr('10.2.0.0/16')!)).toBe(false);
  });

  test('refuses blocks that are not exactly one IPv4 block', () => {
    for (const text of ['300.1.0.0/24', '10.1.0.1/16', '10.1.0.0/33', '10.1.0.0', ' 10.1.0.0/16']) {
      expect(parseCidr(text)).toBeUndefined();
    }
  });
});
