import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { stringify } from 'yaml';
import { CliError } from '../errors';
import { checkEnvironment, GitopsOptions, loadEstate } from './check';
import { ContractValue, Estate } from './estate';
import { ValueKind } from './literals';
import { list } from './rule-context';

/** The example application when the contract has its role: Terria, a web application with its own role. */
const DEFAULT_APP = 'terria/terria-sa';
/** The Gateway hostname Terria is served at (`maps.<zone>`). */
const DEFAULT_APP_HOST = 'maps';
/** The image of the example when the contract has no registry host key yet. */
const PUBLIC_IMAGE = 'public.ecr.aws/nginx/nginx:1.27';
/** How often Flux reconciles the two Kustomizations (Flux's own examples use 10m / 1h). */
const INTERVAL = '10m';

/** Options of `piksel-gitops init`. */
export interface InitOptions extends GitopsOptions {
  /** The example's `<namespace>/<service account>`; default: Terria's, else the first the contract has a role key for. */
  readonly app?: string;
  /** Overwrite files that exist with other content. */
  readonly force?: boolean;
}

/** What `init` wrote and chose. */
export interface InitResult {
  readonly written: string[];
  readonly unchanged: string[];
  /** Sentences about the choices made from the estate (keys used, what the contract lacks). */
  readonly notes: string[];
}

/**
 * Writes the reference layout for one environment into `dir`: `clusters/<env>/` with Flux
 * Kustomizations `infrastructure` and `apps` (both substituting from the contract), the namespaces
 * in `infrastructure/<env>/`, and one example application in `apps/base/<app>/`, included by
 * `apps/<env>/`. Files with other content are refused unless `force`.
 */
export function initRepository(dir: string, options: InitOptions): InitResult {
  const environment = checkEnvironment(options.environment);
  const { estate } = loadEstate(options, environment);
  const plan = new LayoutPlan(estate, environment, options.app);
  const files = plan.files();
  const root = resolve(dir);
  const conflicts = Object.entries(files).filter(([path, text]) => existsSync(join(root, path)) && readFileSync(join(root, path), 'utf-8') !== text).map(([path]) => path);
  if (conflicts.length > 0 && options.force !== true) {
    throw new CliError(`refused: ${list(conflicts)} ${conflicts.length === 1 ? 'exists' : 'exist'} with other content in ${dir}; nothing was written (add --force to overwrite)`);
  }
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    const target = join(root, path);
    if (existsSync(target) && readFileSync(target, 'utf-8') === text) {
      unchanged.push(path);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    written.push(path);
  }
  return { written, unchanged, notes: plan.notes };
}

/** The layout's files for one environment, and why they look as they do. */
class LayoutPlan {
  public readonly notes: string[] = [];
  private readonly values: ContractValue[];
  private readonly contract: string;
  private readonly namespace: string;
  private readonly serviceAccount: string;
  private readonly roleKey?: string;
  /** Whether the role reaches the service account through IRSA (annotated) rather than Pod Identity. */
  private readonly irsa: boolean;

  constructor(private readonly estate: Estate, private readonly environment: string, app: string | undefined) {
    this.values = [...(estate.contract?.values.values() ?? [])];
    this.contract = estate.contract?.name ?? estate.sync.substituteFrom[0] ?? 'cluster-values';
    if (estate.contract === undefined) this.notes.push(`the estate of ${environment} has no ${this.contract} ConfigMap: the example uses no keys`);
    const chosen = this.chooseApp(app);
    [this.namespace, this.serviceAccount] = chosen.app.split('/');
    this.roleKey = chosen.roleKey;
    this.irsa = chosen.irsa ?? false;
  }

