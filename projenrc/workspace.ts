import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { Component } from 'projen';
import { Eslint, JestOptions, NodeProject, Transform, UpdateSnapshot } from 'projen/lib/javascript';
import { VERSIONS } from './versions';

/**
 * Reads the version a package already has, so that changesets (not projen) owns it.
 * projen writes `0.0.0` into every package.json unless told otherwise.
 */
export function currentVersion(outdir: string, fallback = '0.0.0'): string {
  const file = join(outdir, 'package.json');
  if (!existsSync(file)) return fallback;
  return JSON.parse(readFileSync(file, 'utf-8')).version ?? fallback;
}

/**
 * Jest settings shared by every project. Every package's suite also runs as one of the root's
 * jest `projects`, where run-wide settings (coverage, reporters) are the root's alone.
 */
export const JEST_OPTIONS: JestOptions = {
  jestVersion: VERSIONS.jest,
  updateSnapshot: UpdateSnapshot.NEVER,
  junitReporting: false,
  jestConfig: { collectCoverage: false },
};

/** Run-wide jest settings that jest refuses inside one of several `projects`. */
const RUN_WIDE_JEST_KEYS = ['collectCoverage', 'coverageDirectory', 'coveragePathIgnorePatterns', 'coverageProvider', 'coverageReporters', 'reporters'];

/**
 * Replaces projen's ts-jest transform with @swc/jest: type-checking already happens once in the
 * jsii/tsc build, and ts-jest type-checks the 2,000-module provider on every run (10–20× slower).
 */
export function useSwcJest(project: NodeProject): void {
  const jest = project.jest;
  if (!jest) return;
  project.deps.removeDependency('ts-jest');
  project.addDevDeps(`@swc/core@${VERSIONS.swcCore}`, `@swc/jest@${VERSIONS.swcJest}`);
  jest.config.displayName = project.package.packageName;
  if (project.parent) {
    for (const key of RUN_WIDE_JEST_KEYS) {
      project.package.file.addDeletionOverride(`jest.${key}`);
    }
  }
  jest.config.transform = {
    '^.+\\.ts$': new Transform('@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    }),
  };
}

/**
 * The workspace's lint setup. Pins the import plugins projen adds unversioned (pnpm does not
 * hoist them, so projen cannot read their versions back), and forbids importing a provider
 * package from its root: the root `require` loads ~2,200 modules (≈3 s and ≈600 MB per process);
 * deep paths such as `@cdktf/provider-aws/lib/vpc` load one.
 */
export function configureLint(project: NodeProject): void {
  project.addDevDeps('eslint-plugin-import@2.32.0', 'eslint-import-resolver-typescript@4.4.5');
  const providers = ['@cdktf/provider-aws', '@cdktf/provider-helm', '@cdktf/provider-kubernetes'];
  Eslint.of(project)?.addRules({
    'no-restricted-imports': ['error', {
      paths: providers.map((name) => ({
        name,
        message: `Import the resource by deep path (${name}/lib/<resource>); the package root loads every resource of the provider.`,
      })),
    }],
  });
}

/**
 * Installs the whole workspace once, from the root, after every package.json is written.
 *
 * projen synthesizes (and installs) each subproject before the root writes
 * `pnpm-workspace.yaml`, so a subproject's own install would run outside the workspace. Each
 * subproject's install is replaced by a request to this component, which runs the root install
 * once, at the end, if the root did not already.
 */
export class WorkspaceInstall extends Component {
  private requested = false;
  private installed = false;

  constructor(private readonly root: NodeProject) {
    super(root);
    const pkg = root.package as unknown as { installDependencies(trigger: unknown): void };
    const rootInstall = pkg.installDependencies.bind(pkg);
    pkg.installDependencies = (trigger: unknown) => {
      this.installed = true;
      rootInstall(trigger);
    };
  }

  /** Routes a subproject's install to the root. */
  public adopt(sub: NodeProject): void {
    const pkg = sub.package as unknown as { installDependencies(trigger: unknown): void };
    pkg.installDependencies = () => {
      this.requested = true;
    };
  }

  public postSynthesize(): void {
    if (this.requested && !this.installed) {
      const pkg = this.root.package as unknown as { installDependencies(trigger: unknown): void };
      pkg.installDependencies({ reason: 'workspace package.json changed' });
    }
  }
}
