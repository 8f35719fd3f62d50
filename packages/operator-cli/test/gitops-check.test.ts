import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { checkJson, checkout, fixtureEstate, gitInit, gitops, JsonFinding, temporaryDirectory } from './fixtures/gitops/harness';

let estate: string;
const created: string[] = [];

/** A copy of a fixture repository as a Git checkout, removed after the suite. */
function repo(name: string): string {
  const dir = checkout(name);
  created.push(dir);
  return dir;
}

/** The findings of `rule` as `file:line`. */
function at(findings: JsonFinding[], rule: string): string[] {
  return findings.filter((f) => f.rule === rule).map((f) => `${f.file}:${f.line}`);
}

function only(findings: JsonFinding[], rule: string, file: string, line: number): JsonFinding {
  const found = findings.filter((f) => f.rule === rule && f.file === file && f.line === line);
  expect(found).toHaveLength(1);
  return found[0];
}

beforeAll(() => {
  estate = fixtureEstate();
  created.push(estate);
});

afterAll(() => created.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('piksel-gitops check', () => {
  test('exits 0 with no findings on a layout that converges on the estate', async () => {
    const result = await checkJson(repo('clean'), 'staging', estate);

    expect(result.findings).toEqual([]);
    expect(result.unreached).toEqual([]);
    expect(result.code).toBe(0);
  });

  test('prints the report grouped by file, each finding with line, rule and fix, and a summary by rule', async () => {
    const run = await gitops(['check', repo('today'), '--environment', 'staging', '--estate', estate]);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Flux syncs clusters/staging and substitutes from ConfigMap flux-system/cluster-values (13 keys).');
    expect(run.stdout).toMatch(/\nclusters\/staging\/apps\.yaml\n +1 +error +api-not-served +kustomize\.toolkit\.fluxcd\.io\/v1beta2 Kustomization is not served by Flux 2\.8 \(chart flux2 2\.18\.3, stack staging-bootstrap\)/);
    expect(run.stdout).toMatch(/ +fix: use apiVersion: kustomize\.toolkit\.fluxcd\.io\/v1;/);
    expect(run.stdout).toContain('Not reached from any clusters/* directory, so Flux applies them nowhere (not checked): 1 file\n  infrastructure/controllers/ (1)');
    expect(run.stdout).toMatch(/20 errors and 1 warning in 13 files \(api-not-served 5, estate-owned 2, flux-bootstrap 2, missing-path 2, unschedulable 2, /);
  });

  test('reports a missing cluster path and names the clusters that exist', async () => {
    const result = await checkJson(repo('clean'), 'dev', estate);

    expect(result.code).toBe(1);
    expect(result.findings).toEqual([expect.objectContaining({
      rule: 'cluster-path-missing',
      severity: 'error',
      file: 'clusters/dev',
      line: 0,
      message: expect.stringContaining('which does not exist (only clusters/staging exists)'),
      fix: expect.stringContaining('piksel-gitops init <dir> --environment dev'),
    })]);
  });

  describe('on a repository shaped like today\'s piksel-gitops', () => {
    let findings: JsonFinding[];
    beforeAll(async () => {
      findings = (await checkJson(repo('today'), 'staging', estate)).findings;
    });

    test('reports the flux bootstrap files that collide with the Helm-installed Flux', () => {
      expect(at(findings, 'flux-bootstrap')).toEqual(['clusters/staging/flux-system/gotk-components.yaml:1', 'clusters/staging/flux-system/gotk-sync.yaml:1']);
      expect(findings.find((f) => f.rule === 'flux-bootstrap')!.fix).toMatch(/^delete clusters\/staging\/flux-system\/ .*"flux uninstall --keep-namespace" first/);
    });

    test('reports every apiVersion the pinned Flux, External Secrets and Kubernetes do not serve, and deprecated ones as warnings', () => {
      expect(at(findings, 'api-not-served')).toEqual([
        'apps/staging/budget.yaml:1', 'apps/staging/release.yaml:1', 'apps/staging/release.yaml:9', 'clusters/staging/apps.yaml:1', 'infrastructure/staging/store.yaml:1',
      ]);
      expect(only(findings, 'api-not-served', 'apps/staging/release.yaml', 9).message).toMatch(/^helm\.toolkit\.fluxcd\.io\/v2beta1 HelmRelease is not served by Flux 2\.8 .*; it serves helm\.toolkit\.fluxcd\.io\/v2$/);
      expect(only(findings, 'api-not-served', 'infrastructure/staging/store.yaml', 1).message).toMatch(/External Secrets 0\.17–2\.9 \(chart external-secrets 2\.9\.0/);
      expect(only(findings, 'api-not-served', 'apps/staging/budget.yaml', 1).message).toBe('policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25; the staging cluster runs 1.34');
      expect(only(findings, 'api-deprecated', 'infrastructure/staging/notifications.yaml', 1)).toMatchObject({ severity: 'warning', fix: 'use apiVersion: notification.toolkit.fluxcd.io/v1beta3' });
    });

    test('reports a node selector no NodePool or Fargate profile satisfies, in a workload and in a JSON patch', () => {
      expect(at(findings, 'unschedulable')).toEqual(['apps/staging/deployment.yaml:20', 'clusters/staging/flux-system/kustomization.yaml:16']);
      expect(only(findings, 'unschedulable', 'apps/staging/deployment.yaml', 20).message)
        .toMatch(/NodePool "default" and NodePool "gpu": no node carries the label karpenter\.sh\/controller; it tolerates CriticalAddonsOnly, which no NodePool taints/);
    });

    test('reports a Flux Kustomization below the root that does not substitute, and the variables that therefore stay literal', () => {
      expect(at(findings, 'no-substitution')).toEqual(['clusters/staging/apps.yaml:1']);
      expect(only(findings, 'unsubstituted-variable', 'apps/staging/deployment.yaml', 26).message)
        .toBe('${region} stays literal: Flux Kustomization flux-system/shop (clusters/staging/apps.yaml:1), which builds this file, does not substitute from cluster-values');
    });

    test('reports paths that do not exist: a Flux Kustomization path and a kustomize resource', () => {
      expect(at(findings, 'missing-path')).toEqual(['clusters/staging/apps.yaml:24', 'infrastructure/staging/kustomization.yaml:7']);
    });

    test('reports objects and charts the estate already owns', () => {
      expect(at(findings, 'estate-owned')).toEqual(['apps/staging/release.yaml:9', 'infrastructure/staging/issuers.yaml:1']);
      expect(only(findings, 'estate-owned', 'infrastructure/staging/issuers.yaml', 1).message).toMatch(/ClusterIssuer letsencrypt-production is created by the estate \(stack staging-platform\)/);
    });

    test('reports an Ingress, which no controller serves, with the HTTPRoute that replaces it', () => {
      expect(at(findings, 'ingress-unserved')).toEqual(['apps/staging/ingress.yaml:1']);
      const finding = only(findings, 'ingress-unserved', 'apps/staging/ingress.yaml', 1);
      expect(finding.message).toBe('Ingress shop/web has no controller in this estate: it serves the Gateway API only (ingress-nginx was retired in March 2026)');
      expect(finding.fix).toMatch(/^replace it with an HTTPRoute attached to Gateway gateway\/public \(parentRefs name \$\{gatewayName\}, namespace \$\{gatewayNamespace\}\), sectionName https-maps-staging-example-org for maps.staging.example.org;/);
    });

    test('reports an EFS volume that does not mount with tls and iam, which the file system refuses', () => {
      expect(at(findings, 'efs-mount-without-iam')).toEqual(['apps/staging/volume.yaml:1']);
      expect(only(findings, 'efs-mount-without-iam', 'apps/staging/volume.yaml', 1)).toMatchObject({
        message: 'PersistentVolume shared-home mounts EFS without tls and iam: the estate\'s file system admits only TLS clients authorized by IAM, so the mount is refused',
        fix: 'add mountOptions: [tls, iam]',
      });
    });

    test('reports the namespace nothing creates once, at its first use', () => {
      expect(only(findings, 'missing-namespace', 'apps/staging/budget.yaml', 1).message).toMatch(/^namespace shop \(PodDisruptionBudget web, and 4 more uses in 4 files\) is created by nothing/);
    });
  });

  describe('against the contract', () => {
    let findings: JsonFinding[];
    beforeAll(async () => {
      findings = (await checkJson(repo('contract'), 'staging', estate)).findings;
    });

    test('reports a variable that is no key as an error, with the nearest key, and a default as a warning', () => {
      expect(only(findings, 'unknown-variable', 'apps/staging/config.yaml', 7)).toMatchObject({
        severity: 'error', message: '${clusterNmae} is not a cluster-values key, so Flux substitutes an empty string; did you mean ${clusterName}?',
      });
      expect(only(findings, 'variable-default', 'apps/staging/config.yaml', 8)).toMatchObject({ severity: 'warning', message: expect.stringContaining('Flux writes the default ("info")') });
    });

    test('leaves keys, escaped variables and objects with substitution disabled alone', () => {
      expect(findings.filter((f) => f.file === 'apps/staging/config.yaml' && [10, 26].includes(f.line))).toEqual([]);
    });

    test('reports literals a key provides, naming the key, and another environment\'s as errors', () => {
      const literals = findings.filter((f) => f.rule === 'hard-coded-value' && f.file === 'apps/staging/config.yaml').map((f) => [f.line, f.severity, f.fix]);
      expect(literals).toEqual([
        [11, 'error', 'write ${bucketPublicData} instead, so each environment gets its own value'],
        [12, 'error', 'write ${efsFileSystemId} instead, so each environment gets its own value'],
        [13, 'error', 'write ${account} instead, so each environment gets its own value'],
        [14, 'error', 'take staging\'s value from cluster-values (keys of that kind: ${bucketPublicData})'],
        [15, 'error', 'write ${registryHost} instead, so each environment gets its own value'],
        [16, 'warning', 'ask for a key in the estate\'s GitOpsValues (e.g. externalDnsZoneIds) and write ${<key>}'],
      ]);
      expect(only(findings, 'hard-coded-value', 'apps/staging/config.yaml', 14).message).toBe('hard-coded bucket name piksel-dev-public-data belongs to dev-data (its bucket), not staging');
    });

    test('reports role annotations: a role the estate does not create, another account\'s, a role that does not trust the account, a hard-coded one', () => {
      expect(only(findings, 'hard-coded-value', 'apps/staging/service-accounts.yaml', 7).fix).toBe('write ${roleArnShopShopSa} instead, so each environment gets its own value');
      expect(only(findings, 'role-trust-mismatch', 'apps/staging/service-accounts.yaml', 15).message).toMatch(/trusts only shop\/shop-sa; STS refuses shop\/reporter/);
      expect(only(findings, 'unknown-role', 'apps/staging/service-accounts.yaml', 23).message).toMatch(/names role legacy-role, which the estate does not create in staging/);
      expect(only(findings, 'unknown-role', 'apps/staging/service-accounts.yaml', 31).message).toMatch(/in account 111111111111 \(dev\); staging's pods get credentials only for roles of staging's account 222222222222/);
    });

    test('reports the service account and the namespace nothing creates', () => {
      expect(at(findings, 'missing-service-account')).toEqual(['apps/staging/workloads.yaml:15']);
      expect(at(findings, 'missing-namespace')).toEqual(['apps/staging/workloads.yaml:20']);
    });

    test('reports a GPU job that does not tolerate the gpu pool\'s taint, and an affinity Fargate cannot meet', () => {
      expect(only(findings, 'unschedulable', 'apps/staging/workloads.yaml', 49).message).toMatch(/NodePool "gpu": its taint nvidia\.com\/gpu=true:NoSchedule is not tolerated/);
      expect(only(findings, 'unschedulable', 'apps/staging/workloads.yaml', 69)).toMatchObject({
        message: expect.stringMatching(/Fargate profile "karpenter": the required node affinity fails: kubernetes\.io\/arch is amd64, not arm64/),
        fix: expect.stringMatching(/^pods of karpenter run on Fargate/),
      });
    });
  });

  test('reports a file that does not parse with its line, and checks the rest', async () => {
    const result = await checkJson(repo('invalid'), 'staging', estate);

    expect(result.findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ['yaml-invalid', 'apps/staging/broken.yaml', 7],
      ['unknown-variable', 'apps/staging/good.yaml', 7],
      ['hard-coded-value', 'clusters/staging/settings.yaml', 7],
      ['yaml-invalid', 'clusters/staging/settings.yaml', 17],
    ]);
    expect(result.findings[0].message).toBe('does not parse: Nested mappings are not allowed in compact mappings');
  });

  test('lists files no cluster reaches, and with --unreached checks them with warnings only', async () => {
    const dir = repo('today');
    const plain = await checkJson(dir, 'staging', estate);
    const all = await checkJson(dir, 'staging', estate, ['--unreached']);

    expect(plain.unreached).toEqual(['infrastructure/controllers/ingress-nginx.yaml']);
    expect(all.findings.filter((f) => f.file === 'infrastructure/controllers/ingress-nginx.yaml')).toEqual([expect.objectContaining({
      rule: 'api-not-served', severity: 'warning', line: 2, message: expect.stringMatching(/^\(not applied: no clusters\/\* directory reaches this file\) source\.toolkit\.fluxcd\.io\/v1beta1 HelmRepository/),
    })]);
  });

  test('does not judge kinds of a component whose pinned version the table does not cover, and says so once', async () => {
    const old = fixtureEstate();
    created.push(old);
    const file = join(old, 'stacks', 'staging-bootstrap', 'cdk.tf.json');
    writeFileSync(file, readFileSync(file, 'utf-8').replace('"version": "2.18.3"', '"version": "3.0.0"'));
    const result = await checkJson(repo('today'), 'staging', old);

    expect(result.findings.filter((f) => f.rule === 'api-table-unknown-version')).toEqual([expect.objectContaining({
      severity: 'warning', file: 'clusters/staging/apps.yaml', line: 1, message: expect.stringContaining('every other Flux kind are not judged: Flux is pinned at chart flux2 3.0.0 (stack staging-bootstrap)'),
    })]);
    expect(result.findings.filter((f) => f.rule === 'api-not-served' && f.message.includes('fluxcd'))).toEqual([]);
  });

  test('reports kinds of a component the estate does not install', async () => {
    const bare = fixtureEstate({ gateway: false });
    created.push(bare);
    const result = await checkJson(repo('clean'), 'staging', bare);

    expect(result.findings.filter((f) => f.rule === 'api-not-served')).toEqual([expect.objectContaining({
      file: 'apps/base/shop/route.yaml', line: 1, message: expect.stringMatching(/^gateway\.networking\.k8s\.io\/v1 HTTPRoute: staging has no Gateway API: the estate installs none/),
    })]);
    expect(at(result.findings, 'unknown-variable')).toEqual(['apps/base/shop/route.yaml:7', 'apps/base/shop/route.yaml:8']);
  });

  describe('fails with exit code 2', () => {
    test('fails when the environment is unknown, listing the known ones', async () => {
      const run = await gitops(['check', repo('clean'), '--environment', 'qa', '--estate', estate]);

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/argument 'qa' is invalid\. Allowed choices are dev, staging, production\./);
    });

    test('fails when the path is not a directory', async () => {
      const run = await gitops(['check', '/nonexistent/piksel-gitops', '--environment', 'dev', '--estate', estate]);

      expect(run.code).toBe(2);
      expect(run.stderr).toBe('error: /nonexistent/piksel-gitops is not a directory; give the root of a piksel-gitops checkout\n');
    });

    test('fails when the directory is not the root of a Git checkout', async () => {
      const dir = temporaryDirectory('plain');
      created.push(dir);
      mkdirSync(join(dir, 'clusters', 'dev'), { recursive: true });
      const run = await gitops(['check', dir, '--environment', 'dev', '--estate', estate]);

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/is not the root of a Git checkout \(no \.git\): clone the repository/);
      gitInit(dir);
      expect((await gitops(['check', dir, '--environment', 'dev', '--estate', estate])).code).toBe(0);
    });

    test('fails when the estate is missing, saying how to synthesize it', async () => {
      const run = await gitops(['check', repo('clean'), '--environment', 'staging', '--estate', '/nonexistent/cdktf.out']);

      expect(run.code).toBe(2);
      expect(run.stderr).toBe('error: no synthesized estate at /nonexistent/cdktf.out: run "npx pnpm synth" at the root of piksel-constructs (it writes apps/piksel-live/cdktf.out), or pass --estate <cdktf.out>\n');
    });

    test('fails when the estate has no stacks of the environment', async () => {
      const empty = temporaryDirectory('empty-estate');
      created.push(empty);
      mkdirSync(join(empty, 'stacks', 'hub'), { recursive: true });
      writeFileSync(join(empty, 'stacks', 'hub', 'cdk.tf.json'), '{}');
      const run = await gitops(['check', repo('clean'), '--environment', 'staging', '--estate', empty]);

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/has no stacks of staging \(no staging or staging-\* under stacks\/\)/);
    });
  });
});
