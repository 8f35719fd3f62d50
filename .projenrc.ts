import { javascript, JsonFile, typescript } from 'projen';
import { Eslint } from 'projen/lib/javascript';
import { pinDependencies, readPins, SHARED_PEERS, sharedPeerDependencies } from './apps/piksel-live/src/pins';
import { pikselLibrary } from './projenrc/piksel-library';
import { pikselPackage } from './projenrc/piksel-package';
import { VERSIONS } from './projenrc/versions';
import { configureLint, currentVersion, JEST_OPTIONS, useSwcJest, WorkspaceInstall } from './projenrc/workspace';

const root = new typescript.TypeScriptProject({
  name: 'piksel-constructs',
  description: 'Construct libraries and the live app for the Piksel geospatial data cube on AWS',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.PNPM,
  pnpmVersion: VERSIONS.pnpm,
  minNodeVersion: VERSIONS.minNode,
  typescriptVersion: VERSIONS.typescript,
  projenrcTs: true,
  sampleCode: false,
  // The root has no library source of its own: its TypeScript is the release test.
  srcdir: 'test',
  prettier: false,
  github: false,
  release: false,
  depsUpgrade: false,
  licensed: false,
  pnpmOptions: {
    workspaceYamlOptions: {
      packages: ['packages/*', 'apps/*'],
      // pnpm 10 runs no dependency install script unless it is listed here.
      onlyBuiltDependencies: ['@swc/core'],
      // verdaccio-audit asks for the dist-tag node-fetch@cjs, which the npm registry no longer
      // carries; 2.7.0 is the CommonJS line that tag pointed to.
      overrides: { 'verdaccio-audit>node-fetch': '2.7.0' },
    },
  },
  jestOptions: JEST_OPTIONS,
  devDeps: [
    // projen itself needs constructs >= 10.5 (the libraries test against their lowest peer, 10.4.2).
    'constructs@^10.5.0',
    `pnpm@${VERSIONS.pnpm}`,
    `@changesets/cli@${VERSIONS.changesets}`,
    `verdaccio@${VERSIONS.verdaccio}`,
    // test/workflows.test.ts parses the GitHub workflows (yaml 2 runs on Node >= 14.6).
    'yaml@2.9.1',
    // test/schemas/validate.ts judges in-cluster objects by their upstream JSON schemas.
    'ajv@8.20.0',
  ],
});
root.package.addField('private', true);
// cdktf 0.21 is its last release. The patch (README "Benchmark") makes `stackTraces: false` cover
// the stack every token records, resolves each element once per synth and loads `archiver` only
// for zipped assets. Workspace installs only: the published libraries depend on plain cdktf.
root.package.addField('pnpm', { patchedDependencies: { [`cdktf@${VERSIONS.cdktf}`]: `patches/cdktf@${VERSIONS.cdktf}.patch` } });

// Releases: changesets owns versions and changelogs; projen reads versions back.
new JsonFile(root, '.changeset/config.json', {
  marker: false,
  obj: {
    $schema: 'https://unpkg.com/@changesets/config@3.1.1/schema.json',
    changelog: '@changesets/cli/changelog',
    commit: false,
    fixed: [],
    linked: [],
    access: 'public',
    baseBranch: 'main',
    // A library released with a new version bumps the libraries that depend on it.
    updateInternalDependencies: 'patch',
    // The live app is never versioned nor published: environments pin library versions instead.
    ignore: ['piksel-live'],
    privatePackages: { version: false, tag: false },
    // A library's peer range on another (spoke-vpc on network-hub) changes its major only when
    // the new version leaves that range; by default any minor of a peer forces a major.
    ___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH: { onlyUpdatePeerDependentsWhenOutOfRange: true },
  },
});
root.addTask('release:version', {
  description: 'Applies pending changesets: bumps versions, writes changelogs, refreshes the lockfile',
  steps: [{ exec: 'changeset version' }, { exec: 'pnpm install --lockfile-only' }],
});
root.addTask('release:publish', {
  description: 'Builds every package and publishes the versions not yet on the registry',
  steps: [{ spawn: 'compile' }, { exec: 'changeset publish' }],
});
const install = new WorkspaceInstall(root);

