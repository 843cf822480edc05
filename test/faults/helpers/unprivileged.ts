import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type SpawnEngine, nodeEngineSpawner, spawnNodeEngine } from '../../../src/lab/engine';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/**
 * An engine for which `chmod 000` means something. Root reads everything, so as root the engine
 * runs as `nobody` (the lab stays root); as any other user it runs as that user.
 */
export const unprivilegedEngine: SpawnEngine = isRoot ? nodeEngineSpawner({ uid: NOBODY, gid: NOBODY }) : spawnNodeEngine;

/** Creates `dir` writable by the engine, making the folders from `base` down to it traversable (mkdtemp makes 0700 ones). */
export function engineWritableDir(base: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
  for (let parent = dirname(dir); parent.startsWith(base); parent = dirname(parent)) chmodSync(parent, 0o755);
  return dir;
}

/**
 * As root, makes every folder this process creates from now on writable by the unprivileged engine
 * (umask 0): the lab creates a run's folder (runs/<id>) and the engine writes its checkpoints there,
 * which on a user's machine is one user.
 */
export function shareNewFoldersWithEngine(): void {
  if (isRoot) process.umask(0);
}
