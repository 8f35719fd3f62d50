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

/** An RFC 1123 label (Kubernetes namespaces, most object names, each label of a domain): lower-case, 1–63. */
export const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** Characters tags allow in keys and values across AWS services. */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * Whether `key` is a tag key AWS accepts: 1–128 letters, digits, spaces and `_ . : / = + - @`,
 * not in the reserved `aws:` namespace (in any letter case).
 * @see https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
 */
export function isTagKey(key: string): boolean {
  return key.length >= 1 && key.length <= 128 && TAG_CHARACTERS.test(key) && !key.toLowerCase().startsWith('aws:');
}

/** Whether `value` is a tag value AWS accepts: at most 256 letters, digits, spaces and `_ . : / = + - @`. */
export function isTagValue(value: string): boolean {
  return typeof value === 'string' && value.length <= 256 && TAG_CHARACTERS.test(value);
}

/**
 * A released chart version: `MAJOR.MINOR.PATCH` of semantic versioning without leading zeros, and
 * without a pre-release or build suffix (a pinned release is what the libraries install).
 * @see https://helm.sh/docs/topics/charts/#charts-and-versioning
 */
const CHART_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** Whether `value` is one released chart version (`1.14.1`): no `v` prefix, no range, no pre-release. */
export function isChartVersion(value: string): boolean {
  return CHART_VERSION.test(value);
}
