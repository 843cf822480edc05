import { lstat, mkdir, mkdtemp, readdir, realpath, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { userError } from '../../shared/errors';
import { fsErrorCode, fsReason, makeFolders } from '../fs-folders';

/** A checked export folder and the private staging folder inside it where the files are written first. */
export interface ExportTarget {
  /** The real folder (links resolved) the files end up in. */
  dir: string;
  /** Files are written here, then moved into `dir` together once all of them are complete. */
  staging: string;
  /** The first folder this export created (removed again if the export fails), if any. */
  created: string | undefined;
}

/**
 * Checks an export folder and the files about to go into it: the path must be absolute, without
 * `..`, a folder (links are followed, and where they lead is what is checked), not inside the
 * lab's own data folder, and none of the files may exist unless `overwrite` is set (then they are
 * replaced, never anything else). Creates the folder and a staging folder inside it.
 */
export async function prepareExportDir(
  dir: string,
  files: readonly string[],
  options: { overwrite: boolean; dataDir: string },
): Promise<ExportTarget> {
  if (!isAbsolute(dir)) throw userError(`Choose an absolute folder to export into (got "${dir}")`, 'dir');
  if (dir.split(/[\\/]/).includes('..')) throw userError(`Give the export folder without ".." (got "${dir}")`, 'dir');
  const target = await realLocation(resolve(dir));
  if (options.dataDir !== ':memory:') {
    const dataDir = await realLocation(resolve(options.dataDir));
    if (isInside(dataDir, target))
      throw userError(`Export into a folder outside FixRes Lab's data folder (${target} is inside ${dataDir})`, 'dir');
  }
  const info = await stat(target).catch(() => null);
  if (info && !info.isDirectory()) throw userError(`${target} exists and is not a folder`, 'dir');
  for (const sub of new Set(files.map((f) => dirname(f)).filter((d) => d !== '.'))) {
    const subInfo = await lstat(join(target, sub)).catch(() => null);
    if (subInfo && !subInfo.isDirectory()) throw userError(`${join(target, sub)} exists and is not a folder`, 'dir');
  }
  const taken = [];
  for (const f of files) if (await lstat(join(target, f)).catch(() => null)) taken.push(f);
  if (taken.length && !options.overwrite) {
    const shown = taken.slice(0, 5).join(', ') + (taken.length > 5 ? `, … (${taken.length} in all)` : '');
    throw userError(`${target} already holds ${shown}. Choose another folder, or allow overwriting.`, 'dir', 'Conflict');
  }
  const created = await makeFolders(target).catch((err: unknown) => {
    throw exportFsError(target, err);
  });
  await removeAbandonedStaging(target);
  const staging = await mkdtemp(join(target, `${STAGING_PREFIX}${process.pid}-`)).catch(async (err: unknown) => {
    await removeCreated(target, created);
    throw exportFsError(target, err);
  });
  return { dir: target, staging, created };
}

/** Writes one file of an export into the staging folder; returns its size in bytes. */
export async function writeStagedFile(target: ExportTarget, name: string, content: string | Uint8Array): Promise<number> {
  const path = join(target.staging, name);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  return typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
}

/** Moves every staged file into the export folder (each rename is atomic) and removes the staging folder. */
export async function commitExport(target: ExportTarget, names: readonly string[]): Promise<void> {
  for (const name of names) {
    await mkdir(dirname(join(target.dir, name)), { recursive: true });
    await rename(join(target.staging, name), join(target.dir, name));
  }
  await rm(target.staging, { recursive: true, force: true });
}

/** Removes what a failed export wrote: its staging folder, and the folder itself if the export created it. */
export async function abandonExport(target: ExportTarget): Promise<void> {
  await rm(target.staging, { recursive: true, force: true });
  await removeCreated(target.dir, target.created);
}

const STAGING_PREFIX = '.fixres-export-';

/** Removes staging folders that exports of processes no longer running left behind (the app was killed mid-export). */
async function removeAbandonedStaging(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const pid = Number(name.slice(STAGING_PREFIX.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) await rm(join(dir, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/** A file-system error of an export as a message naming the folder. */
export function exportFsError(dir: string, err: unknown): Error {
  return userError(`Cannot export to ${dir}: ${fsReason(err)}. Nothing was written.`, 'dir', 'Environment');
}

/** Whether an error comes from the file system: it has an errno code, or (from the engine, where codes do not cross) its message starts with one. */
export function isFsError(err: unknown): boolean {
  return fsErrorCode(err) !== null;
}

/** Where a path really is: the nearest existing ancestor with its links resolved, plus the rest. */
async function realLocation(path: string): Promise<string> {
  let existing = path;
  const rest: string[] = [];
  for (;;) {
    const real = await realpath(existing).catch(() => null);
    if (real !== null) return join(real, ...rest.reverse());
    if (dirname(existing) === existing) return path;
    rest.push(basename(existing));
    existing = dirname(existing);
  }
}

/** Removes the folders makeFolders created for an export, deepest first, if they are empty. */
async function removeCreated(dir: string, created: string | undefined): Promise<void> {
  if (!created) return;
  for (let d = dir; isInside(created, d); d = dirname(d)) {
    if (
      !(await rmdir(d).then(
        () => true,
        () => false,
      ))
    )
      return;
    if (d === created) return;
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
