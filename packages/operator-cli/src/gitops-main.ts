#!/usr/bin/env node
import { runGitops } from './gitops-cli';

// A reader that stops early (`piksel-gitops check . --environment dev | head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(process.exitCode ?? 0);
});

void runGitops(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
