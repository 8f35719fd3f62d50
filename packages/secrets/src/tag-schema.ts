// Deep path: the CLI loads this module and must not load cdktf.
import { isKebabCase, isTagKey, isTagValue } from '@piksel/core/lib/patterns';

/**
 * The tag values every Piksel secret carries.
 *
 * `Project`, `Service`, `Environment`, `Owner` and `Tenant` are the schema; they are what
 * operators search by and what tag-scoped read policies (see `SecretsReadByTagPolicy`) match.
 */
export interface SecretTagValues {
  /**
   * The workload that reads the secret (`Service` tag), lower-case kebab-case, e.g. `grafana`.
   */
  readonly service: string;

  /**
   * The environment the secret belongs to (`Environment` tag), lower-case kebab-case, e.g. `dev`.
   */
  readonly environment: string;

  /**
   * The external party that issued the credential (`Tenant` tag), e.g. `Slack`, `Cognito`,
   * `Auth0`.
   */
  readonly tenant: string;

  /**
   * The project (`Project` tag).
   *
   * @default - the naming setting's display name (`Naming` of @piksel/core): 'Piksel'
   */
  readonly project?: string;

  /**
   * The team that owns the secret (`Owner` tag).
   *
   * @default - the naming setting's owner (`Naming` of @piksel/core): 'Piksel-Devops-Team'
   */
  readonly owner?: string;

  /**
   * Additional tags. They may not redefine a schema key (in any letter case) nor use the
   * reserved `aws:` prefix.
   *
   * @default - no additional tags
   */
  readonly extraTags?: { [key: string]: string };
}

/**
 * The Piksel secret tag schema: its keys, defaults and rules.
 *
 * Usable without constructs (for example by an operator CLI) so that every tool applies the
 * same schema.
 */
export class SecretTagSchema {
  /** The schema's tag keys, in the order they are rendered. */
  public static readonly KEYS: string[] = ['Project', 'Service', 'Environment', 'Owner', 'Tenant'];

  /** Default `Project` tag. */
  public static readonly DEFAULT_PROJECT = 'Piksel';

  /** Default `Owner` tag. */
  public static readonly DEFAULT_OWNER = 'Piksel-Devops-Team';

  /**
   * Checks tag values against the schema and returns one message per problem (empty when the
   * values are valid). Each message names the field, the value and what is allowed.
   */
  public static problems(values: SecretTagValues): string[] {
    const problems: string[] = [];
    if (!isKebabCase(values.service)) {
      problems.push(`service is ${JSON.stringify(values.service)}; use lower-case letters, digits and hyphens (e.g. "grafana")`);
    }
    if (!isKebabCase(values.environment)) {
      problems.push(`environment is ${JSON.stringify(values.environment)}; use lower-case letters, digits and hyphens (e.g. "dev")`);
    }
    for (const [key, value] of Object.entries(SecretTagSchema.render(values))) {
      // The schema's tags must say something: empty is refused, though AWS would take it.
      if (value.length === 0 || !isTagValue(value)) {
        problems.push(`tag ${key} is ${JSON.stringify(value)}; use 1-256 letters, digits, spaces or _ . : / = + - @`);
      }
    }
    const schemaKeys = new Set(SecretTagSchema.KEYS.map((k) => k.toLowerCase()));
    for (const key of Object.keys(values.extraTags ?? {})) {
      if (schemaKeys.has(key.toLowerCase())) {
        problems.push(`extraTags.${key} redefines the schema tag ${key}; set it through its own property instead`);
      } else if (key.toLowerCase().startsWith('aws:')) {
        problems.push(`extraTags.${key} uses the prefix "aws:", which AWS reserves; choose another key`);
      } else if (!isTagKey(key)) {
        problems.push(`extraTags key ${JSON.stringify(key)} is not a valid tag key; use 1-128 letters, digits, spaces or _ . : / = + - @`);
      }
    }
    return problems;
  }

  /**
   * The full tag map: the schema keys with defaults applied, followed by the extra tags.
   * Does not validate; call `problems` first.
   */
  public static render(values: SecretTagValues): { [key: string]: string } {
    return {
      Project: values.project ?? SecretTagSchema.DEFAULT_PROJECT,
      Service: values.service,
      Environment: values.environment,
      Owner: values.owner ?? SecretTagSchema.DEFAULT_OWNER,
      Tenant: values.tenant,
      ...values.extraTags,
    };
  }

  private constructor() {}
}
