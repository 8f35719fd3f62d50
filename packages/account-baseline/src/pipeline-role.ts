import { IConstruct } from 'constructs';

/** A role the pipeline assumes from GitHub Actions, as other constructs see it. */
export interface IPipelineRole extends IConstruct {
  /** ARN of the role: the workflow's `role-to-assume`. */
  readonly roleArn: string;
  /** Name of the role. */
  readonly roleName: string;
  /** The one OIDC subject (`sub` claim) the role trusts, e.g. `repo:piksel-ina/piksel-constructs:pull_request`. */
  readonly subject: string;
}

/** What the deploy and plan roles share. */
export interface PipelineRoleOptions {
  /**
   * The GitHub repository whose workflows may assume the role, `owner/name` (e.g.
   * `piksel-ina/piksel-constructs`) as a literal. For a repository whose OIDC subject carries
   * immutable IDs (created or opted in after July 2026), give `owner@<owner id>/name@<repository id>`.
   *
   * @see https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims
   */
  readonly repository: string;

  /**
   * Longest session the role grants, in seconds (3600–43200). A workflow asks for at most this
   * with `role-duration-seconds`; a session chained into another account's role lasts at most an
   * hour anyway.
   *
   * @default 3600
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-settings.html#id_roles_update-session-duration
   */
  readonly maxSessionDuration?: number;

  /**
   * Roles of other accounts that may assume this role, as literal role ARNs: on the hub, the
   * spokes' roles of the same kind (they manage the hub side of their attachments). Trusted by
   * account, narrowed to exactly these ARNs with `aws:PrincipalArn`.
   *
   * @default - no role of another account
   */
  readonly crossAccountTrustedRoleArns?: string[];

  /**
   * Roles of other accounts this role may assume, as literal role ARNs: on a spoke, the hub's
   * role of the same kind. Every other role of another account is denied explicitly, whatever
   * else the role's policies allow.
   *
   * @default - no role of another account
   */
  readonly crossAccountAssumableRoleArns?: string[];

  /**
   * Tags for the role.
   *
   * @default - none besides the provider's default tags
   */
  readonly tags?: { [key: string]: string };
}
