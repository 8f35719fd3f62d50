import { execFile } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative, resolve } from 'path';
import { promisify } from 'util';
import { deployRoleArn, HUB, REGION, REGION_CONTEXT, Spoke, SPOKES, ZONES } from './outside-consumer/estate/estate';
import { readiness, StackVerdict, terraformSuite, verifyStack } from '../apps/piksel-live/test/terraform/harness';
import { addressesOf, addressOf, assertion, hcl, hubStateOverride, StackJson, testFile } from '../apps/piksel-live/test/terraform/hcl';

/**
 * The libraries as an outside team gets them (issue 11, build item 5): each jsii library packed
 * with `pnpm pack`, the tarballs installed with npm (no workspace links) into a scratch project
 * beside their peers from the npm registry, and there
 *
 * - Acme's estate (test/outside-consumer/estate: its own prefix, accounts, region, CIDR blocks)
 *   and every README example (test/readme-examples) type-checked with each supported TypeScript
 *   version, then run and synthesized; the estate also in eu-central-1 and ap-northeast-1, regions
 *   whose zones the libraries do not assume (issue "Adoptable anywhere", item 1);
 * - every role the spoke-vpc README example and the estate's spokes assume trusts the principal
 *   that assumes it, read from the synthesized trust policies (item 2);
 * - each AWS stack of that estate checked by Terraform: `validate` and a mocked apply asserting
 *   that Acme's names were used (skipped, loudly, without Terraform and the provider mirror;
 *   required in CI);
 * - every ```ts block of every library README is the code of the example file it names, so a
 *   README cannot drift from code that compiles.
 */
const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const ESTATE_SOURCES = join(__dirname, 'outside-consumer', 'estate');
const EXAMPLE_SOURCES = join(__dirname, 'readme-examples');