  public files(): Record<string, string> {
    const env = this.environment;
    const app = this.namespace;
    const base = `apps/base/${app}`;
    const route = this.httpRoute();
    return {
      [`clusters/${env}/infrastructure.yaml`]: yamlFile('What the applications need first: namespaces (and cluster-wide objects the estate does not own).', this.fluxKustomization('infrastructure', `./infrastructure/${env}`)),
      [`clusters/${env}/apps.yaml`]: yamlFile(`The applications of ${env}, after the infrastructure.`, this.fluxKustomization('apps', `./apps/${env}`, 'infrastructure')),
      [`infrastructure/${env}/kustomization.yaml`]: yamlFile(undefined, kustomization(['namespaces.yaml'])),
      [`infrastructure/${env}/namespaces.yaml`]: yamlFile(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: app } }),
      [`apps/${env}/kustomization.yaml`]: yamlFile(`Applications of ${env}: each a base, with ${env}'s patches if any.`, kustomization([`../base/${app}`])),
      [`${base}/kustomization.yaml`]: yamlFile(undefined, kustomization(['service-account.yaml', 'deployment.yaml', 'service.yaml', ...(route === undefined ? [] : ['http-route.yaml'])])),
      [`${base}/service-account.yaml`]: yamlFile(this.roleKey === undefined || !this.irsa ? undefined : `The role the estate makes for ${this.namespace}/${this.serviceAccount}, from ${this.contract}.`, this.serviceAccountObject()),
      [`${base}/deployment.yaml`]: yamlFile(this.imageComment(), this.deployment()),
      [`${base}/service.yaml`]: yamlFile(undefined, this.service()),
      ...(route === undefined ? {} : { [`${base}/http-route.yaml`]: yamlFile('Attached to the estate\'s Gateway; external-dns and cert-manager act on the hostname.', route) }),
    };
  }

  private chooseApp(app: string | undefined): { app: string; roleKey?: string; irsa?: boolean } {
    // Applications only: a namespace the estate installs a chart into belongs to one of its add-ons.
    const addOns = new Set([...this.estate.releases.map((r) => r.namespace), 'kube-system']);
    const withKeys = this.estate.roles.filter((r) => r.serviceAccounts.length === 1 && !addOns.has(r.serviceAccounts[0].split('/')[0]))
      .map((r) => ({
        app: r.serviceAccounts[0],
        roleKey: this.values.find((v) => v.literal === r.arn)?.key,
        irsa: r.irsaServiceAccounts.length === 1,
      }))
      .filter((c) => c.roleKey !== undefined).sort((a, b) => a.roleKey!.localeCompare(b.roleKey!));
    if (app !== undefined) {
      if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(app)) throw new CliError(`--app is ${app}; give <namespace>/<service account>, e.g. ${DEFAULT_APP}`);
      const match = withKeys.find((c) => c.app === app);
      if (match === undefined) this.notes.push(`${this.contract} has no role key for ${app}: its service account gets no role annotation`);
      return match ?? { app };
    }
    const chosen = withKeys.find((c) => c.app === DEFAULT_APP) ?? withKeys[0];
    if (chosen === undefined) {
      this.notes.push(`${this.contract} has no role key of a single service account: the example (${DEFAULT_APP}) gets no role annotation`);
      return { app: DEFAULT_APP };
    }
    this.notes.push(`example application ${chosen.app}, whose role is \${${chosen.roleKey}}` +
      `${chosen.irsa ? ' (IRSA: the service account is annotated with it)' : ' (EKS Pod Identity: the estate associates it, no annotation)'}; choose another with --app <namespace>/<service account>`);
    return chosen;
  }

  private fluxKustomization(name: string, path: string, dependsOn?: string): Record<string, unknown> {
    return {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name, namespace: this.estate.sync.namespace },
      spec: {
        interval: INTERVAL,
        retryInterval: '1m',
        timeout: '5m',
        ...(dependsOn === undefined ? {} : { dependsOn: [{ name: dependsOn }] }),
        sourceRef: { kind: 'GitRepository', name: this.estate.sync.gitRepository },
        path,
        prune: true,
        wait: true,
        // Flux substitutes only in the build of a Kustomization that asks for it: children do not inherit the root's.
        postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: this.contract }] },
      },
    };
  }

  private serviceAccountObject(): Record<string, unknown> {
    const annotations = this.roleKey === undefined || !this.irsa ? undefined : { 'eks.amazonaws.com/role-arn': `\${${this.roleKey}}` };
    return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: this.serviceAccount, namespace: this.namespace, ...(annotations === undefined ? {} : { annotations }) } };
  }

  private deployment(): Record<string, unknown> {
    const labels = { 'app.kubernetes.io/name': this.namespace };
    const region = this.key('region');
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: this.namespace, namespace: this.namespace, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: this.serviceAccount,
            containers: [{
              name: this.namespace,
              image: this.image(),
              ports: [{ name: 'http', containerPort: 80 }],
              ...(region === undefined ? {} : { env: [{ name: 'AWS_REGION', value: `\${${region}}` }] }),
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            }],
          },
        },
      },
    };
  }

  private service(): Record<string, unknown> {
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: this.namespace, namespace: this.namespace },
      spec: { selector: { 'app.kubernetes.io/name': this.namespace }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    };
  }

  private registryKey(): string | undefined {
    return this.values.find((v) => v.key === 'registryHost')?.key ?? this.values.find((v) => v.kind === ValueKind.REGISTRY_HOST)?.key;
  }

  private image(): string {
    const registry = this.registryKey();
    if (registry === undefined) {
      this.notes.push(`${this.contract} has no registry host key (registryHost) yet: the example runs the public image ${PUBLIC_IMAGE}; use \${registryHost}/<repository>:<tag> once the estate provides it`);
      return PUBLIC_IMAGE;
    }
    this.notes.push(`image from the hub registry as \${${registry}}`);
    const repository = this.estate.registryRepositories.find((r) => r.startsWith(this.namespace)) ?? this.namespace;
    return `\${${registry}}/${repository}:v0.1.0`;
  }

  private imageComment(): string | undefined {
    return this.registryKey() === undefined ? `A public image until ${this.contract} has a registry host key.` : 'Replace the repository and release tag with yours (the hub registry\'s tags are immutable).';
  }

  /** An HTTPRoute on the estate's Gateway, when contract keys name the Gateway and its hostnames. */
  private httpRoute(): Record<string, unknown> | undefined {
    const gateways = this.estate.objects.filter((o) => o.kind === 'Gateway' && (o.apiVersion ?? '').startsWith('gateway.networking.k8s.io/'));
    const keyed = gateways.map((g) => ({ name: this.keyFor(g.name), namespace: this.keyFor(g.namespace ?? 'default') })).find((k) => k.name !== undefined && k.namespace !== undefined);
    const host = this.hostname();
    if (keyed === undefined || host === undefined) {
      this.notes.push(gateways.length === 0 ? `the estate of ${this.environment} has no Gateway: no HTTPRoute` : `${this.contract} has no keys for the Gateway's name, namespace and hostnames: no HTTPRoute`);
      return undefined;
    }
    this.notes.push(`HTTPRoute on Gateway \${${keyed.name}} in \${${keyed.namespace}} for ${host}, one of the hostnames the Gateway serves over HTTPS`);
    return {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: this.namespace, namespace: this.namespace },
      spec: {
        // No sectionName: the route attaches to every listener whose hostname matches (the HTTPS one and plain HTTP).
        parentRefs: [{ name: `\${${keyed.name}}`, namespace: `\${${keyed.namespace}}` }],
        hostnames: [host],
        rules: [{ backendRefs: [{ name: this.namespace, port: 80 }] }],
      },
    };
  }

  /**
   * A hostname the Gateway has an HTTPS listener for (the `gatewayHosts` key): the one named like
   * the application, else the first; written under `${externalDnsZone}` so every environment's fits.
   */
  private hostname(): string | undefined {
    const hosts = (this.values.find((v) => v.key === 'gatewayHosts')?.literal ?? '').split(',').map((h) => h.trim()).filter((h) => h !== '');
    const zone = this.values.find((v) => v.key === 'externalDnsZone');
    if (hosts.length === 0) return undefined;
    const label = `${this.namespace}/${this.serviceAccount}` === DEFAULT_APP ? DEFAULT_APP_HOST : this.namespace;
    const host = hosts.find((h) => h.split('.')[0] === label) ?? hosts[0];
    return zone?.literal !== undefined && host.endsWith(`.${zone.literal}`) ? `${host.slice(0, -zone.literal.length)}\${${zone.key}}` : host;
  }

  private key(name: string): string | undefined {
    return this.values.find((v) => v.key === name)?.key;
  }

  private keyFor(literal: string): string | undefined {
    return this.values.find((v) => v.literal === literal)?.key;
  }
}

function kustomization(resources: string[]): Record<string, unknown> {
  return { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources };
}

function yamlFile(comment: string | undefined, object: Record<string, unknown>): string {
  const header = comment === undefined ? '' : `# ${comment}\n`;
  return `${header}${stringify(object, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
