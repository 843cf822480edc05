import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BatchSource } from '../../../src/engine/data/batch';
import { loadLatestCheckpoint } from '../../../src/engine/checkpoint/checkpoint';
import { configKeyOf, runTraining } from '../../../src/engine/train/run-training';
import type { EpochSummary, TrainInput, TrainProgress } from '../../../src/shared/jobs/train';
import { tempDir } from '../../helpers/fixtures';
import { liveTensors, useTestBackend } from '../../helpers/tf-backend';
import { openSynthetic, syntheticSpec, tinyTrainInput } from '../../helpers/train-input';

beforeAll(useTestBackend);
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function checkpointDir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return join(t.dir, 'run');
}

interface Observed {
  events: TrainProgress[];
  epochs: EpochSummary[];
}

async function train(input: TrainInput, options: { cancelAfterBatches?: number; open?: typeof openSynthetic } = {}) {
  const controller = new AbortController();
  const seen: Observed = { events: [], epochs: [] };
  const batches = 0;
  const result = await runTraining(input, {
    signal: controller.signal,
    openSource: options.open ?? openSynthetic,
    progress: (p) => {
      seen.events.push(p);
      if (p.type === 'epoch') seen.epochs.push(p.summary);
    },
  });
  return { result, ...seen, batches };
}

/** Wraps a source so the signal aborts once `n` batches have been handed out. */
function abortingAfter(n: number, controller: AbortController) {
  return async (spec: Parameters<typeof openSynthetic>[0]): Promise<BatchSource> => {
    const source = await openSynthetic(spec);
    let given = 0;
    return {
      ...source,
      epoch: async function* (epoch, options) {
        for await (const batch of source.epoch(epoch, options)) {
          if (spec.seed === 1 && ++given > n) controller.abort();
          yield batch;
        }
      },
    };
  };
}

const metricsOf = (epochs: EpochSummary[]) =>
  epochs.map((e) => ({
    epoch: e.epoch,
    lr: e.lr,
    loss: e.train.loss,
    acc: e.train.acc,
    val: [e.val!.loss, e.val!.acc, e.val!.top5],
  }));