/** The jsii construct libraries, the packages an outside team installs (not the estate table or the CLI). */
const LIBRARIES: Array<{ name: string; version: string; dir: string }> = readdirSync(join(ROOT, 'packages'))
  .map((dir) => join(ROOT, 'packages', dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf-8')) }))
  .filter(({ manifest }) => !manifest.private && manifest.jsii)
  .map(({ dir, manifest }) => ({ name: manifest.name, version: manifest.version, dir }));

/** The peers, at the versions the live app runs (its package.json), from the npm registry. */
const APP_DEPENDENCIES = JSON.parse(readFileSync(join(ROOT, 'apps', 'piksel-live', 'package.json'), 'utf-8')).dependencies;
const PEERS = Object.fromEntries(['cdktf', 'constructs', '@cdktf/provider-aws', '@cdktf/provider-helm', '@cdktf/provider-kubernetes']
  .map((name) => [name, APP_DEPENDENCIES[name] as string]));

/**
 * The TypeScript versions the libraries are proven with (README "Using the libraries outside
 * Piksel"): the one they are built with (the root's), which also emits the JavaScript that runs;
 * the oldest supported; and the newer majors. Each is installed under an alias.
 */
const BUILD_TYPESCRIPT = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf-8')).devDependencies.typescript as string;
const TYPESCRIPTS: Record<string, string> = {
  [BUILD_TYPESCRIPT.replace(/^[~^]/, '').split('.').slice(0, 2).join('.')]: BUILD_TYPESCRIPT,
  '5.0': '~5.0.4',
  '6.0': '~6.0.3',
  '7.0': '~7.0.2',
};
const BUILD_TYPESCRIPT_MINOR = Object.keys(TYPESCRIPTS)[0];

/** The stacks of Acme's estate (test/outside-consumer/estate/main.ts), every one an AWS stack. */
const DATA_SPOKE = SPOKES[0];
const AWS_STACKS = ['hub-baseline', 'hub', ...SPOKES.map((spoke) => spoke.name), `${DATA_SPOKE.name}-data`];

/** The estate's other regions, built from the same sources through the app's context (`REGION_CONTEXT`). */
const OTHER_REGIONS = Object.keys(ZONES).filter((region) => region !== REGION);

/**
 * The live Node.js LTS lines the libraries are proven on (README "Using the libraries outside
 * Piksel"), each run from the npm registry's `node` package (`npx -y node@<major>`): the estate
 * compiled once synthesizes under each, to the same bytes as under the machine's Node.
 */
const NODE_LINES = ['22', '24'];

/**
 * CDK Terrain, cdktf's community continuation (a deliberate rename, same output format), installed
 * in a second project with `cdktf` as an npm alias of it beside the same provider bindings: the
 * estate must synthesize there to the same stacks as on cdktf.
 */
const CDK_TERRAIN = '0.24.0';

/**
 * The account of the README examples' dev spoke: the one the spoke-vpc example attaches
 * (`attachToHub`'s `account`), the account-baseline example's `dev` is applied in, and the hub's
 * baseline example lists.
 */
const README_SPOKE_ACCOUNT = '236122835646';

/** Whether Terraform and the provider mirror are here (found once, as every Terraform suite does). */
const terraform = readiness();

const run = promisify(execFile);

/** What a command said, and whether it succeeded. */
interface Outcome {
  readonly ok: boolean;
  readonly output: string;
}

/**
 * The environment for commands in the scratch project: this run's, without the npm and pnpm
 * settings a parent `npm test` or `pnpm test` exports (its project prefix above all), except
 * where the registry, cache and proxies are.
 */
function scratchEnv(): NodeJS.ProcessEnv {
  const keep = /^npm_config_(registry|cache|userconfig|globalconfig|cafile|strict_ssl|proxy|https_proxy|http_proxy|noproxy)$/i;
  return Object.fromEntries(Object.entries(process.env)
    .filter(([key]) => !/^(npm|pnpm)_(config|package|lifecycle)_/i.test(key) || keep.test(key)));
}

async function sh(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = scratchEnv()): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, output: stdout + stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${command} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}${e.stderr ?? e.message}` };
  }
}

async function must(cwd: string, command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const outcome = await sh(cwd, command, args, env);
  if (!outcome.ok) throw new Error(outcome.output);
  return outcome.output;
}

/** What each step took, printed after the run (the suite must stay well inside CI's time). */
const timings: Array<[string, number]> = [];

async function timed<T>(step: string, fn: () => Promise<T>): Promise<T> {
  const start = Date.now();
  try {
    return await fn();
  } finally {
    timings.push([step, (Date.now() - start) / 1000]);
  }
}

/** One ```ts block of a README and the example file its marker names. */
interface ReadmeExample {
  readonly readme: string;
  readonly line: number;
  readonly block: string;
  /** The example file, relative to test/readme-examples; undefined without a marker. */
  readonly example?: string;
}

const MARKER = /^<!-- example: (\S+) -->$/;
const README_REGION = /\/\/ #region README\n([\s\S]*?)\n\/\/ #endregion\n/;

/** Every ```ts block of every library README, with the example its marker names (undefined without one). */
function readmeExamples(): ReadmeExample[] {
  return LIBRARIES.flatMap(({ dir }) => {
    const readme = join(dir, 'README.md');
    const lines = readFileSync(readme, 'utf-8').split('\n');
    const found: ReadmeExample[] = [];
    lines.forEach((line, i) => {
      if (!/^```(ts|typescript)$/.test(line.trim())) return;
      const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
      const marker = MARKER.exec((lines[i - 1] ?? '').trim());
      found.push({
        readme: relative(ROOT, readme),
        line: i + 1,
        block: lines.slice(i + 1, end).join('\n'),
        example: marker ? relative(EXAMPLE_SOURCES, resolve(dir, marker[1])) : undefined,
      });
    });
    return found;
  });
}

/** Runs each README example (its compiled module) in a fresh module registry, then synthesizes its app. */
const EXAMPLE_RUNNER = `
const { mkdirSync } = require('fs');
const { join } = require('path');
const lib = join(__dirname, 'lib', 'readme-examples');
const failures = [];
for (const example of process.argv.slice(2)) {
  for (const id of Object.keys(require.cache)) if (!id.includes('node_modules')) delete require.cache[id];
  const outdir = join(__dirname, 'examples.out', example.replace(/\\W+/g, '-'));
  mkdirSync(outdir, { recursive: true });
  process.env.CDKTF_OUTDIR = outdir;
  try {
    require(join(lib, example.replace(/\\.ts$/, '.js')));
    const scope = require.cache[join(lib, 'scope.js')];
    if (scope) scope.exports.app.synth();
  } catch (err) {
    failures.push(example + ': ' + err.stack);
  }
}
if (failures.length > 0) {
  console.error(failures.join('\\n\\n'));
  process.exit(1);
}
`;

describe('README examples', () => {
  test('every ```ts block of a library README names the example file it is, and is that file\'s README region', () => {
    const problems: string[] = [];
    for (const { readme, line, block, example } of readmeExamples()) {
      const where = `${readme}:${line}`;
      if (example === undefined) {
        problems.push(`${where}: no "<!-- example: <file> -->" line above the block; put the code in a file under test/readme-examples and name it there`);
        continue;
      }
      const file = join(EXAMPLE_SOURCES, example);
      if (example.startsWith('..') || !existsSync(file)) {
        problems.push(`${where}: the example file ${relative(ROOT, file)} does not exist under test/readme-examples`);
        continue;
      }
      const region = README_REGION.exec(readFileSync(file, 'utf-8'));
      if (!region) {
        problems.push(`${where}: ${relative(ROOT, file)} has no "// #region README" ... "// #endregion" lines`);
      } else if (region[1] !== block) {
        problems.push(`${where}: the block differs from the README region of ${relative(ROOT, file)}; copy the region into the README (the file is what compiles)`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('every example file is shown in a README', () => {
    const shown = new Set(readmeExamples().map(({ example }) => example));
    const files = readdirSync(EXAMPLE_SOURCES, { recursive: true, encoding: 'utf-8' })
      .filter((file) => file.endsWith('.ts') && file !== 'scope.ts');
    expect(files.filter((file) => !shown.has(file))).toEqual([]);
  });
});

describe('outside consumer: the packed libraries installed with npm', () => {
  const work = mkdtempSync(join(tmpdir(), 'piksel-outside-'));
  const tarballs = join(work, 'tarballs');
  const project = join(work, 'acme-estate');
  const outdir = join(project, 'cdktf.out');
  const typeChecks = new Map<string, Outcome>();
  let synth: Outcome | undefined;
  let examples: Outcome | undefined;
  const regionSynths = new Map<string, Outcome>();
  const regionOutdir = (region: string) => join(project, `cdktf.out.${region}`);
  const nodeSynths = new Map<string, Outcome>();
  const nodeOutdir = (major: string) => join(project, `cdktf.out.node${major}`);
  const terrain = join(work, 'acme-estate-cdktn');
  let terrainSynth: Outcome | undefined;

  beforeAll(async () => {
    for (const { dir } of LIBRARIES) {
      if (!existsSync(join(dir, 'lib', 'index.js')) || !existsSync(join(dir, '.jsii'))) {
        throw new Error(`${relative(ROOT, dir)} is not built: run "npm run setup" (or "pnpm build") before the tests`);
      }
    }
    mkdirSync(tarballs);
    // pnpm pack writes the tarball npm publish would: the files .npmignore lets through.
    await timed(`pnpm pack ${LIBRARIES.length} libraries`, () =>
      Promise.all(LIBRARIES.map(({ dir }) => must(dir, join(BIN, 'pnpm'), ['pack', '--pack-destination', tarballs]))));
    const packed = readdirSync(tarballs);
    const tarballOf = (name: string, version: string) => {
      const file = `${name.replace('@', '').replace('/', '-')}-${version}.tgz`;
      if (!packed.includes(file)) throw new Error(`pnpm pack wrote no ${file} (found ${packed.join(', ')})`);
      return `file:${join(tarballs, file)}`;
    };

    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({
      name: 'acme-estate',
      private: true,
      dependencies: { ...Object.fromEntries(LIBRARIES.map(({ name, version }) => [name, tarballOf(name, version)])), ...PEERS },
      devDependencies: Object.fromEntries(Object.entries(TYPESCRIPTS).map(([minor, range]) => [`typescript-${minor}`, `npm:typescript@${range}`])),
    }, null, 2));
    // What an outside project would have: strict, unused locals refused, no @types picked up by accident.
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'commonjs',
        lib: ['es2022'],
        strict: true,
        noUnusedLocals: true,
        noImplicitReturns: true,
        esModuleInterop: true,
        types: [],
        rootDir: 'src',
        outDir: 'lib',
        noEmitOnError: true,
      },
      include: ['src/**/*.ts'],
    }, null, 2));
    cpSync(ESTATE_SOURCES, join(project, 'src', 'estate'), { recursive: true });
    cpSync(EXAMPLE_SOURCES, join(project, 'src', 'readme-examples'), { recursive: true });
    writeFileSync(join(project, 'run-examples.js'), EXAMPLE_RUNNER);

    // The npm cache is the user's (CI: empty at first, then warm): offline where it can be.
    await timed('npm install (tarballs, peers, TypeScript versions)', () =>
      must(project, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-update-notifier']));

    const tsc = (minor: string) => join(project, 'node_modules', `typescript-${minor}`, 'bin', 'tsc');
    await timed('tsc, every TypeScript version (parallel)', () => Promise.all(Object.keys(TYPESCRIPTS).map(async (minor) => {
      // The build's version also emits the JavaScript that runs below (nothing is emitted on an error).
      const args = minor === BUILD_TYPESCRIPT_MINOR ? ['-p', '.'] : ['--noEmit', '-p', '.'];
      typeChecks.set(minor, await sh(project, 'node', [tsc(minor), ...args]));
    })));
    if (!typeChecks.get(BUILD_TYPESCRIPT_MINOR)!.ok) return;
    await timed('synthesize the estate, run the README examples', async () => {
      const otherRegions = Promise.all(OTHER_REGIONS.map(async (region) => {
        const env = { ...scratchEnv(), CDKTF_OUTDIR: regionOutdir(region), CDKTF_CONTEXT_JSON: JSON.stringify({ [REGION_CONTEXT]: region }) };
        regionSynths.set(region, await sh(project, 'node', [join('lib', 'estate', 'main.js')], env));
      }));
      [synth, examples] = await Promise.all([
        sh(project, 'node', [join('lib', 'estate', 'main.js')]),
        sh(project, 'node', ['run-examples.js', ...readmeExamples().flatMap(({ example }) => (example ? [example] : []))]),
      ]);
      await otherRegions;
    });
    await timed(`synthesize the estate on Node ${NODE_LINES.join(' and ')} and on CDK Terrain ${CDK_TERRAIN}`, () => Promise.all([
      ...NODE_LINES.map(async (major) => {
        const env = { ...scratchEnv(), CDKTF_OUTDIR: nodeOutdir(major) };
        nodeSynths.set(major, await sh(project, 'npx', ['--yes', `node@${major}`, join('lib', 'estate', 'main.js')], env));
      }),
      (async () => { terrainSynth = await synthOnCdkTerrain(); })(),
    ]));
  }, 400_000);

  /**
   * A second project: the same tarballs and provider bindings, `cdktf` an alias of CDK Terrain
   * (peer ranges name cdktf 0.21, hence `--legacy-peer-deps`), and the JavaScript compiled above.
   */
  async function synthOnCdkTerrain(): Promise<Outcome> {
    mkdirSync(terrain);
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf-8'));
    writeFileSync(join(terrain, 'package.json'), JSON.stringify({
      name: 'acme-estate-cdktn',
      private: true,
      dependencies: { ...manifest.dependencies, cdktf: `npm:cdktn@${CDK_TERRAIN}` },
    }, null, 2));
    const install = await sh(terrain, 'npm', ['install', '--prefer-offline', '--legacy-peer-deps', '--no-audit', '--no-fund', '--no-update-notifier']);
    if (!install.ok) return install;
    cpSync(join(project, 'lib'), join(terrain, 'lib'), { recursive: true });
    return sh(terrain, 'node', [join('lib', 'estate', 'main.js')]);
  }

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    console.log(`outside-consumer test, seconds per step:\n${timings.map(([step, s]) => `  ${s.toFixed(1).padStart(6)}  ${step}`).join('\n')}`);
  });

  test('installs only from the tarballs and the registry: no workspace link', () => {
    for (const { name } of LIBRARIES) {
      const installed = join(project, 'node_modules', ...name.split('/'));
      expect(existsSync(join(installed, 'package.json'))).toBe(true);
      // A copy unpacked from the tarball, not a symlink into the workspace; sources stay out of it.
      expect(relative(ROOT, realpathSync(installed))).toMatch(/^\.\./);
      expect(existsSync(join(installed, 'src'))).toBe(false);
    }
  });

  test.each(Object.keys(TYPESCRIPTS))('the estate and every README example type-check with TypeScript %s', (minor) => {
    const check = typeChecks.get(minor)!;
    if (!check.ok) throw new Error(check.output);
    expect(check.ok).toBe(true);
  });

  test('every README example runs and synthesizes', () => {
    expect(examples).toBeDefined();
    if (!examples!.ok) throw new Error(examples!.output);
  });

  test('the estate synthesizes, named for the organisation: no stack says "piksel" but in the library-version record', () => {
    expect(synth).toBeDefined();
    if (!synth!.ok) throw new Error(synth!.output);
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual([...AWS_STACKS].sort());
    for (const stack of AWS_STACKS) {
      const { ['//']: comment, ...config } = stackJson(outdir, stack) as unknown as Record<string, unknown>;
      expect(JSON.stringify(comment)).toMatch(/"acme":\{"libraries":\{"@piksel\//);
      expect({ stack, piksel: JSON.stringify(config).match(/.{0,40}piksel.{0,40}/gi) }).toEqual({ stack, piksel: null });
    }
  });

  test.each(OTHER_REGIONS)('the estate builds in %s, a region whose zones the libraries do not assume, on the organisation\'s zones', (region) => {
    const outcome = regionSynths.get(region);
    expect(outcome).toBeDefined();
    if (!outcome!.ok) throw new Error(outcome!.output);
    const out = regionOutdir(region);
    expect(readdirSync(join(out, 'stacks')).sort()).toEqual([...AWS_STACKS].sort());
    const zonesOfStack = (stack: string) => [...new Set(Object.values(stackJson(out, stack).resource.aws_subnet ?? {})
      .map((subnet) => subnet.availability_zone as string))].sort();
    expect(zonesOfStack('hub')).toEqual(ZONES[region]!.slice(0, 2));
    for (const spoke of SPOKES) {
      expect({ spoke: spoke.name, zones: zonesOfStack(spoke.name) }).toEqual({ spoke: spoke.name, zones: ZONES[region]!.slice(0, spoke.zones) });
    }
    for (const stack of AWS_STACKS) {
      const config: Record<string, unknown> = { ...stackJson(out, stack) };
      const providers = (config.provider as { aws: Array<{ region: string }> }).aws;
      expect({ stack, regions: [...new Set(providers.map((provider) => provider.region))] }).toEqual({ stack, regions: [region] });
      delete config['//'];
      expect({ stack, piksel: JSON.stringify(config).match(/.{0,40}piksel.{0,40}/gi) }).toEqual({ stack, piksel: null });
    }
  });

  test.each(NODE_LINES)('the estate synthesizes on Node %s to the same stacks as on the machine\'s Node', (major) => {
    const outcome = nodeSynths.get(major);
    expect(outcome).toBeDefined();
    if (!outcome!.ok) throw new Error(outcome!.output);
    expect(sameStacks(outdir, nodeOutdir(major))).toEqual(sameStacks(outdir, outdir));
  });

  test(`the estate synthesizes on CDK Terrain ${CDK_TERRAIN} (cdktf an alias of cdktn) to the same stacks as on cdktf, which Terraform checks below`, () => {
    expect(terrainSynth).toBeDefined();
    if (!terrainSynth!.ok) throw new Error(terrainSynth!.output);
    expect(JSON.parse(readFileSync(join(terrain, 'node_modules', 'cdktf', 'package.json'), 'utf-8'))).toMatchObject({ name: 'cdktn', version: CDK_TERRAIN });
    expect(sameStacks(outdir, join(terrain, 'cdktf.out'))).toEqual(sameStacks(outdir, outdir));
  });

  test('each role the spoke-vpc README example assumes trusts the principal that assumes it, which may assume it', () => {
    expect(examples).toBeDefined();
    if (!examples!.ok) throw new Error(examples!.output);
    expect(readFileSync(join(EXAMPLE_SOURCES, 'spoke-vpc', 'spoke.ts'), 'utf-8')).toContain(`account: '${README_SPOKE_ACCOUNT}'`);
    // The principal: the role the pipeline applies the dev spoke with, account-baseline's deploy role.
    const spokeBaseline = exampleStack(project, 'account-baseline/baseline.ts');
    const deployRole = Object.entries(spokeBaseline.resource.aws_iam_role)
      .find(([, role]) => /:environment:dev"/.test(role.assume_role_policy as string))!;
    const principal = `arn:aws:iam::${README_SPOKE_ACCOUNT}:role/${deployRole[1].name}`;
    const principalPolicies = Object.values(spokeBaseline.resource.aws_iam_role_policy ?? {})
      .filter((policy) => (policy.role as string).includes(deployRole[0])).map((policy) => policy.policy as string);

    const assumed = assumedRoleArns(exampleStack(project, 'spoke-vpc/spoke.ts'));
    expect(assumed.length).toBeGreaterThan(0);
    // Every role a README example makes (an example without the shared stack, such as core's, makes none).
    const roles = readmeExamples().flatMap(({ example }) => (example ? [example] : []))
      .filter((example) => existsSync(join(exampleOutdir(project, example), 'stacks', 'example')))
      .flatMap((example) => Object.values(exampleStack(project, example).resource?.aws_iam_role ?? {}));
    const verdicts = assumed.map((roleArn) => {
      const role = roles.find((candidate) => candidate.name === roleArn.split('/').pop());
      return {
        roleArn,
        madeByAReadmeExample: role !== undefined,
        trustsPrincipal: role !== undefined && trusts(role.assume_role_policy as string, principal),
        principalMayAssume: mayAssume(principalPolicies, principal, roleArn),
      };
    });
    expect(verdicts).toEqual(assumed.map((roleArn) => ({ roleArn, madeByAReadmeExample: true, trustsPrincipal: true, principalMayAssume: true })));
  });

  test.each([REGION, ...OTHER_REGIONS])('in %s, each role a spoke stack assumes is the hub baseline\'s and trusts the spoke\'s deploy role', (region) => {
    const out = region === REGION ? outdir : regionOutdir(region);
    const hubRoles = Object.values(stackJson(out, 'hub-baseline').resource.aws_iam_role);
    for (const spoke of SPOKES) {
      const assumed = assumedRoleArns(stackJson(out, spoke.name));
      expect(assumed).toEqual([`arn:aws:iam::${HUB.account}:role/acme-${spoke.name}-hub-network`]);
      const role = hubRoles.find((candidate) => candidate.name === `acme-${spoke.name}-hub-network`);
      expect({ spoke: spoke.name, trusted: role !== undefined && trusts(role.assume_role_policy as string, deployRoleArn(spoke)) })
        .toEqual({ spoke: spoke.name, trusted: true });
    }
  });

  terraformSuite(terraform)('Terraform: each AWS stack of the estate', () => {
    const verdicts = new Map<string, StackVerdict>();
    const tests: Record<string, (stack: StackJson) => string> = {
      'hub-baseline': baselineTestFile,
      'hub': hubTestFile,
      ...Object.fromEntries(SPOKES.map((spoke) => [spoke.name, (stack: StackJson) => spokeTestFile(stack, spoke)])),
      [`${DATA_SPOKE.name}-data`]: dataTestFile,
    };

    beforeAll(async () => {
      if (!synth?.ok) throw new Error('the estate did not synthesize (see the test above)');
      const results = await timed('terraform init + validate + test, every stack (parallel)', () => Promise.all(AWS_STACKS.map(async (stack) => {
        const stackDir = join(outdir, 'stacks', stack);
        const json = stackJson(outdir, stack);
        let test: string;
        try {
          test = tests[stack](json);
        } catch (err) {
          // The stack lacks a resource the assertions look for: say so for this stack only.
          const output = `the test file cannot be written: ${(err as Error).message}`;
          return { stack, valid: false, validateOutput: output, testPassed: false, testOutput: output };
        }
        allowTestDestroy(stackDir, json);
        return verifyStack(stackDir, stack, test, terraform.mirror!);
      })));
      for (const verdict of results) verdicts.set(verdict.stack, verdict);
    }, 300_000);

    describe.each(AWS_STACKS)('%s', (stack) => {
      test('passes terraform validate', () => {
        const verdict = verdicts.get(stack)!;
        if (!verdict.valid) throw new Error(verdict.validateOutput);
        expect(verdict.validateOutput).toMatch(/Success! The configuration is valid/);
      });

      test('passes a mocked apply that finds the organisation\'s names', () => {
        const verdict = verdicts.get(stack)!;
        if (!verdict.testPassed) throw new Error(verdict.testOutput);
        expect(verdict.testOutput).toMatch(/1 passed, 0 failed/);
      });
    });
  });
});

/**
 * Each stack of `other`, by name, as the same JSON as `outdir`'s or the first difference: the
 * `//` metadata aside (it records the framework's version and the construct paths' stack traces).
 */
function sameStacks(outdir: string, other: string): Record<string, string> {
  const stacks = readdirSync(join(other, 'stacks')).sort();
  return Object.fromEntries(stacks.map((stack) => {
    const strip = (json: StackJson) => JSON.stringify({ ...json, '//': undefined });
    const mine = existsSync(join(outdir, 'stacks', stack)) ? strip(stackJson(outdir, stack)) : 'missing';
    const theirs = strip(stackJson(other, stack));
    const at = [...mine].findIndex((c, i) => c !== theirs[i]);
    return [stack, mine === theirs ? 'same' : `differs at ${at}: ${theirs.slice(Math.max(0, at - 60), at + 60)}`];
  }));
}

function stackJson(outdir: string, stack: string): StackJson {
  return JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf-8'));
}

/** Where EXAMPLE_RUNNER synthesized a README example. */
function exampleOutdir(project: string, example: string): string {
  return join(project, 'examples.out', example.replace(/\W+/g, '-'));
}

/** The stack a README example synthesized (scope.ts's `example`). */
function exampleStack(project: string, example: string): StackJson {
  return stackJson(exampleOutdir(project, example), 'example');
}

/** Every role a stack's providers and remote states assume. */
function assumedRoleArns(stack: StackJson): string[] {
  const config = stack as unknown as {
    provider?: { aws?: Array<{ assume_role?: Array<{ role_arn: string }> }> };
    data?: Record<string, Record<string, any>>;
  };
  const byProviders = (config.provider?.aws ?? []).flatMap((provider) => (provider.assume_role ?? []).map((assume) => assume.role_arn));
  const byRemoteStates = Object.values(config.data?.terraform_remote_state ?? {}).flatMap((state) => {
    const arn = state.config?.assume_role?.role_arn;
    return arn ? [arn as string] : [];
  });
  return [...new Set([...byProviders, ...byRemoteStates])];
}

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  Principal?: { AWS?: string | string[] };
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function statementsOf(policy: string): Statement[] {
  return asList(JSON.parse(policy).Statement as Statement | Statement[]);
}

/** An IAM wildcard (`*`, `?`) as a regular expression. */
function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`);
}

/**
 * Whether every condition holds in `context`, for the operators the libraries write; a key the
 * context lacks, or an operator this reading does not know, does not hold. Policy variables
 * (`${aws:PrincipalAccount}`, `$${…}` as Terraform escapes them) are read from the context.
 */
function conditionsHold(condition: Statement['Condition'], context: Record<string, string>): boolean {
  return Object.entries(condition ?? {}).every(([operator, keys]) => Object.entries(keys).every(([key, expected]) => {
    const actual = context[key];
    if (actual === undefined) return false;
    const values = asList(expected).map((value) => value.replace(/\$?\$\{([^}]+)\}/g, (_, name: string) => context[name] ?? `\${${name}}`));
    switch (operator) {
      case 'StringEquals': case 'ArnEquals': return values.includes(actual);
      case 'StringNotEquals': case 'ArnNotEquals': return !values.includes(actual);
      case 'StringLike': case 'ArnLike': return values.some((value) => glob(value).test(actual));
      default: return false;
    }
  }));
}

/** Whether a trust policy lets the role `principalArn` call `sts:AssumeRole` (as itself, or through its account with conditions). */
function trusts(policy: string, principalArn: string): boolean {
  const account = principalArn.split(':')[4];
  const context = { 'aws:PrincipalArn': principalArn, 'aws:PrincipalAccount': account };
  const applies = (statement: Statement) => asList(statement.Action).some((action) => glob(action).test('sts:AssumeRole'))
    && asList(statement.Principal?.AWS).some((p) => p === principalArn || p === `arn:aws:iam::${account}:root` || p === account)
    && conditionsHold(statement.Condition, context);
  const statements = statementsOf(policy);
  return statements.some((s) => s.Effect === 'Allow' && applies(s)) && !statements.some((s) => s.Effect === 'Deny' && applies(s));
}

/** Whether the principal's own policies allow it `sts:AssumeRole` on `roleArn` and deny nothing of it. */
function mayAssume(policies: string[], principalArn: string, roleArn: string): boolean {
  const context = { 'aws:PrincipalArn': principalArn, 'aws:PrincipalAccount': principalArn.split(':')[4], 'aws:ResourceAccount': roleArn.split(':')[4] };
  const applies = (statement: Statement) => asList(statement.Action).some((action) => glob(action).test('sts:AssumeRole'))
    && (statement.NotResource !== undefined
      ? !asList(statement.NotResource).some((resource) => glob(resource).test(roleArn))
      : asList(statement.Resource).some((resource) => glob(resource).test(roleArn)))
    && conditionsHold(statement.Condition, context);
  const statements = policies.flatMap(statementsOf);
  return statements.some((s) => s.Effect === 'Allow' && applies(s)) && !statements.some((s) => s.Effect === 'Deny' && applies(s));
}

/**
 * `terraform test` destroys what its mocked apply created, which `prevent_destroy` (the state
 * bucket's) refuses: an override file lifts it for the test only, as the app's baseline test does.
 * @see https://developer.hashicorp.com/terraform/language/files/override
 */
function allowTestDestroy(stackDir: string, stack: StackJson): void {
  const kept = Object.entries(stack.resource).flatMap(([type, resources]) => Object.entries(resources)
    .filter(([, resource]) => resource.lifecycle?.prevent_destroy)
    .map(([name]) => ({ type, name })));
  if (kept.length === 0) return;
  const resource: Record<string, Record<string, unknown>> = {};
  for (const { type, name } of kept) resource[type] = { ...resource[type], [name]: { lifecycle: { prevent_destroy: false } } };
  writeFileSync(join(stackDir, 'test_override.tf.json'), JSON.stringify({ resource }, null, 2));
}

/** A mocked ARN-valued attribute of every resource of `type`. */
function mockArn(type: string, arn: string, extra: Record<string, unknown> = {}): string {
  const values = { arn, ...extra };
  return `  mock_resource ${hcl(type)} {\n    defaults = { ${Object.entries(values).map(([k, v]) => `${k} = ${hcl(v)}`).join(', ')} }\n  }`;
}

function baselineTestFile(stack: StackJson): string {
  const { account } = HUB;
  const mocks = [
    mockArn('aws_iam_openid_connect_provider', `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`),
    mockArn('aws_iam_role', `arn:aws:iam::${account}:role/acme-mock`),
    mockArn('aws_s3_bucket', 'arn:aws:s3:::acme-mock'),
  ].join('\n');
  const bucket = addressOf(stack, 'aws_s3_bucket', () => true);
  const role = (name: string) => addressOf(stack, 'aws_iam_role', (r) => r.name === name);
  const trust = (name: string) => `jsondecode(${role(name)}.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]`;
  return testFile(mocks, '',
    assertion(`${bucket}.bucket == "acme-hub-tfstate"`, 'the state bucket must be named for the organisation')
    + assertion(`${trust('acme-deploy')} == "repo:acme-corp/acme-infrastructure:environment:hub"`, 'the deploy role acme-deploy must trust the organisation\'s repository')
    + assertion(`${trust('acme-plan')} == "repo:acme-corp/acme-infrastructure:pull_request"`, 'the plan role acme-plan must trust the organisation\'s pull requests'));
}

/** Mocked computed values every network stack needs in the shape the provider checks. */
function networkMocks(account: string): string[] {
  return [
    mockArn('aws_vpc_endpoint', `arn:aws:ec2:${REGION}:${account}:vpc-endpoint/vpce-0a1b2c3d4e5f60718`, {
      dns_entry: [{ dns_name: `vpce-0a1b2c3d4e5f60718-abcdefgh.ecr.${REGION}.vpce.amazonaws.com`, hosted_zone_id: 'Z0VPCEENDPOINTZONE0' }],
    }),
    mockArn('aws_ec2_transit_gateway', `arn:aws:ec2:${REGION}:${account}:transit-gateway/tgw-0a1b2c3d4e5f60718`),
    mockArn('aws_ram_resource_share', `arn:aws:ram:${REGION}:${account}:resource-share/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9`),
    mockArn('aws_iam_role', `arn:aws:iam::${account}:role/acme-mock`),
    mockArn('aws_iam_policy', `arn:aws:iam::${account}:policy/acme-mock`),
    mockArn('aws_cloudwatch_log_group', `arn:aws:logs:${REGION}:${account}:log-group:/acme/mock`),
    '  mock_resource "aws_route53_zone" {',
    '    defaults = { name_servers = ["ns-1.awsdns-01.org", "ns-2.awsdns-02.net", "ns-3.awsdns-03.com", "ns-4.awsdns-04.co.uk"] }',
    '  }',
  ];
}

function hubTestFile(stack: StackJson): string {
  const vpc = addressOf(stack, 'aws_vpc', () => true);
  const flowLogs = addressOf(stack, 'aws_cloudwatch_log_group', (r) => /flow-logs/.test(r.name));
  const internalZone = addressOf(stack, 'aws_route53_zone', (r) => r.vpc !== undefined && !/ecr/.test(r.name));
  const dnsRoles = addressesOf(stack, 'aws_iam_role', (r) => /external-dns/.test(r.name)).map((role) => `${role}.name`);
  const mocks = [
    ...networkMocks(HUB.account),
    mockArn('aws_iam_openid_connect_provider', `arn:aws:iam::${HUB.account}:oidc-provider/token.actions.githubusercontent.com`),
  ];
  return testFile(mocks.join('\n'), '',
    assertion(`${vpc}.tags.Name == "acme-hub" && ${vpc}.cidr_block == ${hcl(HUB.cidrBlock)}`, 'the hub VPC must be named acme-hub')
    + assertion(`${flowLogs}.name == "/acme/vpc/acme-hub/flow-logs"`, 'the hub flow logs must go to /acme/vpc/acme-hub/flow-logs')
    + assertion(`${internalZone}.name == "acme.internal"`, 'the internal zone must be acme.internal')
    + assertion(`toset([${dnsRoles.join(', ')}]) == toset(${hcl(SPOKES.map((spoke) => `acme-${spoke.name}-external-dns`))})`,
      'each spoke gets an acme-<env>-external-dns role'));
}

/** What the mocked hub state hands a spoke: the hub contract's output names (README of @piksel/network-hub). */
function hubOutputs(): Record<string, string> {
  const zone = (name: string) => `private_zone_${name.replace(/[.-]/g, '_')}_id`;
  return {
    transit_gateway_id: 'tgw-0a1b2c3d4e5f60718',
    shared_route_table_id: 'tgw-rtb-0000000000000aaaa',
    ...Object.fromEntries(SPOKES.map((spoke, i) => [`routing_domain_${spoke.routingDomain}_route_table_id`, `tgw-rtb-000000000000${i}bbbb`])),
    [zone('acme.internal')]: 'Z01ACMEINTERNAL0',
    [zone(`api.ecr.${REGION}.amazonaws.com`)]: 'Z02ACMEECRAPI00',
    [zone(`dkr.ecr.${REGION}.amazonaws.com`)]: 'Z03ACMEECRDKR00',
  };
}

function spokeTestFile(stack: StackJson, spoke: Spoke): string {
  const { account, clusterName: name } = spoke;
  const issuer = `oidc.eks.${REGION}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;
  const mocks = [
    ...networkMocks(account),
    mockArn('aws_eks_cluster', `arn:aws:eks:${REGION}:${account}:cluster/${name}`, {
      identity: [{ oidc: [{ issuer: `https://${issuer}` }] }],
      certificate_authority: [{ data: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t' }],
    }),
    mockArn('aws_iam_openid_connect_provider', `arn:aws:iam::${account}:oidc-provider/${issuer}`),
    mockArn('aws_sqs_queue', `arn:aws:sqs:${REGION}:${account}:${name}`, { url: `https://sqs.${REGION}.amazonaws.com/${account}/${name}` }),
  ];
  const outputs = hubOutputs();
  const overrides = hubStateOverride(outputs, `hub-${spoke.name}`);
  const vpc = addressOf(stack, 'aws_vpc', () => true);
  const flowLogs = addressOf(stack, 'aws_cloudwatch_log_group', (r) => /flow-logs/.test(r.name));
  const eks = addressOf(stack, 'aws_eks_cluster', () => true);
  const nodeRole = addressOf(stack, 'aws_iam_role', (r) => /karpenter-node/.test(r.name));
  const attachment = addressOf(stack, 'aws_ec2_transit_gateway_vpc_attachment', () => true);
  const accepter = addressOf(stack, 'aws_ec2_transit_gateway_vpc_attachment_accepter', () => true);
  const associations = addressesOf(stack, 'aws_route53_zone_association').map((a) => `${a}.zone_id`);
  return testFile(mocks.join('\n'), overrides,
    assertion(`${vpc}.tags.Name == ${hcl(name)}`, `the VPC must be named ${name}`)
    + assertion(`${flowLogs}.name == ${hcl(`/acme/vpc/${name}/flow-logs`)} && ${flowLogs}.retention_in_days == ${spoke.flowLogRetentionDays}`,
      `flow logs must go to /acme/vpc/${name}/flow-logs for ${spoke.flowLogRetentionDays} days`)
    + assertion(`${eks}.name == ${hcl(name)} && ${nodeRole}.name == ${hcl(`${name}-karpenter-node`)}`, `the cluster and Karpenter's node role must be named for ${name}`)
    + assertion(`${attachment}.transit_gateway_id == ${hcl(outputs.transit_gateway_id)}`, 'the spoke must attach to the Transit Gateway the hub state names')
    + assertion(`${accepter}.tags["acme:spoke"] == ${hcl(spoke.name)}`, `the acceptance must carry acme:spoke = ${spoke.name}, which the hub-network role requires`)
    + assertion(`toset([${associations.join(', ')}]) == toset(${hcl(Object.entries(outputs).filter(([k]) => k.startsWith('private_zone_')).map(([, v]) => v))})`,
      'the spoke must associate with acme.internal and both ECR zones of the hub'));
}

function dataTestFile(stack: StackJson): string {
  const spoke = DATA_SPOKE;
  const { account } = spoke;
  const keyArn = `arn:aws:kms:${REGION}:${account}:key/7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6`;
  const identifier = `acme-${spoke.name}-postgres`;
  const mocks = [
    mockArn('aws_kms_key', keyArn, { key_id: '7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6' }),
    mockArn('aws_db_instance', `arn:aws:rds:${REGION}:${account}:db:${identifier}`, {
      address: `${identifier}.c9akciq32xyz.${REGION}.rds.amazonaws.com`,
      port: 5432,
      resource_id: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY0',
      master_user_secret: [{
        secret_arn: `arn:aws:secretsmanager:${REGION}:${account}:secret:rds!db-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9-AbC123`,
        kms_key_id: keyArn,
        secret_status: 'active',
      }],
    }),
    mockArn('aws_secretsmanager_secret', `arn:aws:secretsmanager:${REGION}:${account}:secret:acme-mock-AbC123`),
    mockArn('aws_cloudwatch_log_group', `arn:aws:logs:${REGION}:${account}:log-group:/aws/rds/mock`),
    '  mock_resource "aws_security_group" {',
    '    defaults = { id = "sg-0d4t4b45e5ecur17y" }',
    '  }',
  ].join('\n');
  const overrides = [
    'override_data {',
    '  target = data.terraform_remote_state.SpokeState',
    '  values = { outputs = { vpc_id = "vpc-0a1b2c3d4e5f60718", private_subnet_ids = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"], cluster_security_group_id = "sg-0c1a2b3c4d5e6f708" } }',
    '}',
  ].join('\n');
  const db = addressOf(stack, 'aws_db_instance', () => true);
  const bucket = addressOf(stack, 'aws_s3_bucket', () => true);
  const alias = addressOf(stack, 'aws_kms_alias', () => true);
  const secret = addressOf(stack, 'aws_secretsmanager_secret', () => true);
  return testFile(mocks, overrides,
    assertion(`${db}.identifier == ${hcl(identifier)}`, `the database must be ${identifier}`)
    + assertion(`${bucket}.bucket == "acme-${spoke.name}-reports"`, 'the bucket must be named for the organisation')
    + assertion(`${alias}.name == "alias/acme-${spoke.name}-secrets"`, 'the secrets key alias must be named for the organisation')
    + assertion(`${secret}.tags.Project == "Storefront" && ${secret}.tags.Owner == "Acme-Platform-Team"`, 'the secret must carry the organisation\'s tag values'));
}
