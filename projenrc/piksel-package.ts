import { cdk, javascript, typescript } from 'projen';
import { VERSIONS } from './versions';
import { configureLint, currentVersion, JEST_OPTIONS, useSwcJest, WorkspaceInstall } from './workspace';

/** Who publishes the Piksel packages and where their source lives (npm metadata). */
export const PUBLISHER = {
  name: 'Piksel DevOps Team',
  email: 'devops@piksel.big.go.id',
  repository: 'https://github.com/piksel-ina/piksel-constructs.git',
  license: 'Apache-2.0',
} as const;

/** What differs between the workspace's published packages, jsii libraries or not. */
export interface PikselPackageBaseOptions {
  /** Directory name under `packages/`; the npm name is `@piksel/<dir>`. */
  readonly dir: string;
  /** One-line npm description. */
  readonly description: string;
  /** Extra keywords for npm. */
  readonly keywords?: string[];
}

/**
 * The options every published package of the workspace shares: where it lives, its npm name,
 * the toolchain versions, and no projen release machinery (changesets releases at the root).
 */
export function sharedPackageOptions(root: typescript.TypeScriptProject, options: PikselPackageBaseOptions) {
  return {
    parent: root,
    outdir: `packages/${options.dir}`,
    name: `@piksel/${options.dir}`,
    description: options.description,
    keywords: ['aws', 'piksel', ...(options.keywords ?? [])],
    defaultReleaseBranch: 'main',
    packageManager: javascript.NodePackageManager.PNPM,
    pnpmVersion: VERSIONS.pnpm,
    minNodeVersion: VERSIONS.minNode,
    typescriptVersion: VERSIONS.typescript,
    npmAccess: javascript.NpmAccess.PUBLIC,
    jestOptions: JEST_OPTIONS,
    prettier: false,
    release: false,
    github: false,
    depsUpgrade: false,
    sampleCode: false,
  };
}

/**
 * Finishes a package the same way for every kind: the version changesets wrote, @swc/jest tests,
 * the workspace lint rules, and the install routed to the root.
 */
export function joinWorkspace(
  root: typescript.TypeScriptProject,
  install: WorkspaceInstall,
  project: typescript.TypeScriptProject | cdk.JsiiProject,
): void {
  project.package.addVersion(currentVersion(`${root.outdir}/${project.outdir.slice(root.outdir.length + 1)}`));
  useSwcJest(project);
  configureLint(project);
  install.adopt(project);
}

/** What a plain TypeScript package adds to the shared options. */
export interface PikselPackageOptions extends PikselPackageBaseOptions {
  /** Runtime dependencies (`name@range`). */
  readonly deps?: string[];
  /** Development dependencies (`name@range`). */
  readonly devDeps?: string[];
  /** Executables, `{ command: 'lib/file.js' }`. */
  readonly bin?: Record<string, string>;
}

/**
 * A published TypeScript package compiled by tsc: for code that is not a construct library
 * and so may carry ordinary npm dependencies (jsii libraries may depend only on jsii
 * libraries). Tests, lint, install and versions are set up as for the construct libraries.
 */
export function pikselPackage(
  root: typescript.TypeScriptProject,
  install: WorkspaceInstall,
  options: PikselPackageOptions,
): typescript.TypeScriptProject {
  const shared = sharedPackageOptions(root, options);
  const project = new typescript.TypeScriptProject({
    ...shared,
    license: PUBLISHER.license,
    authorName: PUBLISHER.name,
    authorEmail: PUBLISHER.email,
    authorOrganization: true,
    repository: PUBLISHER.repository,
    repositoryDirectory: shared.outdir,
    deps: options.deps,
    devDeps: options.devDeps,
    bin: options.bin,
  });
  joinWorkspace(root, install, project);
  return project;
}
