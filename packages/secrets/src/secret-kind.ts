// Deep path: the CLI loads this module and must not load cdktf.
import { isKebabCase } from '@piksel/core/lib/patterns';

/**
 * What a secret holds, which fixes how it is named and described.
 *
 * Names follow `<service>-<purpose>-<environment>` (e.g. `grafana-oauth-dev`), except Slack
 * webhooks, which are named by the tenant first: `slack-<service>-<environment>`
 * (e.g. `slack-alerts-dev`).
 */
export class SecretKind {
  /** An OAuth client registration; the value is `client_id:client_secret`. */
  public static readonly OAUTH_CLIENT = new SecretKind('oauth-client', '{service}-oauth-{environment}', 'OAuth client credentials (client_id:client_secret)');

  /** A Slack incoming-webhook URL (`https://hooks.slack.com/services/...`). */
  public static readonly SLACK_WEBHOOK = new SecretKind('slack-webhook', 'slack-{service}-{environment}', 'Slack incoming webhook URL');

  /**
   * Any other kind of secret, named `<service>-<purpose>-<environment>`.
   *
   * @param purpose lower-case kebab-case word for what the secret is, e.g. `db-credentials`
   * @param description what the value is, used as the secret's description
   */
  public static of(purpose: string, description: string): SecretKind {
    if (!isKebabCase(purpose)) {
      throw new Error(`SecretKind.of: purpose is ${JSON.stringify(purpose)}; use lower-case letters, digits and hyphens (e.g. "db-credentials")`);
    }
    return new SecretKind(purpose, `{service}-${purpose}-{environment}`, description);
  }

  /** Short identifier of the kind, e.g. `oauth-client`. */
  public readonly id: string;

  /** What the secret's value is; used in the secret's description. */
  public readonly description: string;

  private readonly nameTemplate: string;

  private constructor(id: string, nameTemplate: string, description: string) {
    this.id = id;
    this.nameTemplate = nameTemplate;
    this.description = description;
  }

  /** The conventional secret name for `service` in `environment`. */
  public secretName(service: string, environment: string): string {
    return this.nameTemplate.replace('{service}', service).replace('{environment}', environment);
  }
}
