import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { userError } from '../shared/errors';
import { isDamagedFile } from '../store/integrity';
import { recoverDatabase, type RecoveryReport } from '../store/recover/index';
import { registerLabPresence } from './lab-presence';

/** A recovered data folder: the report, and where the new and the damaged database are. */
export interface LabRecovery extends RecoveryReport {
  database: string;
  damagedKeptAs: string;
}

const SIDE_FILES = ['-wal', '-shm'];

/**
 * `fixres db recover`: copies what can be read of a damaged `lab.sqlite` into a new database,
 * moves the damaged file (with its WAL) aside as `lab.sqlite.damaged-<time>`, and puts the new
 * one in its place. Refused while another FixRes Lab process has the folder open, and for a
 * database that is not damaged (unless `force`).
 */
export async function recoverLabDatabase(
  dataDir: string,
  options: { force?: boolean; rowByRow?: boolean } = {},
): Promise<LabRecovery> {
  const file = join(dataDir, 'lab.sqlite');
  if (!existsSync(file)) throw userError(`There is no database at ${file}: nothing to recover.`);
  const presence = registerLabPresence(dataDir);
  try {
    if (presence.othersOpen) {
      throw userError(
        `Another FixRes Lab process has ${dataDir} open (the app, fixres serve, or a fixres command): close it first, so nothing writes to the database while it is recovered.`,
      );
    }
    if (!options.force && !isDamagedFile(file)) {
      throw userError(
        `${file} is not damaged (SQLite's quick_check finds nothing wrong): nothing to recover. Use --force to rebuild it anyway.`,
      );
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const recovered = join(dataDir, `lab.recovered-${stamp}.sqlite`);
    let report: RecoveryReport;
    try {
      report = await recoverDatabase(file, recovered, { rowByRow: options.rowByRow });
    } catch (err) {
      for (const suffix of ['', ...SIDE_FILES]) rmSync(`${recovered}${suffix}`, { force: true });
      throw err;
    }
    const damagedKeptAs = `${file}.damaged-${stamp}`;
    for (const suffix of ['', ...SIDE_FILES])
      if (existsSync(`${file}${suffix}`)) renameSync(`${file}${suffix}`, `${damagedKeptAs}${suffix}`);
    renameSync(recovered, file);
    return { ...report, database: file, damagedKeptAs };
  } finally {
    presence.release();
  }
}
