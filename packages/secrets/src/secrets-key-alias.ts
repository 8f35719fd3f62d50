/**
 * The alias of an environment's Secrets Manager key (see `SecretsKey`).
 *
 * Construct-free, so that tools outside Terraform (for example the `piksel-secrets` CLI) find
 * the key by the same name the library gives it.
 */
export class SecretsKeyAlias {
  /** The alias of `environment`'s key: `alias/piksel-<environment>-secrets`. */
  public static forEnvironment(environment: string): string {
    return `alias/piksel-${environment}-secrets`;
  }

  private constructor() {}
}
