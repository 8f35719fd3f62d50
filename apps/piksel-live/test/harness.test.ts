import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AWS_PROVIDER, findMirror, MIRROR_VARIABLE, mirrorCandidates, readiness, searchMirror, SKIP_REASONS_VARIABLE } from './terraform/harness';

const PLATFORM = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;

/** A fake machine: a `terraform` that answers `version`, and a home directory. */
function machine(dir: string) {
  const bin = join(dir, 'bin');
  const home = join(dir, 'home');
  mkdirSync(bin);
  mkdirSync(home);
  writeFileSync(join(bin, 'terraform'), '#!/bin/sh\necho "Terraform v1.11.4"\n');
  chmodSync(join(bin, 'terraform'), 0o755);
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:/usr/bin:/bin`,
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_DATA_DIRS: join(dir, 'share'),
    TF_CLI_CONFIG_FILE: join(home, 'terraformrc'),
  };
  return { bin, home, env };
}

/** Writes an unpacked filesystem mirror of our provider build under `root`. */
function mirrorAt(root: string): string {
  mkdirSync(join(root, AWS_PROVIDER.source, AWS_PROVIDER.version, PLATFORM), { recursive: true });
  return root;
}

describe('Terraform readiness', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'piksel-readiness-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('finds a mirror in Terraform\'s implied local mirror directory without the variable', () => {
    const { home, env } = machine(dir);
    const mirror = mirrorAt(join(home, '.terraform.d', 'plugins'));
    expect(readiness(env)).toEqual({ ready: true, terraformFound: true, mirror, mirrorFrom: 'search' });
    // Only the real environment is written back, so callers that read the variable see the mirror.
    expect(env[MIRROR_VARIABLE]).toBeUndefined();
  });

  test('finds the mirror named by the CLI configuration and in the XDG data directory', () => {
    const { home, env } = machine(dir);
    const configured = mirrorAt(join(dir, 'configured'));
    writeFileSync(env.TF_CLI_CONFIG_FILE!, `provider_installation {\n  filesystem_mirror {\n    path = "${configured}"\n  }\n}\n`);
    expect(mirrorCandidates(env)).toEqual(expect.arrayContaining([join(home, 'data', 'terraform', 'plugins'), configured]));
    expect(findMirror(env)).toBe(configured);
    const xdg = mirrorAt(join(home, 'data', 'terraform', 'plugins'));
    expect(findMirror(env)).toBe(xdg);
  });

  test('finds a mirror a few levels below a search root, and none deeper', () => {
    const { home } = machine(dir);
    const deep = mirrorAt(join(home, 'tools', 'terraform', 'mirror'));
    expect(searchMirror([join(home, '.terraform.d', 'plugins')], [home])).toBe(deep);
    rmSync(join(home, 'tools'), { recursive: true });
    mirrorAt(join(home, 'a', 'b', 'c', 'd'));
    expect(searchMirror([], [home])).toBeUndefined();
  });

  test('the variable wins: a wrong value is reported, not searched past', () => {
    const { home, env } = machine(dir);
    mirrorAt(join(home, '.terraform.d', 'plugins'));
    const state = readiness({ ...env, [MIRROR_VARIABLE]: join(dir, 'nowhere') });
    expect(state).toMatchObject({ ready: false, terraformFound: true, skipReason: `terraform: ${MIRROR_VARIABLE} has no hashicorp/aws 5.100.0` });
    expect(state.reason).toMatch(/is ".*nowhere", which has no registry\.terraform\.io\/hashicorp\/aws\/5\.100\.0/);
    const good = mirrorAt(join(dir, 'good'));
    expect(readiness({ ...env, [MIRROR_VARIABLE]: good })).toEqual({ ready: true, terraformFound: true, mirror: good, mirrorFrom: 'variable' });
  });

  test('says when terraform is missing, and notes the reason for the run\'s summary line', () => {
    const notes = join(dir, 'notes');
    mkdirSync(notes);
    const state = readiness({ PATH: join(dir, 'empty'), HOME: dir, [SKIP_REASONS_VARIABLE]: notes });
    expect(state).toMatchObject({ ready: false, terraformFound: false, skipReason: 'terraform: not on PATH' });
    const [note] = readdirSync(notes);
    expect(JSON.parse(readFileSync(join(notes, note), 'utf-8'))).toEqual({ testPath: __filename, reason: 'terraform: not on PATH' });
  });
});
