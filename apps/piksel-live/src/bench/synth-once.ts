/**
 * One measured synth, in its own process: the estate plus `--extra N` synthetic environments,
 * into a scratch directory. Prints one JSON line: the process's peak RSS and its own timings.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, TerraformResource } from 'cdktf';
import { buildEstate } from '../main';
import { syntheticEnvironments } from './synthetic';

const at = process.argv.indexOf('--extra');
const extra = at < 0 ? 0 : Number(process.argv[at + 1]);
const outdir = mkdtempSync(join(tmpdir(), 'piksel-bench-'));
try {
  const start = performance.now();
  const app = new App({ outdir });
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
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
