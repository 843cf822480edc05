import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePatternFolder } from '../../helpers/pattern-images';
import { startTrainingLab, type TrainingLab } from '../helpers/training-lab';

/**
 * Issue 15, item 4: "Delete run #10, start another: it becomes #10, and a workflow's 'fine-tuned
 * run #10' now opens the wrong run. Datasets likewise."
 */
let t: TrainingLab;
beforeAll(async () => {
  t = await startTrainingLab();
});
afterAll(() => t.close());

describe('ids are never reused', () => {
  it('gives a new run a new id after the newest run was deleted, and a reference to the deleted one says it was deleted', async () => {
    const { lab } = t;
    await t.trainToEnd({ epochs: 1 });
    const newest = await t.trainToEnd({ epochs: 1 });
    expect(await lab.runs.delete(newest.id)).toEqual({ deleted: true });
    const next = lab.runs.start(t.tiny({ epochs: 1 }));
    await lab.jobs.idle();
    expect(next.id).toBe(newest.id + 1);
    expect(() => lab.runs.get(newest.id)).toThrow(`Run #${newest.id} was deleted`);
    expect(() => lab.sweeps.plan(newest.id)).toThrow(`Run #${newest.id} was deleted`);
    expect(() => lab.runs.get(next.id + 1)).toThrow(`No run with id ${next.id + 1}`);
  });

  it('says a stopped fine-tune’s parent was deleted when it is resumed, instead of training something else', async () => {
    const { lab } = t;
    const parent = await t.trainToEnd({ epochs: 1 });
    const finetune = lab.runs.start(t.tiny({ parentRunId: parent.id, epochs: 3 }));
    lab.runs.cancel(finetune.id);
    await lab.jobs.idle();
    expect(lab.runs.get(finetune.id).status).toBe('cancelled');
    await lab.runs.delete(parent.id);
    lab.runs.resume(finetune.id);
    await lab.jobs.idle();
    expect(lab.runs.get(finetune.id)).toMatchObject({
      status: 'failed',
      error: `The parent run #${parent.id} of this fine-tune was deleted`,
    });
  });

  it('gives a dataset opened after the newest one was forgotten a new id; the forgotten one is named as deleted', async () => {
    const { lab } = t;
    const root = join(t.dir, 'more-patterns');
    await writePatternFolder(root, { perClass: 2, size: 12 });
    const opened = await (await lab.datasets.open(root)).scanned;
    expect(await lab.datasets.remove(opened.id)).toBe(true);
    const again = await (await lab.datasets.open(root)).scanned;
    expect(again.id).toBe(opened.id + 1);
    expect(() => lab.datasets.get(opened.id)).toThrow(`Dataset #${opened.id} was deleted`);
  });
});
