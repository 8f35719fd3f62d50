import { classifyValue, ValueKind } from './literals';
import { helmValues, readStacks, resolveValue, resources, TerraformResource, TerraformStack } from './terraform-json';
import { asArray, asObject, asString } from './yaml-file';

/** The ConfigMap the sync substitutes from when the estate does not say otherwise. */
const DEFAULT_SUBSTITUTE_FROM = 'cluster-values';
/** Namespaces every cluster has. */
const BUILT_IN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
/** Terraform Kubernetes resource types that are not one object of a kind. */
const NOT_AN_OBJECT = new Set(['kubernetes_manifest', 'kubernetes_labels', 'kubernetes_annotations', 'kubernetes_env', 'kubernetes_config_map_v1_data', 'kubernetes_node_taint']);

/** One key of the contract ConfigMap. */
export interface ContractValue {
  readonly key: string;
  /** The value as synthesized; a Terraform expression is known only at apply. */
  readonly raw: string;
  /** The value, where the synthesized JSON fixes it. */
  readonly literal?: string;
  readonly kind: ValueKind;
}

/** A Helm release the estate installs. */
export interface EstateRelease {
  readonly stack: string;
  readonly name: string;
  readonly chart: string;
  readonly version?: string;
  readonly namespace: string;
  readonly values: Record<string, unknown>;
}

/** A Kubernetes object the estate creates (`kubernetes_manifest` or a typed `kubernetes_*` resource). */
export interface EstateObject {
  readonly stack: string;
  readonly apiVersion?: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly manifest: Record<string, unknown>;
}

/** An IAM role the estate creates, and the service accounts that may assume it. */
export interface EstateRole {
  readonly stack: string;
  readonly name: string;
  readonly arn: string;
  readonly account?: string;
  /** `<namespace>/<service account>` from its IRSA trust policy or a Pod Identity association. */
  readonly serviceAccounts: string[];
  /** Those that assume it with IRSA (the `eks.amazonaws.com/role-arn` annotation). */
  readonly irsaServiceAccounts: string[];
  /** Those that get it from an EKS Pod Identity association (no annotation). */
  readonly podIdentityServiceAccounts: string[];
}

/** A Fargate profile: the namespaces (and pod labels) whose pods run on Fargate. */
export interface FargateProfile {
  readonly name: string;
  readonly selectors: { readonly namespace: string; readonly labels: Record<string, string> }[];
}

/** What the synthesized estate offers one environment's cluster. */
export interface Estate {
  readonly environment: string;
  /** The stacks read: every stack whose name is the environment or starts with `<env>-`. */
  readonly stacks: string[];
  readonly account?: string;
  /** Every account of the estate and the shortest stack name locked to it (`hub`, `dev`). */
  readonly accountOwners: Map<string, string>;
  readonly kubernetesVersion?: string;
  /** The sync the estate installs: its GitRepository, its namespace and what it substitutes from. */
  readonly sync: { readonly gitRepository: string; readonly namespace: string; readonly substituteFrom: string[] };
  /** The contract ConfigMap, when the estate has one. */
  readonly contract?: { readonly name: string; readonly namespace: string; readonly values: Map<string, ContractValue> };
  readonly releases: EstateRelease[];
  readonly objects: EstateObject[];
  readonly roles: EstateRole[];
  readonly fargateProfiles: FargateProfile[];
  /** Every bucket of the estate (all stacks), by name, and the stack that makes it. */
  readonly buckets: Map<string, string>;
  /** The ECR repositories of the estate (every stack: the hub's registry). */
  readonly registryRepositories: string[];
  /** Namespaces that exist: built in, created by a Helm release or a Namespace object. */
  readonly namespaces: Set<string>;
}

/** The environments `stacks` holds in-cluster stages for, from their `<env>-bootstrap*` names. */
export function estateEnvironments(stacks: Map<string, TerraformStack>): string[] {
  return [...new Set([...stacks.keys()].map((name) => /^(.+?)-bootstrap/.exec(name)?.[1]).filter((env): env is string => env !== undefined))];
}

/** Reads the estate of `environment` from a `cdktf.out` directory. */
export function readEstate(dir: string, environment: string): Estate {
  const all = readStacks(dir);
  const mine = [...all.values()].filter((s) => s.name === environment || s.name.startsWith(`${environment}-`));
  const releases = resources(mine, 'helm_release').map(release);
  const objects = resources(mine)
    .map((r) => object(r, (raw) => resolveValue(all, r.stack, raw).literal ?? raw))
    .filter((o): o is EstateObject => o !== undefined);
  const sync = syncOf(releases);
  return {
    environment,
    stacks: mine.map((s) => s.name),
    account: all.get(environment)?.account ?? mine.find((s) => s.account !== undefined)?.account,
    accountOwners: accountOwners(all),
    kubernetesVersion: asString(resources(mine, 'aws_eks_cluster')[0]?.config.version),
    sync,
    contract: contract(all, objects, sync),
    releases,
    objects,
    roles: roles(mine),
    fargateProfiles: resources(mine, 'aws_eks_fargate_profile').map(fargateProfile),
    buckets: new Map(resources(all.values(), 'aws_s3_bucket').map((b) => [asString(b.config.bucket) ?? '', b.stack.name] as [string, string]).filter(([name]) => name !== '')),
    registryRepositories: resources(all.values(), 'aws_ecr_repository').map((r) => asString(r.config.name)).filter((n): n is string => n !== undefined).sort(),
    namespaces: new Set([
      ...BUILT_IN_NAMESPACES,
      ...releases.map((r) => r.namespace),
      ...objects.filter((o) => o.kind === 'Namespace').map((o) => o.name),
    ]),
  };
}

