/**
 * A small graph model (clusters, nodes, edges) and its DOT text. The pictures build this model
 * from the estate; Graphviz lays it out. Everything is written in the order it was added, so the
 * same model always gives the same DOT, and Graphviz the same SVG.
 */

export type Attrs = Record<string, string | number | boolean | Html>;

export interface GraphNode {
  readonly id: string;
  /** An HTML-like label (see `label`), or plain text. */
  readonly label: Html | string;
  readonly attrs?: Attrs;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  readonly attrs?: Attrs;
}

export interface GraphCluster {
  readonly id: string;
  readonly label: Html | string;
  readonly attrs?: Attrs;
  readonly nodes: GraphNode[];
  readonly clusters: GraphCluster[];
}

export interface Graph {
  readonly name: string;
  readonly attrs: Attrs;
  readonly nodeDefaults: Attrs;
  readonly edgeDefaults: Attrs;
  readonly clusters: GraphCluster[];
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
  /**
   * Columns, left to right: each is one rank, kept in this order by invisible edges. Nodes in no
   * column are placed by Graphviz.
   * @default - none
   */
  readonly columns?: string[][];
}

/** HTML-like label text, already escaped. */
export class Html {
  constructor(public readonly text: string) {}
}

/** Escapes text for an HTML-like label. */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Graphviz sizes text with Helvetica's regular widths; bold text and the fonts a viewer falls back
 * to run wider. A few trailing no-break spaces keep every line inside its box.
 */
function padded(text: string, bold = false): string {
  return `${escape(text)}${'&#160;'.repeat(Math.ceil(text.length / (bold ? 9 : 12)))}`;
}

/** A label: a bold title, then smaller lines, each left-aligned. */
export function label(title: string, lines: string[] = [], options: { size?: number } = {}): Html {
  const size = options.size ?? 10;
  const body = lines.filter((l) => l !== '').map((l) => `${padded(l)}<BR ALIGN="LEFT"/>`).join('');
  return new Html(`<B>${padded(title, true)}</B><BR ALIGN="LEFT"/>${body ? `<FONT POINT-SIZE="${size}">${body}</FONT>` : ''}`);
}

/** A picture's caption: a large bold first line, then the key, left-aligned. */
export function caption(title: string, lines: string[]): Html {
  const body = lines.map((l) => `${padded(l)}<BR ALIGN="LEFT"/>`).join('');
  return new Html(`<FONT POINT-SIZE="16"><B>${padded(title, true)}</B></FONT><BR ALIGN="LEFT"/>${body}`);
}

/** A table label: a bold title row, then rows of cells. */
export function table(title: string, rows: string[][], options: { header?: string[] } = {}): Html {
  const width = Math.max(1, ...rows.map((r) => r.length), options.header?.length ?? 0);
  const cell = (text: string, bold = false) =>
    `<TD ALIGN="LEFT" BALIGN="LEFT">${bold ? '<B>' : ''}${text.split('\n').map((t) => padded(t, bold)).join('<BR/>')}${bold ? '</B>' : ''}</TD>`;
  const head = options.header ? `<TR>${options.header.map((h) => cell(h, true)).join('')}</TR>` : '';
  return new Html([
    '<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="6">',
    `<TR><TD COLSPAN="${width}" ALIGN="LEFT"><B>${padded(title, true)}</B></TD></TR>`,
    head,
    ...rows.map((r) => `<TR>${r.map((c, i) => (i === r.length - 1 && r.length < width
      ? cell(c).replace('<TD ', `<TD COLSPAN="${width - i}" `) : cell(c))).join('')}</TR>`),
    '</TABLE>',
  ].join(''));
}

/** Makes a DOT identifier out of any text. */
export function id(...parts: string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
}

function value(v: string | number | boolean | Html): string {
  if (v instanceof Html) return `<${v.text}>`;
  if (typeof v === 'string') return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  return String(v);
}

function attrList(attrs: Record<string, string | number | boolean | Html>): string {
  return Object.entries(attrs).map(([k, v]) => `${k}=${value(v)}`).join(', ');
}

function clusterDot(cluster: GraphCluster, indent: string): string[] {
  const inner = `${indent}  `;
  return [
    `${indent}subgraph cluster_${cluster.id} {`,
    ...Object.entries({ label: cluster.label, ...cluster.attrs }).map(([k, v]) => `${inner}${k}=${value(v)};`),
    ...cluster.nodes.map((n) => nodeDot(n, inner)),
    ...cluster.clusters.flatMap((c) => clusterDot(c, inner)),
    `${indent}}`,
  ];
}

function nodeDot(node: GraphNode, indent: string): string {
  return `${indent}${node.id} [${attrList({ label: node.label, ...node.attrs })}];`;
}

function columnsDot(columns: string[][]): string[] {
  const filled = columns.filter((c) => c.length > 0);
  return [
    ...filled.map((c) => `  { rank=same; ${c.join('; ')}; }`),
    ...filled.slice(1).map((c, i) => `  ${filled[i][0]} -> ${c[0]} [style=invis, weight=10];`),
  ];
}

/** The DOT text of a graph. */
export function toDot(graph: Graph): string {
  return [
    `digraph ${graph.name} {`,
    ...Object.entries(graph.attrs).map(([k, v]) => `  ${k}=${value(v)};`),
    `  node [${attrList(graph.nodeDefaults)}];`,
    `  edge [${attrList(graph.edgeDefaults)}];`,
    ...graph.nodes.map((n) => nodeDot(n, '  ')),
    ...graph.clusters.flatMap((c) => clusterDot(c, '  ')),
    ...columnsDot(graph.columns ?? []),
    ...graph.edges.map((e) => `  ${e.from} -> ${e.to}${e.label !== undefined || e.attrs
      ? ` [${attrList({ ...(e.label !== undefined ? { label: e.label } : {}), ...e.attrs })}]` : ''};`),
    '}',
    '',
  ].join('\n');
}

/** Fills for the accounts, in apply order (hub, dev, staging, production, then any more). */
export const ACCOUNT_FILLS = ['#e3eefa', '#e6f4e6', '#fdf3d8', '#fbe4e4', '#efe6f7', '#e4f4f4'];

/** The fill of the account at `index` in apply order. */
export function accountFill(index: number): string {
  return ACCOUNT_FILLS[index % ACCOUNT_FILLS.length];
}

/** Attributes every picture shares. */
export const BASE_GRAPH: Attrs = {
  rankdir: 'LR',
  fontname: 'Helvetica,Arial,sans-serif',
  fontsize: 12,
  newrank: true,
  nodesep: 0.3,
  ranksep: 0.7,
  compound: true,
  labelloc: 't',
  labeljust: 'l',
};
export const BASE_NODE: Attrs = { shape: 'box', style: 'rounded,filled', fillcolor: 'white', fontname: 'Helvetica,Arial,sans-serif', fontsize: 11, margin: '0.12,0.06' };
export const BASE_EDGE: Attrs = { fontname: 'Helvetica,Arial,sans-serif', fontsize: 9, color: '#555555', fontcolor: '#333333', arrowsize: 0.7 };
