import { TerraformProvider, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { checkGrantWithinEnvironment, Claims, stackAccount } from '../src';

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

/** The shape `stackAccount` reads of hashicorp/aws's provider (core does not depend on its bindings). */
class AwsProviderLike extends TerraformProvider {
  constructor(scope: Construct, public readonly allowedAccountIds: string[]) {
    super(scope, 'aws', { terraformResourceType: 'aws' });
  }
}

/** A stack whose default AWS provider may deploy to `account` only, as the estate's stacks are. */
function accountStack(app: Construct, id: string, account?: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  if (account !== undefined) new AwsProviderLike(stack, [account]);
  return stack;
}

describe('Claims of unique names', () => {
  test('fails when a bucket name is claimed twice, in any two stacks', () => {
    const app = Testing.app();
    const a = new Construct(new TerraformStack(app, 'dev-data'), 'Bucket');
    const b = new Construct(new TerraformStack(app, 'hub'), 'Bucket');
    Claims.of(a).claimBucketName(a, 'bucketName', 'acme-dev-data');
    expect(() => Claims.of(b).claimBucketName(b, 'bucketName', 'acme-dev-data'))
      .toThrow(/^hub\/Bucket: bucketName is "acme-dev-data"; dev-data\/Bucket has it already; bucket names are global/);
  });

  test('keep names per account and region apart', () => {
    const app = Testing.app();
    const a = new Construct(new TerraformStack(app, 'a'), 'Db');
    const b = new Construct(new TerraformStack(app, 'b'), 'Db');
    Claims.of(a).claimDbInstanceIdentifier(a, 'identifier', '111111111111', 'ap-southeast-3', 'acme-dev-postgres');
    Claims.of(b).claimDbInstanceIdentifier(b, 'identifier', '222222222222', 'ap-southeast-3', 'acme-dev-postgres');
    Claims.of(b).claimDbInstanceIdentifier(b, 'identifier', '111111111111', 'eu-west-1', 'acme-dev-postgres');
    expect(() => Claims.of(b).claimDbInstanceIdentifier(b, 'identifier', '111111111111', 'ap-southeast-3', 'acme-dev-postgres'))
      .toThrow(/^b\/Db: identifier is "acme-dev-postgres"; a\/Db has it already; DB instance identifiers are unique/);
  });

  test.each([
    ['KMS alias', (c: Claims, s: Construct) => c.claimKmsAlias(s, 'aliasName', '111111111111', 'ap-southeast-3', 'alias/acme-dev-secrets'), /KMS aliases are unique/],
    ['log group', (c: Claims, s: Construct) => c.claimLogGroupName(s, 'name', '111111111111', 'ap-southeast-3', '/aws/rds/instance/x/postgresql'), /log group names are unique/],
    ['CodeBuild project', (c: Claims, s: Construct) => c.claimCodeBuildProjectName(s, 'name', '111111111111', 'ap-southeast-3', 'acme-dev-build'), /CodeBuild project names are unique/],
    ['IAM role name', (c: Claims, s: Construct) => c.claimIamRoleName(s, 'roleName', '111111111111', 'acme-deploy'), /IAM role names are unique/],
    ['OIDC provider', (c: Claims, s: Construct) => c.claimOidcProvider(s, 'account', '111111111111', 'token.actions.githubusercontent.com'), /account 111111111111 has one OIDC provider per issuer/],
  ])('fails when a %s is claimed twice', (_kind, claim, fix) => {
    const app = Testing.app();
    const a = new Construct(new TerraformStack(app, 'a'), 'Thing');
    const b = new Construct(new TerraformStack(app, 'b'), 'Thing');
    claim(Claims.of(a), a);
    expect(() => claim(Claims.of(b), b)).toThrow(/^b\/Thing: .*; a\/Thing has it already; /);
    expect(() => claim(Claims.of(b), b)).toThrow(fix);
  });

  test('IAM role names share the group @piksel/eks-cluster claims in', () => {
    const app = Testing.app();
    const a = new Construct(new TerraformStack(app, 'a'), 'Role');
    Claims.of(a).claimIamRoleName(a, 'roleName', '111111111111', 'acme-deploy');
    expect(Claims.of(app).claimsOf('iam:111111111111:role-names')).toEqual([{ owner: 'a/Role', value: 'acme-deploy' }]);
  });
});

describe('stackAccount', () => {
  test('is the one allowed account of the stack\'s default AWS provider, or undefined', () => {
    const app = Testing.app();
    expect(stackAccount(new Construct(accountStack(app, 'dev', '111111111111'), 'X'))).toBe('111111111111');
    expect(stackAccount(new Construct(accountStack(app, 'none'), 'X'))).toBeUndefined();
  });
});

describe('checkGrantWithinEnvironment', () => {
  test('passes within one environment and account', () => {
    const app = Testing.app();
    const stack = accountStack(app, 'dev-data', '111111111111');
    const bucket = new Construct(stack, 'Bucket');
    Claims.of(bucket).noteEnvironment(bucket, 'dev');
    expect(() => checkGrantWithinEnvironment(bucket, 'grantRead grantee', new Construct(stack, 'Role'), 'dev', undefined)).not.toThrow();
  });

  test('fails when the grantee\'s stack serves another environment, with both paths', () => {
    const app = Testing.app();
    const staging = new Construct(accountStack(app, 'staging-data', '111111111111'), 'Bucket');
    Claims.of(staging).noteEnvironment(staging, 'staging');
    const dev = accountStack(app, 'dev-data', '111111111111');
    Claims.of(dev).noteEnvironment(new Construct(dev, 'Key'), 'dev');
    const role = new Construct(dev, 'Role');
    expect(() => checkGrantWithinEnvironment(staging, 'grantRead grantee', role, 'staging', undefined))
      .toThrow(/^staging-data\/Bucket: grantRead grantee is "dev-data\/Role"; the grantee is of environment "dev", account 111111111111 and staging-data\/Bucket of environment "staging", account 111111111111; grant a role of the resource's own environment, or pass \{ allowFromEnvironment: "dev" \}/);
    expect(() => checkGrantWithinEnvironment(staging, 'grantRead grantee', role, 'staging', undefined, { allowFromEnvironment: 'dev' })).not.toThrow();
    expect(() => checkGrantWithinEnvironment(staging, 'grantRead grantee', role, 'staging', undefined, { allowFromEnvironment: 'prd' }))
      .toThrow(/allowFromEnvironment names "prd"; name the grantee's own environment, "dev"/);
  });

  test('fails when the grantee\'s stack deploys to another account', () => {
    const app = Testing.app();
    const bucket = new Construct(accountStack(app, 'staging-data', '222222222222'), 'Bucket');
    const role = new Construct(accountStack(app, 'tools', '111111111111'), 'Role');
    expect(() => checkGrantWithinEnvironment(bucket, 'grantRead grantee', role, 'staging', undefined))
      .toThrow(/^staging-data\/Bucket: grantRead grantee is "tools\/Role"; the grantee is of account 111111111111 and staging-data\/Bucket of environment "staging", account 222222222222/);
  });
});