function release(r: TerraformResource): EstateRelease {
  return {
    stack: r.stack.name,
    name: asString(r.config.name) ?? r.name,
    chart: asString(r.config.chart) ?? '',
    version: asString(r.config.version),
    namespace: asString(r.config.namespace) ?? 'default',
    values: helmValues(r.config),
  };
}

/** An estate object; `resolve` turns a name or namespace that refers to another resource into its value. */
function object(r: TerraformResource, resolve: (raw: string) => string): EstateObject | undefined {
  const text = (value: unknown) => (typeof value === 'string' ? resolve(value) : undefined);
  if (r.type === 'kubernetes_manifest') {
    const manifest = asObject(r.config.manifest) ?? {};
    const metadata = asObject(manifest.metadata) ?? {};
    const kind = asString(manifest.kind);
    const name = text(metadata.name);
    if (kind === undefined || name === undefined) return undefined;
    return { stack: r.stack.name, apiVersion: asString(manifest.apiVersion), kind, name, namespace: text(metadata.namespace), manifest };
  }
  const typed = /^kubernetes_([a-z0-9_]+?)(_v\d+)?$/.exec(r.type);
  if (typed === null || NOT_AN_OBJECT.has(r.type)) return undefined;
  const metadata = asObject(asArray(r.config.metadata)[0]) ?? asObject(r.config.metadata) ?? {};
  const name = text(metadata.name);
  if (name === undefined) return undefined;
  const kind = typed[1].split('_').map((part) => part[0].toUpperCase() + part.slice(1)).join('');
  return { stack: r.stack.name, kind, name, namespace: text(metadata.namespace), manifest: r.config };
}

/** The flux2-sync release: its objects are named after the release; its Kustomization's substituteFrom. */
function syncOf(releases: EstateRelease[]): Estate['sync'] {
  const sync = releases.find((r) => r.chart === 'flux2-sync');
  const postBuild = asObject(asObject(asObject(sync?.values.kustomization)?.spec)?.postBuild);
  const substituteFrom = asArray(postBuild?.substituteFrom).map(asObject)
    .filter((ref) => ref?.kind === 'ConfigMap').map((ref) => asString(ref?.name)).filter((name): name is string => name !== undefined);
  return {
    gitRepository: sync?.name ?? 'flux-system',
    namespace: sync?.namespace ?? 'flux-system',
    substituteFrom: sync === undefined ? [DEFAULT_SUBSTITUTE_FROM] : substituteFrom,
  };
}

function contract(all: Map<string, TerraformStack>, objects: EstateObject[], sync: Estate['sync']): Estate['contract'] {
  const name = sync.substituteFrom[0] ?? DEFAULT_SUBSTITUTE_FROM;
  const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.name === name && (o.namespace ?? 'default') === sync.namespace);
  if (configMap === undefined) return undefined;
  const stack = all.get(configMap.stack)!;
  const values = new Map<string, ContractValue>();
  for (const [key, raw] of Object.entries(asObject(configMap.manifest.data) ?? {})) {
    const resolved = resolveValue(all, stack, String(raw));
    values.set(key, { key, raw: resolved.raw, literal: resolved.literal, kind: classifyValue(key, resolved) });
  }
  return { name, namespace: sync.namespace, values };
}

function accountOwners(all: Map<string, TerraformStack>): Map<string, string> {
  const owners = new Map<string, string>();
  for (const stack of all.values()) {
    const current = stack.account === undefined ? undefined : owners.get(stack.account);
    if (stack.account !== undefined && (current === undefined || stack.name.length < current.length)) owners.set(stack.account, stack.name);
  }
  return owners;
}

const IRSA_SUBJECT = /system:serviceaccount:([a-z0-9.-]+):([a-z0-9.-]+)/g;

function roles(stacks: TerraformStack[]): EstateRole[] {
  const associations = resources(stacks, 'aws_eks_pod_identity_association');
  return resources(stacks, 'aws_iam_role').flatMap((role) => {
    const name = asString(role.config.name);
    if (name === undefined || name.includes('${') || role.stack.account === undefined) return [];
    const trust = asString(role.config.assume_role_policy) ?? '';
    const irsa = [...trust.matchAll(IRSA_SUBJECT)].map((m) => `${m[1]}/${m[2]}`);
    const reference = `\${aws_iam_role.${role.name}.arn}`;
    const podIdentity = associations.filter((a) => a.stack === role.stack && a.config.role_arn === reference)
      .map((a) => `${asString(a.config.namespace)}/${asString(a.config.service_account)}`);
    const path = asString(role.config.path) ?? '/';
    return [{
      stack: role.stack.name,
      name,
      arn: `arn:aws:iam::${role.stack.account}:role${path}${name}`,
      account: role.stack.account,
      serviceAccounts: [...irsa, ...podIdentity],
      irsaServiceAccounts: irsa,
      podIdentityServiceAccounts: podIdentity,
    }];
  });
}

function fargateProfile(r: TerraformResource): FargateProfile {
  return {
    name: asString(r.config.fargate_profile_name) ?? r.name,
    selectors: asArray(r.config.selector).map(asObject).filter((s) => s !== undefined).map((s) => ({
      namespace: asString(s?.namespace) ?? '',
      labels: Object.fromEntries(Object.entries(asObject(s?.labels) ?? {}).map(([k, v]) => [k, String(v)])),
    })),
  };
}

/** The NodePools of the estate, as plain manifests. */
export function nodePools(estate: Estate): EstateObject[] {
  return estate.objects.filter((o) => o.kind === 'NodePool' && (o.apiVersion ?? '').startsWith('karpenter.sh/'));
}
