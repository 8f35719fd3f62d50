import { execFileSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { Registry, request, startRegistry } from './release/verdaccio';
import { pinDependencies, sharedPeerDependencies } from '../apps/piksel-live/src/pins';

/**
 * The release path end to end, against a real registry on loopback: changesets versions and
 * publishes every package (then @piksel/secrets once more), then the live app is installed from
 * that registry with its environments pinned to different published versions, and each
 * environment's stack is shown to have been synthesized by its own pinned versions.
 */
const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const LIBRARY = '@piksel/secrets';
const ESTATE = '@piksel/estate';
const CLI = '@piksel/secrets-cli';
/** The packages a release publishes. */
const PUBLISHED = [LIBRARY, '@piksel/network-hub', '@piksel/spoke-vpc', '@piksel/eks-cluster', ESTATE, CLI];

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
  return sh(ROOT, 'git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard']).split('\0').filter(Boolean);
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
    sh(workspace, 'pnpm', ['install', '--offline', '--frozen-lockfile', '--ignore-scripts']);
    registry = await startRegistry(join(ROOT, 'node_modules', 'verdaccio', 'bin', 'verdaccio'), join(work, 'registry'));
    const host = registry.url.replace(/^http:/, '');
    writeFileSync(join(work, 'publish.npmrc'), `registry=${registry.url}\n${host}:_authToken=${registry.token}\n`);
  }, 300_000);

  afterAll(async () => {
    await registry?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  /** One release as the pipeline cuts it: version, build, publish. */
  function release(): string {
    const env = { npm_config_userconfig: join(work, 'publish.npmrc'), npm_config_registry: registry!.url };
    sh(workspace, 'changeset', ['version'], env);
    // Every published package, in dependency order; the copy holds sources only.
    sh(workspace, 'pnpm', ['-r', ...PUBLISHED.flatMap((name) => ['--filter', name]), 'run', 'compile']);
    sh(workspace, 'changeset', ['publish'], env);
    const version = versionOf(libraryDir);
    published.push(version);
    return version;
  }

  test('changesets versions and publishes each release to the registry', async () => {
    const first = release();
    writeFileSync(join(workspace, '.changeset', 'release-test.md'), `---\n'${LIBRARY}': patch\n---\n\nA second release.\n`);
    const second = release();
    expect(second).not.toBe(first);
    expect(readFileSync(join(libraryDir, 'CHANGELOG.md'), 'utf-8')).toContain(`## ${second}`);

    const manifest = await request(`${registry!.url}${LIBRARY.replace('/', '%2f')}`);
    expect(Object.keys(manifest.json.versions)).toEqual([first, second]);
    // The network libraries ship together; spoke-vpc names network-hub as a peer.
    const spokeVpc = await request(`${registry!.url}@piksel%2fspoke-vpc`);
    expect(Object.keys(spokeVpc.json.versions)).toEqual(['0.1.0']);
    expect(Object.keys((await request(`${registry!.url}@piksel%2fnetwork-hub`)).json.versions)).toEqual(['0.1.0']);
    expect(spokeVpc.json.versions['0.1.0'].peerDependencies['@piksel/network-hub']).toMatch(/\^0\.1\.0/);
    // eks-cluster builds on network-hub too, and names the Helm and Kubernetes bindings as peers.
    const eksCluster = (await request(`${registry!.url}@piksel%2feks-cluster`)).json.versions['0.1.0'];
    expect(Object.keys(eksCluster.peerDependencies).sort()).toEqual([
      '@cdktf/provider-aws', '@cdktf/provider-helm', '@cdktf/provider-kubernetes', '@piksel/network-hub', 'cdktf', 'constructs',
    ]);
  }, 300_000);

  test('the CLI is published with its bin and real ranges on the packages it uses', async () => {
    const manifest = (await request(`${registry!.url}${CLI.replace('/', '%2f')}`)).json;
    const latest = manifest.versions[manifest['dist-tags'].latest];
    expect(latest.bin).toEqual({ 'piksel-secrets': 'lib/main.js' });
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
    const network = { '@piksel/spoke-vpc': '0.1.0', '@piksel/eks-cluster': '0.1.0' };
    const pins = {
      hub: { '@piksel/network-hub': '0.1.0' },
      dev: { [LIBRARY]: newer, ...network },
      staging: { [LIBRARY]: older, ...network },
      production: { [LIBRARY]: older, ...network },
    };

    // The app as built, installed on its own from the registry with these pins.
    cpSync(join(ROOT, 'apps', 'piksel-live', 'lib'), join(consumer, 'lib'), { recursive: true });
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
    sh(consumer, 'pnpm', ['install', '--prefer-offline', '--ignore-scripts', '--config.manage-package-manager-versions=false']);

    sh(consumer, 'node', ['lib/main.js'], { PIKSEL_SYNTH_OUTDIR: join(consumer, 'cdktf.out') });
    const synthesizedBy = (stack: string) =>
      JSON.parse(readFileSync(join(consumer, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf-8'))['//'].piksel.libraries;
    expect({ dev: synthesizedBy('dev')[LIBRARY], staging: synthesizedBy('staging')[LIBRARY], production: synthesizedBy('production')[LIBRARY] })
      .toEqual({ dev: newer, staging: older, production: older });
    // The spokes' VPCs come from the pinned spoke-vpc, built on the hub's pinned network-hub.
    expect(synthesizedBy('hub')).toEqual({ '@piksel/network-hub': '0.1.0' });
    expect(synthesizedBy('dev')).toMatchObject({ '@piksel/network-hub': '0.1.0', '@piksel/spoke-vpc': '0.1.0', '@piksel/eks-cluster': '0.1.0' });
    expect(synthesizedBy('dev-bootstrap-nodes')).toEqual({ '@piksel/eks-cluster': '0.1.0' });
  }, 300_000);
});
