// Deep path: the CLI loads this module and must not load cdktf.
import { Naming } from '@piksel/core/lib/naming';

/**
 * The alias of an environment's Secrets Manager key (see `SecretsKey`).
 *
 * Construct-free, so that tools outside Terraform (for example the `piksel-secrets` CLI) find
 * the key by the same name the library gives it.
 */
export class SecretsKeyAlias {
  /**
   * The alias of `environment`'s key: `alias/<prefix>-<environment>-secrets`.
   *
   * @param prefix the organisation's name prefix (`Naming` of @piksel/core)
   */
  public static forEnvironment(environment: string, prefix: string = Naming.DEFAULT_PREFIX): string {
    return `alias/${prefix}-${environment}-secrets`;
  }

  private constructor() {}
}
