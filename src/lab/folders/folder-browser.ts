import { readdir, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, join, relative, isAbsolute } from 'node:path';
import type { FolderListing } from '../../shared/api/system';
import { userError } from '../../shared/errors';
import { appPath } from '../paths';

/** Entries a listing shows at most (a folder of 100 000 images lists its sub-folders, not a wall of rows). */
export const MAX_FOLDER_ENTRIES = 500;

/**
 * The folders a web page may browse on the lab's disk: $FIXRES_BROWSE_ROOTS (separated like PATH),
 * else the home folder and the data folder. A browser outside them is refused, so a shared server
 * does not show its whole disk.
 */
export function browseRoots(dataDir: string, env: NodeJS.ProcessEnv = process.env, home = homedir()): string[] {
  const listed = env.FIXRES_BROWSE_ROOTS?.split(delimiter)
    .map((p) => p.trim())
    .filter(Boolean);
  const roots = listed?.length ? listed.map((p) => appPath(p, 'FIXRES_BROWSE_ROOTS', home)) : [home, dataDir];
  return [...new Set(roots)];
}

const inside = (path: string, root: string) => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * One folder's sub-folders and CSV manifests (what the Datasets view can open), hidden entries
 * left out. The path follows the app's rules (absolute or `~/…`); it and every entry must lie inside
 * a root once symbolic links are followed. Without a path: the roots themselves.
 */
export async function listFolder(pathInput: string | undefined, roots: readonly string[]): Promise<FolderListing> {
  const realRoots = (await Promise.all(roots.map((r) => realpath(r).catch(() => null)))).filter((r): r is string => r !== null);
  if (pathInput === undefined || pathInput.trim() === '')
    return {
      path: null,
      parent: null,
      roots: [...roots],
      entries: realRoots.map((r) => ({ name: r, path: r, kind: 'folder' })),
      truncated: false,
    };
  const path = appPath(pathInput, 'path');
  const real = await realpath(path).catch(() => {
    throw userError(`There is no folder ${path}: choose one of the listed folders`, 'path');
  });
  const root = realRoots.find((r) => inside(real, r));
  if (!root)
    throw userError(
      `${path} is outside the folders this lab lets a browser see (${roots.join(', ')}): choose a folder inside them, or start the lab with FIXRES_BROWSE_ROOTS naming the folders to allow`,
      'path',
    );
  if (!(await stat(real)).isDirectory()) throw userError(`${path} is a file, not a folder: choose its folder`, 'path');
  const dirents = await readdir(real, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    throw userError(`Cannot read ${path} (${err.code ?? err.message}): check its permissions, or choose another folder`, 'path');
  });
  const entries: FolderListing['entries'] = [];
  for (const d of dirents.sort((a, b) => a.name.localeCompare(b.name))) {
    if (d.name.startsWith('.')) continue;
    const full = join(real, d.name);
    let kind: 'folder' | 'manifest' | null = null;
    if (d.isDirectory()) kind = 'folder';
    else if (d.isFile() && d.name.toLowerCase().endsWith('.csv')) kind = 'manifest';
    else if (d.isSymbolicLink()) {
      // A link is listed only where it leads inside a root, as what it leads to.
      const target = await realpath(full).catch(() => null);
      const s = target && realRoots.some((r) => inside(target, r)) ? await stat(target).catch(() => null) : null;
      kind = s?.isDirectory() ? 'folder' : s?.isFile() && d.name.toLowerCase().endsWith('.csv') ? 'manifest' : null;
    }
    if (kind) entries.push({ name: d.name, path: full, kind });
  }
  return {
    path: real,
    parent: real === root ? null : dirname(real),
    roots: [...roots],
    entries: entries.slice(0, MAX_FOLDER_ENTRIES),
    truncated: entries.length > MAX_FOLDER_ENTRIES,
  };
}
