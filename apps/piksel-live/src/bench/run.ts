/**
 * `pnpm bench`: what a synth costs, measured in fresh processes after a warm-up, as medians.
 *
 * - estate synth: wall time of `node synth-once.js` (spawn to exit) and its peak RSS; the scratch
 *   output directory is made before and removed after the clock;
 * - provider root: wall time of a process that only does `require('@cdktf/provider-aws')`, what an
 *   app importing the package root pays before it synthesizes anything;
 * - growth: the estate with 1, 10 and 50 extra synthetic spoke environments; the least-squares
 *   slope is the cost of one more environment, and the fit says whether growth is linear.
 *
 * Every measurement runs once per round, in turns, for `PIKSEL_BENCH_RUNS` rounds (5), and both
 * costs are judged as shares of the provider-root load measured in the same rounds: a slow machine,
 * or one that slows down during the bench, moves the figures but not the verdict much. Prints a table and one JSON line, writes
 * the JSON to `bench-results.json` (beside this app's package.json), and exits non-zero when a
 * target is missed.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const RUNS = Number(process.env.PIKSEL_BENCH_RUNS ?? 5);
const EXTRA = [0, 1, 10, 50];
/**
 * One more environment: at most 0.03× the provider-root load. The whole estate: 0.25× would be
 * below what the CPU profile (README "Benchmark") allows: with the constructs' and the app's own
 * code at no cost at all (9% of the estate's synth), loading cdktf and the provider classes, cdktf
 * resolving every token once, garbage collection and writing the files still come to about
 * 0.26–0.27× (an estimate from quiet runs). The estate's target is that floor plus a tenth for
 * measurement.
 */
const TARGETS = {
  /** The whole estate (20 stacks, ~870 resources) synthesizes in at most this share of the provider-root load time. */
  synthVsProviderRoot: 0.3,
  /** One more environment (its AWS, data and in-cluster stacks) costs at most this share of the provider-root load time. */
  environmentVsProviderRoot: 0.03,
  peakRssMb: 150,
  /** Growth counts as linear when a straight line explains this much of the variance. */
  linearR2: 0.98,
};
const APP_DIR = join(__dirname, '..', '..');
const SYNTH_ONCE = join(__dirname, 'synth-once.js');

interface Sample { readonly ms: number; readonly maxRssMb: number; readonly resources: number }

