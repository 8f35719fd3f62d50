#!/usr/bin/env node
import { run } from './cli';

// The SDK warns on Node < 22 about SDK releases from 2027 on; the version this CLI pins runs on
// Node 20, so the warning would only alarm operators. Set the variable to "false" to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A reader that stops early (`piksel-secrets check --env dev | head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(process.exitCode ?? 0);
});

void run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
