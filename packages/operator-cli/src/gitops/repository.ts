import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { basename, join, posix } from 'path';
import { asArray, asObject, asString, parseYaml, YamlDoc, YamlFile } from './yaml-file';

/** kustomize's names for its build file, in the order it looks for them. */
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
/** What `flux bootstrap` writes into `<path>/flux-system/`. */
export const BOOTSTRAP_FILE = /^gotk-.*\.ya?ml$/;
/** A remote kustomize resource (a URL or a Git reference), which the check does not fetch. */
const REMOTE = /^(https?:|ssh:|git@|github\.com\/)|\?ref=|\/\/\?/;

/** A Flux Kustomization: the root the estate installs, or one declared in the repository. */
export interface FluxKustomization {
  readonly name: string;
  readonly namespace: string;
  /** Where it is declared; undefined for the root, which the estate installs. */
  readonly file?: string;
  readonly line: number;
  /** Directory it builds, relative to the repository root. */
  readonly path: string;
  /** Whether its `postBuild.substituteFrom` names the contract ConfigMap. */
  readonly substitutes: boolean;
  /** Whether its source is the estate's GitRepository, i.e. this repository. */
  readonly local: boolean;
  readonly doc?: YamlDoc;
  /** The stand-in owner of files no cluster reaches (checked on request, as if the root built them). */
  readonly unapplied?: boolean;
}

/** How a file is reached: which Flux Kustomization builds it, with which namespace override. */
export interface BuildContext {
  readonly owner: FluxKustomization;
  /** The outermost namespace override (`targetNamespace`, a kustomization's `namespace`). */
  readonly namespace?: string;
}

/** What a reached file is to its build. */
export enum FileRole {
  MANIFEST = 'manifest',
  PATCH = 'patch',
  KUSTOMIZATION = 'kustomization',
}

/** A file (or an inline patch of one) some build reads. */
export interface ReachedFile {
  readonly file: YamlFile;
  readonly role: FileRole;
  readonly contexts: BuildContext[];
  /** A `flux bootstrap` file (`gotk-*.yaml`): reported, not read. */
  readonly bootstrap: boolean;
  /** For a patch: whether it names its target (kustomize then ignores the patch's own apiVersion). */
  readonly targeted?: boolean;
}

/** A path a build refers to that does not exist (or cannot be built). */
export interface MissingPath {
  readonly file: string;
  readonly line: number;
  readonly path: string;
  readonly reason: string;
}

/** What Flux would read from the repository for one cluster path. */
export interface RepositoryScan {
  readonly clusterPath: string;
  readonly clusterPathExists: boolean;
  readonly reached: ReachedFile[];
  /** Flux Kustomizations declared in the repository (reached ones). */
  readonly kustomizations: FluxKustomization[];
  readonly missing: MissingPath[];
}

/** The estate's sync: which GitRepository is this repository, and which ConfigMap is the contract. */
export interface SyncSettings {
  readonly gitRepository: string;
  readonly namespace: string;
  readonly contractName: string;
}

/**
 * Follows what Flux applies from `clusterPath`: the root Kustomization's build (a generated
 * kustomization of every manifest below it, or its kustomization.yaml), kustomize resources,
 * components and patches, and each Flux Kustomization sourced from this repository.
 */
export function scanRepository(root: string, clusterPath: string, sync: SyncSettings, unreached: string[] = []): RepositoryScan {
  return new Scanner(root, sync).scan(clusterPath, unreached);
}

class Scanner {
  private readonly parsed = new Map<string, YamlFile>();
  private readonly reached = new Map<string, ReachedFile>();
  private readonly kustomizations: FluxKustomization[] = [];
  private readonly visited = new Set<string>();
  private readonly missing: MissingPath[] = [];
  /** Files the cluster's own build reaches: the stand-in owner of unreached files leaves them alone. */
  private applied = new Set<string>();

  constructor(private readonly root: string, private readonly sync: SyncSettings) {}

