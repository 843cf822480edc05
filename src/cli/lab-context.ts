import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLab, type Lab, spawnNodeEngine, defaultDataDir } from '../lab';

/** The repository (or installed package) root: the nearest folder above this file with a package.json (source or bundle). */
export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Opens the lab the CLI and web mode share with the desktop app's data layout. */
export function openLab(): Lab {
  const lab = createLab({ dataDir: defaultDataDir(), spawnEngine: spawnNodeEngine, transport: 'web', version: packageVersion() });
  // On stderr, so --json output stays parseable.
  for (const notice of lab.notices) process.stderr.write(`note: ${notice}\n`);
  return lab;
}
