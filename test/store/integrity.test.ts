import { createHash } from 'node:crypto';
import { openSync, readFileSync, writeFileSync, writeSync, closeSync, truncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db';
import { upsertDataset } from '../../src/store/datasets';
import { tempDir } from '../helpers/fixtures';

const t = tempDir('fixres-integrity-');
afterAll(() => t.cleanup());
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A lab database with a few hundred rows, checkpointed into the main file and closed. */
function labFile(name: string): string {
  const file = join(t.dir, name);
  const { db } = openDatabase(file);
  for (let i = 0; i < 300; i++) upsertDataset(db, `/data/set-${i}-${'x'.repeat(200)}`, `set ${i}`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return file;
}

const DAMAGED =
  /The database .*lab-\w+\.sqlite is damaged \(SQLite found: .+\)\. Nothing was changed\. To go on: restore it from a backup; or run "fixres db recover"/;

describe('a damaged database', () => {
  it('is refused with the file, what SQLite found, that nothing changed and what to do, and is left byte for byte', () => {
    const file = labFile('lab-page.sqlite');
    const page = 4096;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(page, 0x41), 0, page, page * 4);
    closeSync(fd);
    const before = sha(file);
    expect(() => openDatabase(file)).toThrow(DAMAGED);
    expect(sha(file)).toBe(before);
  });

  it('is refused when it was cut short', () => {
    const file = labFile('lab-short.sqlite');
    truncateSync(file, Math.floor(statSync(file).size / 2));
    expect(() => openDatabase(file)).toThrow(DAMAGED);
  });

  it('is refused when it is not a database at all', () => {
    const file = join(t.dir, 'lab-text.sqlite');
    writeFileSync(file, 'not a database '.repeat(500));
    const before = sha(file);
    expect(() => openDatabase(file)).toThrow(/lab-text\.sqlite is damaged \(SQLite found: file is not a database\)/);
    expect(sha(file)).toBe(before);
  });

  it('names a refused database by its error name, so adapters can tell it from other failures', () => {
    const file = join(t.dir, 'lab-named.sqlite');
    writeFileSync(file, 'x'.repeat(5000));
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ name: 'DatabaseDamaged' }));
  });
});
