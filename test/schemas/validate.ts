import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { compareToDefaults, isMap } from './values-defaults';

/**
 * Test-time checks of in-cluster objects against the upstream schema of the version they pin:
 * a CRD's `openAPIV3Schema` for `kubernetes_manifest` objects, a chart's `values.schema.json`
 * (or, where the chart ships none, its default `values.yaml`) for Helm release values.
 * The fixtures, their upstream and licence are listed in SOURCES.md beside this file.
 */

/** Root of the fixtures; chart values under `charts/<chart>/<version>/`, CRDs under `crds/<group>/<kind>/`. */
export const SCHEMAS_DIR = __dirname;

/** A CRD fixture: one served API version of one kind, as a component version ships it. */
export interface CrdFixture {
  readonly apiVersion: string;
  readonly kind: string;
  /** The component whose pinned version selects the fixture, e.g. `karpenter`. */
  readonly component: string;
  /** That component's version, exactly as pinned (`1.14.1`, `v1.21.1`). */
  readonly componentVersion: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly source: string;
  readonly schema: Schema;
}

/** A chart values fixture. */
export interface ChartFixture {
  readonly chart: string;
  readonly version: string;
  /** `values.schema.json` when the chart ships one, else its default `values.yaml`. */
  readonly file: string;
}

/** A JSON schema or OpenAPI v3 schema object, as read from a fixture. */
export type Schema = { [keyword: string]: unknown };

/** Where each component's fixtures come from, for the message that asks for a missing one. */
const UPSTREAM: Record<string, string> = {
  'cert-manager': 'cert-manager/cert-manager (deploy/crds, deploy/charts/cert-manager)',
  'envoy-gateway': 'envoyproxy/gateway (charts/gateway-helm)',
  'gateway-helm': 'envoyproxy/gateway (charts/gateway-helm)',
  'gateway-crds-helm': 'envoyproxy/gateway (charts/gateway-crds-helm)',
  'gateway-api': 'kubernetes-sigs/gateway-api (config/crd/standard)',
  'external-dns': 'kubernetes-sigs/external-dns (charts/external-dns)',
  'metrics-server': 'kubernetes-sigs/metrics-server (charts/metrics-server)',
  'aws-efs-csi-driver': 'kubernetes-sigs/aws-efs-csi-driver (charts/aws-efs-csi-driver)',
  'nvidia-device-plugin': 'NVIDIA/k8s-device-plugin (deployments/helm/nvidia-device-plugin)',
  'external-secrets': 'external-secrets/external-secrets (config/crds/bases, deploy/charts/external-secrets)',
  'karpenter': 'aws/karpenter-provider-aws (pkg/apis/crds, charts/karpenter)',
  'karpenter-crd': 'aws/karpenter-provider-aws (charts/karpenter-crd)',
  'flux2': 'fluxcd-community/helm-charts (charts/flux2)',
  'flux2-sync': 'fluxcd-community/helm-charts (charts/flux2-sync)',
};

/** Standard ObjectMeta fields a client may send; CRD schemas leave `metadata` open. */
const OBJECT_META: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    generateName: { type: 'string' },
    namespace: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' } },
    ownerReferences: { type: 'array', items: { type: 'object' } },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer' },
    creationTimestamp: { type: ['string', 'null'] },
    deletionTimestamp: { type: 'string' },
    deletionGracePeriodSeconds: { type: 'integer' },
    managedFields: { type: 'array' },
    selfLink: { type: 'string' },
  },
};

