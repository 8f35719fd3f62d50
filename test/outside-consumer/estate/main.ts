import { Naming } from '@piksel/core';
import { App } from 'cdktf';
import { BaselineStack } from './baseline-stack';
import { DataStack } from './data-stack';
import { ORGANISATION, SPOKES } from './estate';
import { HubStack } from './hub-stack';
import { SpokeStack } from './spoke-stack';

/** Acme's estate: the hub account's baseline, the hub, each spoke, and the first spoke's data tier. */
const app = new App();
Naming.configure(app, ORGANISATION);
new BaselineStack(app, 'hub-baseline');
new HubStack(app, 'hub');
for (const spoke of SPOKES) new SpokeStack(app, spoke.name, spoke);
new DataStack(app, `${SPOKES[0].name}-data`, SPOKES[0]);
app.synth();
