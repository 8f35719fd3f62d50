/**
 * One measured synth, in its own process: the estate plus `--extra N` synthetic environments,
 * into the scratch directory `--outdir` (which the caller removes after the measurement: cleaning
 * up is not part of a synth). Prints one JSON line: the process's peak RSS and its own timings.
 */
import { App, TerraformResource } from 'cdktf';
import { buildEstate, estateAppConfig } from '../main';
import { syntheticEnvironments } from './synthetic';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

const extra = Number(option('--extra') ?? 0);
const outdir = option('--outdir');
if (!outdir) throw new Error('synth-once: --outdir is missing; pass the scratch directory to synthesize into');
const start = performance.now();
const app = new App(estateAppConfig(outdir));
buildEstate(app, { extraEnvironments: syntheticEnvironments(extra) });
const built = performance.now();
app.synth();
const synthesized = performance.now();
console.log(JSON.stringify({
  stacks: app.node.children.length,
  resources: app.node.findAll().filter((construct) => construct instanceof TerraformResource).length,
  buildMs: Math.round(built - start),
  synthMs: Math.round(synthesized - built),
  maxRssMb: process.resourceUsage().maxRSS / 1024,
}));
