import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { pinAlias, pinDependencies, readPins, sharedPeerDependencies } from '../src/pins';

function pinsFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'pins-'));
  writeFileSync(join(dir, 'pins.json'), JSON.stringify(content));
  return dir;
}

describe('pins', () => {
  test('installs each environment\'s pin under its own alias', () => {
    const pins = readPins(pinsFile({ dev: { '@piksel/secrets': 'workspace' }, production: { '@piksel/secrets': '0.2.0' } }));
    expect(pinDependencies(pins)).toEqual([
      '@piksel-pin/dev-secrets@workspace:@piksel/secrets@*',
      '@piksel-pin/production-secrets@npm:@piksel/secrets@0.2.0',
    ]);
    expect(pinAlias('staging', '@piksel/network-hub')).toBe('@piksel-pin/staging-network-hub');
  });

  test('the committed pins name only exact versions or the workspace', () => {
    expect(() => readPins(join(__dirname, '..'))).not.toThrow();
  });

  test('fails on a version range, since a pin must not move by itself', () => {
    expect(() => readPins(pinsFile({ dev: { '@piksel/secrets': '^0.2.0' } })))
      .toThrow(/dev\.@piksel\/secrets is "\^0\.2\.0"; use an exact published version such as "0\.2\.0"/);
  });

  test('installs the hub\'s network-hub under its own name too, as the peer every spoke-vpc shares', () => {
    expect(sharedPeerDependencies(readPins(pinsFile({ hub: { '@piksel/network-hub': '0.1.0' } })))).toEqual(['@piksel/network-hub@0.1.0']);
    expect(sharedPeerDependencies(readPins(pinsFile({ hub: { '@piksel/network-hub': 'workspace' } })))).toEqual(['@piksel/network-hub@workspace:*']);
    expect(sharedPeerDependencies(readPins(pinsFile({ dev: { '@piksel/secrets': '0.1.0' } })))).toEqual([]);
  });

  test('fails when a spoke environment pins network-hub, which only the hub pins', () => {
    expect(() => readPins(pinsFile({ dev: { '@piksel/network-hub': '0.1.0' } })))
      .toThrow(/dev\.@piksel\/network-hub: pin it under "hub" only; other stacks use that copy/);
  });

  test('fails on a package that is not a Piksel library', () => {
    expect(() => readPins(pinsFile({ dev: { 'left-pad': '1.0.0' } }))).toThrow(/dev: "left-pad" is not a Piksel library/);
  });
});
