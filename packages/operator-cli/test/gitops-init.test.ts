import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { checkJson, fixtureEstate, gitInit, gitops, temporaryDirectory } from './fixtures/gitops/harness';
import { validateManifest } from '../../../test/schemas/validate';

/** The estate the app synthesizes (`npx pnpm synth` at the root), if it has been. */
const SYNTHESIZED = join(__dirname, '..', '..', '..', 'apps', 'piksel-live', 'cdktf.out');
const ENVIRONMENTS = ['dev', 'staging', 'production'];

const created: string[] = [];
function directory(prefix: string): string {
  const dir = temporaryDirectory(prefix);
  created.push(dir);
  return dir;
}

afterAll(() => created.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('piksel-gitops init', () => {
  let estate: string;
  beforeAll(() => {
    estate = fixtureEstate();
    created.push(estate);
  });

  test('writes Flux Kustomizations for infrastructure and apps that substitute from the contract, and no bootstrap', async () => {
    const dir = directory('init');
    const run = await gitops(['init', dir, '--environment', 'staging', '--estate', estate]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('wrote      clusters/staging/infrastructure.yaml\nwrote      clusters/staging/apps.yaml\n');
    const apps = parse(readFileSync(join(dir, 'clusters/staging/apps.yaml'), 'utf-8'));
    expect(apps).toMatchObject({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace: 'flux-system' },
      spec: { dependsOn: [{ name: 'infrastructure' }], sourceRef: { kind: 'GitRepository', name: 'flux-system' }, path: './apps/staging', postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-values' }] } },
    });
    expect(parse(readFileSync(join(dir, 'clusters/staging/infrastructure.yaml'), 'utf-8')).spec.postBuild).toEqual({ substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-values' }] });
    expect(existsSync(join(dir, 'clusters/staging/flux-system'))).toBe(false);
  });

  test('writes an example application from the contract: role key, registry host and an HTTPRoute on the estate\'s Gateway', async () => {
    const dir = directory('init');
    const run = await gitops(['init', dir, '--environment', 'staging', '--estate', estate]);
    const read = (path: string) => parse(readFileSync(join(dir, 'apps/base/shop', path), 'utf-8'));

    expect(run.stdout).toContain('note: example application shop/shop-sa, whose role is ${roleArnShopShopSa} (IRSA: the service account is annotated with it)');
    expect(read('service-account.yaml').metadata).toEqual({ name: 'shop-sa', namespace: 'shop', annotations: { 'eks.amazonaws.com/role-arn': '${roleArnShopShopSa}' } });
    expect(read('deployment.yaml').spec.template.spec.containers[0].image).toBe('${registryHost}/shop-web:v0.1.0');
    expect(read('http-route.yaml').spec).toMatchObject({ parentRefs: [{ name: '${gatewayName}', namespace: '${gatewayNamespace}' }], hostnames: ['shop.${externalDnsZone}'] });
    expect(parse(readFileSync(join(dir, 'infrastructure/staging/namespaces.yaml'), 'utf-8'))).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  });

  test('then check exits 0 for each environment, written one after the other into one repository', async () => {
    const dir = directory('init');
    gitInit(dir);
    for (const environment of ENVIRONMENTS) {
      expect((await gitops(['init', dir, '--environment', environment, '--estate', estate])).code).toBe(0);
    }
    for (const environment of ENVIRONMENTS) {
      expect(await checkJson(dir, environment, estate)).toEqual({ code: 0, findings: [], unreached: [] });
    }
  });

  test('uses the keys the contract has: a public image without registryHost, no HTTPRoute without Gateway keys', async () => {
    const bare = fixtureEstate({ registryHost: false, gateway: false });
    created.push(bare);
    const dir = directory('init');
    gitInit(dir);
    const run = await gitops(['init', dir, '--environment', 'dev', '--estate', bare]);

    expect(run.stdout).toContain('note: cluster-values has no registry host key (registryHost) yet: the example runs the public image public.ecr.aws/nginx/nginx:1.27');
    expect(run.stdout).toContain('note: the estate of dev has no Gateway: no HTTPRoute');
    expect(existsSync(join(dir, 'apps/base/shop/http-route.yaml'))).toBe(false);
    expect(await checkJson(dir, 'dev', bare)).toEqual({ code: 0, findings: [], unreached: [] });
  });

  test('leaves identical files alone', async () => {
    const dir = directory('init');
    await gitops(['init', dir, '--environment', 'dev', '--estate', estate]);
    const again = await gitops(['init', dir, '--environment', 'dev', '--estate', estate]);

    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('wrote');
    expect(again.stdout).toContain('unchanged  clusters/dev/apps.yaml');
  });

  test('fails when a file exists with other content, writing nothing, unless --force', async () => {
    const dir = directory('init');
    await gitops(['init', dir, '--environment', 'dev', '--estate', estate]);
    writeFileSync(join(dir, 'clusters/dev/apps.yaml'), '# mine\n');
    const conflict = await gitops(['init', dir, '--environment', 'dev', '--estate', estate]);
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toBe(`error: refused: clusters/dev/apps.yaml exists with other content in ${dir}; nothing was written (add --force to overwrite)\n`);
    expect(readFileSync(join(dir, 'clusters/dev/apps.yaml'), 'utf-8')).toBe('# mine\n');

    const forced = await gitops(['init', dir, '--environment', 'dev', '--estate', estate, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('wrote      clusters/dev/apps.yaml');
  });

  test('fails when --app is not <namespace>/<service account>', async () => {
    const run = await gitops(['init', directory('init'), '--environment', 'dev', '--estate', estate, '--app', 'shop']);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--app is shop; give <namespace>\/<service account>/);
  });
});

// The synthesized estate changes with the app; this proves init and check agree on the real one.
(existsSync(join(SYNTHESIZED, 'stacks')) ? describe : describe.skip)('piksel-gitops init and check with the synthesized estate', () => {
  test.each(ENVIRONMENTS)('init then check exits 0 for %s', async (environment) => {
    const dir = directory('real');
    gitInit(dir);
    const init = await gitops(['init', dir, '--environment', environment, '--estate', SYNTHESIZED]);
    expect(init.code).toBe(0);

    const result = await checkJson(dir, environment, SYNTHESIZED);
    expect(result.findings).toEqual([]);
    expect(result.code).toBe(0);
  });

  test.each(ENVIRONMENTS)('what init writes for %s passes the CRDs of the versions the estate pins, once Flux has substituted the contract', async (environment) => {
    const dir = directory('schema');
    expect((await gitops(['init', dir, '--environment', environment, '--estate', SYNTHESIZED])).code).toBe(0);
    const stages = readdirSync(join(SYNTHESIZED, 'stacks')).filter((stack) => stack.startsWith(`${environment}-`))
      .map((stack) => JSON.parse(readFileSync(join(SYNTHESIZED, 'stacks', stack, 'cdk.tf.json'), 'utf-8')));
    const configMaps = stages.find((s) => s.resource?.kubernetes_config_map_v1)!.resource.kubernetes_config_map_v1 as Record<string, any>;
    const values: Record<string, string> = Object.values(configMaps)[0].data;
    const releases = stages.flatMap((s) => Object.values(s.resource?.helm_release ?? {}) as any[]);
    const chart = (name: string) => releases.find((r) => r.chart === name)!.version;
    // The component whose pinned version serves each group init writes (the Gateway API by Envoy Gateway v1.9.0's CRD chart).
    const versions: Record<string, string> = {
      'kustomize.toolkit.fluxcd.io': chart('flux2'),
      'gateway.networking.k8s.io': ({ 'v1.9.0': 'v1.6.1' } as Record<string, string>)[chart('gateway-helm')],
    };
    const files = (root: string): string[] => readdirSync(root).map((f) => join(root, f))
      .flatMap((path) => statSync(path).isDirectory() ? files(path) : [path]);
    let checked = 0;
    for (const file of files(dir).filter((f) => f.endsWith('.yaml'))) {
      // Flux substitutes ${key} from cluster-values; a value Terraform knows only at apply stands in as "x".
      const substitute = (key: string) => (values[key] ?? 'x').startsWith('${') ? 'x' : values[key] ?? 'x';
      const text = readFileSync(file, 'utf-8').replace(/\$\{(\w+)\}/g, (_, key: string) => substitute(key));
      for (const document of parseAllDocuments(text).map((d) => d.toJS())) {
        const version = versions[String(document?.apiVersion).split('/')[0]];
        if (version === undefined) continue;
        expect({ file, errors: validateManifest(document, version) }).toEqual({ file, errors: [] });
        checked += 1;
      }
    }
    // Two Flux Kustomizations and the example's HTTPRoute.
    expect(checked).toBe(3);
  });
});
