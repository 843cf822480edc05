import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openBatchSource } from '../../../src/engine/data/open-batch-source';
import { runSweep } from '../../../src/engine/fixres/sweep-job';
import { IMAGENET_NORMALIZE, type DataSpec } from '../../../src/shared/jobs/data-spec';
import type { SweepInput, SweepProgress, SweepResult } from '../../../src/shared/jobs/sweep';
import { noiseImage } from '../../fixtures/reference/resize-cases';
import { tempDir } from '../../helpers/fixtures';
import { saveSweepCheckpoint } from '../../helpers/sweep-checkpoint';
import { liveTensors, useTestBackend } from '../../helpers/tf-backend';

/** Every decode of an image file, by path (the sources render on the calling thread, so the spy sees them all). */
const decodes = vi.hoisted(() => new Map<string, number>());
vi.mock('../../../src/engine/data/decode-image', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/engine/data/decode-image')>();
  return {
    ...real,
    decodeImageFile: (file: string, ...rest: []) => {
      decodes.set(file, (decodes.get(file) ?? 0) + 1);
      return real.decodeImageFile(file, ...rest);
    },
  };
});

const t = tempDir();
const root = join(t.dir, 'val');
const ckpt = join(t.dir, 'ckpt');
const spill = join(t.dir, 'spill');
const items: DataSpec['items'] = [];

beforeAll(async () => {
  await useTestBackend();
  await saveSweepCheckpoint(ckpt);
  mkdirSync(root, { recursive: true });
  for (let i = 0; i < 11; i++) {
    const [w, h] = [36 + 3 * i, 28 + (i % 4) * 5];
    await sharp(Buffer.from(noiseImage(w, h, i + 1)), { raw: { width: w, height: h, channels: 3 } })
      .png()
      .toFile(join(root, `${i}.png`));
    items.push({ relPath: `${i}.png`, label: i % 4 });
  }
});
afterAll(() => t.cleanup());
beforeEach(() => decodes.clear());

const val: () => DataSpec = () => ({
  root,
  classNames: ['a', 'b', 'c', 'd'],
  items,
  transform: { kind: 'test', k: 12, cropPct: 0.875, interpolation: 'bilinear' },
  normalize: IMAGENET_NORMALIZE,
  seed: 1,
});
const once = (diskMb = 64) => ({ dir: spill, memoryMb: 1, diskMb, estimatedBytes: 60 * 45 * 3 * items.length });

const input = (extra: Partial<SweepInput> = {}): SweepInput => ({
  model: { kind: 'checkpoint', dir: ckpt },
  val: val(),
  kTests: [8, 16, 20],
  batchSize: 4,
  activations: { reservoir: 1000, seed: 0, xi: 0.3, freeXi: false },
  adapt: { reference: { kind: 'features', data: val(), source: 'val-at-k-train' } },
  featureBudgetMb: 64,
  ...extra,
});

const run = (i: SweepInput, progress: SweepProgress[] = [], signal = new AbortController().signal) =>
  runSweep(i, { signal, progress: (p) => progress.push(p), openSource: (spec) => openBatchSource(spec, { workers: 0 }) });

/** What a sweep measured, without its timings. */
const measured = (r: SweepResult) => ({
  points: r.points.map(({ seconds: _s, imgPerSec: _i, ...p }) => p),
  activations: r.activations,
  reference: r.reference,
});
const decodeCounts = () => [...decodes.values()];

describe('runSweep decoding each image once', () => {
  it('measures exactly what decoding per K_test measures, decoding each image once, and removes its copies', async () => {
    const before = liveTensors();
    const perK = await run(input());
    expect(perK.decoding.mode).toBe('per-k-test');
    expect(decodeCounts()).toEqual(items.map(() => 4)); // the reference pass at K_train, then 3 K_tests
    decodes.clear();
    const progress: SweepProgress[] = [];
    const decodedOnce = await run(input({ decodeOnce: once() }), progress);
    expect(decodedOnce.decoding).toMatchObject({ mode: 'once' });
    expect(progress[0]).toMatchObject({ type: 'start', decoding: { mode: 'once' } });
    expect(decodeCounts()).toEqual(items.map(() => 1));
    expect(measured(decodedOnce)).toEqual(measured(perK));
    expect(decodedOnce.points.filter((p) => p.adapter === 'frechet')).toHaveLength(3);
    expect(readdirSync(spill)).toEqual([]);
    expect(liveTensors()).toBe(before);
  });

  it('adapts in a second pass over the same copies without decoding again', async () => {
    const inMemory = await run(input({ kTests: [8, 16] }));
    decodes.clear();
    const twoPass = await run(input({ kTests: [8, 16], featureBudgetMb: 0, decodeOnce: once() }));
    expect(decodeCounts()).toEqual(items.map(() => 1));
    expect(measured(twoPass)).toEqual(measured(inMemory));
    expect(readdirSync(spill)).toEqual([]);
  });

  it('decodes per K_test, and says why, when the copies would exceed the disk budget', async () => {
    const result = await run(input({ adapt: null, decodeOnce: { ...once(), estimatedBytes: 2 ** 30 } }));
    expect(result.decoding).toMatchObject({ mode: 'per-k-test', reason: expect.stringMatching(/exceed the disk budget/) });
    expect(decodeCounts()).toEqual(items.map(() => 3));
    expect(readdirSync(spill)).toEqual([]);
  });

  it('keeps the finished K_test and removes its copies when cancelled', async () => {
    const controller = new AbortController();
    const before = liveTensors();
    const progress: SweepProgress[] = [];
    const pending = runSweep(input({ adapt: null, decodeOnce: once() }), {
      signal: controller.signal,
      progress: (p) => {
        progress.push(p);
        if (p.type === 'point') controller.abort();
      },
      openSource: (spec) => openBatchSource(spec, { workers: 0 }),
    });
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(progress.filter((p) => p.type === 'point')).toHaveLength(1);
    expect(readdirSync(spill)).toEqual([]);
    expect(liveTensors()).toBe(before);
  });

  it('fails on an image that cannot be decoded exactly as before, and removes its copies', async () => {
    writeFileSync(join(root, 'broken.png'), 'not a png');
    const broken = { ...val(), items: [...items, { relPath: 'broken.png', label: 0 }] };
    const failing = (decodeOnce: SweepInput['decodeOnce']) => run(input({ val: broken, adapt: null, decodeOnce }));
    const before = liveTensors();
    const perK = await failing(null).catch((err: Error) => err);
    const decodedOnce = await failing(once()).catch((err: Error) => err);
    expect(perK).toBeInstanceOf(Error);
    expect((perK as Error).message).toMatch(/Cannot use image broken\.png/);
    expect({ name: (decodedOnce as Error).name, message: (decodedOnce as Error).message }).toEqual({
      name: (perK as Error).name,
      message: (perK as Error).message,
    });
    expect(readdirSync(spill)).toEqual([]);
    expect(liveTensors()).toBe(before);
  });
});