const core = pikselLibrary(root, install, {
  dir: 'core',
  description: 'Shared checks, error format, naming and version recording for the Piksel construct libraries',
  keywords: ['validation'],
  providerAws: false,
});
const secrets = pikselLibrary(root, install, {
  dir: 'secrets',
  description: 'Secrets Manager secrets with an enforced tag schema, a per-environment KMS key and least-privilege grants',
  keywords: ['secretsmanager', 'kms'],
  uses: [core],
});
const accountBaseline = pikselLibrary(root, install, {
  dir: 'account-baseline',
  description: 'What every account needs before its first stack: the Terraform state bucket, GitHub OIDC and the plan and deploy roles',
  keywords: ['s3', 'iam', 'github-actions', 'oidc'],
  uses: [core],
});
const networkHub = pikselLibrary(root, install, {
  dir: 'network-hub',
  description: 'Transit Gateway hub shared through RAM, routing domains, shared DNS and the central ECR registry',
  keywords: ['transit-gateway', 'route53', 'ecr'],
  uses: [core],
});
const spokeVpc = pikselLibrary(root, install, {
  dir: 'spoke-vpc',
  description: 'Spoke VPCs attached to the Piksel network hub',
  keywords: ['vpc'],
  uses: [core, networkHub],
});
const libraries = [
  core,
  secrets,
  accountBaseline,
  networkHub,
  spokeVpc,
  pikselLibrary(root, install, {
    dir: 'eks-cluster',
    description: 'EKS clusters: encryption, logs, access entries, IRSA, Fargate, add-ons and Karpenter\'s AWS side',
    keywords: ['eks', 'karpenter'],
    uses: [core, networkHub],
  }),
  // The in-cluster constructs live apart, so AWS-only users never install the Helm and Kubernetes bindings.
  pikselLibrary(root, install, {
    dir: 'cluster-bootstrap',
    description: 'In-cluster bootstrap for EKS: Karpenter and Flux Helm releases, GitOps values, EC2NodeClass and NodePools',
    keywords: ['eks', 'karpenter', 'flux', 'helm', 'kubernetes'],
    uses: [core],
    providerAws: false,
    providers: [`@cdktf/provider-helm@${VERSIONS.providerHelm}`, `@cdktf/provider-kubernetes@${VERSIONS.providerKubernetes}`],
  }),
  pikselLibrary(root, install, {
    dir: 'data-stores',
    description: 'The data tier: PostgreSQL on RDS with RDS-managed credentials, and S3 buckets with IRSA grants',
    keywords: ['rds', 'postgresql', 's3'],
    uses: [core],
  }),
];

// Plain TypeScript packages (not jsii): data and tools with ordinary npm dependencies. Internal
// dependencies use `workspace:^`, which pnpm resolves to the workspace copy here and rewrites to
// `^<version>` in the published manifest (link-workspace-packages is off).
const estate = pikselPackage(root, install, {
  dir: 'estate',
  description: 'The Piksel estate as typed data: environments, accounts, region, estate tags and expected secrets',
  keywords: ['estate'],
});
const operatorCli = pikselPackage(root, install, {
  dir: 'operator-cli',
  description: 'Operator commands: piksel-secrets puts and checks secret values (tag schema and naming enforced); piksel-preflight checks an account is ready for an apply; piksel-gitops checks a GitOps repository against the estate and writes the reference layout',
  keywords: ['secretsmanager', 'cli'],
  deps: [
    `@aws-sdk/client-eks@${VERSIONS.awsSdk}`,
    `@aws-sdk/client-iam@${VERSIONS.awsSdk}`,
    `@aws-sdk/client-kms@${VERSIONS.awsSdk}`,
    `@aws-sdk/client-organizations@${VERSIONS.awsSdk}`,
    `@aws-sdk/client-s3@${VERSIONS.awsSdk}`,
    `@aws-sdk/client-secrets-manager@${VERSIONS.awsSdk}`,
    `@aws-sdk/client-sts@${VERSIONS.awsSdk}`,
    // The SDK publishes a client only when it changes: 3.1142.0 is CodeBuild's newest, older than awsSdk.
    '@aws-sdk/client-codebuild@3.1142.0',
    // Likewise S3 Control's newest release (the account-level public access block).
    '@aws-sdk/client-s3-control@3.1112.0',
    `commander@${VERSIONS.commander}`,
    // piksel-gitops reads a GitOps repository's YAML with line numbers.
    'yaml@2.9.1',
    `${estate.package.packageName}@workspace:^`,
    `${secrets.package.packageName}@workspace:^`,
  ],
  devDeps: [`aws-sdk-client-mock@${VERSIONS.awsSdkClientMock}`],
  bin: { 'piksel-secrets': 'lib/main.js', 'piksel-preflight': 'lib/preflight-main.js', 'piksel-gitops': 'lib/gitops-main.js' },
});
const packages = [...libraries, estate, operatorCli];

