import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../../../src/engine/backend/select-backend';
import { runSweep } from '../../../src/engine/fixres/sweep-job';
import { runTraining } from '../../../src/engine/train/run-training';
import { deviceLabel, type BackendName } from '../../../src/shared/backends';
import type { EpochSummary, TrainInput } from '../../../src/shared/jobs/train';
import type { SweepResult } from '../../../src/shared/jobs/sweep';
import { tempDir } from '../../helpers/fixtures';
import { liveTensors } from '../../helpers/tf-backend';
import { openSynthetic, syntheticSpec, tinyTrainInput } from '../../helpers/train-input';
import { webgpuForTests } from '../../helpers/webgpu';

const webgpu = await webgpuForTests();
if (webgpu.skip) console.warn(`training, sweep and fine-tune on webgpu skipped: ${webgpu.skip}`);
const t = tempDir();
afterAll(() => t.cleanup());

/**
 * Agreement with wasm: both compute in float32, but reductions and convolutions sum in different
 * orders, so weights drift apart by rounding over the steps. Losses agree to 1e-3 relative and
 * accuracies to one image in each set (16 validation images: 1/16).
 */
const LOSS_TOLERANCE = 1e-3;
const ONE_IMAGE = 1 / 16 + 1e-9;

interface Outcome {
  train: EpochSummary[];
  sweep: SweepResult;
  finetune: EpochSummary[];
  leaked: number;
}

const signal = new AbortController().signal;

async function train(input: TrainInput): Promise<EpochSummary[]> {
  const epochs: EpochSummary[] = [];
  const result = await runTraining(input, {
    signal,
    openSource: openSynthetic,
    progress: (p) => p.type === 'epoch' && epochs.push(p.summary),
  });
  expect(result.status).toBe('completed');
  expect(result.backend.split(' · ')[0]).toBe(input.backend);
  return epochs;
}

/**
 * Trains resnet-mini from scratch, sweeps K_test over its checkpoint, fine-tunes BN + classifier at
 * K 12, all on `backend`: runs name it, the sweep gets it from FIXRES_BACKEND (as a user forces it).
 * FIXRES_FORWARD=tfjs keeps the forward passes on `backend` (else ONNX Runtime takes them over a
 * CPU rung or a software adapter, and the sweep would not test webgpu at all).
 */
async function runTrainSweepFinetune(backend: BackendName): Promise<Outcome> {
  process.env.FIXRES_BACKEND = backend;
  process.env.FIXRES_FORWARD = 'tfjs';
  try {
    return await trainSweepFinetune(backend);
  } finally {
    delete process.env.FIXRES_BACKEND;
    delete process.env.FIXRES_FORWARD;
  }
}

async function trainSweepFinetune(backend: BackendName): Promise<Outcome> {
  await ensureBackend(backend);
  const before = liveTensors();
  const dir = join(t.dir, backend);
  const trained = await train(tinyTrainInput(join(dir, 'train'), { backend, epochs: 2 }));
  const sweep = await runSweep(
    {
      model: { kind: 'checkpoint', dir: join(dir, 'train') },
      val: syntheticSpec(16, 8, 2),
      kTests: [8, 12],
      batchSize: 8,
      activations: { reservoir: 1000, seed: 0, xi: 0.3, freeXi: false },
      adapt: null,
      featureBudgetMb: 64,
    },
    { signal, progress: () => {}, openSource: openSynthetic },
  );
  const finetune = await train(
    tinyTrainInput(join(dir, 'finetune'), {
      backend,
      init: { kind: 'checkpoint', dir: join(dir, 'train') },
      trainable: 'bn+classifier',
      train: syntheticSpec(16, 12, 1),
      val: syntheticSpec(16, 12, 2),
      epochs: 1,
      optimizer: { lr: 0.01, momentum: 0.9, nesterov: false, weightDecay: 1e-4, labelSmoothing: 0 },
      schedule: { kind: 'constant', warmupEpochs: 0 },
    }),
  );
  return { train: trained, sweep, finetune, leaked: liveTensors() - before };
}

function expectSameEpochs(gpu: EpochSummary[], cpu: EpochSummary[]): void {
  expect(gpu).toHaveLength(cpu.length);
  gpu.forEach((e, i) => {
    const ref = cpu[i]!;
    expect(Math.abs(e.train.loss - ref.train.loss) / ref.train.loss, `epoch ${i} train loss`).toBeLessThan(LOSS_TOLERANCE);
    expect(Math.abs(e.val!.loss - ref.val!.loss) / ref.val!.loss, `epoch ${i} val loss`).toBeLessThan(LOSS_TOLERANCE);
    expect(Math.abs(e.val!.acc - ref.val!.acc), `epoch ${i} val accuracy`).toBeLessThanOrEqual(ONE_IMAGE);
  });
}

describe.skipIf(webgpu.skip !== null)(
  `a run, a sweep and a fine-tune on webgpu (${webgpu.device ? deviceLabel(webgpu.device) : 'no adapter'})`,
  () => {
    // SwiftShader compiles every shader on the CPU (a few hundred for one shape): minutes on a loaded machine.
    it('give wasm’s losses to 1e-3 and its accuracies to one image, leaking no tensors', { timeout: 600_000 }, async () => {
      // webgpu first: the engine then switches away from it, which must not need a tensor read back synchronously.
      const gpu = await runTrainSweepFinetune('webgpu');
      const wasm = await runTrainSweepFinetune('wasm');
      expectSameEpochs(gpu.train, wasm.train);
      expectSameEpochs(gpu.finetune, wasm.finetune);
      // The adapter is named with the backend wherever a speed is recorded.
      expect(gpu.sweep.backend).toBe(`webgpu · ${deviceLabel(webgpu.device!)}`);
      expect(wasm.sweep.backend).toBe('wasm');
      gpu.sweep.points.forEach((p, i) => {
        const ref = wasm.sweep.points[i]!;
        expect([p.kTest, p.adapter, p.n]).toEqual([ref.kTest, ref.adapter, ref.n]);
        expect(Math.abs(p.loss - ref.loss) / ref.loss, `K ${p.kTest} loss`).toBeLessThan(LOSS_TOLERANCE);
        expect(Math.abs(p.top1 - ref.top1), `K ${p.kTest} top-1`).toBeLessThanOrEqual(ONE_IMAGE);
      });
      gpu.sweep.activations.forEach((a, i) => {
        const ref = wasm.sweep.activations[i]!.summary;
        expect(Math.abs(a.summary.mean - ref.mean) / ref.mean, `K ${a.kTest} pooled mean`).toBeLessThan(LOSS_TOLERANCE);
      });
      expect(gpu.leaked).toBe(0);
      expect(wasm.leaked).toBe(0);
    });
  },
);
