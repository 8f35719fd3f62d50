import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { checkAccountId, checkTags, Claims, LibraryVersion, stackAccount } from '@piksel/core';
import { Construct, IConstruct } from 'constructs';
import { GITHUB_OIDC_HOST, STS_AUDIENCE } from './private/github';

/** An account's IAM OIDC provider for GitHub Actions, as roles that trust it see it. */
export interface IGithubOidcProvider extends IConstruct {
  /** ARN of the provider: the `Federated` principal of the roles' trust policies. */
  readonly oidcProviderArn: string;
}

/** Properties of a `GithubOidcProvider`. */
export interface GithubOidcProviderProps {
  /**
   * The account the provider is made in: IAM holds one provider per issuer in an account, so a
   * second `GithubOidcProvider` of the same account anywhere in the app fails.
   *
   * @default - the account of the stack's AWS provider (its one `allowed_account_ids`); none known, not checked
   */
  readonly account?: string;

  /**
   * Tags for the provider.
   *
   * @default - none besides the provider's default tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * The account's one IAM OIDC provider for GitHub Actions: issuer
 * `https://token.actions.githubusercontent.com`, client ID (audience) `sts.amazonaws.com`.
 *
 * IAM holds at most one provider per issuer URL in an account (a second fails with
 * `EntityAlreadyExists`), so create it once, in the account's baseline, and let every other stack
 * refer to it with `GithubOidcProvider.fromAccount`.
 *
 * No `thumbprint_list`: it is optional in hashicorp/aws 5.x, and since July 2023 IAM checks
 * GitHub's certificate against its own library of trusted root CAs, not against thumbprints.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
 * @see https://docs.github.com/en/actions/how-tos/secure-your-work/security-harden-deployments/oidc-in-aws
 */
export class GithubOidcProvider extends Construct implements IGithubOidcProvider {
  /** The issuer URL of GitHub Actions' tokens. */
  public static readonly ISSUER_URL = `https://${GITHUB_OIDC_HOST}`;

  /** The audience the AWS credentials action requests, and the provider's one client ID. */
  public static readonly AUDIENCE = STS_AUDIENCE;

  /**
   * Refers to the provider that the baseline of `account` created, by its well-known ARN
   * `arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com`, without creating
   * anything.
   */
  public static fromAccount(scope: Construct, id: string, account: string): IGithubOidcProvider {
    const imported = new ImportedGithubOidcProvider(scope, id, GithubOidcProvider.arnForAccount(account));
    checkAccountId(imported, 'account', account);
    return imported;
  }

  /** The well-known ARN of the GitHub provider of `account`. */
  public static arnForAccount(account: string): string {
    return `arn:aws:iam::${account}:oidc-provider/${GITHUB_OIDC_HOST}`;
  }

  public readonly oidcProviderArn: string;

  constructor(scope: Construct, id: string, props: GithubOidcProviderProps = {}) {
    super(scope, id);
    checkTags(this, 'tags', props.tags);
    if (props.account !== undefined) checkAccountId(this, 'account', props.account);
    const account = props.account ?? stackAccount(this);
    if (account !== undefined) Claims.of(this).claimOidcProvider(this, 'issuer', account, GITHUB_OIDC_HOST);
    const provider = new IamOpenidConnectProvider(this, 'Provider', {
      url: GithubOidcProvider.ISSUER_URL,
      clientIdList: [GithubOidcProvider.AUDIENCE],
      tags: props.tags,
    });
    LibraryVersion.record(this, __dirname);

    this.oidcProviderArn = provider.arn;
  }
}

class ImportedGithubOidcProvider extends Construct implements IGithubOidcProvider {
  public readonly oidcProviderArn: string;

  constructor(scope: Construct, id: string, oidcProviderArn: string) {
    super(scope, id);
    this.oidcProviderArn = oidcProviderArn;
  }
}
