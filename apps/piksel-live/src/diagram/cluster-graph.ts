import { ClusterModel } from './cluster-model';
import { accountFill, BASE_EDGE, caption, BASE_GRAPH, BASE_NODE, Graph, GraphCluster, GraphEdge, GraphNode, id, label, table } from './graph';
import { Grant, IrsaRole, TargetKind } from './irsa-model';

/**
 * One environment's cluster picture: the environment's account with one box per stack, left to
 * right in apply order; outside it the hub's DNS role and zone, the GitOps repository and the
 * open-data buckets. Edges go from each IRSA role to what it may touch.
 */
export function clusterGraph(model: ClusterModel, accountIndex = 1): Graph {
  const edges: GraphEdge[] = [];
  // Two columns per stack, left to right in apply order: who acts (roles, releases), then what
  // they act on. The stacks wrap after STACKS_PER_ROW, so the picture grows down, not across,
  // and stays readable at page width. Whatever lies outside the account sits above or below the
  // column it serves.
  const columns: string[][] = model.stacks.slice(0, STACKS_PER_ROW).flatMap(() => [[], []]);
  const column = (stack: string, side: Side) => columns[2 * (Math.max(0, model.stacks.indexOf(stack)) % STACKS_PER_ROW) + side];
  const stages = model.stacks
    .map((stack) => stageCluster(model, stack, edges, (node, side) => column(stack, side).push(node)))
    .filter((c) => c.nodes.length > 0);
  for (const role of model.irsa) {
    for (const grant of role.grants) edges.push(grantEdge(model, role, grant));
  }

  const outside: GraphCluster[] = [];
  if (model.dnsRoles.length > 0) {
    const first = model.dnsRoles[0];
    outside.push({
      id: 'hub',
      label: label(`hub — account ${first.account}`),
      attrs: { style: 'filled,rounded', fillcolor: accountFill(0), color: '#888888' },
      nodes: model.dnsRoles.flatMap((role) => [
        { id: id('dnsrole', role.name), label: label(`role ${role.name}`, ['cross-account, external ID']), attrs: { fillcolor: '#fff7e6' } },
        ...role.zones.map((zone) => ({ id: id('zone', zone), label: label(`zone ${zone}`), attrs: { fillcolor: '#fff7e6' } })),
      ]),
      clusters: [],
    });
    const stack = model.controlPlane?.stack ?? model.stacks[0];
    model.dnsRoles.forEach((role) => role.zones.forEach((zone) =>
      edges.push({ from: id('dnsrole', role.name), to: id('zone', zone), label: 'writes records' })));
    model.dnsRoles.forEach((role) => column(stack, Side.TARGET).push(id('dnsrole', role.name)));
  }
  if (model.gitops) {
    outside.push({
      id: 'github',
      label: label('GitHub'),
      attrs: { style: 'rounded', color: '#888888' },
      nodes: [{ id: 'gitops', label: label(`GitOps ${model.gitops.url}`, [`branch ${model.gitops.branch}, path ${model.gitops.path}`]), attrs: { fillcolor: '#f4f4f4' } }],
      clusters: [],
    });
    edges.push({ from: id('releases', model.gitops.stack), to: 'gitops', label: 'Flux reconciles', attrs: { color: '#2b7a2b', fontcolor: '#2b7a2b' } });
    column(model.gitops.stack, Side.TARGET).push('gitops');
  }
  const external = [...new Set(model.irsa.flatMap((r) => r.grants).filter((g) => g.kind === TargetKind.EXTERNAL_BUCKETS).map((g) => g.target))];
  if (external.length > 0) {
    outside.push({
      id: 'opendata',
      label: label('Other accounts (open data)'),
      attrs: { style: 'rounded', color: '#888888' },
      nodes: external.map((names) => ({ id: id('external', names), label: label('S3 buckets, read only', names.split(',')), attrs: { fillcolor: '#f4f4f4' } })),
      clusters: [],
    });
  }

  const readers = model.irsa.find((r) => r.grants.some((g) => g.kind === TargetKind.EXTERNAL_BUCKETS));
  if (readers) external.forEach((names) => column(readers.stack, Side.TARGET).push(id('external', names)));

  return {
    name: id('cluster', model.environment),
    attrs: {
      ...BASE_GRAPH,
      label: caption(`Piksel ${model.environment}: the cluster and what its workloads may touch`, [
        'Boxes are stacks, two abreast so the picture fits a page. Purple edges go from a service account\'s role (IRSA or',
        'Pod Identity) to what it may use;',
        'the hub, GitHub and the open-data buckets sit outside the account, beside the stack that uses them.',
      ]),
    },
    nodeDefaults: BASE_NODE,
    edgeDefaults: BASE_EDGE,
    nodes: [],
    clusters: [
      {
        id: id('account', model.environment),
        label: label(`${model.environment} — account ${model.account}`),
        attrs: { style: 'filled,rounded', fillcolor: accountFill(accountIndex), color: '#888888' },
        nodes: [],
        clusters: stages,
      },
      ...outside,
    ],
    edges,
    columns,
  };
}

