import { cdk, DependencyType, typescript } from 'projen';
import { joinWorkspace, PikselPackageBaseOptions, PUBLISHER, sharedPackageOptions } from './piksel-package';
import { VERSIONS } from './versions';
import { currentVersion, WorkspaceInstall } from './workspace';

/** What differs between the workspace's construct libraries. */
export interface PikselLibraryOptions extends PikselPackageBaseOptions {
  /**
   * Whether the package is published. A package with no constructs yet stays private, so that
   * `changeset publish` never puts an empty library on npm.
   * @default true
   */
  readonly published?: boolean;
  /**
   * Workspace libraries this one builds on. Each becomes a peer dependency (what npm users
   * install, see `peerRange`) and a `workspace:*` dev dependency (what the workspace builds and
   * tests against; jsii cannot read `workspace:` in peer dependencies).
   * @default - none
   */
  readonly uses?: cdk.JsiiProject[];
  /**
   * Further provider bindings this library builds resources with, besides AWS (`name@version`):
   * peer dependencies on the caret range, tested against that version.
   * @default - none
   */
  readonly providers?: string[];
  /**
   * Whether the library builds AWS resources (a peer dependency on the AWS provider bindings).
   * @default true
   */
  readonly providerAws?: boolean;
}

/**
 * The peer range on a workspace library: the caret range of its current version. A library never
 * released (0.0.0) also accepts its first release (0.1.0, from a minor first-release changeset):
 * jsii checks the range against the workspace copy (0.0.0), and changesets, seeing the released
 * version still in range, does not turn the dependent's release into a major.
 */
function peerRange(outdir: string): string {
  const version = currentVersion(outdir);
  return version === '0.0.0' ? '0.0.0 || ^0.1.0' : `^${version}`;
}

/** `@scope/name@1.2.3` → `@scope/name@^1.2.3`. */
function caretRange(spec: string): string {
  const at = spec.lastIndexOf('@');
  return `${spec.slice(0, at)}@^${spec.slice(at + 1)}`;
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
      ...(options.providerAws === false ? [] : [`@cdktf/provider-aws@^${VERSIONS.providerAws}`]),
      ...(options.providers ?? []).map(caretRange),
    ],
    // Tests run against the lowest supported peers, pinned below; internal peers build against the
    // workspace copy, which projen's automatic pin (the lowest version, from npm) would replace.
    peerDependencyOptions: { pinnedDevDependency: false },
    devDeps: [
      `cdktf@${VERSIONS.cdktf}`,
      `constructs@${VERSIONS.constructs}`,
      ...(options.providerAws === false ? [] : [`@cdktf/provider-aws@${VERSIONS.providerAws}`]),
      ...(options.providers ?? []),
    ],
    docgen: true,
  });
  // projen adds these unversioned and reads their versions back from node_modules, which pnpm
  // does not hoist, so it drops them; pinned here (after projen's own call) they stay.
  project.addDevDeps(`jsii-pacmak@${VERSIONS.jsiiPacmak}`, 'jsii-diff@1.134.0');
  if (options.uses?.length) {
    // jsii wants the dev dependency at the peer's lowest version; here it is the workspace copy.
    project.compileTask.reset('jsii --silence-warnings=reserved-word --silence-warnings=metadata/missing-dev-dependency');
  }
  for (const library of options.uses ?? []) {
    const name = library.package.packageName;
    project.deps.addDependency(`${name}@${peerRange(library.outdir)}`, DependencyType.PEER);
    project.deps.addDependency(`${name}@workspace:*`, DependencyType.BUILD);
  }
  if (options.published === false) {
    project.package.addField('private', true);
  }
  // jsii prints a banner on Node 20 (end of life upstream); the estate's machines run Node 20.
  project.tasks.addEnvironment('JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION', '1');
  joinWorkspace(root, install, project);
  return project;
}