/** Formats whose values are checked; any other `format` (`byte`, `uri`, `duration`, ...) is accepted as is. */
const CHECKED_FORMATS = {
  'int32': { type: 'number' as const, validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
  'int64': { type: 'number' as const, validate: (n: number) => Number.isInteger(n) },
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
};

const compiled = new Map<string, ValidateFunction>();
let crdIndex: CrdFixture[] | undefined;

/**
 * Validates a Kubernetes object against the CRD schema of its `apiVersion`/`kind` at the given
 * component version (`validateManifest(nodePool, '1.14.1')`).
 *
 * Unknown fields are errors, as for the API server with strict field validation (kubectl and
 * Terraform's server-side apply). `x-kubernetes-validations` CEL rules are not evaluated.
 *
 * @returns one `<JSON pointer>: <message>` line per problem; empty when valid
 * @throws when no fixture exists for that kind at that version
 * @see https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation
 */
export function validateManifest(object: unknown, version: string): string[] {
  if (!isMap(object) || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
    return ['/: must be an object with string apiVersion and kind'];
  }
  const fixture = findCrd(object.apiVersion, object.kind, version);
  const validate = compile(`crd:${fixture.apiVersion}/${fixture.kind}@${fixture.componentVersion}`, () => crdSchema(fixture));
  const errors = validate(object) ? [] : formatErrors(validate.errors ?? []);
  const metadata = isMap(object.metadata) ? object.metadata : {};
  if (metadata.name === undefined && metadata.generateName === undefined) errors.push('/metadata/name: required field is missing');
  if (fixture.scope === 'Cluster' && metadata.namespace !== undefined) {
    errors.push(`/metadata/namespace: ${fixture.kind} is cluster-scoped; remove the namespace`);
  }
  return errors;
}

/**
 * Validates Helm release values against the chart's `values.schema.json` at that chart version,
 * or, where the chart ships none, against the key tree of its default `values.yaml`.
 *
 * Helm ignores keys a chart does not read, so a misspelt key would silently do nothing: unknown
 * keys are errors in both cases (see `closeObjects` and `compareToDefaults`).
 *
 * @param version the chart version exactly as Helm wants it (`v1.21.1` for cert-manager, `1.14.1` for karpenter)
 * @returns one `<JSON pointer>: <message>` line per problem; empty when valid
 * @throws when no fixture exists for that chart at that version
 * @see https://helm.sh/docs/topics/charts/#schema-files
 */
export function validateChartValues(chart: string, version: string, values: unknown): string[] {
  const fixture = findChart(chart, version);
  if (fixture.file.endsWith('.json')) {
    const validate = compile(`chart:${chart}@${version}`, () => readJson(fixture.file) as Schema);
    return validate(values) ? [] : formatErrors(validate.errors ?? []);
  }
  return compareToDefaults(chart, values, parse(readFileSync(fixture.file, 'utf-8')));
}

/** Every fixture available, for listing and for tests that run over all of them. */
export function fixtureVersions(): { crds: CrdFixture[]; charts: ChartFixture[] } {
  crdIndex ??= filesUnder(join(SCHEMAS_DIR, 'crds')).filter((f) => f.endsWith('.json')).map((f) => readJson(f) as CrdFixture);
  const crds = crdIndex;
  const charts = listDirs(join(SCHEMAS_DIR, 'charts')).flatMap((chart) => listDirs(join(SCHEMAS_DIR, 'charts', chart))
    .map((version) => ({ chart, version, file: valuesFile(chart, version) }))
    .filter((c): c is ChartFixture => c.file !== undefined));
  return { crds, charts };
}

function findCrd(apiVersion: string, kind: string, version: string): CrdFixture {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : 'core';
  const candidates = fixtureVersions().crds.filter((f) => f.apiVersion === apiVersion && f.kind === kind);
  const found = candidates.find((f) => f.componentVersion === version);
  if (found) return found;
  const component = candidates[0]?.component ?? '<component>';
  throw new Error(`no schema fixture for ${component} ${version} (${apiVersion} ${kind}): add test/schemas/crds/${group}/${kind}/${component}-${version}.json `
    + `from ${UPSTREAM[component] ?? 'the upstream CRD'} (see SOURCES.md)${nearMiss(version, candidates.map((f) => f.componentVersion))}`);
}

function findChart(chart: string, version: string): ChartFixture {
  const file = valuesFile(chart, version);
  if (file) return { chart, version, file };
  const known = existsSync(join(SCHEMAS_DIR, 'charts', chart)) ? listDirs(join(SCHEMAS_DIR, 'charts', chart)) : [];
  throw new Error(`no schema fixture for ${chart} ${version}: add test/schemas/charts/${chart}/${version}/values.schema.json (or values.yaml) `
    + `from ${UPSTREAM[chart] ?? 'the chart\'s repository'} (see SOURCES.md)${nearMiss(version, known)}`);
}

/** A hint when only the leading `v` differs: versions are matched exactly, as Helm matches them. */
function nearMiss(version: string, known: string[]): string {
  const other = known.find((k) => k.replace(/^v/, '') === version.replace(/^v/, ''));
  return other ? `; a fixture exists for ${other} (versions are matched exactly)` : '';
}

function valuesFile(chart: string, version: string): string | undefined {
  return ['values.schema.json', 'values.yaml'].map((name) => join(SCHEMAS_DIR, 'charts', chart, version, name)).find(existsSync);
}

/** The fixture's schema, closed for unknown fields, with `metadata` as ObjectMeta. */
function crdSchema(fixture: CrdFixture): Schema {
  const schema = structuredClone(fixture.schema);
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  schema.properties = { ...properties, metadata: OBJECT_META };
  return schema;
}

/**
 * One compiled validator per fixture. CRD schemas are OpenAPI v3 (draft-04 like), chart schemas
 * draft-07 or 2020-12 by their `$schema`; `strict: false` accepts upstream keywords ajv does not
 * know, such as `x-kubernetes-*` and `nullable`, which ajv itself honours.
 */
function compile(key: string, load: () => Schema): ValidateFunction {
  const cached = compiled.get(key);
  if (cached) return cached;
  const schema = closeObjects(structuredClone(load()));
  const options = { strict: false, allErrors: true, unicodeRegExp: false, formats: CHECKED_FORMATS, logger: false as const };
  const ajv = String(schema.$schema ?? '').includes('2020-12') ? new Ajv2020(options) : new Ajv(options);
  for (const format of collectFormats(schema)) if (!(format in CHECKED_FORMATS)) ajv.addFormat(format, true);
  const validate = ajv.compile(schema);
  compiled.set(key, validate);
  return validate;
}

/**
 * Prepares an upstream schema (CRD or chart values) for ajv.
 *
 * Closes every object schema that lists `properties` and says nothing of `additionalProperties`
 * (nor `x-kubernetes-preserve-unknown-fields: true`) with `additionalProperties: false`: strict
 * field validation on the API server rejects fields the schema does not declare. The root is
 * closed even where it says `additionalProperties: true` (external-dns's values schema does, for
 * umbrella charts), since a misspelt top-level value would otherwise pass silently.
 * `x-kubernetes-int-or-string` without `anyOf` gets the integer-or-string alternatives;
 * OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` become draft-07 numbers;
 * `x-kubernetes-validations` (CEL) is left unevaluated: no CEL engine runs here.
 */
function closeObjects(schema: Schema): Schema {
  visit(schema, (node) => {
    const isObject = node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object'));
    if (isObject && isMap(node.properties) && node.additionalProperties === undefined && node.patternProperties === undefined
      && node['x-kubernetes-preserve-unknown-fields'] !== true) {
      node.additionalProperties = false;
    }
    if (node['x-kubernetes-int-or-string'] === true && node.anyOf === undefined && node.type === undefined) {
      node.anyOf = [{ type: 'integer' }, { type: 'string' }];
    }
    for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
      if (typeof node[exclusive] !== 'boolean') continue;
      if (node[exclusive] === true && node[bound] !== undefined) { node[exclusive] = node[bound]; delete node[bound]; } else {delete node[exclusive];}
    }
  });
  if (isMap(schema.properties) && schema.additionalProperties === true) schema.additionalProperties = false;
  return schema;
}

