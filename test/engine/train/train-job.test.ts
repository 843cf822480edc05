import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost } from '../../../src/lab/engine-host';
import { spawnNodeEngine } from '../../../src/lab/node-engine';
import type { DataSpec } from '../../../src/shared/jobs/data-spec';
import type { EpochSummary, TrainInput, TrainProgress } from '../../../src/shared/jobs/train';
import { tempDir } from '../../helpers/fixtures';
import { PATTERN_CLASSES, writePatternFolder } from '../../helpers/pattern-images';
import { tinyTrainInput } from '../../helpers/train-input';

const t = tempDir();
const root = join(t.dir, 'patterns');
let engine: EngineHost;
const previousBackend = process.env.FIXRES_BACKEND;

beforeAll(async () => {
  process.env.FIXRES_BACKEND = 'cpu';
  engine = new EngineHost(spawnNodeEngine);
  await writePatternFolder(root, { perClass: 8, size: 12 });
});
afterAll(() => {
  engine.stop();
  t.cleanup();
  if (previousBackend === undefined) delete process.env.FIXRES_BACKEND;
  else process.env.FIXRES_BACKEND = previousBackend;
});

function spec(kind: 'train' | 'test'): DataSpec {
  const items = PATTERN_CLASSES.flatMap((name, label) =>
    Array.from({ length: 8 }, (_, i) => ({ relPath: `${name}/${i}.png`, label })),
  );
  const transform: DataSpec['transform'] =
    kind === 'train'
      ? { kind, k: 8, scale: [0.5, 1], ratio: [3 / 4, 4 / 3], hflip: true, jitter: 0, interpolation: 'bilinear' }
      : { kind, k: 8, cropPct: 1, interpolation: 'bilinear' };
  return {
    root,
    classNames: PATTERN_CLASSES,
    items,
    transform,
    normalize: { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
    seed: 3,
  };
}

function input(dir: string, resume = false): TrainInput {
  return tinyTrainInput(join(t.dir, dir), { train: spec('train'), val: spec('test'), resume });
}

async function run(job: TrainInput, onProgress: (p: TrainProgress) => void = () => {}) {
  const epochs: EpochSummary[] = [];
  const events: TrainProgress[] = [];
  const result = await engine.run('train', job, {
    onProgress: (p) => {
      events.push(p);
      if (p.type === 'epoch') epochs.push(p.summary);
      onProgress(p);
    },
  });
  return { result, epochs, events };
}

let reference: ReturnType<typeof run> | null = null;
/** One uninterrupted run, shared by the tests below. */
const referenceRun = () => (reference ??= run(input('reference')));

const metricsOf = (epochs: EpochSummary[]) =>
  epochs.map((e) => [e.epoch, e.lr, e.train.loss, e.train.acc, e.val!.loss, e.val!.acc]);

describe('train job in the engine process', () => {
  it('trains real image files and reports the backend it ran on', async () => {
    const { result, epochs, events } = await referenceRun();
    expect(result).toMatchObject({ status: 'completed', backend: 'cpu', epochsCompleted: 3 });
    expect(epochs).toHaveLength(3);
    expect(events[0]).toMatchObject({ type: 'start', backend: 'cpu', batchesPerEpoch: 4 });
  });

  it('resumes after a kill -9 of the engine with the same metrics as an uninterrupted run', async () => {
    const reference = await referenceRun();
    const killed = run(input('killed'), (p) => {
      if (p.type === 'batch' && p.epoch === 1) engine.stop();
    });
    await expect(killed).rejects.toMatchObject({ name: 'EngineExited' });
    const resumed = await run(input('killed', true));
    expect(resumed.events[0]).toMatchObject({ type: 'start', startEpoch: 1, startBatch: 0 });
    expect(resumed.result.status).toBe('completed');
    expect(metricsOf(resumed.epochs)).toEqual(metricsOf(reference.epochs.slice(1)));
  });
});
