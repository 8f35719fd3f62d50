import { TerraformProvider, TerraformStack, Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { checkCidrBlock } from './checks';
import { formatCidr, overlaps } from './cidr';
import { invalidProp } from './errors';

/** One value claimed in a group. */
export interface Claim {
  /** Construct path of the claimant. */
  readonly owner: string;
  /** The value claimed, as given. */
  readonly value: string;
}

/**
 * Values that must be unique across a whole app, in whatever stack they are given: the CIDR
 * blocks of one hub's spokes, the accounts of its spokes, bucket names, DB instance identifiers,
 * KMS aliases, log groups, IAM role names, an account's OIDC provider.
 *
 * One registry per construct tree (the app), so a relation between stacks — two spoke stacks
 * that each import the hub — is checked as soon as the second value is given, with the same
 * message format as a bad prop. Libraries claim their values; an app can read a group back
 * (`claimsOf`) to check relations of its own.
 */
export class Claims {
  /** The registry of the construct tree `scope` belongs to. */
  public static of(scope: IConstruct): Claims {
    const root = scope.node.root;
    let claims = REGISTRIES.get(root);
    if (!claims) {
      claims = new Claims();
      REGISTRIES.set(root, claims);
    }
    return claims;
  }

  private readonly groups = new Map<string, Array<Claim & { cidr?: { network: number; prefix: number }; key?: string }>>();

  private readonly stackEnvironments = new Map<string, Set<string>>();

  private constructor() {}

  /**
   * Claims a literal CIDR block in `group`; fails when it overlaps a block already claimed there.
   * A value known only at apply time is not claimed.
   *
   * @param group what must not overlap, e.g. `network-hub:piksel-hub:vpcs`
   * @param fix what to do about an overlap
   */
  public claimCidr(claimant: IConstruct, field: string, group: string, cidrBlock: string, fix: string): void {
    if (Token.isUnresolved(cidrBlock)) return;
    const cidr = checkCidrBlock(claimant, field, cidrBlock);
    const claims = this.group(group);
    const clash = claims.find((other) => other.cidr && overlaps(other.cidr, cidr));
    if (clash) {
      throw invalidProp(claimant, field, cidrBlock, `it overlaps ${formatCidr(clash.cidr!)} of ${clash.owner}; ${fix}`);
    }
    claims.push({ owner: claimant.node.path, value: cidrBlock, cidr });
  }

  /**
   * Claims a literal value in `group`; fails when it was already claimed there.
   * A value known only at apply time is not claimed.
   */
  public claimValue(claimant: IConstruct, field: string, group: string, value: string, fix: string): void {
    this.claimKeyed(claimant, field, group, value, value, fix);
  }

  /** `claimValue`, two values clashing when their `key`s are equal (a name compared without case, say). */
  private claimKeyed(claimant: IConstruct, field: string, group: string, value: string, key: string, fix: string): void {
    if (Token.isUnresolved(value)) return;
    const claims = this.group(group);
    const clash = claims.find((other) => (other.key ?? other.value) === key);
    if (clash) {
      const as = clash.value === value ? '' : ` (as "${clash.value}")`;
      throw invalidProp(claimant, field, value, `${clash.owner} has it already${as}; ${fix}`);
    }
    claims.push({ owner: claimant.node.path, value, key });
  }

  /**
   * Claims an S3 bucket name. Bucket names are global (every account, every region), so one
   * name, one bucket in the whole app.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
   */
  public claimBucketName(claimant: IConstruct, field: string, bucketName: string): void {
    this.claimValue(claimant, field, 's3:bucket-names', bucketName,
      'bucket names are global; give one of the two its own bucketName (or another purpose or environment)');
  }

  /** Claims an RDS DB instance identifier, unique per account and region. */
  public claimDbInstanceIdentifier(claimant: IConstruct, field: string, account: string, region: string, identifier: string): void {
    this.claimScoped(claimant, field, ['rds', account, region, 'db-instances'], identifier,
      'DB instance identifiers are unique in an account and region; give one of the two its own identifier');
  }

  /** Claims a KMS alias (`alias/…`), unique per account and region. */
  public claimKmsAlias(claimant: IConstruct, field: string, account: string, region: string, aliasName: string): void {
    this.claimScoped(claimant, field, ['kms', account, region, 'aliases'], aliasName,
      'KMS aliases are unique in an account and region; give one of the two its own aliasName');
  }

  /**
   * Claims a CloudWatch Logs log group name, unique per account and region.
   * @param rename the property that names the group, for the fix in the error
   */
  public claimLogGroupName(claimant: IConstruct, field: string, account: string, region: string, logGroupName: string, rename: string = 'name'): void {
    this.claimScoped(claimant, field, ['logs', account, region, 'log-groups'], logGroupName,
      `log group names are unique in an account and region; give one of the two its own ${rename}`);
  }

  /** Claims a CodeBuild project name, unique per account and region. */
  public claimCodeBuildProjectName(claimant: IConstruct, field: string, account: string, region: string, projectName: string): void {
    this.claimScoped(claimant, field, ['codebuild', account, region, 'projects'], projectName,
      'CodeBuild project names are unique in an account and region; give one of the two its own projectName');
  }

  /**
   * Claims an IAM role name, unique per account (IAM is global) whatever its letter case: the
   * group `iam:<account>:role-names`.
   * @param rename the property that names the role, for the fix in the error
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
   */
  public claimIamRoleName(claimant: IConstruct, field: string, account: string, roleName: string, rename: string = 'roleName'): void {
    if (Token.isUnresolved(account)) return;
    this.claimKeyed(claimant, field, ['iam', account, 'role-names'].join(':'), roleName, roleName.toLowerCase(),
      `IAM role names are unique in an account, whatever their case; give one of the two its own ${rename}`);
  }

  /**
   * Claims an IAM role name in `account` or, when none is given, in the account of the stack of
   * `claimant` (`stackAccount`); with neither known, nothing is claimed. What every library calls
   * for a role it makes, so that two roles of one name fail at synth, whichever libraries made them.
   * @param rename the property that names the role, for the fix in the error
   */
  public claimIamRole(claimant: IConstruct, field: string, roleName: string, account?: string, rename: string = 'roleName'): void {
    const owner = account ?? stackAccount(claimant);
    if (owner !== undefined) this.claimIamRoleName(claimant, field, owner, roleName, rename);
  }

  /**
   * Claims the one IAM OIDC provider for `issuerHost` of `account`: IAM holds one provider per
   * issuer in an account, and a second create fails with `EntityAlreadyExists`.
   */
  public claimOidcProvider(claimant: IConstruct, field: string, account: string, issuerHost: string): void {
    this.claimScoped(claimant, field, ['iam', account, 'oidc-providers'], issuerHost,
      `account ${account} has one OIDC provider per issuer; create it once (in the account's baseline) and refer to it elsewhere with fromAccount`);
  }

  /**
   * Records that the stack of `scope` serves `environment`: libraries call it for each construct
   * made for one environment (a bucket, a database, a secret), so a grant can tell which
   * environment its grantee's stack serves. Not a claim: a stack may hold many such constructs.
   */
  public noteEnvironment(scope: IConstruct, environment: string): void {
    if (Token.isUnresolved(environment)) return;
    const stack = stackPathOf(scope);
    if (stack === undefined) return;
    const environments = this.stackEnvironments.get(stack) ?? new Set<string>();
    environments.add(environment);
    this.stackEnvironments.set(stack, environments);
  }

  /**
   * The environment the stack of `scope` serves, when every construct that named one there named
   * the same; otherwise `undefined`.
   */
  public environmentOf(scope: IConstruct): string | undefined {
    const stack = stackPathOf(scope);
    const environments = stack === undefined ? undefined : this.stackEnvironments.get(stack);
    return environments?.size === 1 ? [...environments][0] : undefined;
  }

  /** The claims of `group`, in the order they were made. */
  public claimsOf(group: string): Claim[] {
    return this.group(group).map(({ owner, value }) => ({ owner, value }));
  }

  /** `claimValue` in the group `<parts joined by :>`; nothing is claimed while a part is unresolved. */
  private claimScoped(claimant: IConstruct, field: string, parts: string[], value: string, fix: string): void {
    if (parts.some((part) => Token.isUnresolved(part))) return;
    this.claimValue(claimant, field, parts.join(':'), value, fix);
  }

  private group(name: string) {
    let claims = this.groups.get(name);
    if (!claims) {
      claims = [];
      this.groups.set(name, claims);
    }
    return claims;
  }
}

const REGISTRIES = new WeakMap<object, Claims>();

/**
 * The account the stack of `scope` deploys to, as far as the stack says: the one literal account
 * of its default (unaliased) AWS provider's `allowed_account_ids`; otherwise `undefined`.
 * A plain function for library code: what a construct with no `account` prop can claim in.
 */
export function stackAccount(scope: IConstruct): string | undefined {
  const stack = TerraformStack.of(scope);
  const provider = stack.node.children.find((child): child is TerraformProvider =>
    TerraformProvider.isTerraformProvider(child) && child.terraformResourceType === 'aws' && child.alias === undefined);
  // Read by shape: core does not depend on @cdktf/provider-aws.
  const accounts = (provider as unknown as { allowedAccountIds?: string[] } | undefined)?.allowedAccountIds;
  if (accounts === undefined || Token.isUnresolved(accounts) || accounts.length !== 1 || Token.isUnresolved(accounts[0])) return undefined;
  return accounts[0];
}

/**
 * The app-wide claim group of the spoke accounts of the hub in `hubAccount`: `admitted` by the
 * hub (`NetworkHub.admitSpoke`, network-hub) or listed by the hub's `AccountBaseline`
 * (`spokes`, account-baseline), which compares the two at synth: a spoke the hub admits without a
 * hub-network role cannot attach, and a role for a spoke the hub never admits is a door to nothing.
 */
export function hubSpokeAccountsGroup(hubAccount: string, side: string): string {
  return `hub:${hubAccount}:spoke-accounts:${side}`;
}

/** The path of the stack `scope` is in, or `undefined` outside any stack. */
function stackPathOf(scope: IConstruct): string | undefined {
  const stack = scope.node.scopes.find((node) => TerraformStack.isStack(node));
  return stack?.node.path;
}

/** How a grant may reach across environments. */
export interface GrantOptions {
  /**
   * The grantee's environment, named to allow a grant across environments: a role of `dev`
   * reading `staging`'s bucket. Without it, a grantee whose stack serves another environment, or
   * deploys to another account, than the resource is refused.
   *
   * @default - the grantee must be of the resource's environment and account
   */
  readonly allowFromEnvironment?: string;
}

/**
 * Fails when `grantee` is of another environment or account than `resource`, unless
 * `options.allowFromEnvironment` names the grantee's environment. The grantee's environment is
 * the one its stack serves (`Claims.noteEnvironment`); its account, the one its stack deploys
 * to (`stackAccount`). What is unknown on either side is not compared.
 *
 * @param resource what grants (its path leads the message)
 * @param field the grant, as the user wrote it (`grantRead grantee`)
 * @param resourceEnvironment the resource's environment, when it has one
 * @param resourceAccount the resource's account, when known
 */
export function checkGrantWithinEnvironment(resource: IConstruct, field: string, grantee: IConstruct,
  resourceEnvironment: string | undefined, resourceAccount: string | undefined, options: GrantOptions = {}): void {
  const claims = Claims.of(resource);
  const ownEnvironment = resourceEnvironment ?? claims.environmentOf(resource);
  const granteeEnvironment = claims.environmentOf(grantee);
  const ownAccount = resourceAccount ?? stackAccount(resource);
  const granteeAccount = stackAccount(grantee);
  const otherEnvironment = ownEnvironment !== undefined && granteeEnvironment !== undefined && ownEnvironment !== granteeEnvironment;
  const otherAccount = ownAccount !== undefined && granteeAccount !== undefined && !Token.isUnresolved(ownAccount) && ownAccount !== granteeAccount;
  if (!otherEnvironment && !otherAccount) return;
  const allowed = options.allowFromEnvironment;
  if (allowed !== undefined && (granteeEnvironment === undefined || allowed === granteeEnvironment)) return;
  const where = (environment: string | undefined, account: string | undefined) =>
    [environment === undefined ? undefined : `environment "${environment}"`, account === undefined ? undefined : `account ${account}`]
      .filter((part) => part !== undefined).join(', ');
  const named = granteeEnvironment ?? '<its environment>';
  throw invalidProp(resource, field, grantee.node.path,
    `the grantee is of ${where(granteeEnvironment, granteeAccount)} and ${resource.node.path} of ${where(ownEnvironment, ownAccount)}; `
    + (allowed === undefined
      ? `grant a role of the resource's own environment, or pass { allowFromEnvironment: "${named}" } to cross environments deliberately`
      : `allowFromEnvironment names "${allowed}"; name the grantee's own environment, "${named}"`));
}
