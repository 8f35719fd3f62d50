import { Environment, ENVIRONMENTS } from '@piksel/estate';
import { App } from 'cdktf';
import { BootstrapNodesStack, BootstrapStack } from './stacks/bootstrap-stacks';
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
 * Adds every stack of the estate to `app`: the hub first, then each environment in promotion
 * order with its two in-cluster stages (`<env>-bootstrap`, then `<env>-bootstrap-nodes`).
 */
export function buildEstate(app: App, options: EstateOptions = {}): void {
  const extra = options.extraEnvironments ?? [];
  new HubStack(app, [...ENVIRONMENTS, ...extra]);
  const environments = [
    ...ENVIRONMENTS.map((env) => ({ env, pinnedAs: env.name })),
    ...extra.map((env) => ({ env, pinnedAs: options.extraPinnedAs ?? 'dev' })),
  ];
  for (const { env, pinnedAs } of environments) {
    new EnvironmentStack(app, env, pinnedAs);
    new BootstrapStack(app, env, pinnedAs);
    new BootstrapNodesStack(app, env, pinnedAs);
  }
}

if (require.main === module) {
  const app = new App({ outdir: process.env.PIKSEL_SYNTH_OUTDIR ?? 'cdktf.out' });
  buildEstate(app);
  app.synth();
  printSynthSummary(app.outdir, app.node.children.map((stack) => stack.node.id));
}
