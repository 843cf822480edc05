#!/usr/bin/env node
// The `fixres` CLI runs its TypeScript sources through tsx, so it works on a fresh clone without a build.
import { register } from 'tsx/esm/api';

register();
// `fixres … | head`: when the reader goes away, stop quietly as Unix tools do (Node ignores SIGPIPE,
// so the write fails with EPIPE instead, which would otherwise crash with a stack trace).
process.stdout.on('error', (err) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(0);
});
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
