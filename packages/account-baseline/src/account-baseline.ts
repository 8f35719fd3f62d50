import { checkAccountId, checkEnvironmentName, checkKebabName, checkTags, Claims, hubSpokeAccountsGroup, invalidProp, Naming, stackAccount } from '@piksel/core';
import { Construct } from 'constructs';
import { DeployRole } from './deploy-role';
import { GithubOidcProvider, IGithubOidcProvider } from './github-oidc-provider';
import { HubNetworkRole, SpokeEnvironment } from './hub-network-role';
import { PlanRole } from './plan-role';
import { checkSpokeEnvironment } from './private/hub-network-policy';
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
   * Longest session of the deploy role, in seconds (3600–43200). An apply of a cluster, its
   * Fargate profiles and a Multi-AZ database can outlast an hour; the workflow must ask for the
   * same (`role-duration-seconds`).
   *
   * @default 3600
   */
  readonly deployMaxSessionDuration?: number;

  /**
   * On a spoke: the hub account. The spoke's plan role may then assume the hub's plan role
   * (read-only plans of the hub side), and its deploy role the hub's `HubNetworkRole` of this
   * environment, `<prefix>-<environment>-hub-network` (the hub side of its attachment), and no
   * other role of another account.
   *
   * @default - no role of another account may be assumed
   */
  readonly hubAccount?: string;

  /**
   * On the hub: the spoke environments. The hub's plan role then trusts the spokes' plan roles,
   * and for each spoke a `HubNetworkRole` trusted only by that spoke's deploy role manages the hub
   * side of its attachment. The hub's deploy role trusts no other account.
   *
   * @default - no role of another account is trusted
   */
  readonly spokes?: SpokeEnvironment[];

  /**
   * On the hub: the routing domains spokes may join (`NetworkHub.addRoutingDomain`). Each spoke's
   * `routingDomain` must be one of them.
   *
   * @default - any kebab-case domain but `shared`
   */
  readonly routingDomains?: string[];

  /**
   * On the hub: the key of the hub stack's state object in the state bucket, which each spoke's
   * hub-network role may read (the hub's outputs).
   *
   * @default `<environment>/terraform.tfstate`
   */
  readonly hubStateObjectKey?: string;

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
 * account's GitHub environment) and the `PlanRole` (pull-request jobs, read-only); on the hub,
 * one least-privilege `HubNetworkRole` per spoke for the hub side of its attachment.
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
  /** On the hub: one hub-network role per spoke, in the order of `spokes`. */
  public readonly hubNetworkRoles: HubNetworkRole[];

  constructor(scope: Construct, id: string, props: AccountBaselineProps) {
    super(scope, id);
    this.validate(props);
    this.checkSpokesAgainstHub(props.spokes ?? []);
    const naming = Naming.of(this);
    const deployRoleName = props.deployRoleName ?? naming.name('deploy');
    const planRoleName = props.planRoleName ?? naming.name('plan');
    const hub = props.hubAccount === undefined ? [] : [props.hubAccount];
    const spokes = props.spokes ?? [];
    const spokeAccounts = spokes.map((spoke) => spoke.account);
    const roleArns = (accounts: string[], name: string) => accounts.map((account) => `arn:aws:iam::${account}:role/${name}`);
    const hubNetworkRoleName = HubNetworkRole.roleNameFor(this, props.environment);

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
      maxSessionDuration: props.deployMaxSessionDuration,
      // The hub's deploy role (AdministratorAccess) is never reachable from a spoke: a spoke's
      // deploy role reaches only its own HubNetworkRole.
      crossAccountAssumableRoleArns: roleArns(hub, hubNetworkRoleName),
      tags: props.tags,
    });
    this.planRole = new PlanRole(this, 'PlanRole', {
      oidcProvider: this.oidcProvider,
      repository: props.repository,
      stateBucket: this.stateBucket,
      roleName: props.planRoleName,
      crossAccountTrustedRoleArns: roleArns(spokeAccounts, planRoleName),
      crossAccountAssumableRoleArns: roleArns(hub, planRoleName),
      tags: props.tags,
    });
    this.hubNetworkRoles = spokes.map((spoke) => new HubNetworkRole(this, `${pascal(spoke.environment)}HubNetworkRole`, {
      spoke,
      spokeDeployRoleName: deployRoleName,
      stateBucket: this.stateBucket,
      stateObjectKey: props.hubStateObjectKey ?? `${props.environment}/terraform.tfstate`,
      tags: props.tags,
    }));
  }

  private validate(props: AccountBaselineProps): void {
    checkEnvironmentName(this, 'environment', props.environment);
    if (props.hubAccount !== undefined) checkAccountId(this, 'hubAccount', props.hubAccount);
    (props.routingDomains ?? []).forEach((domain, index) => checkKebabName(this, `routingDomains[${index}]`, domain, 32, 'nonprod'));
    this.validateSpokes(props);
    checkTags(this, 'tags', props.tags);
  }

  /**
   * At synth, when the app also has the hub of this account (`NetworkHub.admitSpoke` in a stack
   * of the same account): the spokes listed here are exactly the ones the hub admits.
   */
  private checkSpokesAgainstHub(spokes: SpokeEnvironment[]): void {
    const account = stackAccount(this);
    if (account === undefined || spokes.length === 0) return;
    this.node.addValidation({
      validate: () => {
        const admitted = Claims.of(this).claimsOf(hubSpokeAccountsGroup(account, 'admitted'));
        if (admitted.length === 0) return [];
        const admittedAccounts = admitted.map((claim) => claim.value);
        const notAdmitted = spokes.flatMap((spoke, index) => admittedAccounts.includes(spoke.account) ? [] : [
          `${this.node.path}: spokes[${index}].account is "${spoke.account}"; the hub in account ${account} admits no spoke of that account ` +
          `(it admits ${admitted.map((claim) => `${claim.value} at ${claim.owner}`).join(', ')}), so this hub-network role serves nothing; ` +
          'admit the spoke (NetworkHub.admitSpoke) or remove it from spokes',
        ]);
        const notListed = admitted.flatMap((claim) => spokes.some((spoke) => spoke.account === claim.value) ? [] : [
          `${claim.owner}: account is "${claim.value}"; ${this.node.path} lists no spoke of that account, so the spoke has no hub-network role ` +
          'to accept its attachment with; add it to spokes of that AccountBaseline, or stop admitting it',
        ]);
        return [...notAdmitted, ...notListed];
      },
    });
  }

  /** Each spoke on its own, then against the others, the hub and the hub's domains. */
  private validateSpokes(props: AccountBaselineProps): void {
    const spokes = props.spokes ?? [];
    spokes.forEach((spoke, index) => {
      const field = `spokes[${index}]`;
      checkSpokeEnvironment(this, field, spoke, HubNetworkRole.DEFAULT_SHARED_DOMAIN);
      if (props.routingDomains !== undefined && !props.routingDomains.includes(spoke.routingDomain)) {
        throw invalidProp(this, `${field}.routingDomain`, spoke.routingDomain, `name one of the hub's routing domains (${props.routingDomains.join(', ')}) or add it to routingDomains`);
      }
      const earlier = spokes.slice(0, index);
      if (earlier.some((other) => other.environment === spoke.environment)) {
        throw invalidProp(this, `${field}.environment`, spoke.environment, 'it is already a spoke; give each spoke environment once');
      }
      if (earlier.some((other) => other.account === spoke.account)) {
        throw invalidProp(this, `${field}.account`, spoke.account, 'it is already the account of another spoke; give each spoke its own account');
      }
      if (spoke.environment === props.environment) {
        throw invalidProp(this, `${field}.environment`, spoke.environment, 'it is the name of this account; a spoke is another environment');
      }
    });
    if (props.hubAccount !== undefined && spokes.some((spoke) => spoke.account === props.hubAccount)) {
      throw invalidProp(this, 'hubAccount', props.hubAccount, 'it is also a spoke\'s account; an account is either the hub or a spoke');
    }
  }
}

/** `dev` → `Dev`, `prod-eu` → `ProdEu`: construct IDs keyed by environment. */
function pascal(name: string): string {
  return name.split('-').map((part) => part[0].toUpperCase() + part.slice(1)).join('');
}
