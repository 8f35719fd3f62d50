import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Construct } from 'constructs';
import { resourcesOf, synth, Synthesized } from '../../secrets/test/util';
import { FluxRelease, FluxReleaseProps } from '../src/flux-release';

const URL = 'https://github.com/piksel-ina/piksel-gitops';
const PROPS: FluxReleaseProps = { gitRepositoryUrl: URL, path: 'clusters/dev' };

function build(make: (stack: Construct) => void): Synthesized {
  return synth((stack) => {
    new HelmProvider(stack, 'Helm', { kubernetes: { host: 'https://example.invalid' } });
    make(stack);
  });
}

function release(out: Synthesized, chart: string): any {
  const found = Object.entries(resourcesOf(out, 'helm_release')).find(([, r]) => r.chart === chart);
  if (!found) {
    throw new Error(`no helm_release of chart ${chart}`);
  }
  return { ...found[1], logicalId: found[0] };
}

function syncValues(out: Synthesized): any {
  const sync = release(out, 'flux2-sync');
  expect(sync.values).toHaveLength(1);
  return JSON.parse(sync.values[0]);
}

describe('FluxRelease', () => {
  test('installs flux2 2.18.3 into flux-system, creating the namespace', () => {
    const controllers = release(build((stack) => new FluxRelease(stack, 'Flux', PROPS)), 'flux2');
    expect(controllers).toMatchObject({
      name: 'flux2',
      repository: 'https://fluxcd-community.github.io/helm-charts',
      version: '2.18.3',
      namespace: 'flux-system',
      create_namespace: true,
      atomic: true,
      wait: true,
    });
  });

  test('installs flux2-sync 1.14.5 as flux-system after the controllers', () => {
    const out = build((stack) => new FluxRelease(stack, 'Flux', PROPS));
    const sync = release(out, 'flux2-sync');
    expect(sync).toMatchObject({ name: 'flux-system', version: '1.14.5', namespace: 'flux-system', repository: 'https://fluxcd-community.github.io/helm-charts' });
    expect(sync.depends_on).toEqual([`helm_release.${release(out, 'flux2').logicalId}`]);
  });

  test('points the GitRepository at the URL and main branch every 5m, without credentials', () => {
    const values = syncValues(build((stack) => new FluxRelease(stack, 'Flux', PROPS)));
    expect(values.gitRepository.spec).toEqual({ url: URL, ref: { branch: 'main' }, interval: '5m', secretRef: {} });
  });

  test('applies the path with pruning and substitutes from the cluster-values ConfigMap', () => {
    const values = syncValues(build((stack) => new FluxRelease(stack, 'Flux', PROPS)));
    expect(values.kustomization.spec).toEqual({
      path: 'clusters/dev',
      prune: true,
      interval: '5m',
      postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-values' }] },
    });
  });

  test('takes a branch, interval, secret, ConfigMap and chart versions', () => {
    let flux: FluxRelease | undefined;
    const out = build((stack) => {
      flux = new FluxRelease(stack, 'Flux', {
        gitRepositoryUrl: 'ssh://git@github.com/piksel-ina/piksel-gitops',
        path: './clusters/production',
        branch: 'release/2026',
        interval: '1m30s',
        secretRefName: 'flux-system',
        substituteFrom: 'production-values',
        version: '2.19.0',
        syncVersion: '1.15.0',
      });
    });
    const values = syncValues(out);
    expect(values.gitRepository.spec).toEqual({
      url: 'ssh://git@github.com/piksel-ina/piksel-gitops', ref: { branch: 'release/2026' }, interval: '1m30s', secretRef: { name: 'flux-system' },
    });
    expect(values.kustomization.spec.path).toBe('./clusters/production');
    expect(values.kustomization.spec.interval).toBe('1m30s');
    expect(values.kustomization.spec.postBuild.substituteFrom).toEqual([{ kind: 'ConfigMap', name: 'production-values' }]);
    expect(release(out, 'flux2').version).toBe('2.19.0');
    expect(release(out, 'flux2-sync').version).toBe('1.15.0');
    expect(flux?.substituteFrom).toBe('production-values');
    expect(flux?.fluxNamespace).toBe('flux-system');
  });

  test('syncAfter adds a dependency of the sync release', () => {
    const out = build((stack) => {
      const flux = new FluxRelease(stack, 'Flux', PROPS);
      const other = new FluxRelease(stack, 'Other', { ...PROPS, path: 'clusters/other' });
      flux.syncAfter(other.controllersRelease);
    });
    const syncs = Object.entries(resourcesOf(out, 'helm_release')).filter(([id]) => id.startsWith('Flux_Sync'));
    expect(syncs).toHaveLength(1);
    expect(syncs[0][1].depends_on).toHaveLength(2);
    expect(syncs[0][1].depends_on[1]).toMatch(/^helm_release\.Other_Controllers_/);
  });

  test.each<[string, Partial<FluxReleaseProps>, RegExp]>([
    ['the URL is scp-like', { gitRepositoryUrl: 'git@github.com:piksel-ina/piksel-gitops.git' }, /Flux: gitRepositoryUrl is ".*"; use https:\/\/host\/owner\/repo or ssh:\/\//],
    ['the URL is plain http', { gitRepositoryUrl: 'http://github.com/piksel-ina/piksel-gitops' }, /gitRepositoryUrl is "http:/],
    ['an ssh URL has no secret', { gitRepositoryUrl: 'ssh://git@github.com/piksel-ina/piksel-gitops' }, /secretRefName is undefined; an ssh:\/\/ repository needs a Secret/],
    ['the path is absolute', { path: '/clusters/dev' }, /path is "\/clusters\/dev"; give a directory relative to the repository root/],
    ['the path is empty', { path: '' }, /path is ""; give a directory relative/],
    ['the path climbs out', { path: 'clusters/../../etc' }, /path is ".*"; remove "\.\." segments/],
    ['the path has a space', { path: 'clusters/my dev' }, /path is "clusters\/my dev"; remove whitespace/],
    ['the branch has a space', { branch: 'my branch' }, /branch is "my branch"; give a Git branch name/],
    ['the interval has days', { interval: '1d' }, /interval is "1d"; use a Go duration/],
    ['the secret name is upper-case', { secretRefName: 'Flux' }, /secretRefName is "Flux"/],
    ['the ConfigMap name has an underscore', { substituteFrom: 'cluster_values' }, /substituteFrom is "cluster_values"/],
    ['the version has a v prefix', { version: 'v2.18.3' }, /version is "v2.18.3"/],
    ['the sync version is a range', { syncVersion: '^1.14' }, /syncVersion is "\^1.14"/],
  ])('fails when %s', (_name, extra, message) => {
    expect(() => build((stack) => new FluxRelease(stack, 'Flux', { ...PROPS, ...extra }))).toThrow(message);
  });
});
