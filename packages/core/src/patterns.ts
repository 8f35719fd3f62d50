/**
 * Predicates on plain values, with no construct and no cdktf: tools outside Terraform (the
 * operator CLIs) check names with the same rules as the libraries, without loading cdktf. Import
 * them by deep path, `@piksel/core/lib/patterns`.
 */

/** 12-digit AWS account IDs. */
export const ACCOUNT_ID = /^\d{12}$/;
/** Lower-case kebab-case: `piksel-hub`, `dev`. */
export const KEBAB_CASE = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;

/** Whether `value` is lower-case kebab-case (`piksel-hub`, `dev`). */
export function isKebabCase(value: string): boolean {
  return KEBAB_CASE.test(value);
}

/** Whether `value` is a 12-digit AWS account ID. */
export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}
