import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFinetune } from '../../../src/lab/runs/finetune-config';
import { FinetuneRequest } from '../../../src/shared/api/finetune';
import { SweepRequest } from '../../../src/shared/api/sweeps';
import { writePng } from '../../helpers/fixtures';
import { startTrainingLab, type TrainingLab } from '../helpers/training-lab';
import { PATTERN_CLASSES } from '../../helpers/pattern-images';

let t: TrainingLab;
beforeAll(async () => {
  t = await startTrainingLab();
});
afterAll(() => t.close());

const patterns = () => join(t.dir, 'patterns');
const sweep = (runId: number) => t.lab.sweeps.start(SweepRequest.parse({ runId, kTests: [8, 12] }));
const finetune = (runId: number) =>
  startFinetune(t.lab.runs, FinetuneRequest.parse({ parentRunId: runId, kTest: 12, epochs: 1 }));
/** The id the patterns folder has now: each time it is opened again after Forget, it gets a new one. */
const patternsId = () => t.lab.datasets.list().find((d) => d.root === patterns())!.id;
/** Forgets the patterns dataset; returns its id. */
async function forget(): Promise<number> {
  const id = patternsId();
  expect(await t.lab.datasets.remove(id)).toBe(true);
  return id;
}

describe('a dataset is forgotten while runs were trained on it', () => {
  it('reattaches the runs when the same folder is opened again, with the split it had: sweeps and fine-tunes work again', async () => {
    const { lab } = t;
    lab.datasets.setSplit(t.datasetId, 0.3, 7);
    const run = await t.trainToEnd({ epochs: 1 });
    expect(run.status).toBe('completed');
    await forget();
    expect(lab.runs.get(run.id).datasetId).toBeNull();
    const gone = new RegExp(
      `The dataset of run #${run.id} \\("patterns"\\) was forgotten\\. Open ${patterns()} again with its images unchanged`,
    );
    expect(() => sweep(run.id)).toThrow(gone);
    expect(() => finetune(run.id)).toThrow(gone);

    const reopened = await (await lab.datasets.open(patterns())).scanned;
    expect(reopened).toMatchObject({ status: 'ready', split: { source: 'seeded', valFraction: 0.3, seed: 7 } });
    expect(lab.runs.get(run.id).datasetId).toBe(reopened.id);
    expect(await lab.sweeps.settled(sweep(run.id).id)).toMatchObject({ status: 'completed', done: 2 });
    const child = finetune(run.id);
    await lab.jobs.idle();
    expect(lab.runs.get(child.id)).toMatchObject({ status: 'completed', datasetId: reopened.id });
  });

  it('leaves them detached while the folder’s images differ, and reattaches them once they are the same again', async () => {
    const { lab } = t;
    const run = await t.trainToEnd({ epochs: 1, datasetId: patternsId() });
    await forget();
    const changed = join(patterns(), PATTERN_CLASSES[0]!, '0.png');
    const original = readFileSync(changed);
    await writePng(changed, 12, 12, [1, 2, 3]);
    const reopened = await (await lab.datasets.open(patterns())).scanned;
    expect(reopened.status).toBe('ready');
    expect(lab.runs.get(run.id).datasetId).toBeNull();
    expect(() => sweep(run.id)).toThrow(/was forgotten\. Open .* again with its images unchanged/);

    writeFileSync(changed, original);
    await lab.datasets.rescan(reopened.id).scanned;
    expect(lab.runs.get(run.id).datasetId).toBe(reopened.id);
    expect(await lab.sweeps.settled(sweep(run.id).id)).toMatchObject({ status: 'completed' });
  });
});
