import { describe, expect, it } from 'vitest';
import { runDataSpecs, splitRunData } from '../../src/lab/run-data';
import { freezeRunConfig } from '../../src/lab/run-config';
import { RunConfig } from '../../src/shared/api/runs';
import type { ImageForRun } from '../../src/store/run-images';

const images = (counts: Record<string, number>, split: ImageForRun['split'] = null): ImageForRun[] =>
  Object.entries(counts).flatMap(([name, n]) =>
    Array.from({ length: n }, (_, i) => ({ rel_path: `${name}/${i}.png`, class_name: name, split })),
  );

describe('splitRunData', () => {
  it("uses the dataset's own val split when it has one", () => {
    const data = splitRunData([...images({ cat: 3, dog: 2 }, 'train'), ...images({ cat: 1 }, 'val')], {
      valFraction: 0.5,
      seed: 1,
    });
    expect(data.classNames).toEqual(['cat', 'dog']);
    expect(data.train).toHaveLength(5);
    expect(data.val).toEqual([{ relPath: 'cat/0.png', label: 0 }]);
  });

  it('holds out a seeded fraction of every class, at least one, never all', () => {
    const data = splitRunData(images({ a: 20, b: 3, c: 1 }), { valFraction: 0.1, seed: 7 });
    const valPerClass = [0, 1, 2].map((c) => data.val.filter((i) => i.label === c).length);
    expect(valPerClass).toEqual([2, 1, 0]);
    expect(data.train.length + data.val.length).toBe(24);
    expect(splitRunData(images({ a: 20, b: 3, c: 1 }), { valFraction: 0.1, seed: 7 })).toEqual(data);
    expect(splitRunData(images({ a: 20, b: 3, c: 1 }), { valFraction: 0.1, seed: 8 }).val).not.toEqual(data.val);
  });

  it('holds out nothing with valFraction 0', () => {
    expect(splitRunData(images({ a: 5, b: 5 }), { valFraction: 0, seed: 1 }).val).toEqual([]);
  });
});

describe('runDataSpecs', () => {
  it('trains with RandomResizedCrop at K_train and validates with the test transform at K_test', () => {
    const data = splitRunData(images({ a: 4, b: 4 }), { valFraction: 0.25, seed: 1 });
    const cfg = freezeRunConfig(RunConfig.parse({ datasetId: 1, kTrain: 24, kTest: 40, scale: [0.35, 1] }), {
      isFineTune: false,
      data,
    });
    const { train, val } = runDataSpecs('/data', data, cfg);
    expect(train.transform).toMatchObject({ kind: 'train', k: 24, scale: [0.35, 1], hflip: true });
    expect(val!.transform).toEqual({ kind: 'test', k: 40, cropPct: 0.875, interpolation: 'bilinear' });
    expect(train.items).toHaveLength(6);
    expect(cfg).toMatchObject({ trainable: 'full', evalBatchSize: 64, trainImages: 6, valImages: 2 });
  });

  it('fine-tunes with FixRes DA1 (the test transform) and defaults to BN + classifier', () => {
    const data = splitRunData(images({ a: 4, b: 4 }), { valFraction: 0.25, seed: 1 });
    const cfg = freezeRunConfig(RunConfig.parse({ datasetId: 1, kTrain: 48, augment: 'da1' }), { isFineTune: true, data });
    expect(cfg.trainable).toBe('bn+classifier');
    expect(runDataSpecs('/data', data, cfg).train.transform).toEqual({
      kind: 'test',
      k: 48,
      cropPct: 0.875,
      interpolation: 'bilinear',
    });
  });
});