describe('runTraining', () => {
  it('learns the synthetic patterns to > 90 % validation accuracy, leaking no tensors', async () => {
    const before = liveTensors();
    const input = tinyTrainInput(checkpointDir(), {
      train: syntheticSpec(128, 8, 1),
      val: syntheticSpec(64, 8, 2),
      batchSize: 16,
      evalBatchSize: 64,
      epochs: 4,
      optimizer: { lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 5e-4, labelSmoothing: 0 },
      schedule: { kind: 'cosine', warmupEpochs: 0 },
    });
    const { result, epochs, events } = await train(input);
    expect(result.status).toBe('completed');
    expect(result.epochsCompleted).toBe(4);
    expect(epochs.at(-1)!.val!.acc).toBeGreaterThan(0.9);
    expect(epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3]);
    expect(events[0]).toMatchObject({ type: 'start', startEpoch: 0, batchesPerEpoch: 8, epochs: 4 });
    expect(result.peakRssMb).toBeGreaterThan(10);
    expect(liveTensors()).toBe(before);
  });

  it('resumes a cancelled run mid-epoch with metrics identical to an uninterrupted run, first reporting the finished epochs again', async () => {
    const full = await train(tinyTrainInput(checkpointDir()));
    const dir = checkpointDir();
    const controller = new AbortController();
    const before = liveTensors();
    const first = await runTraining(tinyTrainInput(dir), {
      signal: controller.signal,
      openSource: abortingAfter(6, controller),
      progress: () => {},
    });
    expect(first.status).toBe('cancelled');
    expect(first.epochsCompleted).toBe(1);
    expect(liveTensors()).toBe(before);
    const resumed = await train(tinyTrainInput(dir, { resume: true }));
    expect(resumed.events[0]).toMatchObject({ type: 'start', startEpoch: 1, startBatch: 2 });
    expect(resumed.result.status).toBe('completed');
    // Epoch 0 comes from the checkpoint: a lab that lost its row (a full disk) stores it again.
    expect(resumed.events[1]).toMatchObject({ type: 'epoch', summary: first.last });
    expect(metricsOf(resumed.epochs)).toEqual(metricsOf(full.epochs));
  });

  it('refuses to resume a checkpoint written by another configuration', async () => {
    const dir = checkpointDir();
    await train(tinyTrainInput(dir, { epochs: 1 }));
    await expect(train(tinyTrainInput(dir, { epochs: 2, resume: true }))).rejects.toThrow(/different training configuration/);
  });

  it('keys a configuration by what decides its pixels, not by where or how much the decode cache keeps', () => {
    const input = tinyTrainInput('/ckpt');
    const withCache = (cache: NonNullable<TrainInput['train']['cache']>) => ({ ...input, train: { ...input.train, cache } });
    const key = configKeyOf(withCache({ memoryMb: 1024 }));
    expect(configKeyOf(withCache({ memoryMb: 64, dir: '/tmp/spill/7' }))).toBe(key);
    expect(configKeyOf(withCache({ memoryMb: 1024, shortSide: 48 }))).not.toBe(key);
    expect(configKeyOf(input)).not.toBe(key);
  });

  it('stops with a clear message when the loss becomes NaN, keeping the last checkpoint and leaking nothing', async () => {
    const dir = checkpointDir();
    const before = liveTensors();
    const input = tinyTrainInput(dir, { epochs: 2 });
    let epochsStarted = 0;
    const poisoned = async (spec: Parameters<typeof openSynthetic>[0]): Promise<BatchSource> => {
      const source = await openSynthetic(spec);
      return {
        ...source,
        epoch: async function* (epoch, options) {
          if (spec.seed === 1) epochsStarted++;
          for await (const batch of source.epoch(epoch, options)) {
            if (spec.seed === 1 && epochsStarted === 2) batch.pixels.fill(NaN);
            yield batch;
          }
        },
      };
    };
    await expect(train(input, { open: poisoned })).rejects.toThrow(/Training diverged: the loss became NaN at epoch 2, batch 1/);
    expect(liveTensors()).toBe(before);
    expect(readdirSync(dir).filter((f) => f.startsWith('ckpt-'))).toHaveLength(1);
    expect(readdirSync(dir).find((f) => f.startsWith('ckpt-'))).toMatch(/^ckpt-e0001-b0000-/);
  });

  it('throttles batch progress and sends one summary and one checkpoint per epoch', async () => {
    const dir = checkpointDir();
    const { events } = await train(tinyTrainInput(dir, { epochs: 2 }));
    const kinds = events.map((e) => e.type);
    expect(kinds.filter((k) => k === 'epoch')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'checkpoint')).toHaveLength(2);
    const batchEvents = events.filter((e) => e.type === 'batch');
    expect(batchEvents.length).toBeLessThanOrEqual(8);
    expect(batchEvents.at(-1)).toMatchObject({ epoch: 1, batch: 4, batchesPerEpoch: 4 });
    expect(existsSync(join(dir, 'latest.json'))).toBe(true);
  });

  it('fine-tunes only BN and the classifier from a parent checkpoint', async () => {
    const parentDir = checkpointDir();
    const childDir = checkpointDir();
    await train(tinyTrainInput(parentDir, { epochs: 1 }));
    const child = await train(
      tinyTrainInput(childDir, { init: { kind: 'checkpoint', dir: parentDir }, trainable: 'bn+classifier', epochs: 1 }),
    );
    expect(child.result.status).toBe('completed');
    const [parent, tuned] = [(await loadLatestCheckpoint(parentDir))!, (await loadLatestCheckpoint(childDir))!];
    const weight = (c: typeof parent, layer: string, i: number) =>
      Array.from(c.model.getLayer(layer).getWeights()[i]!.dataSync());
    expect(weight(tuned, 's2b1_conv1', 0)).toEqual(weight(parent, 's2b1_conv1', 0));
    expect(weight(tuned, 's2b1_bn1', 0)).not.toEqual(weight(parent, 's2b1_bn1', 0));
    expect(weight(tuned, 's2b1_bn1', 2)).not.toEqual(weight(parent, 's2b1_bn1', 2));
    expect(weight(tuned, 'classifier', 0)).not.toEqual(weight(parent, 'classifier', 0));
    expect(Object.keys(tuned.slots).sort()).toEqual(
      tuned.model.layers
        .filter((l) => /_bn|classifier/.test(l.name))
        .flatMap((l) => l.trainableWeights.map((w) => w.originalName))
        .sort(),
    );
  });
});
