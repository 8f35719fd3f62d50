import { cdk, typescript } from 'projen';
import { joinWorkspace, PikselPackageBaseOptions, PUBLISHER, sharedPackageOptions } from './piksel-package';
import { VERSIONS } from './versions';
import { WorkspaceInstall } from './workspace';

/** What differs between the workspace's construct libraries. */
export interface PikselLibraryOptions extends PikselPackageBaseOptions {
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
  const shared = sharedPackageOptions(root, { ...options, keywords: ['cdktf', 'terraform', ...(options.keywords ?? [])] });
  const project = new cdk.JsiiProject({
    ...shared,
    license: PUBLISHER.license,
    author: PUBLISHER.name,
    authorAddress: PUBLISHER.email,
    authorOrganization: true,
    repositoryUrl: PUBLISHER.repository,
    repositoryDirectory: shared.outdir,
    jsiiVersion: VERSIONS.jsii,
    peerDeps: [
      `cdktf@^${VERSIONS.cdktf}`,
      `constructs@^${VERSIONS.constructs}`,
      `@cdktf/provider-aws@^${VERSIONS.providerAws}`,
    ],
    peerDependencyOptions: { pinnedDevDependency: true },
    docgen: true,
  });
  // projen adds these unversioned and reads their versions back from node_modules, which pnpm
  // does not hoist, so it drops them; pinned here (after projen's own call) they stay.
  project.addDevDeps(`jsii-pacmak@${VERSIONS.jsiiPacmak}`, 'jsii-diff@1.134.0');
  if (options.published === false) {
    project.package.addField('private', true);
  }
  // jsii prints a banner on Node 20 (end of life upstream); the estate's machines run Node 20.
  project.tasks.addEnvironment('JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION', '1');
  joinWorkspace(root, install, project);
  return project;
}
