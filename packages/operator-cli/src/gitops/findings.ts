/**
 * What `piksel-gitops check` reports: findings with a stable rule ID, the file and line they are
 * about, what is wrong and how to fix it.
 */

/** `error` makes the check fail (exit code 1); a `warning` is printed and does not. */
export enum Severity {
  ERROR = 'error',
  WARNING = 'warning',
}

/** One thing the check found. */
export interface Finding {
  /** Stable rule ID, e.g. `api-not-served`. */
  readonly rule: RuleId;
  readonly severity: Severity;
  /** Path relative to the repository root, `/`-separated. */
  readonly file: string;
  /** 1-based line; 0 when the finding is about a path, not a line in it. */
  readonly line: number;
  readonly message: string;
  readonly fix: string;
}

/** The rules, by ID, with the one-line summary `--help` and the README give. */
export const RULES = {
  'cluster-path-missing': 'the directory Flux syncs, clusters/<env>, does not exist',
  'missing-path': 'a Flux Kustomization path or a kustomize resource or patch that does not exist',
  'flux-bootstrap': 'flux bootstrap files (flux-system/gotk-*.yaml, GitRepository or Kustomization flux-system) that collide with the Helm-installed Flux',
  'estate-owned': 'an object or Helm chart the estate already creates, so two owners overwrite each other',
  'api-not-served': 'an apiVersion/kind the pinned Flux, cert-manager, Karpenter, Gateway API, External Secrets or Kubernetes does not serve',
  'api-deprecated': 'an apiVersion/kind that is still served but deprecated',
  'efs-mount-without-iam': 'an EFS PersistentVolume or StorageClass that does not mount with tls and iam, which the estate\'s file system refuses',
  'ingress-unserved': 'an Ingress, which no controller serves: the estate serves the Gateway API (HTTPRoute) only',
  'api-table-unknown-version': 'a pinned version the table of served APIs does not cover, so its kinds are not judged',
  'unschedulable': 'node selectors, required node affinity and tolerations that no NodePool or Fargate profile satisfies',
  'unknown-variable': '${var} that is not a cluster-values key (Flux substitutes an empty string)',
  'variable-default': '${var:=default} whose variable is not a cluster-values key: the default is used',
  'unsubstituted-variable': '${key} in a build whose Flux Kustomization does not substitute from cluster-values: it stays literal',
  'hard-coded-value': 'a literal account ID, role ARN, bucket, file system ID, zone ID or registry host that a cluster-values key provides',
  'unknown-role': 'an eks.amazonaws.com/role-arn naming an IAM role the estate does not create in this environment',
  'role-trust-mismatch': 'an estate IAM role annotated on a service account its trust policy does not name',
  'no-substitution': 'a Flux Kustomization below the root without postBuild.substituteFrom cluster-values',
  'missing-namespace': 'a namespace objects are put in that nothing creates',
  'missing-service-account': 'a service account workloads run as that nothing creates',
  'yaml-invalid': 'a YAML file that does not parse',
} as const;

/** A rule's ID. */
export type RuleId = keyof typeof RULES;

/** Orders findings by file, line, then rule, and drops exact repeats (a file reached twice). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const unique = findings.filter((f) => {
    const key = `${f.file}\0${f.line}\0${f.rule}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));
}

/** Counts findings per rule, most frequent first. */
export function countByRule(findings: readonly Finding[]): [RuleId, number][] {
  const counts = new Map<RuleId, number>();
  for (const f of findings) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
