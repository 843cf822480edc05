import { lstatSync, mkdirSync } from 'node:fs';
import { lstat, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Short reasons for the file-system errors a user can act on: one wording for every message that names a folder. */
const FS_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENAMETOOLONG: 'the path is too long',
};

/** The errno code of a file-system error, or (from the engine, where codes do not cross) the one its message starts with. */
export function fsErrorCode(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return /^(E[A-Z]+): /.exec((err as Error | null)?.message ?? '')?.[1] ?? null;
}

/** Why a file-system call failed, in words ("read-only file system"); the raw message when the code is not one we name. */
export function fsReason(err: unknown): string {
  const code = fsErrorCode(err);
  return (code && FS_REASONS[code]) ?? (err as Error).message;
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir reports ENOENT where the real reason is
 * EROFS or EACCES. Returns the first folder it created.
 */
export async function makeFolders(dir: string): Promise<string | undefined> {
  const missing: string[] = [];
  for (
    let d = dir;
    !(await lstat(d).then(
      () => true,
      () => false,
    )) && dirname(d) !== d;
    d = dirname(d)
  )
    missing.unshift(d);
  for (const d of missing) await mkdir(d);
  return missing[0];
}

/** makeFolders for code that must stay synchronous (opening the lab). */
export function makeFoldersSync(dir: string): string | undefined {
  const missing: string[] = [];
  for (let d = dir; !exists(d) && dirname(d) !== d; d = dirname(d)) missing.unshift(d);
  for (const d of missing) mkdirSync(d);
  return missing[0];
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
