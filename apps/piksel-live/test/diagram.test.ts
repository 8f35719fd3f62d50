import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { clusterModel } from '../src/diagram/cluster-model';
import { TargetKind } from '../src/diagram/irsa-model';
import { networkModel } from '../src/diagram/network-model';
import { DOCS_DIR, Picture, pictures, render, synthEstate, UPDATE_COMMAND } from '../src/diagram/render';
import { Estate } from '../src/diagram/terraform';

/** A synth of the estate and four renders take 3–5 s; the margin is for a machine busy with a build. */
const SYNTH_TIMEOUT = 30_000;

describe('pictures of the estate (docs/*.svg)', () => {
  let estate: Estate;
  let drawn: Picture[];
  let svgs: Array<{ file: string; svg: string }>;

  beforeAll(async () => {
    estate = synthEstate();
    drawn = pictures(estate);
    svgs = await render(drawn);
  }, SYNTH_TIMEOUT);

  test('the committed pictures are what the code draws', () => {
    const stale = svgs
      .filter(({ file, svg }) => !existsSync(join(DOCS_DIR, file)) || readFileSync(join(DOCS_DIR, file), 'utf-8') !== svg)
      .map(({ file }) => `docs/${file}`);
    const names = new Set(svgs.map((s) => s.file));
    const orphans = readdirSync(DOCS_DIR)
      .filter((f) => /^(network|cluster-.+)\.svg$/.test(f) && !names.has(f))
      .map((f) => `docs/${f} (no such cluster any more)`);
    if (stale.length + orphans.length > 0) {
      throw new Error([
        `The pictures of the estate are stale: ${[...stale, ...orphans].join(', ')}.`,
        `Run \`${UPDATE_COMMAND}\` at the repository root and commit docs/ with the change that moved them.`,
      ].join('\n'));
    }
  });

  test('the same estate always draws the same bytes', async () => {
    expect(pictures(estate)).toEqual(drawn);
    expect(await render(drawn)).toEqual(svgs);
  }, SYNTH_TIMEOUT);

  test('draws the network and one cluster picture per environment with a cluster', () => {
    const clusters = estate.resources('aws_eks_cluster').map((c) => `cluster-${estate.stack(c.stack)!.environment}.svg`);
    expect(svgs.map((s) => s.file)).toEqual(['network.svg', ...clusters]);
    for (const { svg } of svgs) expect(svg).toMatch(/^<\?xml[\s\S]*<\/svg>\s*$/);
  });

  test('the network shows nonprod and prod learning only the hub, and the hub learning every spoke', () => {
    const domains = networkModel(estate).transitGateway!.domains;
    const byName = Object.fromEntries(domains.map((d) => [d.name.replace(/^.*-/, ''), d]));
    expect(byName.nonprod).toMatchObject({ members: ['dev', 'staging'], learns: ['hub'] });
    expect(byName.prod).toMatchObject({ members: ['production'], learns: ['hub'] });
    expect(byName.shared).toMatchObject({ members: ['hub'], learns: ['dev', 'staging', 'production'] });
    expect(drawn[0].dot).toContain('routing domain piksel-hub-nonprod');
  });

  test('each environment\'s DNS role writes only its own public zone', () => {
    const roles = networkModel(estate).dnsRoles.map((r) => [r.environment, r.zones]);
    expect(roles).toEqual([
      ['dev', ['pik-sel.id']],
      ['staging', ['staging.piksel.big.go.id']],
      ['production', ['piksel.big.go.id']],
    ]);
  });

  test('a cluster picture carries every IRSA role and what it may touch, read from the policies', () => {
    const model = clusterModel(estate, 'dev');
    const grants = Object.fromEntries(model.irsa.map((r) => [r.serviceAccount, r.grants]));
    expect(grants['external-dns/external-dns-sa']).toEqual([
      { kind: TargetKind.ROLE, target: 'arn:aws:iam::686410905891:role/piksel-dev-external-dns', access: 'assume' },
    ]);
    expect(grants['external-secrets/external-secrets'].map((g) => g.target)).toEqual(['dev', 'dev-data']);
    expect(grants['terria/terria-sa']).toEqual([{ kind: TargetKind.BUCKET, target: 'piksel-dev-terria', access: 'read/write' }]);
    expect(model.dnsRoles.map((r) => r.zones)).toEqual([['pik-sel.id']]);
    expect(model.gitops).toMatchObject({ url: 'github.com/piksel-ina/piksel-gitops', path: 'clusters/dev' });
    const dot = drawn.find((p) => p.file === 'cluster-dev.svg')!.dot;
    for (const role of model.irsa) expect(dot).toContain(role.serviceAccount);
  });

  test('a cluster picture names each role\'s kind, draws the EFS file system and who may mount it, and the platform\'s releases', () => {
    for (const [environment, identity] of [['dev', 'Pod Identity'], ['staging', 'IRSA']]) {
      const model = clusterModel(estate, environment);
      const grants = Object.fromEntries(model.irsa.map((r) => [r.serviceAccount, r]));
      expect(grants['external-secrets/external-secrets'].identity).toBe(identity);
      expect(grants['external-dns/external-dns-sa'].identity).toBe('IRSA');
      expect(grants['aws-efs-csi-driver/efs-csi-node-sa'].grants).toEqual([
        { kind: TargetKind.FILE_SYSTEM, target: `piksel-${environment}-shared`, access: 'mount, write' },
      ]);
      expect(model.fileSystems).toEqual([{ stack: `${environment}-data`, name: `piksel-${environment}-shared`, lifecycle: 'AFTER_30_DAYS' }]);
      const dot = drawn.find((p) => p.file === `cluster-${environment}.svg`)!.dot;
      for (const chart of ['cert-manager', 'gateway-helm', 'external-dns', 'metrics-server', 'aws-efs-csi-driver', 'nvidia-device-plugin', 'external-secrets']) {
        expect(dot).toContain(chart);
      }
      expect(dot).toContain(`EFS piksel-${environment}-shared`);
    }
  });

  test('every picture stays readable at page width: at most twice as wide as tall', () => {
    for (const { file, svg } of svgs) {
      const [, width, height] = /<svg width="(\d+)pt" height="(\d+)pt"/.exec(svg)!.map(Number);
      expect({ file, wide: width / height <= 2 }).toEqual({ file, wide: true });
    }
  });
});
