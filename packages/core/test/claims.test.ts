import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { Claims } from '../src';

describe('Claims', () => {
  test('checks values across the stacks of one app, and keeps apps apart', () => {
    const app = Testing.app();
    const dev = new Construct(new TerraformStack(app, 'dev'), 'Vpc');
    const staging = new Construct(new TerraformStack(app, 'staging'), 'Vpc');
    Claims.of(dev).claimCidr(dev, 'cidrBlock', 'spokes', '10.1.0.0/16', 'give every spoke its own block');
    expect(() => Claims.of(staging).claimCidr(staging, 'cidrBlock', 'spokes', '10.1.128.0/17', 'give every spoke its own block'))
      .toThrow(/^staging\/Vpc: cidrBlock is "10.1.128.0\/17"; it overlaps 10.1.0.0\/16 of dev\/Vpc; give every spoke its own block/);
    Claims.of(staging).claimCidr(staging, 'cidrBlock', 'spokes', '10.2.0.0/16', 'x');
    Claims.of(staging).claimCidr(staging, 'cidrBlock', 'other-group', '10.1.0.0/16', 'x');
    expect(Claims.of(app).claimsOf('spokes').map((claim) => claim.value)).toEqual(['10.1.0.0/16', '10.2.0.0/16']);

    const otherApp = Testing.app();
    const elsewhere = new Construct(new TerraformStack(otherApp, 'dev'), 'Vpc');
    expect(() => Claims.of(elsewhere).claimCidr(elsewhere, 'cidrBlock', 'spokes', '10.1.0.0/16', 'x')).not.toThrow();
  });

  test('fails when a unique value is claimed twice', () => {
    const app = Testing.app();
    const a = new Construct(new TerraformStack(app, 'a'), 'Spoke');
    const b = new Construct(new TerraformStack(app, 'b'), 'Spoke');
    Claims.of(a).claimValue(a, 'account', 'accounts', '236122835646', 'give each spoke its own account');
    expect(() => Claims.of(b).claimValue(b, 'account', 'accounts', '236122835646', 'give each spoke its own account'))
      .toThrow(/^b\/Spoke: account is "236122835646"; a\/Spoke has it already; give each spoke its own account/);
  });
});
