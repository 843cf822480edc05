import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLab, type Lab, spawnNodeEngine, defaultDataDir } from '../lab';

/** The repository (or installed package) root, two levels above this file in source and in out/. */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

export function packageVersion(): string {
  return (JSON.parse(readFileSync(`${packageRoot}package.json`, 'utf8')) as { version: string }).version;
}

/** Opens the lab the CLI and web mode share with the desktop app's data layout. */
export function openLab(): Lab {
  const lab = createLab({ dataDir: defaultDataDir(), spawnEngine: spawnNodeEngine, transport: 'web', version: packageVersion() });
  // On stderr, so --json output stays parseable.
  for (const notice of lab.notices) process.stderr.write(`note: ${notice}\n`);
  return lab;
}
