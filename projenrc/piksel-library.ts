import { cdk, javascript, typescript } from 'projen';
import { VERSIONS } from './versions';
import { configureLint, currentVersion, JEST_OPTIONS, useSwcJest, WorkspaceInstall } from './workspace';

/** What differs between the workspace's construct libraries. */
export interface PikselLibraryOptions {
  /** Directory name under `packages/`; the npm name is `@piksel/<dir>`. */
  readonly dir: string;
  /** One-line npm description. */
  readonly description: string;
  /** Extra keywords for npm. */
  readonly keywords?: string[];
  /**
   * Whether the package is published. A package with no constructs yet stays private, so that
   * `changeset publish` never puts an empty library on npm.
   * @default true
   */
  readonly published?: boolean;
}

/**
 * A published jsii construct library for CDK for Terraform, configured the same way for every
 * package: peer dependencies on cdktf/constructs/provider-aws, @swc/jest tests, the provider
 * deep-import lint rule, API.md from jsii-docgen, and the version changesets wrote.
 */
export function pikselLibrary(
  root: typescript.TypeScriptProject,
  install: WorkspaceInstall,
  options: PikselLibraryOptions,
): cdk.JsiiProject {
  const outdir = `packages/${options.dir}`;
  const project = new cdk.JsiiProject({
    parent: root,
    outdir,
    name: `@piksel/${options.dir}`,
    description: options.description,
    keywords: ['cdktf', 'terraform', 'aws', 'piksel', ...(options.keywords ?? [])],
    license: 'Apache-2.0',
    author: 'Piksel DevOps Team',
    authorAddress: 'devops@piksel.big.go.id',
    authorOrganization: true,
    repositoryUrl: 'https://github.com/piksel-ina/piksel-constructs.git',
    repositoryDirectory: outdir,
    defaultReleaseBranch: 'main',
    packageManager: javascript.NodePackageManager.PNPM,
    pnpmVersion: VERSIONS.pnpm,
    minNodeVersion: VERSIONS.minNode,
    jsiiVersion: VERSIONS.jsii,
    typescriptVersion: VERSIONS.typescript,
    npmAccess: javascript.NpmAccess.PUBLIC,
    peerDeps: [
      `cdktf@^${VERSIONS.cdktf}`,
      `constructs@^${VERSIONS.constructs}`,
      `@cdktf/provider-aws@^${VERSIONS.providerAws}`,
    ],
    peerDependencyOptions: { pinnedDevDependency: true },
    jestOptions: JEST_OPTIONS,
    docgen: true,
    prettier: false,
    // Releases are cut by changesets at the workspace root, not by projen's release workflow.
    release: false,
    github: false,
    depsUpgrade: false,
    sampleCode: false,
  });
  // projen adds these unversioned and reads their versions back from node_modules, which pnpm
  // does not hoist, so it drops them; pinned here (after projen's own call) they stay.
  project.addDevDeps(`jsii-pacmak@${VERSIONS.jsiiPacmak}`, 'jsii-diff@1.134.0');
  project.package.addVersion(currentVersion(`${root.outdir}/${outdir}`));
  if (options.published === false) {
    project.package.addField('private', true);
  }
  // jsii prints a banner on Node 20 (end of life upstream); the estate's machines run Node 20.
  project.tasks.addEnvironment('JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION', '1');
  useSwcJest(project);
  configureLint(project);
  install.adopt(project);
  return project;
}
