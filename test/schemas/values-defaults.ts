/**
 * The key tree check for Helm values of a chart that ships no `values.schema.json`: the chart's
 * default `values.yaml` is the only description of what it reads.
 */

/**
 * Value keys whose content is a Kubernetes API type or a string map the chart renders with
 * `toYaml` (the API server checks it, not the chart), so any key below them is accepted even
 * where the default map is not empty (`nodeSelector: {kubernetes.io/os: linux}`).
 */
const KUBERNETES_TYPED_KEYS = new Set([
  'affinity', 'annotations', 'containerSecurityContext', 'dnsConfig', 'labels', 'livenessProbe', 'nodeSelector',
  'podAnnotations', 'podLabels', 'podSecurityContext', 'readinessProbe', 'resources', 'securityContext',
  'startupProbe', 'strategy', 'updateStrategy',
]);

/** Value keys that take an integer or a percentage string (`maxUnavailable: 1` or `"25%"`). */
const INT_OR_STRING_KEYS = new Set(['maxSurge', 'maxUnavailable', 'minAvailable']);

/**
 * Keys a chart without `values.schema.json` documents (in its README or in comments of its
 * `values.yaml`) but leaves out of the default values, or documents as free-form: anything is
 * accepted at and below these dotted paths.
 */
const DOCUMENTED_FREE_FORM: Record<string, string[]> = {
  // config.envoyGateway is a whole EnvoyGateway configuration object (gateway.envoyproxy.io/v1alpha1).
  'gateway-helm': ['config.envoyGateway'],
  'aws-efs-csi-driver': ['controller.podDisruptionBudget.maxUnavailable'],
  'nvidia-device-plugin': ['devicePlugin.enableHostNetwork', 'gfd.enableHostNetwork', 'mps.enableHostNetwork'],
  // The spec fields are copied into the GitRepository and Kustomization; "" in the defaults means unset.
  'flux2-sync': ['gitRepository.spec.ref', 'gitRepository.spec.suspend', 'kustomization.spec.suspend'],
};

/**
 * Compares Helm values with a chart's default values.
 *
 * @returns one `<JSON pointer>: <message>` line per unknown key or type mismatch; empty when none
 */
export function compareToDefaults(chart: string, values: unknown, defaults: unknown): string[] {
  const errors: string[] = [];
  compareTree(values, defaults, [], new Set(DOCUMENTED_FREE_FORM[chart] ?? []), errors);
  return errors;
}

/**
 * The key tree check for charts without a values schema: every given key must exist in the
 * defaults, except below an empty or null default, a Kubernetes-typed key or a documented
 * free-form path; a scalar default fixes the type (a null default accepts anything, and a null
 * value, which tells Helm to drop the default, is always accepted). List items are not checked.
 */
function compareTree(given: unknown, defaults: unknown, path: string[], freeForm: Set<string>, errors: string[]): void {
  const at = '/' + path.join('/');
  if (defaults === null || defaults === undefined || given === null || freeForm.has(path.join('.'))) return;
  if (isMap(defaults)) {
    if (!isMap(given)) { errors.push(`${at}: is ${typeName(given)}; the chart's default is a map`); return; }
    if (Object.keys(defaults).length === 0 || KUBERNETES_TYPED_KEYS.has(path[path.length - 1])) return;
    for (const [key, value] of Object.entries(given)) {
      if (!(key in defaults) && !freeForm.has([...path, key].join('.'))) errors.push(`${at === '/' ? '' : at}/${key}: unknown key (not in the chart's values.yaml)`);
      else compareTree(value, defaults[key], [...path, key], freeForm, errors);
    }
    return;
  }
  if (Array.isArray(defaults)) {
    if (!Array.isArray(given)) errors.push(`${at}: is ${typeName(given)}; the chart's default is a list`);
    return;
  }
  const intOrString = INT_OR_STRING_KEYS.has(path[path.length - 1]) && ['number', 'string'].includes(typeof given);
  if (typeof given !== typeof defaults && !intOrString) errors.push(`${at}: is ${typeName(given)}; the chart's default is a ${typeName(defaults)}`);
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (isMap(value)) return 'map';
  return value === null ? 'null' : typeof value;
}

export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
