#!/usr/bin/env node
import { runPreflight } from './preflight-cli';

// As in main.ts: the pinned SDK runs on Node 20; its notice about releases from 2027 on would
// only alarm operators. Set the variable to "false" to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A reader that stops early (`piksel-preflight --env dev | head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(process.exitCode ?? 0);
});

void runPreflight(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
