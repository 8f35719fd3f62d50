import { IrsaRole, irsaRoles } from './irsa-model';
import { DnsRole, readDnsRoles } from './network-model';
import { compare, Estate, list, Resource } from './terraform';

/**
 * One environment's cluster picture, read from its stacks: the control plane and what runs on
 * Fargate, the IRSA roles and what each may touch, the data tier, the in-cluster stages and the
 * GitOps source.
 */

export interface FargateProfile {
  readonly name: string;
  /** `namespace` or `namespace (label=value)`. */
  readonly selectors: string[];
  /** What the estate puts in those namespaces: add-ons, charts, service accounts. */
  readonly runs: string[];
}

export interface ControlPlane {
  readonly name: string;
  readonly version: string;
  readonly endpoint: string;
  readonly logs: string[];
  readonly secretsEncrypted: boolean;
  readonly addons: string[];
  /** `role → policy`, for the access entries with a policy. */
  readonly access: string[];
}

export interface Release {
  readonly stack: string;
  readonly chart: string;
  readonly version: string;
  readonly namespace: string;
}

export interface Manifest {
  readonly stack: string;
  readonly kind: string;
  readonly name: string;
  /** The facts that matter, one a line. */
  readonly facts: string[];
}

export interface GitOpsSource {
  readonly stack: string;
  readonly url: string;
  readonly branch: string;
  readonly path: string;
  /** The ConfigMap Flux substitutes values from. */
  readonly values?: string;
}

export interface SecretGroup {
  readonly stack: string;
  readonly names: string[];
}

export interface Database {
  readonly stack: string;
  readonly identifier: string;
  readonly engine: string;
  readonly instanceClass: string;
  readonly storage: string;
  readonly multiAz: boolean;
  /** Ports admitted from the cluster's security group. */
  readonly ports: number[];
}

export interface ClusterModel {
  readonly environment: string;
  readonly account: string;
  /** The environment's stacks, in apply order. */
  readonly stacks: string[];
  readonly controlPlane?: ControlPlane & { readonly stack: string };
  readonly fargate: FargateProfile[];
  readonly irsa: IrsaRole[];
  readonly secrets: SecretGroup[];
  readonly buckets: Array<{ readonly stack: string; readonly name: string }>;
  /** EFS file systems, by creation token, with their Infrequent Access transition. */
  readonly fileSystems: Array<{ readonly stack: string; readonly name: string; readonly lifecycle: string }>;
  readonly database?: Database;
  readonly queue?: { readonly stack: string; readonly name: string };
  readonly nodeRole?: { readonly stack: string; readonly name: string };
  readonly releases: Release[];
  readonly manifests: Manifest[];
  /** Add-ons installed by a later stage (the EBS CSI driver needs nodes). */
  readonly lateAddons: Array<{ readonly stack: string; readonly name: string }>;
  readonly gitops?: GitOpsSource;
  /** The hub roles this environment's external-dns may assume, with their zones. */
  readonly dnsRoles: DnsRole[];
  /** The account's Terraform state bucket (the `<account>-baseline` stack). */
  readonly stateBucket?: { readonly stack: string; readonly name: string };
  /** Roles the pipeline assumes through GitHub OIDC. */
  readonly pipelineRoles: Array<{ readonly stack: string; readonly name: string }>;
}

