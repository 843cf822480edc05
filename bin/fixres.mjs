#!/usr/bin/env node
// The `fixres` CLI runs its TypeScript sources through tsx, so it works on a fresh clone without a build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
