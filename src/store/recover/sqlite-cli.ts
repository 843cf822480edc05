import { spawn, spawnSync } from 'node:child_process';

/** The sqlite3 command line tool, when set ($FIXRES_SQLITE3) or on PATH. */
const cli = () => process.env.FIXRES_SQLITE3 || 'sqlite3';

/**
 * Whether a sqlite3 command line tool with a working `.recover` is installed. `.recover` reads
 * pages directly (the sqlite_dbpage table), which many builds leave out — Debian 12's 3.40 among
 * them — so it is tried on an empty database rather than assumed from the version.
 */
export function sqliteRecoverAvailable(): boolean {
  const probe = spawnSync(cli(), [':memory:', '.recover'], { encoding: 'utf8', timeout: 10_000 });
  return probe.status === 0 && !probe.error && /\bBEGIN\b/.test(probe.stdout);
}

/**
 * SQLite's own recovery: `sqlite3 <source> .recover | sqlite3 <target>`. It rebuilds every table
 * it can find from the pages themselves, including rows of damaged b-trees, and puts rows it cannot
 * place in a `lost_and_found` table. Rejects with the tool's own words when either side fails.
 */
export function sqliteRecover(source: string, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const reader = spawn(cli(), ['-readonly', source, '.recover'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const writer = spawn(cli(), ['-bail', target], { stdio: ['pipe', 'ignore', 'pipe'] });
    const errors: string[] = [];
    reader.stderr.on('data', (d: Buffer) => errors.push(`reading: ${d.toString().trim()}`));
    writer.stderr.on('data', (d: Buffer) => errors.push(`writing: ${d.toString().trim()}`));
    reader.stdout.pipe(writer.stdin);
    let pending = 2;
    let failed = false;
    const done = (code: number | null, side: string) => {
      if (code !== 0) failed = true;
      if (code !== 0 && errors.length === 0) errors.push(`${side} exited with ${code}`);
      if (--pending > 0) return;
      if (failed) reject(new Error(`sqlite3 .recover failed (${errors.join('; ')})`));
      else resolve();
    };
    const fail = (err: Error) => {
      reader.kill();
      writer.kill();
      reject(err);
    };
    reader.on('error', fail);
    writer.on('error', fail);
    reader.on('close', (code) => done(code, 'sqlite3 .recover'));
    writer.on('close', (code) => done(code, 'sqlite3 (writing)'));
  });
}
