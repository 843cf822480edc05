import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from '../store/db';
import { fsErrorCode, fsReason, makeFoldersSync } from './fs-folders';

/**
 * Creates the lab's data folder if needed and opens its database. A folder the lab cannot write
 * to (read-only disk, another user's folder, a full disk) fails with one message that names the
 * folder, says why, and what to do, instead of SQLite's "unable to open database file" or Node's
 * ENOENT for a folder that could not be created on a read-only disk. Nothing is changed then.
 */
export function openDataFolder(dataDir: string, options: { nativeBinding?: string } = {}): Db {
  try {
    makeFoldersSync(dataDir);
  } catch (err) {
    throw dataFolderError(dataDir, fsReason(err));
  }
  try {
    return openDatabase(join(dataDir, 'lab.sqlite'), options).db;
  } catch (err) {
    const reason = unwritableReason(dataDir, err);
    if (reason === null) throw err;
    throw dataFolderError(dataDir, reason);
  }
}

/** Why SQLite could not open or write the database, when the folder or file is the cause; null for other errors. */
function unwritableReason(dataDir: string, err: unknown): string | null {
  const code = (err as { code?: unknown }).code;
  if (code !== 'SQLITE_CANTOPEN' && code !== 'SQLITE_READONLY' && code !== 'SQLITE_FULL' && fsErrorCode(err) === null)
    return null;
  for (const path of [dataDir, join(dataDir, 'lab.sqlite')]) {
    try {
      accessSync(path, constants.W_OK);
    } catch (accessErr) {
      if (fsErrorCode(accessErr) !== 'ENOENT') return fsReason(accessErr);
    }
  }
  if (code === 'SQLITE_FULL') return 'no space left on device';
  if (code === 'SQLITE_READONLY') return 'the database file is read-only';
  return (err as Error).message;
}

function dataFolderError(dataDir: string, reason: string): Error {
  const err = new Error(
    `Cannot open FixRes Lab's data folder ${dataDir}: ${reason}. The lab keeps its database, checkpoints and ` +
      'caches there and must be able to write to it; nothing was changed. Make the folder writable (or free space), ' +
      'or use another data folder: set FIXRES_HOME=/path/to/folder.',
  );
  err.name = 'DataFolderUnusable';
  return err;
}
