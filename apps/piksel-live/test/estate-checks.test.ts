import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Environment, ENVIRONMENTS } from '@piksel/estate';
import { checkEstate, checkPromotionOrder, compareKubernetesMinors, compareNodeImages, compareVersions } from '../src/estate-checks';

/** An app directory whose pins.json pins `environments`. */
function appWithPins(environments: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'piksel-pins-'));
  writeFileSync(join(dir, 'pins.json'), JSON.stringify(Object.fromEntries(environments.map((env) => [env, { '@piksel/secrets': 'workspace' }]))));
  return dir;
}

const [dev, staging, production] = ENVIRONMENTS;

/** The estate with `changes` made to the environment called `name`. */
function estateWith(name: string, changes: Partial<Environment>): Environment[] {
  return ENVIRONMENTS.map((env) => (env.name === name ? { ...env, ...changes } : env));
}

/** The estate with chart pins, per environment (whether or not the table has its own). */
function estateWithCharts(charts: (env: Environment) => Record<string, string>): Environment[] {
  return ENVIRONMENTS.map((env) => ({ ...env, chartVersions: charts(env) }) as Environment);
}

describe('checkEstate', () => {
  test('accepts the estate as it is', () => {
    expect(() => checkEstate(ENVIRONMENTS)).not.toThrow();
  });

  test('fails when an environment is named twice or like the hub', () => {
    expect(() => checkEstate([...ENVIRONMENTS, ENVIRONMENTS[0]])).toThrow(/^estate: environment name is "dev" twice; give each environment of @piksel\/estate its own name/);
    expect(() => checkEstate([{ ...ENVIRONMENTS[0], name: 'hub' }])).toThrow(/environment name is "hub"; that is the hub's name/);
  });

  test('fails when pins.json pins an environment the estate does not know, or misses one', () => {
    expect(() => checkEstate(ENVIRONMENTS, appWithPins(['hub', 'dev', 'staging', 'production', 'qa'])))
      .toThrow(/pins.json: environment is \["qa"\]; the estate knows only hub, dev, staging, production/);
    expect(() => checkEstate(ENVIRONMENTS, appWithPins(['hub', 'dev', 'staging'])))
      .toThrow(/pins.json: environment \["production"\] has no pins/);
  });

  test('fails when an environment is ahead of the one before it, before any stack is built', () => {
    expect(() => checkEstate(estateWith('production', { kubernetesVersion: '1.37' }))).toThrow(/production kubernetesVersion is 1\.37/);
  });
});

describe('checkPromotionOrder', () => {
  test('keeps the table in promotion order: dev, staging, production on one Kubernetes minor, dev on the newest node image', () => {
    expect(ENVIRONMENTS.map((env) => env.name)).toEqual(['dev', 'staging', 'production']);
    expect(new Set(ENVIRONMENTS.map((env) => env.kubernetesVersion)).size).toBe(1);
    expect(compareNodeImages(dev.nodeImage, staging.nodeImage)).toBeGreaterThanOrEqual(0);
    expect(compareNodeImages(staging.nodeImage, production.nodeImage)).toBeGreaterThanOrEqual(0);
    expect(() => checkPromotionOrder(ENVIRONMENTS)).not.toThrow();
  });

  test('accepts an environment that lags behind the one before it', () => {
    expect(() => checkPromotionOrder(estateWith('production', {
      kubernetesVersion: '1.35',
      nodeImage: 'al2023@v20260101',
      addonVersions: { ...production.addonVersions, coredns: 'v1.13.2-eksbuild.11' },
    }))).not.toThrow();
    expect(() => checkPromotionOrder(estateWith('dev', { nodeImage: 'al2023@latest' }))).not.toThrow();
  });

  test('fails when production runs a Kubernetes minor ahead of staging, naming both and the path to promote', () => {
    expect(() => checkPromotionOrder(estateWith('staging', { kubernetesVersion: '1.34' })))
      .toThrow(/^estate: production kubernetesVersion is 1\.36, ahead of staging's 1\.34; promote 1\.36 to staging first$/);
  });

  test('fails when staging runs a Kubernetes minor ahead of dev', () => {
    expect(() => checkPromotionOrder(estateWith('staging', { kubernetesVersion: '1.37' })))
      .toThrow(/^estate: staging kubernetesVersion is 1\.37, ahead of dev's 1\.36; promote 1\.37 to dev first$/);
  });

  test('fails when a node image is newer than the one before it, or floats where the one before it is pinned', () => {
    expect(() => checkPromotionOrder(estateWith('production', { nodeImage: 'al2023@v20261001' })))
      .toThrow(/^estate: production nodeImage is al2023@v20261001, ahead of staging's al2023@v20260818; promote al2023@v20261001 to staging first$/);
    expect(() => checkPromotionOrder(estateWith('staging', { nodeImage: 'al2023@latest' })))
      .toThrow(/^estate: staging nodeImage is al2023@latest, ahead of dev's al2023@v20260903/);
    expect(() => checkPromotionOrder(estateWith('production', { nodeImage: 'bottlerocket@v20260818' })))
      .toThrow(/production nodeImage is bottlerocket@v20260818, ahead of staging's al2023@v20260818; promote bottlerocket@v20260818 to staging first/);
  });

  test('fails when an add-on version is ahead of the one before it, by version and by EKS build', () => {
    expect(() => checkPromotionOrder(estateWith('production', { addonVersions: { ...production.addonVersions, 'vpc-cni': 'v1.22.0-eksbuild.1' } })))
      .toThrow(/^estate: production addonVersions\.vpc-cni is v1\.22\.0-eksbuild\.1, ahead of staging's v1\.21\.1-eksbuild\.3; promote v1\.22\.0-eksbuild\.1 to staging first$/);
    expect(() => checkPromotionOrder(estateWith('staging', { addonVersions: { ...staging.addonVersions, coredns: 'v1.14.3-eksbuild.10' } })))
      .toThrow(/staging addonVersions\.coredns is v1\.14\.3-eksbuild\.10, ahead of dev's v1\.14\.3-eksbuild\.3/);
  });

  test('checks chart versions where the table pins them, with or without a leading v', () => {
    const charts = (karpenter: string, certManager: string) => ({ 'karpenter': karpenter, 'cert-manager': certManager });
    expect(() => checkPromotionOrder(estateWithCharts(() => charts('1.14.1', 'v1.21.1')))).not.toThrow();
    expect(() => checkPromotionOrder(estateWithCharts((env) => charts('1.14.1', env.name === 'production' ? 'v1.22.0' : 'v1.21.1'))))
      .toThrow(/^estate: production chartVersions\.cert-manager is v1\.22\.0, ahead of staging's v1\.21\.1; promote v1\.22\.0 to staging first$/);
    expect(() => checkPromotionOrder(estateWithCharts((env) => charts('1.14.1', env.name === 'staging' ? '1.21.1' : 'v1.21.1')))).not.toThrow();
  });

  test('fails when an environment pins a chart the one before it does not', () => {
    const pinned = estateWithCharts((env): Record<string, string> => (env.name === 'production' ? { 'karpenter': '1.14.1', 'nvidia-device-plugin': '0.20.0' } : { karpenter: '1.14.1' }));
    expect(() => checkPromotionOrder(pinned))
      .toThrow(/^estate: production chartVersions\.nvidia-device-plugin is 0\.20\.0, and staging pins none; promote 0\.20\.0 to staging first$/);
  });

  test('fails when a value cannot be ordered, naming it', () => {
    expect(() => checkPromotionOrder(estateWith('production', { kubernetesVersion: 'latest' })))
      .toThrow(/^estate: production kubernetesVersion is latest and staging's is 1\.36; "latest" is no Kubernetes minor; use MAJOR\.MINOR, e\.g\. 1\.36$/);
  });
});

describe('version order', () => {
  test.each([
    ['1.36', '1.34', 1],
    ['1.9', '1.10', -1],
    ['1.36', '1.36', 0],
  ])('Kubernetes minor %s against %s is %d', (a, b, order) => {
    expect(compareKubernetesMinors(a, b)).toBe(order);
  });

  test.each([
    ['al2023@v20260903', 'al2023@v20260818', 1],
    ['al2023@latest', 'al2023@v20260903', 1],
    ['al2023@v20260903', 'al2023@latest', -1],
    ['al2023@latest', 'al2023@latest', 0],
  ])('node image %s against %s is %d', (a, b, order) => {
    expect(compareNodeImages(a, b)).toBe(order);
  });

  test.each([
    ['v1.14.3-eksbuild.3', 'v1.13.2-eksbuild.11', 1],
    ['v1.21.1-eksbuild.3', 'v1.21.1-eksbuild.10', -1],
    ['v1.21.1', '1.21.1', 0],
    ['1.10.0', '1.9.9', 1],
    ['1.2.0-rc.1', '1.2.0', -1],
    ['1.2.0-rc.2', '1.2.0-rc.10', -1],
    ['1.2.0-beta', '1.2.0-alpha.9', 1],
  ])('version %s against %s is %d', (a, b, order) => {
    expect(compareVersions(a, b)).toBe(order);
  });
});
