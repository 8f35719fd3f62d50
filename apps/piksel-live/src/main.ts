import { ENVIRONMENTS } from '@piksel/estate';
import { App } from 'cdktf';
import { BootstrapNodesStack, BootstrapStack } from './stacks/bootstrap-stacks';
import { EnvironmentStack } from './stacks/environment-stack';
import { HubStack } from './stacks/hub-stack';

/**
 * Adds every stack of the estate to `app`: the hub first, then each environment in promotion
 * order with its two in-cluster stages (`<env>-bootstrap`, then `<env>-bootstrap-nodes`).
 */
export function buildEstate(app: App): void {
  new HubStack(app);
  for (const env of ENVIRONMENTS) {
    new EnvironmentStack(app, env);
    new BootstrapStack(app, env);
    new BootstrapNodesStack(app, env);
  }
}

if (require.main === module) {
  const app = new App({ outdir: process.env.PIKSEL_SYNTH_OUTDIR ?? 'cdktf.out' });
  buildEstate(app);
  app.synth();
  console.log(`Synthesized ${app.node.children.length} stacks into ${app.outdir}/stacks`);
}
