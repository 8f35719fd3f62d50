import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { checkIamRoleName, invalidProp, LibraryVersion, Naming } from '@piksel/core';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { IContainerRegistry, IRegistryGrantee } from './container-registry';
import { GITHUB_OIDC_HOST, STS_AUDIENCE, trustGithubActions } from './private/ecr-policy';
import { policyDocument } from './private/route53-policy';

/** The push role's name unless told otherwise. */
/**
 * One hour, the IAM default: long enough for an image build and push; a workflow assumes the role
 * again for each job.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
 */
const MAX_SESSION_DURATION_SECONDS = 3600;
/** IAM role names: 1–64 of `A-Z a-z 0-9 + = , . @ _ -`. */
/**
 * A GitHub subject that names an organization: `repo:<org>/<repository or pattern>[:<qualifier>]`.
 * Organization names are 1–39 letters, digits and inner hyphens, never a wildcard.
 * @see https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims
 */
const GITHUB_SUBJECT = /^repo:[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[\w.*:/@-]+$/;
/** The account's IAM OIDC provider for GitHub Actions. */
const GITHUB_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/** Properties of a `GithubPushRole`. */
export interface GithubPushRoleProps {
  /** The registry the role pushes to; the role may push to and pull every repository of it. */
  readonly registry: IContainerRegistry;

  /**
   * Which GitHub Actions workflows may assume the role: a pattern the token's `sub` claim must
   * match (`StringLike`, `*` and `?` wildcards). It must name an organization:
   * `repo:piksel-ina/*` (every repository of the organization), or narrower, e.g.
   * `repo:piksel-ina/piksel-core:ref:refs/heads/main`.
   *
   * @see https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims
   */
  readonly subject: string;

  /**
   * Name of the role.
   *
   * @default `<prefix>-registry-push` (`Naming` of @piksel/core)
   */
  readonly roleName?: string;

  /**
   * ARN of the account's existing IAM OIDC provider for `token.actions.githubusercontent.com`.
   * An account can hold only one provider per issuer URL, so reuse it when another stack made it.
   *
   * @default - this construct creates the provider
   */
  readonly oidcProviderArn?: string;

  /**
   * Tags for the role and the OIDC provider.
   *
   * @default - none besides the provider's default tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * A role that GitHub Actions workflows of one organization assume through OIDC (no stored access
 * keys) to push images to the registry.
 *
 * Trust: `sts:AssumeRoleWithWebIdentity` through the GitHub OIDC provider, with
 * `token.actions.githubusercontent.com:aud` equal to `sts.amazonaws.com` and
 * `token.actions.githubusercontent.com:sub` like `subject`. Permissions: the registry's
 * `grantPullPush` (log in to ECR; push and pull its repositories), nothing else.
 *
 * The provider is created without `thumbprint_list` (optional in hashicorp/aws 5.100.0, since
 * hashicorp/terraform-provider-aws#37255): since July 2023 IAM verifies GitHub's certificate
 * against its library of trusted root CAs, not a thumbprint.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html
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

  constructor(scope: Construct, id: string, props: GithubPushRoleProps) {
    super(scope, id);
    this.validate(props);
    const naming = Naming.of(this);
    const roleName = props.roleName ?? naming.name('registry-push');
    const oidcProviderArn = props.oidcProviderArn ?? this.createProvider(props.tags);

    const role = new IamRole(this, 'Role', {
      name: roleName,
      description: `Pushes images to the ${naming.displayName} registry from GitHub Actions (${props.subject})`,
      assumeRolePolicy: policyDocument(trustGithubActions(oidcProviderArn, props.subject)),
      maxSessionDuration: MAX_SESSION_DURATION_SECONDS,
      tags: props.tags,
    });
    LibraryVersion.record(this, __dirname);

    this.granteeRoleName = role.name;
    this.roleName = roleName;
    this.roleArn = role.arn;
    this.oidcProviderArn = oidcProviderArn;
    props.registry.grantPullPush(this);
  }

  private validate(props: GithubPushRoleProps): void {
    if (!Token.isUnresolved(props.subject) && !GITHUB_SUBJECT.test(props.subject)) {
      throw invalidProp(this, 'subject', props.subject, 'name the organization: "repo:<org>/*" (e.g. "repo:piksel-ina/*") or "repo:<org>/<repository>[:<qualifier>]"');
    }
    if (props.roleName !== undefined) checkIamRoleName(this, 'roleName', props.roleName);
    const arn = props.oidcProviderArn;
    if (arn !== undefined && !Token.isUnresolved(arn) && !GITHUB_PROVIDER_ARN.test(arn)) {
      throw invalidProp(this, 'oidcProviderArn', arn, `give the account's GitHub provider, arn:aws:iam::<account>:oidc-provider/${GITHUB_OIDC_HOST}`);
    }
  }

  private createProvider(tags?: { [key: string]: string }): string {
    return new IamOpenidConnectProvider(this, 'OidcProvider', {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdList: [STS_AUDIENCE],
      tags,
    }).arn;
  }
}
