import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpointModel } from '../../../src/engine/checkpoint/checkpoint-model';
import { runTraining } from '../../../src/engine/train/run-training';
import type { TrainProgress } from '../../../src/shared/jobs/train';
import { tempDir } from '../../helpers/fixtures';
import { saveSweepCheckpoint } from '../../helpers/sweep-checkpoint';
import { liveTensors, useTestBackend } from '../../helpers/tf-backend';
import { openSynthetic, syntheticSpec, tinyTrainInput } from '../../helpers/train-input';

const t = tempDir();
const parent = join(t.dir, 'parent');
beforeAll(async () => {
  await useTestBackend();
  await saveSweepCheckpoint(parent);
});
afterAll(() => t.cleanup());
afterEach(() => {
  delete process.env.FIXRES_FORWARD;
});

/** Losses and weights of the split fine-tune agree with the all-tfjs one to this relative error (float32 forward noise, 2 epochs of SGD). */
const TOLERANCE = 1e-4;

async function fineTune(mode: 'classifier' | 'last-bn+classifier', engine: 'tfjs' | 'onnxruntime') {
  process.env.FIXRES_FORWARD = engine;
  const dir = join(t.dir, `${mode}-${engine}`);
  const progress: TrainProgress[] = [];
  const input = tinyTrainInput(dir, {
    model: { arch: 'resnet-mini', width: 0.25 },
    init: { kind: 'checkpoint', dir: parent },
    trainable: mode,
    train: syntheticSpec(24, 10, 1),
    val: syntheticSpec(16, 12, 2),
    epochs: 2,
  });
  const result = await runTraining(input, {
    signal: new AbortController().signal,
    progress: (p) => progress.push(p),
    openSource: openSynthetic,
  });
  const model = await loadCheckpointModel(dir, 4);
  const weights = Object.fromEntries(model.weights.map((w) => [w.originalName, w.read().dataSync().slice() as Float32Array]));
  model.dispose();
  const epochs = progress.filter((p) => p.type === 'epoch').map((p) => (p as Extract<TrainProgress, { type: 'epoch' }>).summary);
  const start = progress.find((p) => p.type === 'start') as Extract<TrainProgress, { type: 'start' }>;
  return { result, epochs, weights, start };
}

function maxRelative(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  const scale = Math.max(1e-3, ...Array.from(b, Math.abs));
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / scale);
  return worst;
}

describe('head-only fine-tunes with the frozen trunk on ONNX Runtime', () => {
  it.each(['last-bn+classifier', 'classifier'] as const)(
    '%s: same losses, validation and weights as the all-tfjs fine-tune',
    async (mode) => {
      const before = liveTensors();
      const plain = await fineTune(mode, 'tfjs');
      const split = await fineTune(mode, 'onnxruntime');
      expect(liveTensors()).toBe(before);
      expect(plain.start.forward).toBeUndefined();
      expect(split.start.forward).toMatchObject({ engine: 'onnxruntime', detail: expect.stringContaining('frozen trunk') });
      expect(split.epochs).toHaveLength(2);
      split.epochs.forEach((e, i) => {
        const ref = plain.epochs[i]!;
        expect(Math.abs(e.train.loss - ref.train.loss) / ref.train.loss).toBeLessThan(TOLERANCE);
        expect(e.train.acc).toBe(ref.train.acc);
        expect(e.val!.acc).toBe(ref.val!.acc);
        expect(Math.abs(e.val!.loss - ref.val!.loss) / ref.val!.loss).toBeLessThan(TOLERANCE);
      });
      let changed = 0;
      for (const [name, ref] of Object.entries(plain.weights)) {
        expect(maxRelative(split.weights[name]!, ref), name).toBeLessThan(TOLERANCE);
        if (maxRelative(ref, (await parentWeights())[name]!) > 1e-3) changed++;
      }
      // The fine-tune did change something (classifier, and for last-bn the BN), so equality is not vacuous.
      expect(changed).toBeGreaterThanOrEqual(mode === 'classifier' ? 2 : 4);
    },
  );
});

let parentCache: Record<string, Float32Array> | null = null;
async function parentWeights(): Promise<Record<string, Float32Array>> {
  if (!parentCache) {
    const model = await loadCheckpointModel(parent, 4);
    parentCache = Object.fromEntries(model.weights.map((w) => [w.originalName, w.read().dataSync().slice() as Float32Array]));
    model.dispose();
  }
  return parentCache;
}
