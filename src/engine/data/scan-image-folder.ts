import { opendir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { ScannedImage, ScanResult } from '../../shared/engine-protocol';
import { userError } from '../../shared/errors';
import { isImageFile, SPLIT_FOLDERS } from './image-files';
import { describeFsError } from './safe-path';

export interface ScanContext {
  signal: AbortSignal;
  /** Called every few hundred files with the count so far. */
  progress(p: { filesSeen: number }): void;
}

const PROGRESS_EVERY = 500;

/**
 * Walks an ImageFolder tree — `root/<class>/**` or `root/{train,val}/<class>/**` — and lists its
 * images without opening them. Anything unusable is recorded in `skipped`, never thrown.
 */
export async function scanImageFolder(root: string, ctx: ScanContext): Promise<ScanResult> {
  const info = await stat(root).catch(() => null);
  if (!info) throw userError(`Folder not found: ${root}`, 'root', 'NotFound');
  if (!info.isDirectory()) throw userError(`Not a folder: ${root}`, 'root');

  const top = await listDirectory(root).catch((err: NodeJS.ErrnoException) => {
    throw userError(`Cannot read folder ${root}: ${describeFsError(err)}`, 'root', 'Environment');
  });
  const splitDirs = top.filter((e) => e.isDirectory && SPLIT_FOLDERS[e.name.toLowerCase()]);
  const isSplit = splitDirs.some((e) => SPLIT_FOLDERS[e.name.toLowerCase()] === 'train');

  const result: ScanResult = { layout: isSplit ? 'imagefolder-split' : 'imagefolder', classNames: [], images: [], skipped: [] };
  const rootReal = await realpath(root);
  const visited = new Set<string>([rootReal]);
  const state = { result, visited, ctx, seen: 0, rootReal };

  if (isSplit) {
    for (const entry of top) {
      const split = entry.isDirectory ? SPLIT_FOLDERS[entry.name.toLowerCase()] : undefined;
      if (!split) {
        result.skipped.push({ relPath: entry.name, reason: 'not a train/val folder' });
        continue;
      }
      await scanClassFolders(join(root, entry.name), entry.name, split, state);
    }
  } else {
    await scanClassFolders(root, '', null, state);
  }

  result.classNames = [...new Set(result.images.map((i) => i.className))].sort();
  if (result.images.length === 0) {
    throw userError(
      `No images found in ${root}. Expected class folders with images inside, like ${join(root, '<class>', 'image.jpg')}.`,
      'root',
    );
  }
  ctx.progress({ filesSeen: state.seen });
  return result;
}

interface WalkState {
  result: ScanResult;
  visited: Set<string>;
  ctx: ScanContext;
  seen: number;
  rootReal: string;
}

function insideRoot(real: string, rootReal: string): boolean {
  return real === rootReal || real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep);
}

async function scanClassFolders(dir: string, relDir: string, split: 'train' | 'val' | null, state: WalkState): Promise<void> {
  for (const entry of await listDirectory(dir)) {
    const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
    if (!entry.isDirectory) {
      state.result.skipped.push({ relPath: rel, reason: 'file outside any class folder' });
      continue;
    }
    const before = { images: state.result.images.length, skipped: state.result.skipped.length };
    await collectImages(join(dir, entry.name), rel, entry.name, split, state);
    // A class folder that adds nothing at all would vanish from the class list without a word.
    if (state.result.images.length === before.images && state.result.skipped.length === before.skipped) {
      state.result.skipped.push({ relPath: rel, reason: 'class folder with no images' });
    }
  }
}

async function collectImages(
  dir: string,
  relDir: string,
  className: string,
  split: 'train' | 'val' | null,
  state: WalkState,
): Promise<void> {
  const real = await realpath(dir).catch(() => null);
  if (!real || state.visited.has(real)) {
    state.result.skipped.push({ relPath: relDir, reason: real ? 'folder link loop' : 'unreadable folder' });
    return;
  }
  if (!insideRoot(real, state.rootReal)) {
    state.result.skipped.push({ relPath: relDir, reason: 'folder links outside the dataset (refused)' });
    return;
  }
  state.visited.add(real);
  let entries: DirEntry[];
  try {
    entries = await listDirectory(dir);
  } catch (err) {
    state.result.skipped.push({
      relPath: relDir,
      reason: `unreadable folder (${describeFsError(err as NodeJS.ErrnoException)})`,
    });
    return;
  }
  for (const entry of entries) {
    if (state.ctx.signal.aborted) throw scanCancelled();
    const rel = `${relDir}/${entry.name}`;
    const full = join(dir, entry.name);
    if (entry.isDirectory) {
      await collectImages(full, rel, className, split, state);
      continue;
    }
    if (++state.seen % PROGRESS_EVERY === 0) state.ctx.progress({ filesSeen: state.seen });
    if (!isImageFile(entry.name)) {
      state.result.skipped.push({ relPath: rel, reason: 'not an image file' });
      continue;
    }
    if (entry.isSymlink) {
      const target = await realpath(full).catch(() => null);
      if (target && !insideRoot(target, state.rootReal)) {
        state.result.skipped.push({ relPath: rel, reason: 'links outside the dataset (refused)' });
        continue;
      }
    }
    const info = await stat(full).catch(() => null);
    if (!info?.isFile()) {
      state.result.skipped.push({ relPath: rel, reason: 'unreadable file' });
      continue;
    }
    const image: ScannedImage = { relPath: rel, className, split, bytes: info.size, mtimeMs: info.mtimeMs };
    state.result.images.push(image);
  }
}

interface DirEntry {
  name: string;
  isDirectory: boolean;
  isSymlink: boolean;
}

/** Directory entries sorted by name, hidden files left out; links are followed by stat. */
async function listDirectory(dir: string): Promise<DirEntry[]> {
  const out: DirEntry[] = [];
  for await (const d of await opendir(dir)) {
    if (d.name.startsWith('.')) continue;
    let isDirectory = d.isDirectory();
    if (d.isSymbolicLink()) isDirectory = (await stat(join(dir, d.name)).catch(() => null))?.isDirectory() ?? false;
    out.push({ name: d.name, isDirectory, isSymlink: d.isSymbolicLink() });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The AbortError a cancelled scan ends with. */
export function scanCancelled(): Error {
  const err = new Error('Scan cancelled');
  err.name = 'AbortError';
  return err;
}
