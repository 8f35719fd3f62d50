import { execFileSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { Registry, request, startRegistry } from './release/verdaccio';
import { asRecord, checkAddresses, lostMessage, readSynthesized } from '../apps/piksel-live/src/addresses';
import { Pins, pinDependencies, readPins, sharedPeerDependencies } from '../apps/piksel-live/src/pins';

/**
 * The release path end to end, against a real registry on loopback: changesets versions and
 * publishes every package (then @piksel/secrets once more), then the live app is installed from
 * that registry with its environments pinned to different published versions, and each
 * environment's stack is shown to have been synthesized by its own pinned versions. Promoting an
 * environment to the newer release must lose no resource address (README "Address lock"); a
 * third release that renames a construct without a move is shown to fail that check.
 */
const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const LIBRARY = '@piksel/secrets';
const ESTATE = '@piksel/estate';
const CLI = '@piksel/operator-cli';
/** Every package a release publishes (every package under packages/ that is not private), by name. */
const PUBLISHED: Record<string, string> = Object.fromEntries(readdirSync(join(ROOT, 'packages'))
  .filter((dir) => existsSync(join(ROOT, 'packages', dir, 'package.json')))
  .map((dir) => [dir, JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf-8'))])
  .filter(([, manifest]) => !manifest.private)
  .map(([dir, manifest]) => [manifest.name, join('packages', dir)]));
/** What each step took, printed after the run (the added upgrade check must stay cheap). */
const timings: Array<[string, number]> = [];

function timed<T>(step: string, fn: () => T): T {
  const start = Date.now();
  try {
    return fn();
  } finally {
    timings.push([step, (Date.now() - start) / 1000]);
  }
}

function sh(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(command, args, {
      cwd,
      env: { ...process.env, ...env, PATH: `${BIN}:${process.env.PATH}`, CI: 'true' },
      encoding: 'utf-8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

function trackedFiles(): string[] {
  // Files deleted in the checkout but not yet in a commit are listed too: the copy leaves them out.
  return sh(ROOT, 'git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard']).split('\0').filter(Boolean)
    .filter((file) => existsSync(join(ROOT, file)));
}

function versionOf(dir: string): string {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf-8')).version;
}

describe('release path', () => {
  const work = mkdtempSync(join(tmpdir(), 'piksel-release-'));
  const workspace = join(work, 'workspace');
  const consumer = join(work, 'consumer');
  const libraryDir = join(workspace, 'packages', 'secrets');
  const estateDir = join(workspace, 'packages', 'estate');
  let registry: Registry | undefined;
  const published: string[] = [];
  /** `name@version` of everything on the registry. */
  const onRegistry = new Set<string>();

  beforeAll(async () => {
    for (const built of ['packages/secrets/lib', 'packages/estate/lib', 'apps/piksel-live/lib/main.js']) {
      if (!existsSync(join(ROOT, built))) {
        throw new Error(`${built} is missing: run "npm run setup" (or "pnpm build") before the tests`);
      }
    }
    // A copy of the workspace as committed (plus uncommitted files), so that versioning and
    // publishing never touch this checkout.
    for (const file of trackedFiles()) {
      mkdirSync(dirname(join(workspace, file)), { recursive: true });
      cpSync(join(ROOT, file), join(workspace, file));
    }
    sh(workspace, 'git', ['init', '-q', '-b', 'main']);
    sh(workspace, 'git', ['add', '-A']);
    sh(workspace, 'git', ['-c', 'user.name=release-test', '-c', 'user.email=release-test@localhost', 'commit', '-qm', 'snapshot']);
    timed('copy + install the workspace', () => sh(workspace, 'pnpm', ['install', '--offline', '--frozen-lockfile', '--ignore-scripts']));
    registry = await startRegistry(join(ROOT, 'node_modules', 'verdaccio', 'bin', 'verdaccio'), join(work, 'registry'));
    const host = registry.url.replace(/^http:/, '');
    writeFileSync(join(work, 'publish.npmrc'), `registry=${registry.url}\n${host}:_authToken=${registry.token}\n`);
  }, 300_000);

  afterAll(async () => {
    await registry?.stop();
    rmSync(work, { recursive: true, force: true });
    console.log(`release test, seconds per step:\n${timings.map(([step, s]) => `  ${s.toFixed(1).padStart(6)}  ${step}`).join('\n')}`);
  });

  /** One release as the pipeline cuts it: version, build, publish. */
  function release(): string {
    const env = { npm_config_userconfig: join(work, 'publish.npmrc'), npm_config_registry: registry!.url };
    sh(workspace, 'changeset', ['version'], env);
    // What changeset publish will publish: each package whose version is not on the registry yet.
    // Those are built, in dependency order (the copy holds sources only; the rest were built before).
    const releasing = Object.entries(PUBLISHED)
      .map(([name, dir]) => `${name}@${versionOf(join(workspace, dir))}`)
      .filter((id) => !onRegistry.has(id));
    sh(workspace, 'pnpm', ['-r', ...releasing.flatMap((id) => ['--filter', id.slice(0, id.lastIndexOf('@'))]), 'run', 'compile']);
    sh(workspace, 'changeset', ['publish'], env);
    releasing.forEach((id) => onRegistry.add(id));
    const version = versionOf(libraryDir);
    published.push(version);
    return version;
  }

  /** The published version of each library, as the workspace copy holds it now. */
  function publishedVersion(library: string): string {
    return versionOf(join(workspace, PUBLISHED[library]));
  }

  /**
   * The libraries the app pins (as pins.json names them), each at the version this test released,
   * and @piksel/secrets at the version given per environment.
   */
  function pinsWith(secrets: Record<string, string>): Pins {
    const pin = (env: string, library: string) => (library === LIBRARY ? secrets[env] : publishedVersion(library));
    return Object.fromEntries(Object.entries(readPins(join(ROOT, 'apps', 'piksel-live'))).map(([env, libraries]) =>
      [env, Object.fromEntries(Object.keys(libraries).map((library) => [library, pin(env, library)]))]));
  }

  /**
   * Installs the app as built, on its own, from the registry with `pins`, and synthesizes it into
   * `outdir` (relative to the consumer directory).
   */
  function synthesizeApp(pins: Pins, outdir: string): string {
    if (!existsSync(join(consumer, 'lib'))) cpSync(join(ROOT, 'apps', 'piksel-live', 'lib'), join(consumer, 'lib'), { recursive: true });
    const app = JSON.parse(readFileSync(join(ROOT, 'apps', 'piksel-live', 'package.json'), 'utf-8'));
    const dependencies: Record<string, string> = {};
    for (const name of ['cdktf', 'constructs', '@cdktf/provider-aws', '@cdktf/provider-helm', '@cdktf/provider-kubernetes']) dependencies[name] = app.dependencies[name];
    // The estate table comes from the registry too, as released above.
    dependencies[ESTATE] = versionOf(estateDir);
    for (const spec of [...pinDependencies(pins), ...sharedPeerDependencies(pins)]) {
      const at = spec.indexOf('@', 1);
      dependencies[spec.slice(0, at)] = spec.slice(at + 1);
    }
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'piksel-live-release-test', private: true, dependencies }, null, 2));
    writeFileSync(join(consumer, 'pins.json'), JSON.stringify(pins, null, 2));
    writeFileSync(join(consumer, '.npmrc'), `@piksel:registry=${registry!.url}\n`);
    // Not frozen: a second install with other pins updates the lockfile of the first.
    sh(consumer, 'pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile', '--ignore-scripts', '--config.manage-package-manager-versions=false']);
    sh(consumer, 'node', ['lib/main.js'], { PIKSEL_SYNTH_OUTDIR: join(consumer, outdir) });
    return join(consumer, outdir);
  }

  test('changesets versions and publishes each release to the registry', async () => {
    const first = timed('first release (build + publish every package)', release);
    writeFileSync(join(workspace, '.changeset', 'release-test.md'), `---\n'${LIBRARY}': patch\n---\n\nA second release.\n`);
    const second = timed(`second release (${LIBRARY} only)`, release);
    expect(second).not.toBe(first);
    expect(readFileSync(join(libraryDir, 'CHANGELOG.md'), 'utf-8')).toContain(`## ${second}`);

    const manifest = await request(`${registry!.url}${LIBRARY.replace('/', '%2f')}`);
    expect(Object.keys(manifest.json.versions)).toEqual([first, second]);
    // The network libraries ship together; spoke-vpc names network-hub as a peer.
    const spokeVpc = await request(`${registry!.url}@piksel%2fspoke-vpc`);
    expect(Object.keys(spokeVpc.json.versions)).toEqual(['0.1.0']);
    expect(Object.keys((await request(`${registry!.url}@piksel%2fnetwork-hub`)).json.versions)).toEqual(['0.1.0']);
    expect(spokeVpc.json.versions['0.1.0'].peerDependencies['@piksel/network-hub']).toMatch(/\^0\.1\.0/);
    // eks-cluster builds on network-hub (and, like every library, on core); only cluster-bootstrap
    // names the Helm and Kubernetes bindings as peers, so AWS-only users never install them.
    const eksCluster = (await request(`${registry!.url}@piksel%2feks-cluster`)).json.versions['0.1.0'];
    expect(Object.keys(eksCluster.peerDependencies).sort()).toEqual([
      '@cdktf/provider-aws', '@piksel/core', '@piksel/network-hub', 'cdktf', 'constructs',
    ]);
    const clusterBootstrap = (await request(`${registry!.url}@piksel%2fcluster-bootstrap`)).json.versions['0.1.0'];
    expect(Object.keys(clusterBootstrap.peerDependencies).sort()).toEqual([
      '@cdktf/provider-helm', '@cdktf/provider-kubernetes', '@piksel/core', 'cdktf', 'constructs',
    ]);
  }, 300_000);

  test('the CLI is published with its bin and real ranges on the packages it uses', async () => {
    const manifest = (await request(`${registry!.url}${CLI.replace('/', '%2f')}`)).json;
    const latest = manifest.versions[manifest['dist-tags'].latest];
    expect(latest.bin).toMatchObject({ 'piksel-secrets': 'lib/main.js' });
    // pnpm publish turns workspace:^ into a caret range on the version released with it. The CLI
    // was released with the first @piksel/secrets; the second (a patch) is within that range, so
    // changesets did not release the CLI again.
    expect(Object.keys(manifest.versions)).toHaveLength(1);
    expect(latest.dependencies[ESTATE]).toBe(`^${versionOf(estateDir)}`);
    expect(latest.dependencies[LIBRARY]).toBe(`^${published[0]}`);
  });

  test('each environment is synthesized by the version it is pinned to', () => {
    expect(published).toHaveLength(2);
    const [older, newer] = published;
    const pins = pinsWith({ dev: newer, staging: older, production: older });
    expect(pins).toMatchObject({
      hub: { '@piksel/network-hub': '0.1.0' },
      dev: { '@piksel/spoke-vpc': '0.1.0', '@piksel/eks-cluster': '0.1.0' },
      staging: { [LIBRARY]: older },
    });
    timed('install + synth the app on the two releases', () => synthesizeApp(pins, 'cdktf.out'));
    const synthesizedBy = (stack: string) =>
      JSON.parse(readFileSync(join(consumer, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf-8'))['//'].piksel.libraries;
    expect({ dev: synthesizedBy('dev')[LIBRARY], staging: synthesizedBy('staging')[LIBRARY], production: synthesizedBy('production')[LIBRARY] })
      .toEqual({ dev: newer, staging: older, production: older });
    // The spokes' VPCs come from the pinned spoke-vpc, built on the hub's pinned network-hub; every
    // stack's state backend from its environment's pinned account-baseline.
    const baseline = (env: string) => ({ '@piksel/account-baseline': pins[env]['@piksel/account-baseline'] });
    expect(synthesizedBy('hub')).toEqual({ ...baseline('hub'), '@piksel/network-hub': '0.1.0' });
    expect(synthesizedBy('dev')).toMatchObject({ '@piksel/network-hub': '0.1.0', '@piksel/spoke-vpc': '0.1.0', '@piksel/eks-cluster': '0.1.0' });
    expect(synthesizedBy('dev-bootstrap-nodes')).toEqual({ ...baseline('dev'), '@piksel/cluster-bootstrap': '0.1.0' });
  }, 300_000);

  test('promoting an environment to the newer release loses no resource address; a release that renames a construct does', () => {
    expect(published).toHaveLength(2);
    const [older, newer] = published;
    // A third release whose only change renames a construct, with no moveTo: the secrets key.
    const source = join(libraryDir, 'src', 'secrets-key.ts');
    const code = readFileSync(source, 'utf-8');
    const construct = /new KmsKey\(this, 'Key',/;
    if (!construct.test(code)) throw new Error(`${source} no longer declares new KmsKey(this, 'Key', ...): rename another construct in this test`);
    writeFileSync(source, code.replace(construct, "new KmsKey(this, 'EncryptionKey',"));
    writeFileSync(join(workspace, '.changeset', 'rename-key.md'), `---\n'${LIBRARY}': patch\n---\n\nRenames the key construct.\n`);
    const renamed = timed(`third release (${LIBRARY} only, a construct renamed)`, release);

    // staging is promoted from the older release to the newer; production to the renaming one.
    const before = readSynthesized(join(consumer, 'cdktf.out'));
    const after = readSynthesized(timed('install + synth the app promoted', () =>
      synthesizeApp(pinsWith({ dev: newer, staging: newer, production: renamed }), 'cdktf.out-promoted')));
    const check = checkAddresses(asRecord(before), after);

    const secretsIn = (outdir: string, stack: string) =>
      JSON.parse(readFileSync(join(consumer, outdir, 'stacks', stack, 'cdk.tf.json'), 'utf-8'))['//'].piksel.libraries[LIBRARY];
    expect([secretsIn('cdktf.out', 'staging'), secretsIn('cdktf.out-promoted', 'staging')]).toEqual([older, newer]);
    expect(secretsIn('cdktf.out-promoted', 'production')).toBe(renamed);
    // The upgrade check: older -> newer loses nothing; the renaming release loses the key.

    expect(check.lost.filter((lost) => lost.stack !== 'production')).toEqual([]);
    expect(check.lost).toEqual([{
      stack: 'production',
      // cdktf drops the child ID `Key` that repeats the end of its parent's (`SecretsKey/Key`).
      address: expect.stringMatching(/^aws_kms_key\.SecretsKey_[0-9A-F]{8}$/),
      candidates: [expect.stringMatching(/^aws_kms_key\.SecretsKey_EncryptionKey_[0-9A-F]{8}$/)],
      stackGone: false,
    }]);
    expect(lostMessage(check)).toMatch(/stack production: aws_kms_key\.\S+ \(renamed to aws_kms_key\.\S+EncryptionKey_/);
    expect(lostMessage(check)).toMatch(/moveTo.*\n.*pnpm addresses/);
  }, 300_000);
});
