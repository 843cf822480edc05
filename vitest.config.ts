import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';
import { integrationGlobs } from './test/tiers.ts';

export default defineConfig({
  // Renderer state classes (`*.svelte.ts`) use runes: compile them for the client runtime, as the app does.
  plugins: [svelte({ configFile: false, dynamicCompileOptions: () => ({ generate: 'client' }) })],
  test: {
    // Test files run side by side (and spawn engines): one XNNPACK thread each keeps them from
    // stalling one another. Tests of threads set their own count.
    env: { FIXRES_WASM_THREADS: '1' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/faults/**', ...integrationGlobs()],
          environment: 'node',
          testTimeout: 60_000,
          expect: { poll: { timeout: 15_000 } },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: integrationGlobs(),
          environment: 'node',
          // Generous: tests that spawn the CLI or an engine take several times longer on a loaded machine.
          testTimeout: 90_000,
          expect: { poll: { timeout: 15_000 } },
        },
      },
      {
        extends: true,
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          environment: 'node',
          // The kill -9 tests restart engines 3–4 times: ~20 s alone at load 12, and the whole suite ran
          // 2.4× slower at load 13 than at load 7; 60 s left too little room on a busy CI machine.
          testTimeout: 120_000,
          hookTimeout: 120_000,
          expect: { poll: { timeout: 15_000 } },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          expect: { poll: { timeout: 15_000 } },
          fileParallelism: false,
        },
      },
    ],
  },
});
