import { realpath } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';
import { userError } from '../../shared/errors';

/**
 * Resolves `relPath` under `root` and refuses anything whose real path (links followed) leaves
 * the root: `..` segments, absolute paths, NUL bytes and symlinks pointing elsewhere.
 */
export async function resolveInsideRoot(root: string, relPath: string, realRoot?: string): Promise<string> {
  if (relPath.includes('\0') || isAbsolute(relPath) || relPath.split(/[\\/]/).includes('..')) {
    throw userError(`Refused path outside the dataset: ${relPath}`, 'relPath');
  }
  const rootReal = realRoot ?? (await realpath(root));
  const real = await realpath(join(root, relPath)).catch((err: NodeJS.ErrnoException) => {
    throw userError(`Cannot open ${relPath}: ${describeFsError(err)}`, 'relPath');
  });
  if (real !== rootReal && !real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep)) {
    throw userError(`Refused ${relPath}: it links outside the dataset folder`, 'relPath');
  }
  return real;
}

/** A short human reason for a filesystem error code. */
export function describeFsError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'file not found (moved or deleted?)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'EISDIR':
      return 'is a folder';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EFBIG':
    case 'ERR_FS_FILE_TOO_LARGE':
      return 'file too large';
    default:
      return err.code ?? err.message;
  }
}
