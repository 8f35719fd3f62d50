import { posix } from 'path';
import { Finding } from './findings';
import { clusterDirectories, FileRole } from './repository';
import { error, list, RuleContext } from './rule-context';

/** `cluster-path-missing`: the directory the estate's sync applies does not exist. */
export function clusterPathRule(context: RuleContext): Finding[] {
  const { scan, environment } = context;
  if (scan.clusterPathExists) return [];
  const others = clusterDirectories(context.root).map((name) => `clusters/${name}`);
  const present = others.length === 0 ? 'there is no clusters/ directory' : `only ${list(others)} ${others.length === 1 ? 'exists' : 'exist'}`;
  return [error('cluster-path-missing', scan.clusterPath, 0,
    `the estate's Flux syncs ${scan.clusterPath}, which does not exist (${present}): the flux-system Kustomization fails and nothing is applied`,
    `create ${scan.clusterPath}/ with Flux Kustomizations for infrastructure and apps; "piksel-gitops init <dir> --environment ${environment}" writes the reference layout`)];
}

/** `missing-path`: a Flux path, kustomize resource or patch that does not exist. */
export function missingPathRule(context: RuleContext): Finding[] {
  return context.scan.missing.map((m) => error('missing-path', m.file, m.line, `${m.path}: ${m.reason}`,
    'point it at an existing file or directory (a directory needs a kustomization.yaml), or remove the entry'));
}

/** `yaml-invalid`: a reached file that does not parse; its other documents are still checked. */
export function yamlRule(context: RuleContext): Finding[] {
  return context.scan.reached.flatMap((r) => r.file.errors.map((e) => error('yaml-invalid', r.file.path, e.line,
    `does not parse: ${e.message}`, 'fix the YAML: Flux fails the whole Kustomization that builds this file')));
}

/**
 * `flux-bootstrap`: `flux bootstrap` files, or sync objects named like the estate's. Applied by the
 * sync they install a second Flux over the Helm-installed one; each overwrites the other.
 */
export function bootstrapRule(context: RuleContext): Finding[] {
  const { estate, scan, environment } = context;
  const flux = estate.releases.find((r) => r.chart === 'flux2');
  const installed = flux === undefined ? 'the Flux the estate installs' : `the Flux the estate installs with Helm (chart flux2 ${flux.version}, stack ${flux.stack})`;
  const uninstall = 'if the old bootstrap ran in the cluster, run "flux uninstall --keep-namespace" first, so the Helm releases can own the flux-system objects';
  const files = scan.reached.filter((r) => r.bootstrap).map((r) => error('flux-bootstrap', r.file.path, 1,
    `a "flux bootstrap" file: the sync applies it and installs a second copy of Flux's controllers and its own GitRepository and Kustomization flux-system over ${installed}; the two overwrite each other on every reconcile`,
    `delete ${posix.dirname(r.file.path)}/ (gotk-components.yaml, gotk-sync.yaml, its kustomization.yaml) in one commit, merged before ${environment}-bootstrap is first applied; ${uninstall}`));
  const isSyncKind = (kind: string, apiVersion: string) => (kind === 'GitRepository' && apiVersion.startsWith('source.toolkit.fluxcd.io/')) ||
    (kind === 'Kustomization' && apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'));
  const objects = context.objects.filter((o) => o.role === FileRole.MANIFEST && o.name === estate.sync.gitRepository &&
    o.namespace === estate.sync.namespace && isSyncKind(o.kind, o.apiVersion));
  return [...files, ...objects.map((o) => error('flux-bootstrap', o.file, o.doc.line,
    `${o.kind} ${o.namespace}/${o.name} is the estate's own sync object (flux2-sync release ${estate.sync.gitRepository}); declared here as well, the two overwrite each other`,
    `delete it: the estate's sync already points at ${scan.clusterPath}; ${uninstall}`))];
}

/** `no-substitution`: a Flux Kustomization of this repository that does not substitute from the contract. */
export function substitutionRule(context: RuleContext): Finding[] {
  const contract = context.estate.contract?.name ?? context.estate.sync.substituteFrom[0] ?? 'cluster-values';
  return context.scan.kustomizations.filter((k) => k.local && !k.substitutes && k.file !== undefined).map((k) => error('no-substitution', k.file!, k.line,
    `Flux Kustomization ${k.namespace}/${k.name} builds ${k.path} without postBuild.substituteFrom ConfigMap ${contract}: Flux substitutes only in the build of a Kustomization that asks for it (children do not inherit the root's), so \${key} stays literal there`,
    `add to its spec: postBuild: { substituteFrom: [{ kind: ConfigMap, name: ${contract} }] }`));
}
