import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBatchSource } from '../../../src/engine/data/open-batch-source';
import { buildDataSpec } from '../../../src/lab/datasets/data-spec';
import { RUN_CACHE_MB, runDataSpecs, spillFolder } from '../../../src/lab/runs/run-data';
import { RunConfig } from '../../../src/shared/api/runs';
import { createLab, type Lab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine';
import { IMAGENET_NORMALIZE } from '../../../src/shared/jobs/data-spec';
import { makeImageFolder, tempDir } from '../../helpers/fixtures';
import { testSpec, trainSpec } from '../../helpers/transforms';
import { writeFileSync } from 'node:fs';

const t = tempDir();
let lab: Lab;
let id: number;
beforeAll(async () => {
  await makeImageFolder(join(t.dir, 'ds'), { cat: 4, dog: 3 }, 'train');
  await makeImageFolder(join(t.dir, 'ds'), { cat: 1, zebra: 1 }, 'val');
  writeFileSync(join(t.dir, 'ds', 'train', 'dog', 'bad.png'), 'x');
  lab = createLab({ dataDir: ':memory:', spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
  id = (await (await lab.datasets.open(join(t.dir, 'ds'))).scanned).id;
});
afterAll(() => {
  lab.close();
  t.cleanup();
});

describe('buildDataSpec', () => {
  it('lists the usable images of a split with labels shared by train and val', () => {
    const train = buildDataSpec(lab.db, id, { split: 'train', transform: trainSpec(16), seed: 1 });
    const val = buildDataSpec(lab.db, id, { split: 'val', transform: testSpec(16), seed: 1 });
    expect(train.classNames).toEqual(['cat', 'dog', 'zebra']);
    expect(val.classNames).toEqual(train.classNames);
    expect(train.items).toHaveLength(7);
    expect(train.items.some((i) => i.relPath.endsWith('bad.png'))).toBe(false);
    expect(val.items).toEqual([
      { relPath: 'val/cat/img-0.png', label: 0 },
      { relPath: 'val/zebra/img-0.png', label: 2 },
    ]);
    expect(train.normalize).toEqual(IMAGENET_NORMALIZE);
  });

  it('normalises with the dataset’s own mean and std when asked', () => {
    const spec = buildDataSpec(lab.db, id, { split: 'train', transform: trainSpec(16), seed: 1, normalize: 'dataset' });
    expect(spec.normalize.mean.every((m) => m > 0 && m < 1)).toBe(true);
    expect(spec.normalize.std.every((s) => s > 0)).toBe(true);
  });

  it('feeds openBatchSource end to end', async () => {
    const source = await openBatchSource(buildDataSpec(lab.db, id, { split: 'train', transform: trainSpec(16), seed: 1 }));
    let n = 0;
    for await (const batch of source.epoch(0, { batchSize: 4 })) n += batch.size;
    expect(n).toBe(7);
  });

  it('shuffles the training images of a DA1 fine-tune (test transform) as RandomResizedCrop training does', async () => {
    const labelOrder = async (augment: 'rrc' | 'da1' | 'da2', split: 'train' | 'val') => {
      const cfg = {
        ...RunConfig.parse({ datasetId: id, kTrain: 16, augment }),
        kTest: 16,
        seed: 3,
        normalize: 'imagenet' as const,
      };
      const source = await openBatchSource(runDataSpecs(lab.db, id, cfg)[split]!);
      const labels: number[] = [];
      for await (const batch of source.epoch(0, { batchSize: 8 })) labels.push(...batch.labels);
      await source.close();
      return labels;
    };
    const sorted = [0, 0, 0, 0, 1, 1, 1];
    for (const augment of ['rrc', 'da1', 'da2'] as const) {
      const labels = await labelOrder(augment, 'train');
      expect([...labels].sort()).toEqual(sorted);
      expect(labels).not.toEqual(sorted);
    }
    expect(await labelOrder('da1', 'val')).toEqual([0, 2]);
  });

  it('caches decoded images for new runs only: a config stored before the setting keeps its specs', () => {
    const cfg = { ...RunConfig.parse({ datasetId: id, kTrain: 16 }), kTest: 16 };
    const fresh = runDataSpecs(lab.db, id, cfg);
    expect([fresh.train.cache, fresh.val!.cache]).toEqual([{ memoryMb: 1024 }, { memoryMb: 256 }]);
    const { decodeCache: _absent, ...stored } = cfg;
    const old = runDataSpecs(lab.db, id, stored);
    expect([old.train.cache, old.val!.cache]).toEqual([undefined, undefined]);
    expect(runDataSpecs(lab.db, id, { ...cfg, decodeCache: false }).train).toEqual(old.train);
  });

  it('spills training copies to disk only when they overflow memory and fit the disk budget', () => {
    expect(spillFolder(RUN_CACHE_MB.train / 2, '/spill')).toBeUndefined();
    expect(spillFolder(RUN_CACHE_MB.train * 2, '/spill')).toBe('/spill');
    expect(spillFolder(RUN_CACHE_MB.trainDisk * 2, '/spill')).toBeUndefined();
    expect(spillFolder(RUN_CACHE_MB.train * 2, undefined)).toBeUndefined();
    // This dataset's 7 images are a few KB decoded: memory only, whatever folder is offered.
    const cfg = { ...RunConfig.parse({ datasetId: id, kTrain: 16 }), kTest: 16 };
    expect(runDataSpecs(lab.db, id, cfg, { spillDir: '/spill' }).train.cache).toEqual({ memoryMb: RUN_CACHE_MB.train });
  });

  it('refuses an unknown dataset', () => {
    expect(() => buildDataSpec(lab.db, 999, { transform: testSpec(8), seed: 0 })).toThrow(/No dataset with id 999/);
  });
});