/** One run of `args` in a fresh process; a synth gets a scratch `--outdir`, made and removed outside the clock. */
function timed(args: string[]): Sample {
  const outdir = args[0] === SYNTH_ONCE ? mkdtempSync(join(tmpdir(), 'piksel-bench-')) : undefined;
  try {
    const start = process.hrtime.bigint();
    const out = execFileSync(process.execPath, outdir ? [...args, '--outdir', outdir] : args, { cwd: APP_DIR, encoding: 'utf-8' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const line = JSON.parse(out.trim().split('\n').pop()!);
    return { ms, maxRssMb: line.maxRssMb, resources: line.resources ?? 0 };
  } finally {
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  }
}

const PROVIDER_ROOT = ['-e', "require('@cdktf/provider-aws'); console.log(JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024 }))"];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Measures each command `RUNS` times, taking turns (one run of each, then the next round), so a
 * machine that slows down or speeds up during the bench moves every measurement alike.
 */
function measureInTurns(commands: Array<{ label: string; args: string[] }>): Sample[] {
  const samples: Sample[][] = commands.map(() => []);
  for (let round = 0; round < RUNS; round++) {
    process.stderr.write(`  round ${round + 1} of ${RUNS}: `);
    commands.forEach(({ label, args }, i) => {
      samples[i].push(timed(args));
      process.stderr.write(`${label} `);
    });
    process.stderr.write('\n');
  }
  return samples.map((runs) => ({
    ms: median(runs.map((s) => s.ms)),
    maxRssMb: median(runs.map((s) => s.maxRssMb)),
    resources: runs[0].resources,
  }));
}

/** Least-squares slope and R² of y over x. */
function fit(x: number[], y: number[]): { slope: number; r2: number } {
  const mx = x.reduce((a, b) => a + b) / x.length;
  const my = y.reduce((a, b) => a + b) / y.length;
  const sxy = x.reduce((sum, xi, i) => sum + (xi - mx) * (y[i] - my), 0);
  const sxx = x.reduce((sum, xi) => sum + (xi - mx) ** 2, 0);
  const slope = sxy / sxx;
  const ssRes = y.reduce((sum, yi, i) => sum + (yi - (my + slope * (x[i] - mx))) ** 2, 0);
  const ssTot = y.reduce((sum, yi) => sum + (yi - my) ** 2, 0);
  return { slope, r2: ssTot === 0 ? 1 : 1 - ssRes / ssTot };
}

function main(): void {
  process.stderr.write(`warm-up, then ${RUNS} rounds of every measurement in turn (medians)\n`);
  timed(PROVIDER_ROOT);
  timed([SYNTH_ONCE]);
  const [providerRoot, ...estates] = measureInTurns([
    { label: 'provider-root', args: PROVIDER_ROOT },
    ...EXTRA.map((extra) => ({ label: `estate+${extra}`, args: [SYNTH_ONCE, '--extra', String(extra)] })),
  ]);
  const growth = EXTRA.map((extra, i) => ({ extra, ...estates[i] }));
  const estate = growth[0];
  const { slope, r2 } = fit(growth.map((g) => g.extra), growth.map((g) => g.ms));
  const resourcesPerEnvironment = fit(growth.map((g) => g.extra), growth.map((g) => g.resources)).slope;
  const msPerResource = slope / resourcesPerEnvironment;

  const result = {
    node: process.version,
    runs: RUNS,
    estateSynthMs: Math.round(estate.ms),
    estatePeakRssMb: Math.round(estate.maxRssMb),
    providerRootLoadMs: Math.round(providerRoot.ms),
    providerRootPeakRssMb: Math.round(providerRoot.maxRssMb),
    synthVsProviderRoot: Number((estate.ms / providerRoot.ms).toFixed(3)),
    environmentVsProviderRoot: Number((slope / providerRoot.ms).toFixed(4)),
    estateResources: estate.resources,
    msPerEnvironment: Number(slope.toFixed(1)),
    resourcesPerEnvironment: Math.round(resourcesPerEnvironment),
    msPerResource: Number(msPerResource.toFixed(3)),
    growthR2: Number(r2.toFixed(4)),
    growth: growth.map((g) => ({ extraEnvironments: g.extra, ms: Math.round(g.ms), peakRssMb: Math.round(g.maxRssMb) })),
    targets: TARGETS,
    missed: [] as string[],
  };
  if (result.synthVsProviderRoot > TARGETS.synthVsProviderRoot) result.missed.push(`estate synth is ${result.synthVsProviderRoot}× the provider-root load (target ≤ ${TARGETS.synthVsProviderRoot}×)`);
  if (result.estatePeakRssMb > TARGETS.peakRssMb) result.missed.push(`peak RSS ${result.estatePeakRssMb} MB (target ≤ ${TARGETS.peakRssMb} MB)`);
  if (result.environmentVsProviderRoot > TARGETS.environmentVsProviderRoot) result.missed.push(`one more environment is ${result.environmentVsProviderRoot}× the provider-root load (target ≤ ${TARGETS.environmentVsProviderRoot}×)`);
  if (r2 < TARGETS.linearR2) result.missed.push(`growth is not linear: R² ${result.growthR2} (target ≥ ${TARGETS.linearR2})`);

  const rows: Array<[string, string, string]> = [
    ['provider root load', `${result.providerRootLoadMs} ms`, `${result.providerRootPeakRssMb} MB`],
    ...result.growth.map((g): [string, string, string] => [`estate + ${g.extraEnvironments} environments`, `${g.ms} ms`, `${g.peakRssMb} MB`]),
  ];
  console.log(['measurement'.padEnd(28) + 'wall (median)'.padStart(14) + 'peak RSS'.padStart(10), ...rows.map(([a, b, c]) => a.padEnd(28) + b.padStart(14) + c.padStart(10))].join('\n'));
  console.log(`estate (${result.estateResources} resources) synth / provider root: ${result.synthVsProviderRoot}× (≤ ${TARGETS.synthVsProviderRoot}); per environment: ${result.msPerEnvironment} ms for ${result.resourcesPerEnvironment} resources (${result.msPerResource} ms a resource), ${result.environmentVsProviderRoot}× the provider-root load (≤ ${TARGETS.environmentVsProviderRoot}); R² ${result.growthR2} (≥ ${TARGETS.linearR2}); peak RSS ${result.estatePeakRssMb} MB (≤ ${TARGETS.peakRssMb})`);
  console.log(JSON.stringify(result));
  writeFileSync(join(APP_DIR, 'bench-results.json'), JSON.stringify(result, null, 2) + '\n');
  if (result.missed.length > 0) {
    console.error(`bench: targets missed: ${result.missed.join('; ')}`);
    process.exitCode = 1;
  }
}

main();
