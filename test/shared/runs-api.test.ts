import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/lab/dispatch';
import { createHandlers } from '../../src/lab/handlers/index';
import type { Lab } from '../../src/lab/lab';
import { RunConfig } from '../../src/shared/api/runs';

const handlers = createHandlers({} as Lab);

async function fieldError(cfg: Record<string, unknown>): Promise<string | undefined> {
  const reply = await dispatch(handlers, 'runs.start', { datasetId: 1, ...cfg });
  return reply.ok ? undefined : reply.error.field;
}

describe('RunConfig', () => {
  it('fills every default from a dataset id alone', () => {
    expect(RunConfig.parse({ datasetId: 3 })).toMatchObject({
      arch: 'resnet-mini',
      kTrain: 32,
      epochs: 10,
      batchSize: 32,
      lr: 0.1,
      schedule: 'cosine',
      scale: [0.08, 1],
      cropPct: 0.875,
      seed: 0,
    });
  });

  it.each([
    [{ kTrain: 0 }, 'kTrain'],
    [{ kTrain: 100_000 }, 'kTrain'],
    [{ kTest: 2.5 }, 'kTest'],
    [{ scale: [0.9, 0.1] }, 'scale'],
    [{ scale: [0, 1] }, 'scale.0'],
    [{ ratio: [0, 1] }, 'ratio.0'],
    [{ ratio: [2, 1] }, 'ratio'],
    [{ lr: Number.NaN }, 'lr'],
    [{ lr: -1 }, 'lr'],
    [{ batchSize: 0 }, 'batchSize'],
    [{ epochs: 1_000_000 }, 'epochs'],
    [{ width: 0 }, 'width'],
    [{ warmupEpochs: 20, epochs: 10 }, 'warmupEpochs'],
    [{ momentum: 1 }, 'momentum'],
    [{ unknown: 1 }, undefined],
  ])('refuses %j with a message naming %s', async (cfg, field) => {
    const reply = await dispatch(handlers, 'runs.start', { datasetId: 1, ...cfg });
    expect(reply.ok).toBe(false);
    expect(await fieldError(cfg)).toBe(field);
  });
});
