import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // The engine runs in its own utilityProcess, so it is a separate entry next to main.
        input: {
          index: resolve('src/main/index.ts'),
          engine: resolve('src/engine/main.ts'),
          // Data-pipeline worker threads, started by the engine from a file next to it.
          'sample-worker': resolve('src/engine/data/workers/sample-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require packages: bundle everything into one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: { rollupOptions: { input: resolve('src/renderer/index.html') } },
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
  },
});