// The live app: private, never published. Each environment loads the construct versions pinned
// for it in apps/piksel-live/pins.json (see README "Promotion").
const appDir = 'apps/piksel-live';
const pins = readPins(`${root.outdir}/${appDir}`);
const pinnedLibraries = [...new Set(Object.values(pins).flatMap((libs) => Object.keys(libs)))];
const app = new typescript.TypeScriptProject({
  parent: root,
  outdir: appDir,
  name: 'piksel-live',
  description: 'The Piksel estate: hub, dev, staging and production, each on its pinned construct versions',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.PNPM,
  pnpmVersion: VERSIONS.pnpm,
  minNodeVersion: VERSIONS.minNode,
  typescriptVersion: VERSIONS.typescript,
  sampleCode: false,
  prettier: false,
  licensed: false,
  jestOptions: JEST_OPTIONS,
  deps: [
    `cdktf@${VERSIONS.cdktf}`,
    `constructs@${VERSIONS.constructs}`,
    `@cdktf/provider-aws@${VERSIONS.providerAws}`,
    `@cdktf/provider-helm@${VERSIONS.providerHelm}`,
    `@cdktf/provider-kubernetes@${VERSIONS.providerKubernetes}`,
    `${estate.package.packageName}@workspace:^`,
    ...pinDependencies(pins),
    ...sharedPeerDependencies(pins),
  ],
  // Types only: at run time each environment loads its pinned alias, never this copy.
  devDeps: pinnedLibraries.filter((name) => !(name in SHARED_PEERS)).map((name) => `${name}@workspace:*`),
  gitignore: ['cdktf.out/', '.terraform-test/', 'bench-results.json'],
  package: false,
});
app.package.addField('private', true);
app.package.addVersion(currentVersion(`${root.outdir}/${appDir}`));
app.addTask('bench', {
  description: 'Measures synth time, peak memory and growth per environment against the targets (see README "Benchmark")',
  exec: 'node lib/bench/run.js',
});
app.addTask('synth', {
  description: 'Synthesizes every stack of the estate into cdktf.out/stacks/<stack>/cdk.tf.json',
  exec: 'node lib/main.js',
});
// From source (ts-node with swc, no type check): the record must match what the tests synthesize,
// not the last compiled lib/.
app.addTask('addresses', {
  description: 'Rewrites the address lock (addresses/<stack>.txt) from a synth of the estate (see README "Address lock")',
  exec: 'ts-node --swc src/record-addresses.ts',
});
// The estate's pictures (README, docs/*.svg): Graphviz compiled to WebAssembly, so they render with
// no browser and no downloaded binary, byte-identical on every machine; test/diagram.test.ts
// fails when the committed pictures differ from what the code draws.
app.addDevDeps('@viz-js/viz@3.31.0');
app.addTask('diagram', {
  description: 'Draws the network and each cluster from a synth of the estate into docs/*.svg at the repository root (see README)',
  exec: 'ts-node --swc src/diagram/main.ts',
});
useSwcJest(app);
configureLint(app);
install.adopt(app);

