import { TerraformStack, Testing } from 'cdktf';
import { LibraryVersion, Naming, Regions } from '../src';

describe('Naming', () => {
  test('is Piksel\'s by default and an organisation\'s once configured on the app', () => {
    const stack = new TerraformStack(Testing.app(), 'hub');
    expect(Naming.of(stack).name('dev', 'tfstate')).toBe('piksel-dev-tfstate');
    expect(Naming.of(stack).displayName).toBe('Piksel');

    const app = Testing.app();
    Naming.configure(app, { prefix: 'acme', displayName: 'Acme' });
    const acme = new TerraformStack(app, 'hub');
    expect(Naming.of(acme).name('hub')).toBe('acme-hub');
    expect(Naming.of(acme).displayName).toBe('Acme');
  });

  test('fails when the prefix is not a short kebab-case word', () => {
    expect(() => Naming.configure(Testing.app(), { prefix: 'Acme Corp' })).toThrow(/naming prefix is "Acme Corp"; use 1-20 lower-case letters/);
  });
});

describe('LibraryVersion', () => {
  test('records the version of the package that holds the calling code under the naming prefix', () => {
    const stack = new TerraformStack(Testing.app(), 'hub');
    LibraryVersion.record(stack, __dirname);
    const json = stack.toTerraform();
    expect(json['//'].piksel.libraries['@piksel/core']).toBe(LibraryVersion.manifestOf(__dirname).version);
  });
});

describe('Regions', () => {
  test('knows every region and the zones of some', () => {
    expect(Regions.isRegion('ap-southeast-3')).toBe(true);
    expect(Regions.isRegion('ap-southeast-33')).toBe(false);
    expect(Regions.zonesOf('ap-southeast-3')).toEqual(['ap-southeast-3a', 'ap-southeast-3b', 'ap-southeast-3c']);
    expect(Regions.zonesOf('eu-north-1')).toBeUndefined();
    expect(Regions.isZoneOf('eu-north-1b', 'eu-north-1')).toBe(true);
    expect(Regions.zoneIndex('ap-southeast-3c')).toBe(2);
  });
});

describe('Naming owner', () => {
  test('is Piksel\'s team by default, the display name or the given team once configured', () => {
    expect(Naming.of(new TerraformStack(Testing.app(), 's')).owner).toBe('Piksel-Devops-Team');
    const app = Testing.app();
    Naming.configure(app, { prefix: 'acme', displayName: 'Acme' });
    expect(Naming.of(app).owner).toBe('Acme');
    const other = Testing.app();
    Naming.configure(other, { prefix: 'acme', owner: 'Acme-Platform' });
    expect(Naming.of(other).owner).toBe('Acme-Platform');
  });
});