  /** Walks `clusterPath`, then `unreached` files as if the root built them (kustomizations first, outermost first). */
  public scan(clusterPath: string, unreached: string[]): RepositoryScan {
    const { gitRepository, namespace } = this.sync;
    const rootKs: FluxKustomization = { name: gitRepository, namespace, line: 0, path: clusterPath, substitutes: true, local: true };
    const exists = this.isDir(clusterPath);
    if (exists) {
      this.visited.add(`${rootKs.namespace}/${rootKs.name}`);
      this.build(clusterPath, { owner: rootKs });
    }
    this.applied = new Set(this.reached.keys());
    const unapplied: BuildContext = { owner: { ...rootKs, name: 'not-applied', path: '.', unapplied: true } };
    const isKustomization = (path: string) => KUSTOMIZATION_FILES.includes(basename(path));
    const byDepth = [...unreached].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
    for (const path of byDepth.filter(isKustomization)) if (!this.reached.has(path)) this.kustomize(posix.dirname(path), unapplied);
    for (const path of byDepth.filter((p) => !isKustomization(p))) if (!this.reached.has(path)) this.addManifest(path, unapplied);
    const reached = [...this.reached.values()];
    return { clusterPath, clusterPathExists: exists, reached, kustomizations: this.kustomizations, missing: this.missing };
  }

  /** A directory as Flux builds it: its kustomization, or every manifest below it. */
  private build(dir: string, context: BuildContext): void {
    if (this.kustomizationFile(dir) !== undefined) {
      this.kustomize(dir, context);
      return;
    }
    for (const entry of readdirSync(this.abs(dir)).sort()) {
      if (entry.startsWith('.')) continue;
      const path = posix.join(dir, entry);
      if (this.isDir(path)) this.build(path, context);
      else if (/\.ya?ml$/.test(entry)) this.addManifest(path, context);
    }
  }

  private kustomize(dir: string, outer: BuildContext): void {
    const path = posix.join(dir, this.kustomizationFile(dir)!);
    const file = this.parse(path);
    this.add(path, file, FileRole.KUSTOMIZATION, outer);
    const doc = file.docs[0];
    const k = asObject(doc?.value);
    if (doc === undefined || k === undefined) return;
    const context: BuildContext = { owner: outer.owner, namespace: outer.namespace ?? asString(k.namespace) };
    for (const field of ['resources', 'bases', 'components', 'crds']) {
      asArray(k[field]).forEach((entry, index) => {
        const ref = asString(entry);
        if (ref !== undefined && !REMOTE.test(ref)) this.resource(dir, ref, context, { file: path, line: doc.lineOf([field, index]) });
      });
    }
    this.patches(dir, path, doc, k, context);
  }

  private patches(dir: string, path: string, doc: YamlDoc, k: Record<string, unknown>, context: BuildContext): void {
    for (const field of ['patches', 'patchesJson6902', 'patchesStrategicMerge']) {
      asArray(k[field]).forEach((entry, index) => {
        const object = asObject(entry);
        const inline = asString(object?.patch) ?? (typeof entry === 'string' && entry.includes('\n') ? entry : undefined);
        const targeted = object?.target !== undefined;
        if (inline !== undefined) {
          const at = object?.patch !== undefined ? [field, index, 'patch'] : [field, index];
          const patch = parseYaml(path, inline, doc.lineOf(at));
          this.add(`${path}#${field}[${index}]`, patch, FileRole.PATCH, context, targeted);
          return;
        }
        const ref = asString(object?.path) ?? asString(entry);
        if (ref === undefined) return;
        const target = posix.normalize(posix.join(dir, ref));
        if (!this.isFile(target)) {
          this.missing.push({ file: path, line: doc.lineOf([field, index]), path: target, reason: 'the patch file does not exist' });
          return;
        }
        this.add(target, this.parse(target), FileRole.PATCH, context, targeted);
      });
    }
  }

  private resource(dir: string, ref: string, context: BuildContext, from: { file: string; line: number }): void {
    const path = posix.normalize(posix.join(dir, ref));
    if (this.isDir(path)) {
      if (this.kustomizationFile(path) !== undefined) this.kustomize(path, context);
      else this.missing.push({ ...from, path, reason: 'the directory has no kustomization.yaml, so kustomize cannot build it' });
    } else if (this.isFile(path)) {
      this.addManifest(path, context);
    } else {
      this.missing.push({ ...from, path, reason: 'it does not exist' });
    }
  }

