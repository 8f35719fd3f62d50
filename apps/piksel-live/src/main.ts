import { ENVIRONMENTS } from '@piksel/estate';
import { App } from 'cdktf';
import { EnvironmentStack } from './stacks/environment-stack';
import { HubStack } from './stacks/hub-stack';

/** Adds every stack of the estate to `app`: the hub first, then the environments in promotion order. */
export function buildEstate(app: App): void {
  new HubStack(app);
  for (const env of ENVIRONMENTS) {
    new EnvironmentStack(app, env);
  }
}

if (require.main === module) {
  const app = new App({ outdir: process.env.PIKSEL_SYNTH_OUTDIR ?? 'cdktf.out' });
  buildEstate(app);
  app.synth();
  console.log(`Synthesized ${app.node.children.length} stacks into ${app.outdir}/stacks`);
}
