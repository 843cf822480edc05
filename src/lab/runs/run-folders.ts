import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { userError } from '../../shared/errors';

/** The mark in each run folder naming the database (and run) it belongs to. */
export const OWNER_FILE = 'owner.json';

interface Owner {
  databaseId: string;
  runId: number;
  createdAt: string;
}

/**
 * Makes the checkpoint folder of a new run, `<runsRoot>/<id>`, and marks it with this database's
 * identity. A folder of that name that already exists belongs to something else — another
 * database (a replaced or empty lab.sqlite starts its ids at 1 again) or runs a restored backup
 * forgot — and is never written into: the run gets `<id>-2` (`-3`, …) instead.
 */
export function claimRunFolder(runsRoot: string, runId: number, databaseId: string): string {
  try {
    mkdirSync(runsRoot, { recursive: true });
    for (let n = 1; ; n++) {
      const dir = join(runsRoot, n === 1 ? String(runId) : `${runId}-${n}`);
      try {
        mkdirSync(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw err;
      }
      const owner: Owner = { databaseId, runId, createdAt: new Date().toISOString() };
      writeFileSync(join(dir, OWNER_FILE), `${JSON.stringify(owner)}\n`);
      return dir;
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const reason = FOLDER_FAILURES[code] ?? (err as Error).message;
    throw userError(
      `Cannot make the run's folder in ${runsRoot}: ${reason}. Nothing was started; fix the disk and start it again.`,
    );
  }
}

/** Why a disk refused the folder, in words. */
const FOLDER_FAILURES: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is a file',
};

/**
 * Folders under `runsRoot` that this database did not make: no run of it points there and no
 * mark names it. They are kept as they are (they may hold another database's checkpoints).
 */
export function foreignRunFolders(runsRoot: string, databaseId: string, runFolders: Iterable<string>): string[] {
  let entries;
  try {
    entries = readdirSync(runsRoot, { withFileTypes: true });
  } catch {
    return [];
  }
  const ours = new Set([...runFolders].map((d) => resolve(d)));
  return entries
    .filter((e) => e.isDirectory() && !ours.has(resolve(runsRoot, e.name)) && ownerOf(join(runsRoot, e.name)) !== databaseId)
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

function ownerOf(dir: string): string | null {
  try {
    return (JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as Partial<Owner>).databaseId ?? null;
  } catch {
    return null;
  }
}

/** What the lab says at start about folders another database left (null when there are none). */
export function foreignFoldersNotice(runsRoot: string, names: readonly string[]): string | null {
  if (names.length === 0) return null;
  const shown = names.length > 5 ? `${names.slice(0, 5).join(', ')}, …` : names.join(', ');
  return (
    `Found ${names.length} run folder${names.length === 1 ? '' : 's'} from another database: kept in ${runsRoot} (${shown}). ` +
    'This database never writes into them; its runs get folders of their own.'
  );
}