  private addManifest(path: string, context: BuildContext): void {
    if (BOOTSTRAP_FILE.test(basename(path))) {
      this.add(path, { path, docs: [], errors: [] }, FileRole.MANIFEST, context, undefined, true);
      return;
    }
    const file = this.parse(path);
    this.add(path, file, FileRole.MANIFEST, context);
    for (const doc of file.docs) {
      const object = asObject(doc.value);
      if (object?.kind === 'Kustomization' && asString(object.apiVersion)?.startsWith('kustomize.toolkit.fluxcd.io/')) {
        this.fluxKustomization(path, doc, object, context);
      }
    }
  }

  private fluxKustomization(path: string, doc: YamlDoc, object: Record<string, unknown>, context: BuildContext): void {
    const metadata = asObject(object.metadata) ?? {};
    const spec = asObject(object.spec) ?? {};
    const name = asString(metadata.name) ?? '';
    const namespace = context.namespace ?? asString(metadata.namespace) ?? 'default';
    const sourceRef = asObject(spec.sourceRef) ?? {};
    const local = sourceRef.kind === 'GitRepository' && sourceRef.name === this.sync.gitRepository &&
      (asString(sourceRef.namespace) ?? namespace) === this.sync.namespace;
    const substitutes = asArray(asObject(spec.postBuild)?.substituteFrom).map(asObject)
      .some((ref) => ref?.kind === 'ConfigMap' && ref?.name === this.sync.contractName);
    const target = posix.normalize((asString(spec.path) ?? './').replace(/^\.\//, '') || '.').replace(/\/$/, '');
    const ks: FluxKustomization = { name, namespace, file: path, line: doc.line, path: target, substitutes, local, doc };
    if (this.visited.has(`${namespace}/${name}`)) return;
    this.visited.add(`${namespace}/${name}`);
    this.kustomizations.push(ks);
    if (!local) return;
    if (!this.isDir(target)) {
      this.missing.push({ file: path, line: doc.lineOf(['spec', 'path']), path: target, reason: 'Flux fails the Kustomization: the path does not exist' });
      return;
    }
    this.build(target, { owner: ks, namespace: asString(spec.targetNamespace) });
  }

  private add(key: string, file: YamlFile, role: FileRole, context: BuildContext, targeted?: boolean, bootstrap = false): void {
    if (context.owner.unapplied === true && this.applied.has(key)) return;
    const existing = this.reached.get(key);
    if (existing === undefined) {
      this.reached.set(key, { file, role, contexts: [context], bootstrap, targeted });
    } else if (!existing.contexts.some((c) => c.owner === context.owner && c.namespace === context.namespace)) {
      existing.contexts.push(context);
    }
  }

  private parse(path: string): YamlFile {
    let file = this.parsed.get(path);
    if (file === undefined) {
      file = parseYaml(path, readFileSync(this.abs(path), 'utf-8'));
      this.parsed.set(path, file);
    }
    return file;
  }

  private kustomizationFile(dir: string): string | undefined {
    return KUSTOMIZATION_FILES.find((name) => this.isFile(posix.join(dir, name)));
  }

  private abs(path: string): string {
    return join(this.root, ...path.split('/'));
  }

  private isDir(path: string): boolean {
    return existsSync(this.abs(path)) && statSync(this.abs(path)).isDirectory();
  }

  private isFile(path: string): boolean {
    return existsSync(this.abs(path)) && statSync(this.abs(path)).isFile();
  }
}

/** The cluster directories of the repository (`clusters/<name>`). */
export function clusterDirectories(root: string): string[] {
  const clusters = join(root, 'clusters');
  if (!existsSync(clusters)) return [];
  return readdirSync(clusters).filter((name) => !name.startsWith('.') && statSync(join(clusters, name)).isDirectory()).sort();
}

/** Every YAML file of the repository holding a Kubernetes object, outside dot-directories. */
export function manifestFiles(root: string, dir = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(root, dir)).sort()) {
    if (entry.startsWith('.') || entry === 'node_modules') continue;
    const path = dir === '' ? entry : `${dir}/${entry}`;
    const abs = join(root, path);
    if (statSync(abs).isDirectory()) {
      found.push(...manifestFiles(root, path));
    } else if (/\.ya?ml$/.test(entry) && /^(apiVersion|kind):/m.test(readFileSync(abs, 'utf-8'))) {
      found.push(path);
    }
  }
  return found;
}
