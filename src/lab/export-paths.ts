import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { userError } from '../shared/errors';

/**
 * Checks an export folder and the files about to go into it: the path must be absolute, not a
 * file, not inside the lab's own data folder, and none of the files may exist unless
 * `overwrite` is set (then they are replaced, never anything else). Creates the folder.
 */
export async function prepareExportDir(
  dir: string,
  files: readonly string[],
  options: { overwrite: boolean; dataDir: string },
): Promise<string> {
  if (!isAbsolute(dir)) throw userError(`Choose an absolute folder to export into (got "${dir}")`, 'dir');
  const target = resolve(dir);
  if (options.dataDir !== ':memory:' && isInside(resolve(options.dataDir), target))
    throw userError(`Export into a folder outside FixRes Lab's data folder (${options.dataDir})`, 'dir');
  const info = await lstat(target).catch(() => null);
  if (info && !info.isDirectory()) throw userError(`${target} exists and is not a folder`, 'dir');
  const taken = files.filter((f) => existsSync(join(target, f)));
  if (taken.length && !options.overwrite) {
    const shown = taken.slice(0, 5).join(', ') + (taken.length > 5 ? `, … (${taken.length} in all)` : '');
    throw userError(`${target} already holds ${shown}. Choose another folder, or allow overwriting.`, 'dir');
  }
  await mkdir(target, { recursive: true });
  return target;
}

/** Writes a file by renaming a fully written sibling into place, so a reader never sees half of it. */
export async function writeExportFile(path: string, content: string | Uint8Array): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(temp, content);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
