/* eslint-disable */ // README example: compiled and run by test/outside-consumer.test.ts against the packed libraries, not in this workspace.
// #region README
import { App } from 'cdktf';
import { Naming } from '@piksel/core';

const app = new App();
Naming.configure(app, { prefix: 'acme', displayName: 'Acme' });   // before adding stacks
// every library now derives acme-hub, /acme/vpc/<name>/flow-logs, acme-dev-external-dns, …
// #endregion
