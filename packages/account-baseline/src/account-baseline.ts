import { checkAccountId, checkEnvironmentName, checkTags, invalidProp, Naming } from '@piksel/core';
import { Construct } from 'constructs';
import { DeployRole } from './deploy-role';
import { GithubOidcProvider, IGithubOidcProvider } from './github-oidc-provider';
import { PlanRole } from './plan-role';
import { StateBucket } from './state-bucket';

/** Properties of an `AccountBaseline`. */
export interface AccountBaselineProps {
  /**
   * The account's name in the estate (`hub`, `dev`), lower-case kebab-case: the state bucket's
   * infix and the default GitHub environment of the deploy role.
   */
  readonly environment: string;

  /**
   * The GitHub repository whose workflows plan and apply the account, `owner/name`.
   *
   * @see PipelineRoleOptions.repository
   */
  readonly repository: string;

  /**
   * The GitHub environment whose jobs may assume the deploy role.
   *
   * @default - `environment`
   */
  readonly githubEnvironment?: string;

  /**
   * Name of the state bucket.
   *
   * @default `<prefix>-<environment>-tfstate`
   */
  readonly stateBucketName?: string;

  /**
   * Days a replaced state version is kept.
   *
   * @default 90
   */
  readonly noncurrentVersionRetentionDays?: number;

  /**
   * Name of the deploy role; every account of an estate uses the same name, so the cross-account
   * ARNs below follow from it.
   *
   * @default `<prefix>-deploy`
   */
  readonly deployRoleName?: string;

  /**
   * Name of the plan role, the same in every account.
   *
   * @default `<prefix>-plan`
   */
  readonly planRoleName?: string;

  /**
   * Managed policies of the deploy role.
   *
   * @default - `AdministratorAccess`
   */
  readonly deployManagedPolicyArns?: string[];

  /**
   * On a spoke: the hub account. The spoke's plan role may then assume the hub's plan role, and
   * its deploy role the hub's deploy role (for the hub side of the spoke's attachments), and no
   * other role of another account.
   *
   * @default - no role of another account may be assumed
   */
  readonly hubAccount?: string;

  /**
   * On the hub: the spoke accounts. The hub's plan role then trusts the spokes' plan roles, and
   * its deploy role the spokes' deploy roles.
   *
   * @default - no role of another account is trusted
   */
  readonly spokeAccounts?: string[];

  /**
   * Tags for everything the baseline creates.
   *
   * @default - none besides the provider's default tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * What one account needs before its first stack, and what the pipeline signs in with: the
 * Terraform `StateBucket`, the account's `GithubOidcProvider`, the `DeployRole` (jobs in the
 * account's GitHub environment) and the `PlanRole` (pull-request jobs, read-only).
 *
 * Apply it first, with an administrator's session and local state, then move its state into the
 * bucket it created (`terraform init -migrate-state`); from then on the pipeline plans and
 * applies it like any other stack.
 *
 * @see https://developer.hashicorp.com/terraform/cli/commands/init#backend-initialization
 */
export class AccountBaseline extends Construct {
  /** The state bucket. */
  public readonly stateBucket: StateBucket;
  /** The GitHub OIDC provider. */
  public readonly oidcProvider: IGithubOidcProvider;
  /** The deploy role. */
  public readonly deployRole: DeployRole;
  /** The plan role. */
  public readonly planRole: PlanRole;

  constructor(scope: Construct, id: string, props: AccountBaselineProps) {
    super(scope, id);
    this.validate(props);
    const naming = Naming.of(this);
    const deployRoleName = props.deployRoleName ?? naming.name('deploy');
    const planRoleName = props.planRoleName ?? naming.name('plan');
    const hub = props.hubAccount === undefined ? [] : [props.hubAccount];
    const spokes = props.spokeAccounts ?? [];
    const roleArns = (accounts: string[], name: string) => accounts.map((account) => `arn:aws:iam::${account}:role/${name}`);

    this.stateBucket = new StateBucket(this, 'StateBucket', {
      environment: props.environment,
      bucketName: props.stateBucketName,
      noncurrentVersionRetentionDays: props.noncurrentVersionRetentionDays,
      tags: props.tags,
    });
    this.oidcProvider = new GithubOidcProvider(this, 'GithubOidcProvider', { tags: props.tags });
    this.deployRole = new DeployRole(this, 'DeployRole', {
      oidcProvider: this.oidcProvider,
      repository: props.repository,
      environment: props.githubEnvironment ?? props.environment,
      roleName: props.deployRoleName,
      managedPolicyArns: props.deployManagedPolicyArns,
      crossAccountTrustedRoleArns: roleArns(spokes, deployRoleName),
      crossAccountAssumableRoleArns: roleArns(hub, deployRoleName),
      tags: props.tags,
    });
    this.planRole = new PlanRole(this, 'PlanRole', {
      oidcProvider: this.oidcProvider,
      repository: props.repository,
      stateBucket: this.stateBucket,
      roleName: props.planRoleName,
      crossAccountTrustedRoleArns: roleArns(spokes, planRoleName),
      crossAccountAssumableRoleArns: roleArns(hub, planRoleName),
      tags: props.tags,
    });
  }

  private validate(props: AccountBaselineProps): void {
    checkEnvironmentName(this, 'environment', props.environment);
    if (props.hubAccount !== undefined) checkAccountId(this, 'hubAccount', props.hubAccount);
    (props.spokeAccounts ?? []).forEach((account, index) => checkAccountId(this, `spokeAccounts[${index}]`, account));
    if (props.hubAccount !== undefined && (props.spokeAccounts ?? []).includes(props.hubAccount)) {
      throw invalidProp(this, 'hubAccount', props.hubAccount, 'it is also in spokeAccounts; an account is either the hub or a spoke');
    }
    checkTags(this, 'tags', props.tags);
  }
}
