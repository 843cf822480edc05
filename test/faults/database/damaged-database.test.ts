import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine';
import type { RunDetail } from '../../../src/shared/api/runs';
import { runFixres } from '../../helpers/cli';
import { startTrainingLab, type TrainingLab } from '../helpers/training-lab';

/**
 * Issue 15, item 7: "Corrupt database: check integrity at start (quick_check); say which file is
 * damaged, that nothing was changed, and what to do (restore, or move it aside to start fresh, or
 * `fixres db recover`). Never run half-working (today datasets fail while runs work)."
 */
let t: TrainingLab;
let trained: RunDetail;
let file: string;
let lostImages: number;
beforeAll(async () => {
  t = await startTrainingLab();
  trained = await t.trainToEnd({ epochs: 2 });
  t.lab.close();
  file = join(t.home, 'lab.sqlite');
  lostImages = damageImagesPage(file);
});
afterAll(() => t.close());

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const open = () => createLab({ dataDir: t.home, spawnEngine: spawnNodeEngine, transport: 'web', version: 'faults' });

/** Overwrites the first page holding image rows (the runs' pages stay readable); returns how many rows it held. */
function damageImagesPage(f: string): number {
  const db = new Database(f, { readonly: true });
  const page = db
    .prepare(`SELECT pageno, ncell FROM dbstat WHERE name = 'images' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1`)
    .get() as {
    pageno: number;
    ncell: number;
  };
  db.close();
  const fd = openSync(f, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0x41), 0, 4096, 4096 * (page.pageno - 1));
  closeSync(fd);
  return page.ncell;
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a damaged database', () => {
  it('is refused at start — by the lab and the CLI — saying which file, that nothing changed and what to do; the file stays as it was', async () => {
    const before = sha(file);
    expect(() => open()).toThrow(
      new RegExp(
        `^The database ${escaped(file)} is damaged \\(SQLite found: .+\\)\\. Nothing was changed\\. To go on: restore it from a backup; ` +
          'or run "fixres db recover" to copy what can still be read into a new database \\(the damaged file is kept beside it\\); ' +
          'or move it aside to start with an empty lab\\.$',
      ),
    );
    const cli = await runFixres(['runs', 'list'], t.home);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/error: The database .*lab\.sqlite is damaged .* or move it aside to start with an empty lab\./);
    expect(sha(file)).toBe(before);
  });

  it('is recovered by `fixres db recover`: the runs are back, the lost images are named and come back with a rescan', async () => {
    const cli = await runFixres(['db', 'recover', '--json'], t.home);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const report = JSON.parse(cli.stdout) as {
      method: string;
      damagedKeptAs: string;
      tables: { table: string; rows: number; damagedPlaces: number | null }[];
    };
    expect(existsSync(report.damagedKeptAs)).toBe(true);
    expect(report.tables.find((r) => r.table === 'runs')).toMatchObject({ rows: 1 });
    if (report.method === 'row by row')
      expect(report.tables.find((r) => r.table === 'images')).toEqual({
        table: 'images',
        rows: 40 - lostImages,
        damagedPlaces: 1,
      });

    const lab = open();
    try {
      expect(lab.runs.get(trained.id)).toMatchObject({
        status: 'completed',
        epochs: trained.epochs,
        checkpoint: trained.checkpoint,
      });
      const dataset = lab.datasets.get(t.datasetId);
      expect(dataset.imageCount).toBe(40 - lostImages);
      const rescanned = await lab.datasets.rescan(t.datasetId).scanned;
      expect(rescanned.imageCount).toBe(40);
    } finally {
      lab.close();
    }
  });
});
