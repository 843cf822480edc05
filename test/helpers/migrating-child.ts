/**
 * One of two processes migrating the same database at once (test/store/migrate.test.ts).
 * Usage: node --import tsx migrating-child.ts <file> <slowMs>
 * Opens the file as the lab does, prints "ready", waits for "go" on stdin, then migrates with
 * every migration slowed by <slowMs> (so the two overlap) and prints the versions it applied as JSON.
 */
import Database from 'better-sqlite3';
import { migrate } from '../../src/store/migrate';
import { migrations } from '../../src/store/migrations/index';

const [file, slowMs] = process.argv.slice(2) as [string, string];
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
const pause = new Int32Array(new SharedArrayBuffer(4));
const slowed = migrations.map((m) => ({
  ...m,
  up(d: Database.Database) {
    Atomics.wait(pause, 0, 0, Number(slowMs));
    m.up(d);
  },
}));
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  try {
    const applied = migrate(db, slowed).map((r) => r.version);
    process.stdout.write(`${JSON.stringify({ applied })}\n`);
    process.exitCode = 0;
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ error: (err as Error).message })}\n`);
    process.exitCode = 1;
  } finally {
    db.close();
    process.stdin.destroy();
  }
});
