import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFinetune } from '../../../src/lab/runs/finetune-config';
import { FinetuneRequest } from '../../../src/shared/api/finetune';
import { SweepRequest } from '../../../src/shared/api/sweeps';
import { setEnv, startTrainingLab, type TrainingLab } from '../helpers/training-lab';

/**
 * Forward-only work (sweeps, activation statistics, predictions, a head-only fine-tune's frozen
 * trunk) runs on ONNX Runtime on a CPU, which has no 4 GB heap to trap on but the machine's finite
 * memory. FIXRES_MEMORY_GB=0.1 stands for a small machine: the shapes below need ~0.3–0.5 GB (ONNX
 * Runtime really takes about half that), so without the estimate they simply ran.
 */
let t: TrainingLab;
let undoEnv: () => void;
let runId: number;
beforeAll(async () => {
  undoEnv = setEnv({ FIXRES_MEMORY_GB: '0.1', FIXRES_FORWARD: undefined, FIXRES_MEMORY_CHECK: undefined });
  t = await startTrainingLab({ perClass: 20 });
  const run = await t.trainToEnd({ width: 1, epochs: 1 });
  expect(run.status).toBe('completed');
  runId = run.id;
});
afterAll(() => {
  t?.close();
  undoEnv?.();
});

const tooLarge =
  /^K (\d+) × batch (\d+) needs ~\d+\.\d GB; ONNX Runtime has 0\.1 GB \(FIXRES_MEMORY_GB\): lower the batch to ≤ (\d+)$/;

describe('forward passes on ONNX Runtime are refused when they would not fit in memory', () => {
  it('fails a sweep whose largest K × batch would not fit, saying how much it needs and which batch fits; a smaller sweep of the same run works', async () => {
    const huge = await t.lab.sweeps.settled(
      t.lab.sweeps.start(SweepRequest.parse({ runId, kTests: [16, 256], batchSize: 16 })).id,
    );
    expect(huge.status).toBe('failed');
    const [, k, batch, fits] = tooLarge.exec(huge.error ?? '') ?? [];
    expect(huge.error).toMatch(tooLarge);
    expect([Number(k), Number(batch)]).toEqual([256, 16]);
    expect(Number(fits)).toBeGreaterThanOrEqual(1);
    expect(huge.done).toBe(0); // refused before the first K ran, not after minutes of work

    const small = await t.lab.sweeps.settled(t.lab.sweeps.start(SweepRequest.parse({ runId, kTests: [8, 12] })).id);
    expect(small).toMatchObject({ status: 'completed', done: 2, error: null });
  });

  it('fails a head-only fine-tune whose frozen trunk on ONNX Runtime would not fit, in the same words', async () => {
    const child = startFinetune(
      t.lab.runs,
      FinetuneRequest.parse({ parentRunId: runId, kTest: 128, epochs: 1, mode: 'classifier', batchSize: 32 }),
    );
    await t.lab.jobs.idle();
    const done = t.lab.runs.get(child.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(tooLarge);
    expect(done.error).toMatch(/^K 128 × batch 32 /);
  });
});
