import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
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

describe('Naming settings', () => {
  test('fails when the display name is not a tag value', () => {
    expect(() => Naming.configure(Testing.app(), { prefix: 'acme', displayName: 'Acme <Corp>' }))
      .toThrow(/^App: naming displayName is "Acme <Corp>"; it becomes a tag value: use 1-256 letters, digits, spaces and _ \. : \/ = \+ - @, e\.g\. "Acme"$/);
  });

  test('fails when the owner is not a tag value', () => {
    expect(() => Naming.configure(Testing.app(), { prefix: 'geo', owner: 'Geo & Co' })).toThrow(/naming owner is "Geo & Co"; it becomes a tag value: .*e\.g\. "Geo"/);
    expect(() => Naming.configure(Testing.app(), { prefix: 'geo', owner: '' })).toThrow(/naming owner is ""; it becomes a tag value/);
  });

  test('fails when an environment is not a name, or named twice', () => {
    expect(() => Naming.configure(Testing.app(), { environments: ['dev', 'Prod'] })).toThrow(/naming environments\[1\] is "Prod"; use lower-case kebab-case/);
    expect(() => Naming.configure(Testing.app(), { environments: ['dev', 'dev'] })).toThrow(/naming environments\[1\] is "dev"; name each environment once/);
    expect(() => Naming.configure(Testing.app(), { environments: [] })).toThrow(/naming environments is \[\]; name at least one environment/);
  });

  test('chooses Piksel\'s naming explicitly', () => {
    const app = Testing.app();
    Naming.configure(app, Naming.piksel(['hub', 'dev']));
    const stack = new TerraformStack(app, 'hub');
    expect(Naming.of(stack)).toMatchObject({ prefix: 'piksel', displayName: 'Piksel', owner: 'Piksel-Devops-Team', environments: ['hub', 'dev'] });
  });

  test('warns once per app, on the first construct that asks, when no naming was chosen', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'hub');
    const first = new Construct(stack, 'First');
    const second = new Construct(stack, 'Second');
    Naming.of(first);
    Naming.of(second);
    const warnings = (scope: Construct) => scope.node.metadata.filter((entry) => entry.type === '@cdktf/warn').map((entry) => entry.data);
    expect(warnings(first)).toEqual([expect.stringMatching(/^hub\/First: no naming is configured, so names use Piksel's .*Naming\.configure\(app, Naming\.piksel\(\)\)/)]);
    expect(warnings(second)).toEqual([]);
  });

  test('does not warn once a naming is chosen', () => {
    const app = Testing.app();
    Naming.configure(app, Naming.piksel());
    const construct = new Construct(new TerraformStack(app, 'hub'), 'Thing');
    Naming.of(construct);
    expect(construct.node.metadata.filter((entry) => entry.type === '@cdktf/warn')).toEqual([]);
  });
});