/** Reads the cluster model of `environment`. */
export function clusterModel(estate: Estate, environment: string): ClusterModel {
  const own = estate.stacks.filter((s) => s.environment === environment);
  const stacks = own.map((s) => s.name);
  const cluster = estate.resources('aws_eks_cluster', stacks)[0];
  const irsa = irsaRoles(estate, stacks);
  const assumed = new Set(irsa.flatMap((r) => r.grants).map((g) => g.target));
  const dnsRoles = readDnsRoles(estate, (account) => estate.stacks.find((s) => s.account === account)?.environment ?? account ?? '')
    .filter((role) => assumed.has(`arn:aws:iam::${role.account}:role/${role.name}`));
  const queue = estate.resources('aws_sqs_queue', stacks)[0];
  const backend = own[0]?.json.terraform?.backend?.s3?.bucket;
  const stateBucket = estate.resources('aws_s3_bucket', stacks).find((b) => b.body.bucket === backend);
  const passed = irsa.flatMap((r) => r.grants).find((g) => g.access.includes('pass'));
  return {
    environment,
    account: own[0]?.account ?? '',
    stacks,
    controlPlane: cluster ? { stack: cluster.stack, ...readControlPlane(estate, cluster) } : undefined,
    fargate: cluster ? readFargate(estate, cluster, stacks, irsa) : [],
    irsa,
    secrets: secretGroups(estate, stacks),
    buckets: estate.resources('aws_s3_bucket', stacks)
      .filter((b) => b.body.bucket !== backend)
      .map((b) => ({ stack: b.stack, name: b.body.bucket })),
    fileSystems: estate.resources('aws_efs_file_system', stacks).map((f) => ({
      stack: f.stack,
      name: f.body.creation_token,
      lifecycle: list(f.body.lifecycle_policy).map((l: any) => l.transition_to_ia).filter(Boolean).join(', '),
    })),
    database: readDatabase(estate, stacks),
    queue: queue ? { stack: queue.stack, name: queue.body.name } : undefined,
    nodeRole: passed ? { stack: estate.resources('aws_iam_role', stacks).find((r) => r.body.name === passed.target)?.stack ?? '', name: passed.target } : undefined,
    releases: estate.resources('helm_release', stacks).map((r) => ({
      stack: r.stack, chart: r.body.chart, version: r.body.version, namespace: r.body.namespace,
    })),
    manifests: readManifests(estate, stacks),
    lateAddons: estate.resources('aws_eks_addon', stacks)
      .filter((a) => a.stack !== cluster?.stack)
      .map((a) => ({ stack: a.stack, name: a.body.addon_name })),
    gitops: readGitOps(estate, stacks),
    dnsRoles,
    stateBucket: stateBucket ? { stack: stateBucket.stack, name: stateBucket.body.bucket } : undefined,
    pipelineRoles: estate.resources('aws_iam_role', stacks)
      .filter((r) => /token\.actions\.githubusercontent\.com/.test(String(r.body.assume_role_policy)))
      .map((r) => ({ stack: r.stack, name: String(r.body.name) })),
  };
}

function readControlPlane(estate: Estate, cluster: Resource): ControlPlane {
  const vpc = cluster.body.vpc_config ?? {};
  const ofCluster = (r: Resource) => estate.target(r.stack, r.body.cluster_name, 'aws_eks_cluster')?.name === cluster.name;
  const entries = estate.resources('aws_eks_access_entry', [cluster.stack]).filter(ofCluster);
  const policies = estate.resources('aws_eks_access_policy_association', [cluster.stack]);
  const principal = (entry: Resource) => {
    const arn = String(entry.body.principal_arn);
    if (arn.includes('SsoAdministratorRole')) return 'SSO administrator';
    return /:role\/(.+)$/.exec(arn)?.[1] ?? entry.name;
  };
  return {
    name: cluster.body.name,
    version: cluster.body.version,
    endpoint: [vpc.endpoint_private_access ? 'private' : '', vpc.endpoint_public_access ? 'public' : ''].filter(Boolean).join(' + '),
    logs: list(cluster.body.enabled_cluster_log_types).map(String),
    secretsEncrypted: list(cluster.body.encryption_config).some((c: any) => list(c.resources).includes('secrets')),
    addons: estate.resources('aws_eks_addon', [cluster.stack]).filter(ofCluster).map((a) => String(a.body.addon_name)).sort(compare),
    access: entries.flatMap((entry) => policies
      .filter((p) => estate.target(p.stack, p.body.principal_arn, 'aws_eks_access_entry')?.name === entry.name
        || p.body.principal_arn === entry.body.principal_arn)
      .map((p) => `${principal(entry)}: ${String(p.body.policy_arn).split('/').pop()!.replace(/^AmazonEKS|Policy$/g, '')}`)),
  };
}

function readFargate(estate: Estate, cluster: Resource, stacks: string[], irsa: IrsaRole[]): FargateProfile[] {
  const addons = estate.resources('aws_eks_addon', [cluster.stack]);
  const releases = estate.resources('helm_release', stacks);
  return estate.resources('aws_eks_fargate_profile', [cluster.stack]).map((profile) => {
    const selectors = list(profile.body.selector) as Array<{ namespace: string; labels?: Record<string, string> }>;
    const namespaces = selectors.map((s) => s.namespace);
    const unlabelled = selectors.filter((s) => !s.labels).map((s) => s.namespace);
    const address = `aws_eks_fargate_profile.${profile.name}`;
    return {
      name: profile.body.fargate_profile_name,
      selectors: selectors.map((s) => s.labels ? `${s.namespace} (${Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(', ')})` : s.namespace),
      runs: [
        // An add-on that waits for the profile runs on it (CoreDNS, computeType Fargate).
        ...addons.filter((a) => list(a.body.depends_on).includes(address)).map((a) => `add-on ${a.body.addon_name}`),
        ...releases.filter((r) => unlabelled.includes(r.body.namespace)).map((r) => `chart ${r.body.chart}`),
        ...irsa.filter((r) => namespaces.includes(r.serviceAccount.split('/')[0]) && unlabelled.includes(r.serviceAccount.split('/')[0]))
          .map((r) => `sa ${r.serviceAccount}`),
      ],
    };
  });
}

