import { accountFill, BASE_EDGE, caption, BASE_GRAPH, BASE_NODE, Graph, GraphCluster, GraphEdge, GraphNode, id, label, table } from './graph';
import { Account, NetworkModel, RoutingDomain, Vpc } from './network-model';

/**
 * The network picture: one box per account, left to right in apply order (the hub first); in the
 * hub the Transit Gateway with one node per routing domain, the registry path (interface
 * endpoints, private zones, repositories) and the public zones with the DNS role that may write
 * each. Solid edges join an attachment to the domain it is associated with; dashed edges show
 * whose routes a domain learns: no edge, no route.
 */
export function networkGraph(model: NetworkModel): Graph {
  const edges: GraphEdge[] = [];
  const vpcNode = (env: string) => id('vpc', env);
  const clusters = model.accounts.map((account, index) => accountCluster(model, account, index, edges));

  for (const domain of model.transitGateway?.domains ?? []) {
    const node = id('domain', domain.name);
    for (const member of domain.members) {
      edges.push(member === model.hub
        ? { from: vpcNode(member), to: node, label: 'associated', attrs: { arrowhead: 'none', penwidth: 1.5 } }
        : { from: node, to: vpcNode(member), label: 'associated', attrs: { arrowhead: 'none', penwidth: 1.5 } });
    }
    for (const learned of domain.learns) {
      // Drawn from the hub side so the spokes stay right of the hub; the arrow points at the learner.
      edges.push(learned === model.hub
        ? { from: vpcNode(learned), to: node, label: `learns ${learned}`, attrs: { style: 'dashed', color: '#1f6fb2', fontcolor: '#1f6fb2' } }
        : { from: node, to: vpcNode(learned), label: `learns ${learned}`, attrs: { style: 'dashed', dir: 'back', color: '#1f6fb2', fontcolor: '#1f6fb2' } });
    }
  }
  for (const zone of model.publicZones.filter((z) => z.delegatedFrom)) {
    edges.push({ from: id('zone', zone.delegatedFrom!), to: id('zone', zone.name), label: 'NS delegation', attrs: { style: 'dotted' } });
  }
  for (const role of model.dnsRoles) {
    for (const zone of role.zones) {
      edges.push({ from: id('dnsrole', role.name), to: id('zone', zone), label: 'writes records', attrs: { color: '#8a5a00', fontcolor: '#8a5a00' } });
    }
  }

  return {
    name: 'network',
    attrs: {
      ...BASE_GRAPH,
      label: caption(`Piksel network, ${model.region}`, [
        'Accounts in apply order: the hub, then each spoke. Solid: a VPC\'s Transit Gateway attachment is associated with a routing domain.',
        'Dashed: the domain learns that attachment\'s routes. No edge, no route: a domain reaches only what it learns.',
      ]),
    },
    nodeDefaults: BASE_NODE,
    edgeDefaults: BASE_EDGE,
    nodes: [],
    clusters,
    edges,
  };
}

function accountCluster(model: NetworkModel, account: Account, index: number, edges: GraphEdge[]): GraphCluster {
  const nodes: GraphNode[] = [];
  const clusters: GraphCluster[] = [];
  if (account.vpc) nodes.push({ id: id('vpc', account.environment), label: vpcTable(account.vpc), attrs: { shape: 'plain', style: '' } });
  if (account.environment === model.hub) clusters.push(...hubClusters(model, edges));
  return {
    id: id('account', account.environment),
    label: label(`${account.environment} — account ${account.account}`, chunk(account.stacks, 2).map((s, i) => `${i === 0 ? 'stacks: ' : ''}${s.join(' → ')}`)),
    attrs: { style: 'filled,rounded', fillcolor: accountFill(index), color: '#888888' },
    nodes,
    clusters,
  };
}

function vpcTable(vpc: Vpc): ReturnType<typeof table> {
  const tiers = [...new Set(vpc.zones.flatMap((z) => z.subnets.map((s) => s.tier)))];
  const extras = [
    vpc.gatewayEndpoints.length > 0 ? `gateway endpoint: ${vpc.gatewayEndpoints.join(', ')}` : '',
    vpc.flowLogDays ? `flow logs ${vpc.flowLogDays} days` : '',
  ].filter(Boolean).join(' · ');
  const rows = vpc.zones.map((zone) => [
    zone.zone,
    ...tiers.map((tier) => zone.subnets.filter((s) => s.tier === tier).map((s) => `${s.cidr}${s.nat ? '\nNAT gateway' : ''}`).join('\n')),
  ]);
  return table(`VPC ${vpc.name}  ${vpc.cidr}`, extras ? [...rows, [extras]] : rows, { header: ['zone', ...tiers] });
}

function hubClusters(model: NetworkModel, edges: GraphEdge[]): GraphCluster[] {
  const tgw = model.transitGateway;
  const registry = model.registry;
  const clusters: GraphCluster[] = [];
  if (tgw) {
    clusters.push({
      id: 'tgw',
      label: label(`Transit Gateway ${tgw.name} (ASN ${tgw.asn})`, [`shared through RAM with ${tgw.sharedWith.join(', ')}`]),
      attrs: { style: 'filled,rounded', fillcolor: 'white', color: '#1f6fb2' },
      nodes: tgw.domains.map((d) => ({ id: id('domain', d.name), label: domainLabel(d), attrs: { fillcolor: '#f2f7fc', color: '#1f6fb2' } })),
      clusters: [],
    });
  }
  clusters.push({
    id: 'registry',
    label: label('Private image pulls'),
    attrs: { style: 'filled,rounded', fillcolor: 'white', color: '#888888' },
    nodes: [
      { id: 'registry_endpoints', label: label('ECR interface endpoints', [registry.endpoints.join(', '), `HTTPS from ${registry.admits.join(', ')}`]) },
      { id: 'private_zones', label: label('Private zones', registry.privateZones.map((z) => `${z.name}: ${z.environments.join(', ')}`)) },
      {
        id: 'repositories',
        label: label(`ECR repositories (${registry.repositories.length})`, [
          ...chunk(registry.repositories, 4).map((names) => names.join(', ')),
          `pull: ${registry.pullers.join(', ')}`,
        ]),
      },
    ],
    clusters: [],
  });
  edges.push({ from: 'private_zones', to: 'registry_endpoints', label: 'resolve to', attrs: { style: 'dotted' } });
  edges.push({ from: 'registry_endpoints', to: 'repositories', label: 'pull', attrs: { style: 'dotted' } });
  clusters.push({
    id: 'dns',
    label: label('Public DNS'),
    attrs: { style: 'filled,rounded', fillcolor: 'white', color: '#8a5a00' },
    nodes: [
      ...model.dnsRoles.map((role) => ({
        id: id('dnsrole', role.name),
        label: label(`role ${role.name}`, [`assumed by ${role.environment}'s external-dns`]),
        attrs: { fillcolor: '#fff7e6', color: '#8a5a00' },
      })),
      ...model.publicZones.map((zone) => ({ id: id('zone', zone.name), label: label(`zone ${zone.name}`), attrs: { fillcolor: '#fff7e6' } })),
    ],
    clusters: [],
  });
  return clusters;
}

function domainLabel(domain: RoutingDomain): ReturnType<typeof label> {
  return label(`routing domain ${domain.name}`, [`members: ${domain.members.join(', ')}`, `learns: ${domain.learns.join(', ')}`]);
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
