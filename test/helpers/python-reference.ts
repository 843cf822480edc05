import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian's python (the first python3 on PATH may be a pyenv build without torchvision). */
const PYTHON = process.env.FIXRES_REFERENCE_PYTHON ?? '/usr/bin/python3';
const SCRIPTS = fileURLToPath(new URL('../fixtures/reference/', import.meta.url));

let available: boolean | null = null;

/** True when the reference python can import torch, torchvision and PIL. */
export function hasReferencePython(): boolean {
  if (available === null) {
    const r = spawnSync(PYTHON, ['-c', 'import torch, torchvision, PIL'], { encoding: 'utf8', timeout: 60_000 });
    available = r.status === 0;
  }
  return available;
}

let scipyAvailable: boolean | null = null;

/** True when the reference python can import scipy (Debian python3-scipy). */
export function hasScipy(): boolean {
  if (scipyAvailable === null) {
    const r = spawnSync(PYTHON, ['-c', 'import scipy.stats'], { encoding: 'utf8', timeout: 60_000 });
    scipyAvailable = r.status === 0;
  }
  return scipyAvailable;
}

export const SCIPY_MISSING = 'skipped: Debian python3 with scipy not found (apt-get install -y python3-scipy)';

export const REFERENCE_MISSING =
  'skipped: Debian python3 with torchvision and PIL not found (apt-get install -y python3-torchvision python3-pil)';

/** Runs one of test/fixtures/reference/*.py with JSON in and JSON out. */
export function runReference<T>(script: string, input: unknown): T {
  const out = execFileSync(PYTHON, [resolve(SCRIPTS, script)], {
    input: JSON.stringify(input),
    maxBuffer: 1 << 28,
    timeout: 120_000,
  });
  return JSON.parse(out.toString('utf8')) as T;
}