function secretGroups(estate: Estate, stacks: string[]): SecretGroup[] {
  const secrets = estate.resources('aws_secretsmanager_secret', stacks);
  return [...new Set(secrets.map((s) => s.stack))].map((stack) => ({
    stack,
    names: secrets.filter((s) => s.stack === stack).map((s) => String(s.body.name)).sort(compare),
  }));
}

function readDatabase(estate: Estate, stacks: string[]): Database | undefined {
  const db = estate.resources('aws_db_instance', stacks)[0];
  if (!db) return undefined;
  const groups = list(db.body.vpc_security_group_ids).map((g) => estate.target(db.stack, g, 'aws_security_group')?.name);
  const ports = estate.resources('aws_vpc_security_group_ingress_rule', [db.stack])
    .filter((r) => groups.includes(estate.target(r.stack, r.body.security_group_id, 'aws_security_group')?.name)
      && estate.target(r.stack, r.body.referenced_security_group_id, 'aws_eks_cluster') !== undefined)
    .map((r) => Number(r.body.from_port));
  const max = db.body.max_allocated_storage ? ` → ${db.body.max_allocated_storage}` : '';
  return {
    stack: db.stack,
    identifier: db.body.identifier,
    engine: `${db.body.engine === 'postgres' ? 'PostgreSQL' : db.body.engine} ${db.body.engine_version}`,
    instanceClass: db.body.instance_class,
    storage: `${db.body.allocated_storage}${max} GB`,
    multiAz: db.body.multi_az === true,
    ports,
  };
}

function readManifests(estate: Estate, stacks: string[]): Manifest[] {
  const manifests: Manifest[] = estate.resources('kubernetes_manifest', stacks).map((m) => {
    const manifest = m.body.manifest ?? {};
    return { stack: m.stack, kind: manifest.kind, name: manifest.metadata?.name, facts: manifestFacts(manifest) };
  });
  const configMaps = estate.resources('kubernetes_config_map_v1', stacks).map((c) => ({
    stack: c.stack,
    kind: 'ConfigMap',
    name: `${c.body.metadata?.namespace}/${c.body.metadata?.name}`,
    facts: chunk(Object.keys(c.body.data ?? {}).sort(compare), 3).map((keys) => keys.join(', ')),
  }));
  return [...configMaps, ...manifests];
}

/** A NodePool's or EC2NodeClass's spec in a few lines. */
function manifestFacts(manifest: any): string[] {
  const spec = manifest.spec ?? {};
  if (manifest.kind === 'NodePool') {
    const template = spec.template?.spec ?? {};
    const requirements = list(template.requirements).map((r: any) =>
      `${String(r.key).split('/').pop()} ${r.operator === 'In' ? '' : r.operator === 'Gt' ? '> ' : `${r.operator} `}${list(r.values).join('/')}`);
    const limits = Object.entries(spec.limits ?? {}).map(([k, v]) => `limit ${k.split('/').pop()} ${v}`);
    const taints = list(template.taints).map((t: any) => `taint ${t.key}=${t.value}:${t.effect}`);
    const disruption = spec.disruption ? [`${spec.disruption.consolidationPolicy} after ${spec.disruption.consolidateAfter}, expire ${template.expireAfter}`] : [];
    return [...requirements, ...limits, ...taints, ...disruption];
  }
  if (manifest.kind === 'EC2NodeClass') {
    const root = list(spec.blockDeviceMappings)[0] as any;
    return [
      list(spec.amiSelectorTerms).map((t: any) => t.alias).filter(Boolean).join(', '),
      spec.metadataOptions?.httpTokens === 'required' ? 'IMDSv2 required' : 'IMDSv1 allowed',
      root ? `root ${root.ebs?.volumeSize} ${root.ebs?.volumeType}${root.ebs?.encrypted ? ', encrypted' : ''}` : '',
    ].filter(Boolean);
  }
  return [];
}

function readGitOps(estate: Estate, stacks: string[]): GitOpsSource | undefined {
  for (const release of estate.resources('helm_release', stacks)) {
    for (const text of list(release.body.values)) {
      let values: any;
      try {
        values = JSON.parse(String(text));
      } catch {
        continue;
      }
      const repo = values?.gitRepository?.spec;
      if (!repo?.url) continue;
      const kustomization = values.kustomization?.spec ?? {};
      return {
        stack: release.stack,
        url: String(repo.url).replace(/^https:\/\//, '').replace(/\.git$/, ''),
        branch: repo.ref?.branch ?? repo.ref?.tag ?? '',
        path: kustomization.path ?? '',
        values: list(kustomization.postBuild?.substituteFrom).map((s: any) => `${s.kind} ${s.name}`).join(', ') || undefined,
      };
    }
  }
  return undefined;
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
