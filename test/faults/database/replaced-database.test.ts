import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTrainingLab, type TrainingLab } from '../helpers/training-lab';

/**
 * Issue 15, item 5: "A 0-byte or replaced lab.sqlite is silently a new lab, whose run #1 then
 * overwrites the old runs/1 checkpoint folder."
 */
let t: TrainingLab;
beforeAll(async () => {
  t = await startTrainingLab();
});
afterAll(() => t.close());

/** Every file under `dir` with its content hash. */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('a data folder whose database was emptied or replaced', () => {
  it('keeps the old run folders as they were, reports them, and gives the new database’s runs folders of their own', async () => {
    const old = await t.trainToEnd({ epochs: 1 });
    expect(old.id).toBe(1);
    const oldFolder = join(t.home, 'runs', '1');
    const before = contents(oldFolder);
    expect(Object.keys(before).some((f) => f.startsWith('ckpt-'))).toBe(true);

    t.lab.close();
    truncateSync(join(t.home, 'lab.sqlite'), 0);
    const lab = t.reopen();
    expect(lab.notices).toEqual([
      `Found 1 run folder from another database: kept in ${join(t.home, 'runs')} (1). ` +
        'This database never writes into them; its runs get folders of their own.',
    ]);
    const datasetId = (await (await lab.datasets.open(join(t.dir, 'patterns'))).scanned).id;
    const run = lab.runs.start({ ...t.tiny({ epochs: 1 }), datasetId });
    await lab.jobs.idle();
    expect(lab.runs.get(run.id)).toMatchObject({ id: 1, status: 'completed' });
    expect(lab.runs.get(run.id).checkpointDir).not.toBe(oldFolder);
    expect(contents(oldFolder)).toEqual(before);
  });
});
