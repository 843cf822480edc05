import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createLab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine';
import { migrate } from '../../../src/store/migrate';
import { migrations } from '../../../src/store/migrations/index';
import { makeImageFolder, tempDir } from '../../helpers/fixtures';

const t = tempDir('fixres-faults-schema-');
afterAll(() => t.cleanup());
const latest = migrations.at(-1)!.version;

/** A data folder whose database was written by the app at schema `version`, with rows that version could hold. */
async function oldDataFolder(version: number): Promise<{ home: string; root: string }> {
  const home = join(t.dir, `v${version}`);
  const root = join(home, 'pets');
  mkdirSync(home, { recursive: true });
  await makeImageFolder(root, { cat: 3, dog: 3 });
  const db = new Database(join(home, 'lab.sqlite'));
  migrate(
    db,
    migrations.filter((m) => m.version <= version),
  );
  db.prepare(
    `INSERT INTO datasets (id, root, name, status, scanned_at) VALUES (1, ?, 'pets', 'ready', '2026-01-01T00:00:00Z')`,
  ).run(root);
  const insertImage = db.prepare(
    `INSERT INTO images (dataset_id, rel_path, class_name, split, bytes, mtime_ms) VALUES (1, ?, ?, 'train', 100, 1)`,
  );
  for (const cls of ['cat', 'dog']) for (let i = 0; i < 3; i++) insertImage.run(`${cls}/img-${i}.png`, cls);
  if (version >= 3) {
    db.prepare(
      `INSERT INTO runs (id, kind, name, dataset_id, status, config, epochs_done) VALUES (1, 'train', 'old run', 1, 'completed', ?, 1)`,
    ).run(JSON.stringify({ datasetId: 1, arch: 'resnet-mini', kTrain: 32, kTest: 32, epochs: 1 }));
    db.prepare(`INSERT INTO epochs (run_id, epoch, phase, loss, acc, lr) VALUES (1, 0, 'train', 1.5, 0.5, 0.1)`).run();
  }
  expect(db.pragma('user_version', { simple: true })).toBe(version);
  db.close();
  return { home, root };
}

describe('databases from other versions of the app', () => {
  for (const version of migrations.map((m) => m.version).filter((v) => v < latest)) {
    it(`migrates a schema ${version} database forward, keeping its datasets and runs, and works on it`, async () => {
      const { home } = await oldDataFolder(version);
      const lab = createLab({ dataDir: home, spawnEngine: spawnNodeEngine, transport: 'web', version: 'faults' });
      try {
        expect(lab.db.pragma('user_version', { simple: true })).toBe(latest);
        expect(lab.db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(lab.db.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(lab.datasets.list()).toMatchObject([{ id: 1, name: 'pets', status: 'ready', imageCount: 6 }]);
        if (version >= 3)
          expect(lab.runs.get(1)).toMatchObject({ name: 'old run', status: 'completed', epochs: [{ epoch: 0, loss: 1.5 }] });
        const rescanned = await lab.datasets.rescan(1).scanned;
        expect(rescanned).toMatchObject({ status: 'ready', imageCount: 6, problems: { unreadable: 0 } });
        expect(lab.datasetImages.inspection(1).sizes.length).toBeGreaterThan(0);
      } finally {
        lab.close();
      }
    });
  }

  it('refuses a database from a newer version with a clear message and leaves the file byte for byte as it was', async () => {
    const { home } = await oldDataFolder(latest);
    const file = join(home, 'lab.sqlite');
    const future = new Database(file);
    future.pragma(`user_version = ${latest + 1}`);
    future.exec('CREATE TABLE from_the_future (x)');
    future.close();
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(() => createLab({ dataDir: home, spawnEngine: spawnNodeEngine, transport: 'web', version: 'faults' })).toThrow(
      new RegExp(`written by a newer FixRes Lab \\(schema ${latest + 1}; this version knows up to ${latest}\\)`),
    );
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before);
  });
});
