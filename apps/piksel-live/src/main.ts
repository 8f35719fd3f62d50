import { Naming } from '@piksel/core';
import { Environment, ENVIRONMENTS, HUB } from '@piksel/estate';
import { App, AppConfig } from 'cdktf';
import { checkEstate } from './estate-checks';
import { BaselineStack } from './stacks/baseline-stack';
import { BootstrapNodesStack, BootstrapStack, PlatformStack } from './stacks/bootstrap-stacks';
import { DataStack } from './stacks/data-stack';
import { EnvironmentStack } from './stacks/environment-stack';
import { HubStack } from './stacks/hub-stack';
import { printSynthSummary } from './synth-summary';

/** What to build besides the estate's own environments. */
export interface EstateOptions {
  /**
   * Extra environments, built with the pins of `extraPinnedAs` (the benchmark's synthetic spokes).
   * @default - none
   */
  readonly extraEnvironments?: Environment[];
  /** @default 'dev' */
  readonly extraPinnedAs?: string;
}

/**
 * The cdktf `App` settings every synth of the estate uses. Stack traces (cdktf's `stackTraces`:
 * where each annotation, and with the workspace's patch of cdktf each token, was made) only while
 * debugging, when `CDKTF_STACK_TRACES` or `PIKSEL_DEBUG` is set: otherwise they are work no one
 * reads, 13% of the estate's synth (README "Benchmark").
 */
export function estateAppConfig(outdir: string, env: NodeJS.ProcessEnv = process.env): AppConfig {
  return { outdir, stackTraces: Boolean(env.CDKTF_STACK_TRACES || env.PIKSEL_DEBUG) };
}

/**
 * Adds every stack of the estate to `app`: the hub first, then each environment in promotion
 * order: its AWS stack, its data stack (`<env>-data`) and its three in-cluster stages
 * (`<env>-bootstrap`, `<env>-bootstrap-nodes`, then `<env>-platform`).
 */
export function buildEstate(app: App, options: EstateOptions = {}): void {
  const extra = options.extraEnvironments ?? [];
  checkEstate(ENVIRONMENTS);
  Naming.configure(app, Naming.piksel([HUB, ...ENVIRONMENTS, ...extra].map((target) => target.name)));
  // Day zero: each account's baseline (state bucket, GitHub OIDC, plan and deploy roles) first.
  // The hub's lists every spoke the hub stack admits: each gets its hub-network role.
  for (const target of [HUB, ...ENVIRONMENTS]) {
    new BaselineStack(app, target, [...ENVIRONMENTS, ...extra]);
  }
  new HubStack(app, [...ENVIRONMENTS, ...extra]);
  const environments = [
    ...ENVIRONMENTS.map((env) => ({ env, pinnedAs: env.name })),
    ...extra.map((env) => ({ env, pinnedAs: options.extraPinnedAs ?? 'dev' })),
  ];
  for (const { env, pinnedAs } of environments) {
    new EnvironmentStack(app, env, pinnedAs);
    new DataStack(app, env, pinnedAs);
    new BootstrapStack(app, env, pinnedAs);
    new BootstrapNodesStack(app, env, pinnedAs);
    new PlatformStack(app, env, pinnedAs);
  }
}

if (require.main === module) {
  const app = new App(estateAppConfig(process.env.PIKSEL_SYNTH_OUTDIR ?? 'cdktf.out'));
  buildEstate(app);
  app.synth();
  printSynthSummary(app.outdir, app.node.children.map((stack) => stack.node.id));
}
