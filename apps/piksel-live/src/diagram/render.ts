import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'cdktf';
import { buildEstate } from '../main';
import { clusterGraph } from './cluster-graph';
import { clusterModel } from './cluster-model';
import { toDot } from './graph';
import { networkGraph } from './network-graph';
import { networkModel } from './network-model';
import { Estate, readStacks } from './terraform';

/** The part of `@viz-js/viz` used here. Its own types name DOM types a Node build has no lib for. */
interface Viz {
  renderString(dot: string, options: { format: string; engine: string }): string;
}
// A devDependency on purpose: only `pnpm diagram` and its test draw; a synth never loads Graphviz.
// eslint-disable-next-line import/no-extraneous-dependencies, @typescript-eslint/no-require-imports
const { instance } = require('@viz-js/viz') as { instance(): Promise<Viz> };

/** Where the pictures live: `docs/` at the repository root, beside the README that shows them. */
export const DOCS_DIR = join(__dirname, '..', '..', '..', '..', 'docs');

/** The one command that redraws them (run at the repository root). */
export const UPDATE_COMMAND = 'pnpm diagram';

/** One picture: its file name under `docs/` and its Graphviz source. */
export interface Picture {
  readonly file: string;
  readonly dot: string;
}

/** Synthesizes the estate into a scratch directory and reads it back. */
export function synthEstate(): Estate {
  const outdir = mkdtempSync(join(tmpdir(), 'piksel-diagram-'));
  try {
    const app = new App({ outdir });
    buildEstate(app);
    app.synth();
    return new Estate(readStacks(outdir, app.node.children.map((stack) => stack.node.id)));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The pictures of an estate: the network, then one cluster picture per environment with a cluster. */
export function pictures(estate: Estate): Picture[] {
  const accounts = [...new Set(estate.stacks.map((s) => s.account))];
  const clusters = estate.resources('aws_eks_cluster').map((c) => estate.stack(c.stack)!);
  return [
    { file: 'network.svg', dot: toDot(networkGraph(networkModel(estate))) },
    ...clusters.map(({ environment, account }) => ({
      file: `cluster-${environment}.svg`,
      dot: toDot(clusterGraph(clusterModel(estate, environment), accounts.indexOf(account))),
    })),
  ];
}

/** Renders each picture to SVG with Graphviz compiled to WebAssembly (no browser, no binary). */
export async function render(items: Picture[]): Promise<Array<{ file: string; svg: string }>> {
  const viz = await instance();
  return items.map(({ file, dot }) => ({ file, svg: viz.renderString(dot, { format: 'svg', engine: 'dot' }) }));
}

/** Synthesizes the estate and draws every picture. */
export async function drawEstate(): Promise<Array<{ file: string; svg: string }>> {
  return render(pictures(synthEstate()));
}
