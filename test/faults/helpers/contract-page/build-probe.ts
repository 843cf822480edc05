import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

/**
 * Bundles probe.ts (the renderer's clients, the real preload, the contract) into `outDir/probe.js`
 * with a page `outDir/probe.html` that loads it, for web mode to serve under its own CSP.
 */
export async function buildContractProbe(outDir: string): Promise<void> {
  const here = import.meta.dirname;
  await build({
    configFile: false,
    logLevel: 'error',
    resolve: { alias: { electron: join(here, 'page', 'electron-shim.ts') } },
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      lib: { entry: join(here, 'page', 'probe.ts'), formats: ['iife'], name: 'contractProbeBundle', fileName: () => 'probe.js' },
    },
  });
  writeFileSync(
    join(outDir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>Contract probe</title><script src="probe.js"></script>',
  );
}