// Root tasks: the whole workspace, in dependency order (the app last). Each phase runs over every
// package before the next, and tests are left to the root `test` task, which runs every suite once
// in one jest process. projen's locked `build` (synth + compile + test + package) still exists as
// `npx projen build`; the `build` script is the compile phase alone, which is what a user means.
root.package.setScript('setup', `npx --yes pnpm@${VERSIONS.pnpm} install --frozen-lockfile && pnpm run build && pnpm run synth`);
root.compileTask.reset();
root.compileTask.description = 'Compiles, documents and packages every package, then the app';
for (const phase of ['pre-compile', 'compile']) {
  root.compileTask.exec(`pnpm -r run ${phase}`);
}
// Documenting (jsii-docgen writes each API.md) and packaging (jsii-pacmak writes dist/js/*.tgz) are
// for developers, who commit the API.md files and hand tarballs over; in CI nothing reads either:
// the release packs with `changeset publish` and the outside-consumer test packs what it installs.
// Each pass loads every assembly a library depends on (the AWS provider's is large), so CI skips
// both: about a minute of its set-up on a 2-core machine. Every test still runs.
const NOT_IN_CI = 'node -e "if (process.env.CI) process.exit(1)"';
for (const phase of ['post-compile', 'package']) {
  root.compileTask.exec(`pnpm -r run ${phase}`, { condition: NOT_IN_CI });
}
root.package.setScript('build', 'projen compile');
root.package.setScript('piksel-secrets', `node ${operatorCli.outdir.slice(root.outdir.length + 1)}/lib/main.js`);
root.package.setScript('piksel-preflight', `node ${operatorCli.outdir.slice(root.outdir.length + 1)}/lib/preflight-main.js`);
root.package.setScript('piksel-gitops', `node ${operatorCli.outdir.slice(root.outdir.length + 1)}/lib/gitops-main.js`);
// `pnpm plan <stack>` and `pnpm apply <stack>` (README "Pipelines"). Not `deploy`: pnpm runs its
// built-in `pnpm deploy` (copy a workspace package to a directory) before any script of that name.
const terraformStack = 'ts-node --swc --project scripts/tsconfig.json scripts/terraform-stack.ts';
root.package.setScript('plan', `${terraformStack} plan`);
root.package.setScript('apply', `${terraformStack} apply`);
// The outside consumer's estate and the README examples compile in their own scratch project,
// against the packed libraries (test/outside-consumer.test.ts), not against the workspace.
for (const consumerOnly of ['test/outside-consumer/**', 'test/readme-examples/**']) {
  root.tsconfig?.addExclude(consumerOnly);
  root.tsconfigDev.addExclude(consumerOnly);
  root.eslint?.addIgnorePattern(consumerOnly);
}
// The scripts are type-checked and linted like the tests.
root.eslint?.addLintPattern('scripts');
new javascript.TypescriptConfig(root, {
  fileName: 'scripts/tsconfig.json',
  extends: javascript.TypescriptConfigExtends.fromTypescriptConfigs([root.tsconfig!]),
  include: ['**/*.ts'],
  exclude: ['node_modules'],
  compilerOptions: { noEmit: true, rootDir: '..' },
});
root.addTask('bench', {
  description: 'Runs the synth benchmark (apps/piksel-live/bench-results.json); fails when a target is missed',
  exec: 'pnpm --filter piksel-live run bench',
});
root.addTask('synth', {
  description: 'Synthesizes the estate into apps/piksel-live/cdktf.out',
  exec: 'pnpm --filter piksel-live run synth',
});
root.addTask('addresses', {
  description: 'Records every resource address of the estate in apps/piksel-live/addresses (accepts dropped ones: say why in the changeset)',
  exec: 'pnpm --filter piksel-live run addresses',
});
root.addTask('diagram', {
  description: 'Redraws the pictures of the estate (docs/network.svg, docs/cluster-<env>.svg) from a synth',
  exec: 'pnpm --filter piksel-live run diagram',
});
root.testTask.reset();
// One ESLint process for the root and every package (each file still takes the configuration of
// its own package): the type-aware rules load TypeScript's view of cdktf and the providers once,
// not once per package. Check only: `pnpm eslint` (root or package) is the one that fixes.
// The root's patterns come first: typescript-eslint makes its project service once per process,
// with the options of the first file it parses, and only the root's let `.projenrc.ts` (in no
// tsconfig) use the default project.
const lintTargets = [
  // projen lints the projenrc files beside the root's patterns.
  ...root.eslint!.lintPatterns, 'projenrc', '.projenrc.ts',
  ...[...packages, app].flatMap((project) => Eslint.of(project)!.lintPatterns
    .map((pattern) => `${project.outdir.slice(root.outdir.length + 1)}/${pattern}`)),
];
root.testTask.exec(`ESLINT_USE_FLAT_CONFIG=false NODE_NO_WARNINGS=1 eslint --ext .ts,.tsx --no-error-on-unmatched-pattern --max-warnings 0 ${lintTargets.join(' ')}`, {
  name: 'Lint the root and every package, in one process',
});
root.testTask.exec('jest --ci', { name: 'Every suite: packages, app, Terraform, release path' });
useSwcJest(root);
if (root.jest) {
  root.jest.config.projects = [
    ...packages.map((pkg) => `<rootDir>/${pkg.outdir.slice(root.outdir.length + 1)}`),
    `<rootDir>/${appDir}`,
    {
      displayName: 'release',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      transform: root.jest.config.transform,
      testEnvironment: 'node',
    },
  ];
  root.jest.config.reporters = ['default', '<rootDir>/test/summary-reporter.js'];
  // Most suites wait on child processes (jsii, npm, a registry, Terraform): one worker per core.
  // jest's default (cores - 1) runs everything in one worker on a 2-core machine.
  root.jest.config.maxWorkers = '100%';
  // The suites that drive a toolchain start first, so the longest never start last.
  root.jest.config.testSequencer = '<rootDir>/test/sequencer.js';
}
configureLint(root);

root.synth();