/** Stacks side by side before the picture wraps: six stacks in three rows. */
const STACKS_PER_ROW = 2;

/** Within a stack: the column of what acts, then the column of what it acts on. */
enum Side {
  ACTOR = 0,
  TARGET = 1,
}

function stageCluster(model: ClusterModel, stack: string, edges: GraphEdge[], place: (node: string, side: Side) => void): GraphCluster {
  const nodes: GraphNode[] = [];
  const add = (side: Side, ...added: GraphNode[]) => {
    nodes.push(...added);
    added.forEach((n) => place(n.id, side));
  };
  const cp = model.controlPlane;
  if (model.stateBucket?.stack === stack) add(Side.ACTOR, { id: 'state', label: label(`state bucket ${model.stateBucket.name}`) });
  const pipeline = model.pipelineRoles.filter((r) => r.stack === stack);
  if (pipeline.length > 0) {
    add(Side.ACTOR, { id: 'pipeline', label: label('pipeline roles (GitHub OIDC)', pipeline.map((r) => r.name)) });
    if (cp) edges.push({ from: 'pipeline', to: 'control_plane', label: 'access entries' });
  }
  if (cp?.stack === stack) {
    add(Side.ACTOR, {
      id: 'control_plane',
      label: label(`EKS ${cp.name} ${cp.version}`, [
        `endpoint: ${cp.endpoint}`,
        cp.secretsEncrypted ? 'secrets encrypted with a KMS key' : '',
        `logs: ${cp.logs.join(', ')}`,
        `add-ons: ${cp.addons.join(', ')}`,
        ...cp.access.map((a) => `access: ${a}`),
      ]),
      attrs: { fillcolor: '#dde8f5', penwidth: 1.5 },
    });
    add(Side.TARGET, {
      id: 'fargate',
      label: table('Fargate profiles', model.fargate.map((p) => [p.name, p.selectors.join('\n'), p.runs.join('\n')]), { header: ['profile', 'selects', 'runs'] }),
      attrs: { shape: 'plain', style: '' },
    });
    edges.push({ from: 'control_plane', to: 'fargate', attrs: { arrowhead: 'none', style: 'dotted' } });
  }
  add(Side.ACTOR, ...model.irsa.filter((r) => r.stack === stack).map(roleNode));
  for (const group of model.secrets.filter((g) => g.stack === stack)) {
    add(Side.TARGET, { id: id('secrets', group.stack), label: label(`Secrets Manager (${group.names.length})`, group.names), attrs: { fillcolor: '#f6efe0' } });
  }
  if (model.queue?.stack === stack) add(Side.TARGET, { id: 'queue', label: label(`SQS ${model.queue.name}`, ['Karpenter interruption events']), attrs: { fillcolor: '#f6efe0' } });
  if (model.nodeRole?.stack === stack) add(Side.TARGET, { id: 'node_role', label: label(`role ${model.nodeRole.name}`, ['Karpenter nodes (EC2)']) });
  if (model.database?.stack === stack) {
    const db = model.database;
    add(Side.TARGET, {
      id: 'database',
      label: label(`RDS ${db.identifier}`, [db.engine, `${db.instanceClass}, ${db.storage}`, db.multiAz ? 'Multi-AZ' : 'single AZ']),
      attrs: { fillcolor: '#f6efe0' },
    });
    if (cp && db.ports.length > 0) edges.push({ from: 'control_plane', to: 'database', label: `${db.ports.join(', ')} from cluster SG`, attrs: { style: 'dashed' } });
  }
  for (const fs of model.fileSystems.filter((f) => f.stack === stack)) {
    add(Side.TARGET, {
      id: id('efs', fs.name),
      label: label(`EFS ${fs.name}`, ['encrypted with a KMS key, TLS and IAM mounts only', fs.lifecycle ? `Infrequent Access ${fs.lifecycle.replace(/_/g, ' ').toLowerCase()}` : '']),
      attrs: { fillcolor: '#f6efe0' },
    });
    if (cp) edges.push({ from: 'control_plane', to: id('efs', fs.name), label: '2049 from cluster SG', attrs: { style: 'dashed' } });
  }
  for (const bucket of model.buckets.filter((b) => b.stack === stack)) {
    add(Side.TARGET, { id: id('bucket', bucket.name), label: label(`S3 ${bucket.name}`), attrs: { fillcolor: '#f6efe0' } });
  }
  const releases = model.releases.filter((r) => r.stack === stack);
  if (releases.length > 0) {
    add(Side.ACTOR, {
      id: id('releases', stack),
      label: table('Helm releases', releases.map((r) => [r.chart, r.version, r.namespace]), { header: ['chart', 'version', 'namespace'] }),
      attrs: { shape: 'plain', style: '' },
    });
  }
  for (const m of model.manifests.filter((x) => x.stack === stack)) {
    // The node role is named, not drawn: an edge back to the first stack would cross the picture.
    const facts = m.kind === 'EC2NodeClass' && model.nodeRole ? [...m.facts, `instance role ${model.nodeRole.name}`] : m.facts;
    add(m.kind === 'NodePool' ? Side.ACTOR : Side.TARGET, { id: id('manifest', m.kind, m.name), label: label(`${m.kind} ${m.name}`, facts), attrs: { fillcolor: '#eef5ee' } });
  }
  addNodeEdges(model, stack, edges);
  for (const addon of model.lateAddons.filter((a) => a.stack === stack)) {
    add(Side.ACTOR, { id: id('addon', addon.name), label: label(`add-on ${addon.name}`, ['after nodes exist']) });
  }
  return { id: id('stack', stack), label: label(`stack ${stack}`), attrs: { style: 'rounded,filled', fillcolor: 'white', color: '#aaaaaa' }, nodes, clusters: [] };
}

