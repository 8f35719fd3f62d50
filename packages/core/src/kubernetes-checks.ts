import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { invalidProp } from './errors';
import { DNS_LABEL } from './patterns';

/**
 * Checks of Kubernetes names, labels and quantities, one each. Each skips an unresolved token and
 * throws in the one format of `invalidProp`.
 */

/** An RFC 1123 subdomain (ConfigMap and Secret names): labels joined by dots, at most 253. */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
/** The name part of a label key, and a non-empty label value: 1–63, alphanumeric at both ends. */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
/** A Kubernetes resource quantity: `100`, `0.5`, `500m`, `16Gi`, `1e3`. */
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;

/**
 * Fails unless `value` is a Kubernetes namespace or label-like name (RFC 1123 label, 1–63).
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names
 */
export function checkKubernetesLabelName(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!DNS_LABEL.test(value)) {
    throw invalidProp(scope, field, value, 'use a Kubernetes name of 1-63 lower-case letters, digits and inner -, e.g. "external-dns"');
  }
}

/**
 * Fails unless `value` is a Kubernetes object name (RFC 1123 subdomain, at most 253).
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names
 */
export function checkKubernetesObjectName(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!DNS_SUBDOMAIN.test(value)) {
    throw invalidProp(scope, field, value, 'use a Kubernetes object name: lower-case letters, digits, inner - and ., at most 253 characters');
  }
}

/**
 * Fails unless `value` is a Kubernetes qualified name: label, annotation and taint keys, resource
 * names. An optional DNS-subdomain prefix and `/`, then 1–63 letters, digits, `-`, `_` and `.`,
 * alphanumeric at both ends (`kubernetes.io/arch`, `nvidia.com/gpu`, `cpu`).
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 */
export function checkKubernetesQualifiedName(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  const slash = value.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : value.slice(0, slash);
  if (!LABEL_NAME.test(value.slice(slash + 1)) || (prefix !== undefined && !DNS_SUBDOMAIN.test(prefix))) {
    throw invalidProp(scope, field, value, 'use a Kubernetes qualified name such as "kubernetes.io/arch" or "cpu": an optional lower-case DNS prefix and /, then 1-63 letters, digits, -, _ and ., alphanumeric at both ends');
  }
}

/** Fails unless `value` is a label value: empty, or 1–63 letters, digits, `-`, `_` and `.`, alphanumeric at both ends. */
export function checkKubernetesLabelValue(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (value !== '' && !LABEL_NAME.test(value)) {
    throw invalidProp(scope, field, value, 'use a label value: at most 63 letters, digits, -, _ and ., alphanumeric at both ends (e.g. "true")');
  }
}

/**
 * Fails unless `value` is a Kubernetes quantity (`16`, `500m`, `64Gi`) of at least `minimum`, or
 * above it when `exclusive` (limits and requests that must be more than nothing).
 * @param minimum the smallest accepted amount in the quantity's own base unit
 * @param exclusive whether `minimum` itself is refused
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */
export function checkKubernetesQuantity(scope: IConstruct, field: string, value: string, minimum: number = 0, exclusive: boolean = false): void {
  if (Token.isUnresolved(value)) return;
  const amount = QUANTITY.test(value) ? quantityValue(value) : NaN;
  if (!(exclusive ? amount > minimum : amount >= minimum)) {
    throw invalidProp(scope, field, value, `use a Kubernetes quantity ${exclusive ? 'above' : 'of at least'} ${minimum}, such as "1000", "500m" or "64Gi"`);
  }
}

const QUANTITY_SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The amount of a quantity already known to be well-formed. */
function quantityValue(value: string): number {
  const suffix = /([KMGTPE]i|[numkMGTPE])$/.exec(value)?.[1];
  return suffix ? Number(value.slice(0, -suffix.length)) * QUANTITY_SUFFIX[suffix] : Number(value);
}
