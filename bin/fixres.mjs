#!/usr/bin/env node
// `fixres` runs the CLI bundled as JavaScript (scripts/cli-bundle.mjs): built on first use and
// again whenever a source changed, so a fresh clone works without a build step. Where the bundle
// cannot be built (esbuild missing), it falls back to the TypeScript sources through tsx.
import { freshBundle } from '../scripts/cli-bundle.mjs';

// `fixres … | head`: when the reader goes away, stop quietly as Unix tools do (Node ignores SIGPIPE,
// so the write fails with EPIPE instead, which would otherwise crash with a stack trace).
process.stdout.on('error', (err) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(0);
});

async function loadCli() {
  try {
    const bundle = await freshBundle();
    // Says which code runs, so a test can tell a working bundle from the slow fallback below.
    if (process.env.FIXRES_CLI_DEBUG) process.stderr.write(`fixres: running the bundle ${bundle}\n`);
    return await import(bundle);
  } catch (err) {
    if (process.env.FIXRES_CLI_DEBUG) process.stderr.write(`fixres: running from source (${err.message})\n`);
    const { register } = await import('tsx/esm/api');
    register();
    return import('../src/cli/index.ts');
  }
}

const { main } = await loadCli();
process.exitCode = await main(process.argv.slice(2));