/** NodePools use the EC2NodeClass, which gives nodes the Karpenter node role. */
function addNodeEdges(model: ClusterModel, stack: string, edges: GraphEdge[]): void {
  const inStack = model.manifests.filter((m) => m.stack === stack);
  const nodeClass = inStack.find((m) => m.kind === 'EC2NodeClass');
  if (!nodeClass) return;
  for (const pool of inStack.filter((m) => m.kind === 'NodePool')) {
    edges.push({ from: id('manifest', pool.kind, pool.name), to: id('manifest', nodeClass.kind, nodeClass.name), attrs: { arrowhead: 'none', style: 'dotted' } });
  }
}

function roleNode(role: IrsaRole): GraphNode {
  return {
    id: id('irsa', role.name),
    label: label(`sa ${role.serviceAccount}`, [
      `${role.identity} role ${role.name}`,
      ...role.managedPolicies.map((p) => `policy ${p}`),
      role.services.length > 0 ? `also: ${role.services.join(', ')} (scoped)` : '',
    ]),
    attrs: { fillcolor: '#ffffff', color: '#5b4b8a' },
  };
}

function grantEdge(model: ClusterModel, role: IrsaRole, grant: Grant): GraphEdge {
  const from = id('irsa', role.name);
  const attrs = { color: '#5b4b8a', fontcolor: '#5b4b8a' };
  switch (grant.kind) {
    case TargetKind.BUCKET:
      return { from, to: id('bucket', grant.target), label: grant.access, attrs };
    case TargetKind.EXTERNAL_BUCKETS:
      return { from, to: id('external', grant.target), label: grant.access, attrs };
    case TargetKind.SECRETS:
      return { from, to: id('secrets', grant.target), label: grant.access.replace(/, /g, '\n'), attrs };
    case TargetKind.DATABASE:
      return { from, to: 'database', label: grant.access, attrs };
    case TargetKind.QUEUE:
      return { from, to: 'queue', label: grant.access, attrs };
    case TargetKind.FILE_SYSTEM:
      return { from, to: id('efs', grant.target), label: grant.access, attrs };
    case TargetKind.ROLE: {
      const dns = model.dnsRoles.find((r) => grant.target === `arn:aws:iam::${r.account}:role/${r.name}`);
      return { from, to: dns ? id('dnsrole', dns.name) : 'node_role', label: grant.access, attrs };
    }
  }
}
