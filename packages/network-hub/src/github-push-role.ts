import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { checkGithubRepository, checkIamRoleNameOrDerived, Claims, githubRepositoryName, invalidProp, LibraryVersion, Naming } from '@piksel/core';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { IContainerRegistry, IRegistryGrantee } from './container-registry';
import { checkGitRef, GITHUB_OIDC_HOST, refSubject, trustGithubRefs } from './private/ecr-policy';
import { policyDocument } from './private/route53-policy';

/**
 * One hour, the IAM default: long enough for an image build and push; a workflow assumes the role
 * again for each job.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
 */
const MAX_SESSION_DURATION_SECONDS = 3600;
/** Workflows on the default branch push; nothing else unless named (least privilege). */
const DEFAULT_REFS = ['refs/heads/main'];
/** The account's IAM OIDC provider for GitHub Actions. */
const GITHUB_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/** Properties of a `GithubPushRole`. */
export interface GithubPushRoleProps {
  /** The registry the role pushes to. */
  readonly registry: IContainerRegistry;

  /**
   * The one GitHub repository whose workflows may assume the role, `owner/name` (never a
   * wildcard: a role per pushing repository is what lets each push only its own images).
   */
  readonly githubRepository: string;

  /**
   * The Git refs whose workflow runs may assume the role: branches (`refs/heads/main`) and tags
   * (`refs/tags/v*`); `*` is the only wildcard. The trust names `repo:<githubRepository>:ref:<ref>`
   * for each: exact refs with `StringEquals`, patterns with `StringLike`.
   *
   * A job that names a GitHub `environment:` gets the subject `repo:<owner>/<name>:environment:<env>`
   * instead, and a pull-request job `repo:<owner>/<name>:pull_request`: neither can assume the role.
   *
   * @default ['refs/heads/main']
   * @see https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims
   */
  readonly refs?: string[];

  /**
   * The registry's repositories the workflows may push to (and pull from), by name; no other.
   */
  readonly repositoryNames: string[];

  /**
   * ARN of the account's existing IAM OIDC provider for `token.actions.githubusercontent.com`
   * (`GithubOidcProvider` of @piksel/account-baseline). An account holds one provider per issuer
   * URL, so push roles never create it.
   */
  readonly oidcProviderArn: string;

  /**
   * Name of the role.
   *
   * @default `<prefix>-registry-push-<repository name>` (`Naming` of @piksel/core), e.g. `piksel-registry-push-piksel-core`
   */
  readonly roleName?: string;

  /**
   * Tags for the role.
   *
   * @default - none besides the provider's default tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * A role that GitHub Actions workflows of one repository, on the refs named, assume through OIDC
 * (no stored access keys) to push images to the repositories named.
 *
 * Trust: `sts:AssumeRoleWithWebIdentity` through the account's GitHub OIDC provider, with
 * `token.actions.githubusercontent.com:aud` equal to `sts.amazonaws.com` and
 * `token.actions.githubusercontent.com:sub` one of `repo:<githubRepository>:ref:<ref>`.
 * Permissions: the registry's `grantPullPush` for `repositoryNames` (log in to ECR; push and pull
 * those repositories), nothing else.
 *
 * One role per pushing repository, because the grant cannot depend on who assumed the role: the
 * OIDC `sub` claim is visible to the trust policy only, not to the role's permission policies, so
 * one role trusted by two repositories would let each push the other's images.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
 * @see https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 */
export class GithubPushRole extends Construct implements IRegistryGrantee {
  public readonly granteeRoleName: string;
  /** Name of the role. */
  public readonly roleName: string;
  /** ARN of the role: the workflow's `role-to-assume` for `aws-actions/configure-aws-credentials`. */
  public readonly roleArn: string;
  /** ARN of the GitHub OIDC provider the role trusts. */
  public readonly oidcProviderArn: string;
  /** The OIDC subjects the role trusts, `repo:<owner>/<name>:ref:<ref>`. */
  public readonly subjects: string[];

  constructor(scope: Construct, id: string, props: GithubPushRoleProps) {
    super(scope, id);
    const naming = Naming.of(this);
    const refs = props.refs ?? DEFAULT_REFS;
    const repositoryName = this.validate(props, refs, naming.name('registry-push', ''));
    const roleName = props.roleName ?? naming.name('registry-push', repositoryName);
    Claims.of(this).claimIamRole(this, props.roleName === undefined ? 'the derived roleName' : 'roleName', roleName);

    const role = new IamRole(this, 'Role', {
      name: roleName,
      description: `Pushes ${props.repositoryNames.join(', ')} to the ${naming.displayName} registry from GitHub Actions of ${props.githubRepository}`.slice(0, 1000),
      assumeRolePolicy: policyDocument(trustGithubRefs(props.oidcProviderArn, props.githubRepository, refs)),
      maxSessionDuration: MAX_SESSION_DURATION_SECONDS,
      tags: props.tags,
    });
    LibraryVersion.record(this, __dirname);

    this.granteeRoleName = role.name;
    this.roleName = roleName;
    this.roleArn = role.arn;
    this.oidcProviderArn = props.oidcProviderArn;
    this.subjects = refs.map((ref) => refSubject(props.githubRepository, ref));
    props.registry.grantPullPush(this, props.repositoryNames);
  }

  /** Validates the props; returns the repository's name, which the default role name ends with. */
  private validate(props: GithubPushRoleProps, refs: string[], roleNamePrefix: string): string {
    checkGithubRepository(this, 'githubRepository', props.githubRepository);
    const repositoryName = githubRepositoryName(props.githubRepository);
    if (refs.length === 0) {
      throw invalidProp(this, 'refs', refs, 'name at least one ref, e.g. "refs/heads/main"');
    }
    refs.forEach((ref, index) => checkGitRef(this, `refs[${index}]`, ref));
    if (new Set(refs).size !== refs.length) {
      throw invalidProp(this, 'refs', refs, 'name each ref once');
    }
    checkIamRoleNameOrDerived(this, 'roleName', props.roleName, `${roleNamePrefix}${repositoryName}`,
      { field: 'githubRepository', value: props.githubRepository, overhead: roleNamePrefix.length, override: 'roleName' });
    const arn = props.oidcProviderArn;
    if (!Token.isUnresolved(arn) && !GITHUB_PROVIDER_ARN.test(arn)) {
      throw invalidProp(this, 'oidcProviderArn', arn, `give the account's GitHub provider, arn:aws:iam::<account>:oidc-provider/${GITHUB_OIDC_HOST}`);
    }
    // One role per pushing repository and registry: a second would only widen who pushes what.
    Claims.of(this).claimValue(this, 'githubRepository', `@piksel/network-hub:${props.registry.node.path}:push-repositories`,
      props.githubRepository.toLowerCase(), 'give each GitHub repository one push role, naming all the repositories it pushes');
    return repositoryName;
  }
}
