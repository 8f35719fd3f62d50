import { ENVIRONMENTS, Environment, findEnvironment, SecretKindId } from '@piksel/estate';
// Deep imports: these modules are construct-free; the package root would load cdktf and the
// AWS provider bindings, which a CLI never needs.
import { SecretKind } from '@piksel/secrets/lib/secret-kind';
import { SecretsKeyAlias } from '@piksel/secrets/lib/secrets-key-alias';
import { SecretTagSchema } from '@piksel/secrets/lib/tag-schema';
import { CliError } from './errors';

/** The secret kinds the CLI puts values for, by `SecretKind.id`. */
export const KINDS: Record<SecretKindId, SecretKind> = {
  'oauth-client': SecretKind.OAUTH_CLIENT,
  'slack-webhook': SecretKind.SLACK_WEBHOOK,
};

/** The secret an operator names on the command line. */
export interface SecretRequest {
  /** Environment name, e.g. `dev`. */
  readonly env: string;
  /** The `Service` tag and name part, e.g. `grafana`. */
  readonly service: string;
  /** Kind id, e.g. `oauth-client`. */
  readonly kind: string;
  /** The `Tenant` tag; taken from the estate table when omitted. */
  readonly tenant?: string;
}

/** Everything the CLI derives for one secret: where it lives, its name, tags and key. */
export interface SecretTarget {
  readonly environment: Environment;
  readonly kind: SecretKind;
  readonly service: string;
  /** The conventional name, e.g. `grafana-oauth-dev`. */
  readonly name: string;
  /** The description Terraform gives the same secret (see `TaggedSecret`). */
  readonly description: string;
  /** The full tag schema, in schema order. */
  readonly tags: Record<string, string>;
  /** The alias of the environment's Secrets Manager key. */
  readonly keyAlias: string;
  /** Whether the estate table lists this secret for the environment. */
  readonly expected: boolean;
}

/** The environment called `name`, or an error that lists the environments there are. */
export function environmentNamed(name: string): Environment {
  const environment = findEnvironment(name);
  if (!environment) {
    throw new CliError(`unknown environment ${JSON.stringify(name)}; use one of: ${ENVIRONMENTS.map((env) => env.name).join(', ')}`);
  }
  return environment;
}

/** The kind called `id`, or an error that lists the kinds there are. */
export function kindNamed(id: string): SecretKind {
  const kind = (KINDS as Record<string, SecretKind | undefined>)[id];
  if (!kind) {
    throw new CliError(`unknown kind ${JSON.stringify(id)}; use one of: ${Object.keys(KINDS).join(', ')}`);
  }
  return kind;
}

/**
 * Derives the secret's name, tags and key from the request, the naming convention and the
 * estate table, refusing what the tag schema or the table does not allow.
 */
export function secretTarget(request: SecretRequest): SecretTarget {
  const environment = environmentNamed(request.env);
  const kind = kindNamed(request.kind);
  const spec = environment.secrets.find((s) => s.kind === kind.id && s.service === request.service);
  const tenant = request.tenant ?? spec?.tenant;
  // Schema problems first: a malformed service is the likelier mistake than a missing tenant,
  // which is reported next (the placeholder only keeps the tenant out of this check).
  const problems = SecretTagSchema.problems({ service: request.service, environment: environment.name, tenant: tenant ?? 'unset' });
  if (problems.length > 0) {
    throw new CliError(`the secret would break the Piksel tag schema: ${problems.join('; ')}`);
  }
  if (tenant === undefined) {
    throw new CliError(
      `--tenant is required: the estate table has no ${kind.id} secret for ${JSON.stringify(request.service)} in ${environment.name} ` +
      'to take it from. Give who issued the credential, e.g. --tenant Cognito, --tenant Auth0 or --tenant Slack.',
    );
  }
  if (spec && tenant !== spec.tenant) {
    throw new CliError(
      `--tenant is ${JSON.stringify(tenant)}, but the estate table says ${kind.secretName(request.service, environment.name)} ` +
      `is issued by ${JSON.stringify(spec.tenant)}; leave --tenant out, or change the table in @piksel/estate first.`,
    );
  }
  const values = { service: request.service, environment: environment.name, tenant };
  return {
    environment,
    kind,
    service: request.service,
    name: kind.secretName(request.service, environment.name),
    description: `${kind.description} for ${request.service} in ${environment.name}`,
    tags: SecretTagSchema.render(values),
    keyAlias: SecretsKeyAlias.forEnvironment(environment.name),
    expected: spec !== undefined,
  };
}

/** Schema tags that a secret's actual tags lack, and those whose values differ. */
export interface TagDifferences {
  readonly missing: string[];
  readonly conflicting: { key: string; expected: string; actual: string }[];
}

/** Compares a secret's actual tags with the schema tags the target expects. */
export function tagDifferences(target: SecretTarget, actual: Record<string, string>): TagDifferences {
  const missing: string[] = [];
  const conflicting: TagDifferences['conflicting'] = [];
  for (const key of SecretTagSchema.KEYS) {
    const expected = target.tags[key];
    if (!(key in actual)) {
      missing.push(key);
    } else if (actual[key] !== expected) {
      conflicting.push({ key, expected, actual: actual[key] });
    }
  }
  return { missing, conflicting };
}

/** `Project=Piksel, Service=grafana, ...` */
export function formatTags(tags: Record<string, string>): string {
  return Object.entries(tags).map(([key, value]) => `${key}=${value}`).join(', ');
}
