import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** This process's mark in a data folder, and whether another live process had the folder open when it was made. */
export interface LabPresence {
  othersOpen: boolean;
  release(): void;
}

/**
 * Marks a data folder as open by this process (`<dataDir>/open-labs/<pid>`). Several processes may
 * share a folder — the app, `fixres workflow` in one terminal, `fixres runs list` in another — and
 * only the first may treat runs left 'running' as abandoned: the others would interrupt live work.
 * Marks of processes that no longer exist are removed.
 */
export function registerLabPresence(dataDir: string, pid = process.pid): LabPresence {
  const dir = join(dataDir, 'open-labs');
  mkdirSync(dir, { recursive: true });
  let othersOpen = false;
  for (const name of readdirSync(dir)) {
    const other = Number(name);
    if (!Number.isInteger(other) || other <= 0 || other === pid) continue;
    if (isAlive(other)) othersOpen = true;
    else rmSync(join(dir, name), { force: true });
  }
  const mark = join(dir, String(pid));
  writeFileSync(mark, '');
  return { othersOpen, release: () => rmSync(mark, { force: true }) };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
