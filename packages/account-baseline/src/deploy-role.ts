import { LibraryVersion, Naming } from '@piksel/core';
import { Construct } from 'constructs';
import { IGithubOidcProvider } from './github-oidc-provider';
import { IPipelineRole, PipelineRoleOptions } from './pipeline-role';
import { checkGithubEnvironment, environmentSubject } from './private/github';
import { awsManagedPolicy } from './private/policy';
import { checkManagedPolicyArns, checkPipelineRoleOptions, createPipelineRole } from './private/role';

/**
 * Terraform creates and changes every kind of resource the estate holds, including IAM roles and
 * policies, so nothing narrower would last a release.
 */
const DEFAULT_MANAGED_POLICY = 'AdministratorAccess';

/** Properties of a `DeployRole`. */
export interface DeployRoleProps extends PipelineRoleOptions {
  /** The account's GitHub OIDC provider. */
  readonly oidcProvider: IGithubOidcProvider;

  /**
   * The GitHub environment whose jobs may assume the role, exactly as the job's `environment:`
   * names it (e.g. `production`). An environment is where required reviewers and branch rules
   * apply, so an apply waits for them before it gets credentials. Never `pull_request`: a pull
   * request runs its own version of the workflow before any review.
   *
   * @see https://docs.github.com/en/actions/reference/workflows-and-actions/deployments-and-environments
   */
  readonly environment: string;

  /**
   * Name of the role.
   *
   * @default `<prefix>-deploy` (see `Naming` in @piksel/core)
   */
  readonly roleName?: string;

  /**
   * Managed policies of the role.
   *
   * @default - `AdministratorAccess`: the role applies every stack of the account
   */
  readonly managedPolicyArns?: string[];
}

/**
 * The role that applies Terraform in one account: assumed by the jobs of one repository that run
 * in one GitHub environment, and nothing else.
 *
 * Trust: `sts:AssumeRoleWithWebIdentity` through the account's GitHub OIDC provider with
 * `aud = sts.amazonaws.com` and `sub = repo:<owner>/<repo>:environment:<environment>` compared
 * with `StringEquals` (no wildcard, no `pull_request`); and, when given, exactly the
 * `crossAccountTrustedRoleArns`. Permissions: `managedPolicyArns` (`AdministratorAccess`), plus an
 * explicit deny on assuming any role of another account but the `crossAccountAssumableRoleArns`.
 * The role's managed and inline policies are exclusive: an apply removes any other.
 *
 * @see https://docs.github.com/en/actions/reference/security/oidc#filtering-for-a-specific-environment
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html
 */
export class DeployRole extends Construct implements IPipelineRole {
  public readonly roleArn: string;
  public readonly roleName: string;
  public readonly subject: string;

  constructor(scope: Construct, id: string, props: DeployRoleProps) {
    super(scope, id);
    const roleName = props.roleName ?? Naming.of(this).name('deploy');
    checkPipelineRoleOptions(this, props, roleName, props.roleName !== undefined);
    checkGithubEnvironment(this, 'environment', props.environment);
    const managedPolicyArns = props.managedPolicyArns ?? [awsManagedPolicy(DEFAULT_MANAGED_POLICY)];
    checkManagedPolicyArns(this, 'managedPolicyArns', managedPolicyArns);
    const subject = environmentSubject(props.repository, props.environment);

    const role = createPipelineRole(this, props, {
      roleName,
      description: `Applies Terraform from GitHub Actions: ${subject}`,
      oidcProviderArn: props.oidcProvider.oidcProviderArn,
      subject,
      managedPolicyArns,
      inlinePolicies: [],
    });
    LibraryVersion.record(this, __dirname);

    this.roleArn = role.arn;
    this.roleName = roleName;
    this.subject = subject;
  }
}
