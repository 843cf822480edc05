import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../../src/lab/handlers/index';
import { createLab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine';
import { migrations } from '../../../src/store/migrations/index';
import { makeImageFolder, tempDir } from '../../helpers/fixtures';
import { SCHEMA, writeOldDatabase } from '../../helpers/old-databases';

const t = tempDir('fixres-faults-schema-');
afterAll(() => t.cleanup());
const latest = migrations.at(-1)!.version;

/** A data folder whose database was written by the app at schema `version`, with rows in the shapes that version stored. */
async function oldDataFolder(version: number): Promise<{ home: string; root: string }> {
  const home = join(t.dir, `v${version}`);
  const root = join(home, 'pets');
  mkdirSync(home, { recursive: true });
  await makeImageFolder(root, { cat: 3, dog: 3 });
  writeOldDatabase(join(home, 'lab.sqlite'), version, root);
  return { home, root };
}

describe('databases from other versions of the app', () => {
  for (const version of migrations.map((m) => m.version).filter((v) => v < latest)) {
    it(`migrates a schema ${version} database forward, keeping its datasets and runs, and works on it`, async () => {
      const { home } = await oldDataFolder(version);
      const lab = createLab({ dataDir: home, spawnEngine: spawnNodeEngine, transport: 'web', version: 'faults' });
      const handlers = createHandlers(lab);
      try {
        expect(lab.db.pragma('user_version', { simple: true })).toBe(latest);
        expect(lab.db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(lab.db.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(lab.datasets.list()).toMatchObject([{ id: 1, name: 'pets', status: 'ready', imageCount: 6 }]);
        if (version >= SCHEMA.runs) {
          expect(lab.runs.list().map((r) => r.id)).toEqual(version >= SCHEMA.workflows ? [5, 3, 1] : [3, 1]);
          expect(lab.runs.get(1)).toMatchObject({
            name: 'old run',
            status: 'completed',
            epochs: [
              { epoch: 0, loss: 1.5 },
              { epoch: 0, loss: 1.4 },
            ],
          });
          // Upgraded, not guessed at by each reader: schema 3 runs held out valFraction and normalised as ImageNet.
          expect(lab.runs.get(3).config).toMatchObject({
            parentRunId: 1,
            decodeCache: version >= SCHEMA.workflows,
            normalize: version >= SCHEMA.analysis ? 'dataset' : 'imagenet',
          });
          expect(await handlers['sweeps.resolution']({ runId: 1 })).toMatchObject({ kTrain: 24 });
        }
        if (version >= SCHEMA.analysis) {
          const view = await handlers['sweeps.activations']({ runId: 1, bins: 20 });
          expect(view.series.map((s) => s.kTest)).toEqual([24]);
        }
        if (version >= SCHEMA.workflows) {
          const workflow = lab.workflows.get(2);
          expect(workflow.summary).toMatchObject({ trainRunId: 1, finetuneRunId: 7 });
          expect(workflow.steps.find((s) => s.step === 'analyze')!.output).toMatchObject({ kTestStar: 28, kTestStarExact: null });
          expect(lab.sweeps.get(1)).toMatchObject({ settings: { kTests: [16, 24, 28] }, points: [{ kTest: 24 }, { kTest: 28 }] });
          // The fine-tuned run the workflow names was deleted: its id is not given out again.
          expect(() => lab.runs.get(7)).toThrow('Run #7 was deleted');
        }
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
