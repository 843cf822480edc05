import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runSpeedProbe } from '../../../src/engine/fixres/speed-probe';
import type { SpeedProbeInput } from '../../../src/shared/jobs/sweep';
import { liveTensors, useTestBackend } from '../../helpers/tf-backend';
import { openSynthetic, syntheticSpec } from '../../helpers/train-input';

beforeAll(useTestBackend);
afterEach(() => {
  delete process.env.FIXRES_FORWARD;
});

const alsoTime = (finetuneMode: 'last-bn+classifier' | 'classifier'): SpeedProbeInput['alsoTime'] => ({
  finetuneMode,
  val: syntheticSpec(20, 12, 2),
  batchSize: 8,
  activations: { reservoir: 500, seed: 0, xi: 0.3, freeXi: false },
});

const input = (also?: SpeedProbeInput['alsoTime']): SpeedProbeInput => ({
  model: { arch: 'resnet-mini', width: 0.25 },
  train: syntheticSpec(24, 12, 1),
  batchSize: 8,
  steps: 2,
  ...(also ? { alsoTime: also } : {}),
});

async function probe(i: SpeedProbeInput) {
  const progress: { done: number; total: number }[] = [];
  const result = await runSpeedProbe(i, {
    signal: new AbortController().signal,
    progress: (p) => progress.push(p),
    openSource: openSynthetic,
  });
  return { result, progress };
}

const positive = expect.any(Number) as unknown as number;

describe('the speed probe', () => {
  it('times training steps from the pipeline and from memory, and only those unless asked', async () => {
    const before = liveTensors();
    const { result, progress } = await probe(input());
    expect(liveTensors()).toBe(before);
    expect(result).toMatchObject({ k: 12, imgPerSec: positive, pipelineImgPerSec: positive, setupSeconds: positive });
    for (const x of [result.imgPerSec, result.pipelineImgPerSec]) expect(x).toBeGreaterThan(0);
    expect(result.also).toBeUndefined();
    // One warm-up and two timed steps from the pipeline, then at least the two batches again from memory.
    expect(progress.at(-1)!.done).toBeGreaterThanOrEqual(5);
  });

  it.each(['onnxruntime', 'tfjs'] as const)(
    'also times a sweep’s pass and a head-only fine-tune’s step on %s, leaving no tensor behind',
    async (engine) => {
      process.env.FIXRES_FORWARD = engine;
      const before = liveTensors();
      const { result } = await probe(input(alsoTime('last-bn+classifier')));
      expect(liveTensors()).toBe(before);
      const { sweep, finetune } = result.also!;
      // On ONNX Runtime the fine-tune splits off its frozen trunk; on tfjs it steps the whole model.
      expect(sweep.engine).toBe(engine === 'onnxruntime' ? 'onnxruntime' : result.backend);
      expect(finetune.engine).toBe(sweep.engine);
      for (const pass of [sweep, finetune]) {
        expect(Number.isFinite(pass.imgPerSec)).toBe(true);
        expect(pass.imgPerSec).toBeGreaterThan(0);
        expect(pass.setupSeconds).toBeGreaterThanOrEqual(0);
      }
      expect(sweep.decodeSeconds).toBeGreaterThanOrEqual(0);
      expect(sweep.pointSeconds).toBeGreaterThan(0);
    },
  );

  it('stops when cancelled and leaves no tensor behind', async () => {
    const controller = new AbortController();
    const before = liveTensors();
    const running = runSpeedProbe(input(alsoTime('classifier')), {
      signal: controller.signal,
      progress: (p) => {
        if (p.done >= 4) controller.abort();
      },
      openSource: openSynthetic,
    });
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(liveTensors()).toBe(before);
  });
});