/** Calls `fn` on every subschema (JSON Schema and OpenAPI keywords that hold schemas). */
function visit(node: unknown, fn: (schema: Schema) => void): void {
  if (!isMap(node)) return;
  fn(node);
  for (const key of ['properties', 'patternProperties', '$defs', 'definitions']) {
    if (isMap(node[key])) for (const child of Object.values(node[key] as Schema)) visit(child, fn);
  }
  for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'additionalItems']) {
    if (Array.isArray(node[key])) (node[key] as unknown[]).forEach((child) => visit(child, fn));
    else visit(node[key], fn);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
    if (Array.isArray(node[key])) (node[key] as unknown[]).forEach((child) => visit(child, fn));
  }
}

function collectFormats(schema: Schema): Set<string> {
  const formats = new Set<string>();
  visit(schema, (node) => { if (typeof node.format === 'string') formats.add(node.format); });
  return formats;
}

/** ajv errors as `<JSON pointer>: <message>`, the pointer naming the field itself. */
function formatErrors(errors: ErrorObject[]): string[] {
  const lines = errors.map((e) => {
    const at = e.instancePath;
    switch (e.keyword) {
      case 'additionalProperties': return `${at}/${e.params.additionalProperty}: unknown field`;
      case 'required': return `${at}/${e.params.missingProperty}: required field is missing`;
      case 'enum': return `${at || '/'}: must be one of ${JSON.stringify(e.params.allowedValues)}`;
      default: return `${at || '/'}: ${e.message}`;
    }
  });
  return [...new Set(lines)];
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf-8'));
}

function listDirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)])).sort();
}
