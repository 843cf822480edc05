import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch } from '../../../src/engine/data/batch';
import { openBatchSource, type BatchSourceOptions } from '../../../src/engine/data/open-batch-source';
import { IMAGENET_NORMALIZE, type DataSpec, type TransformSpec } from '../../../src/shared/jobs/data-spec';
import { noiseImage } from '../../fixtures/reference/resize-cases';
import { tempDir } from '../../helpers/fixtures';
import { testSpec, trainSpec } from '../../helpers/transforms';

const t = tempDir();
const root = join(t.dir, 'data');
const items: DataSpec['items'] = [];

beforeAll(async () => {
  for (let i = 0; i < 10; i++) {
    const cls = i % 2 ? 'b' : 'a';
    mkdirSync(join(root, cls), { recursive: true });
    const [w, h] = [40 + i, 30];
    await sharp(Buffer.from(noiseImage(w, h, i + 1)), { raw: { width: w, height: h, channels: 3 } })
      .png()
      .toFile(join(root, cls, `${i}.png`));
    items.push({ relPath: `${cls}/${i}.png`, label: i % 2 });
  }
  await sharp({ create: { width: 20, height: 20, channels: 3, background: { r: 255, g: 0, b: 128 } } })
    .png()
    .toFile(join(root, 'flat.png'));
});
afterAll(() => t.cleanup());

const train = trainSpec(16, 0.3);
const test = testSpec(16);

function spec(transform: TransformSpec, seed = 1): DataSpec {
  return { root, classNames: ['a', 'b'], items, transform, normalize: IMAGENET_NORMALIZE, seed };
}

async function collect(
  s: DataSpec,
  epoch: number,
  batchSize: number,
  startBatch = 0,
  dropLast = false,
  options: BatchSourceOptions = { workers: 0 },
): Promise<Batch[]> {
  const source = await openBatchSource(s, options);
  const out: Batch[] = [];
  for await (const b of source.epoch(epoch, { batchSize, startBatch, dropLast })) out.push(b);
  await source.close();
  return out;
}

describe('openBatchSource', () => {
  it('emits normalised float32 NHWC batches with labels and item indices', async () => {
    const source = await openBatchSource(spec(train), { workers: 0 });
    expect([source.numItems, source.numClasses, source.k]).toEqual([10, 2, 16]);
    expect(source.batchesPerEpoch({ batchSize: 4 })).toBe(3);
    expect(source.batchesPerEpoch({ batchSize: 4, dropLast: true })).toBe(2);
    const batches = await collect(spec(train), 0, 4);
    expect(batches.map((b) => b.size)).toEqual([4, 4, 2]);
    const b = batches[0]!;
    expect(b.pixels).toBeInstanceOf(Float32Array);
    expect(b.pixels.length).toBe(4 * 16 * 16 * 3);
    expect([...b.labels]).toEqual([...b.indices].map((i) => items[i]!.label));
    expect(new Set(batches.flatMap((x) => [...x.indices]))).toEqual(new Set(items.map((_, i) => i)));
    for (const v of b.pixels) expect(Math.abs(v)).toBeLessThan(3);
  });

  it('normalises with the spec’s mean and std', async () => {
    const flat = { ...spec(test), items: [{ relPath: 'flat.png', label: 0 }] };
    const [batch] = await collect(flat, 0, 1);
    const { mean, std } = IMAGENET_NORMALIZE;
    const expected = [255, 0, 128].map((v, c) => Math.fround((v / 255 - mean[c]!) / std[c]!));
    expect([...batch!.pixels.subarray(0, 3)]).toEqual(expected);
    expect([...batch!.pixels.subarray(-3)]).toEqual(expected);
  });

  it('gives identical batches for two runs with one seed', async () => {
    const a = await collect(spec(train, 5), 2, 3);
    const b = await collect(spec(train, 5), 2, 3);
    expect(b).toEqual(a);
  });

  it('resumes mid-epoch with exactly the batches an uninterrupted epoch yields', async () => {
    const full = await collect(spec(train, 9), 1, 3);
    const resumed = await collect(spec(train, 9), 1, 3, 2);
    expect(resumed).toEqual(full.slice(2));
  });

  it('changes order and crops with the epoch and the seed', async () => {
    const e0 = await collect(spec(train, 1), 0, 10);
    const e1 = await collect(spec(train, 1), 1, 10);
    const s2 = await collect(spec(train, 2), 0, 10);
    expect([...e1[0]!.indices]).not.toEqual([...e0[0]!.indices]);
    expect(e1[0]!.pixels).not.toEqual(e0[0]!.pixels);
    expect(s2[0]!.pixels).not.toEqual(e0[0]!.pixels);
  });

  it('visits items in order with the deterministic test transform', async () => {
    const e0 = await collect(spec(test), 0, 4);
    const e3 = await collect(spec(test), 3, 4);
    expect(e0.flatMap((b) => [...b.indices])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(e3).toEqual(e0);
  });

  it('gives a carried-over epoch exactly the batches a fresh epoch yields, and ignores a carry it was not asked for', async () => {
    const source = await openBatchSource(spec(train, 3), { workers: 0, prefetch: 2 });
    const epoch = async (e: number, batchSize: number, nextEpoch?: number) => {
      const out: Batch[] = [];
      for await (const b of source.epoch(e, { batchSize, dropLast: true, ...(nextEpoch === undefined ? {} : { nextEpoch }) }))
        out.push(b);
      return out;
    };
    const e0 = await epoch(0, 4, 1);
    const e1 = await epoch(1, 4, 2);
    const e2OtherSize = await epoch(2, 3);
    await source.close();
    expect(e0).toEqual(await collect(spec(train, 3), 0, 4, 0, true));
    expect(e1).toEqual(await collect(spec(train, 3), 1, 4, 0, true));
    expect(e2OtherSize).toEqual(await collect(spec(train, 3), 2, 3, 0, true));
  });

  it('drops the short last batch when asked', async () => {
    expect((await collect(spec(train), 0, 4, 0, true)).map((b) => b.size)).toEqual([4, 4]);
  });

  it('names the file when an image is missing, and refuses links leaving the dataset', async () => {
    const missing = { ...spec(test), items: [{ relPath: 'a/nope.png', label: 0 }] };
    await expect(collect(missing, 0, 1)).rejects.toThrow(/a\/nope\.png.*not found/);
    const outside = join(t.dir, 'outside.png');
    writeFileSync(outside, 'x');
    symlinkSync(outside, join(root, 'a', 'escape.png'));
    try {
      const escaping = { ...spec(test), items: [{ relPath: 'a/escape.png', label: 0 }] };
      await expect(collect(escaping, 0, 1)).rejects.toThrow(/outside the dataset/);
      const dotdot = { ...spec(test), items: [{ relPath: '../outside.png', label: 0 }] };
      await expect(collect(dotdot, 0, 1)).rejects.toThrow(/outside the dataset/);
    } finally {
      rmSync(join(root, 'a', 'escape.png'));
    }
  });

  it('rejects bad specs and stops when cancelled', async () => {
    await expect(openBatchSource({ ...spec(test), items: [{ relPath: 'a/0.png', label: 2 }] })).rejects.toThrow(
      /not a class index/,
    );
    await expect(openBatchSource({ ...spec(test), root: join(t.dir, 'gone') })).rejects.toThrow(/Dataset folder not found/);
    const source = await openBatchSource(spec(train), { workers: 0 });
    const controller = new AbortController();
    controller.abort();
    const run = async () => {
      for await (const _ of source.epoch(0, { batchSize: 2, signal: controller.signal })) void _;
    };
    await expect(run()).rejects.toThrow(/cancelled/);
    await source.close();
  });
});

describe('openBatchSource with worker threads and the decoded cache', () => {
  it('gives the same batches on two workers (started through tsx) as on the calling thread', async () => {
    const inProcess = await collect(spec(train, 4), 1, 3);
    const threaded = await collect(spec(train, 4), 1, 3, 0, false, { workers: 2, prefetch: 3 });
    expect(threaded).toEqual(inProcess);
  });

  it('reports a worker-side failure with the file name', async () => {
    const missing = { ...spec(test), items: [{ relPath: 'b/gone.png', label: 1 }] };
    await expect(collect(missing, 0, 1, 0, false, { workers: 1 })).rejects.toThrow(/b\/gone\.png.*not found/);
  });

  it('keeps test and train pixels identical when cached by default, and train geometry with a smaller copy', async () => {
    const cached = (s: DataSpec, shortSide?: number): DataSpec => ({ ...s, cache: { memoryMb: 16, shortSide } });
    expect(await collect(cached(spec(test)), 0, 5)).toEqual(await collect(spec(test), 0, 5));
    const direct = await collect(spec(trainSpec(16, 0)), 0, 10);
    // Crops of these small images can be narrower than K: the default copy is the whole image.
    expect(await collect(cached(spec(trainSpec(16, 0))), 0, 10)).toEqual(direct);
    const viaCache = await collect(cached(spec(trainSpec(16, 0)), 24), 0, 10);
    expect(viaCache[0]!.indices).toEqual(direct[0]!.indices);
    // Same boxes, resampled from the 24-pixel copy instead of the original: close, not equal.
    const diff = direct[0]!.pixels.reduce((s, v, i) => s + Math.abs(v - viaCache[0]!.pixels[i]!), 0) / direct[0]!.pixels.length;
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThan(0.6);
  });

  it('renders every transform pixel-identically from copies kept at their original size, on workers and on disk', async () => {
    const dir = join(t.dir, 'originals');
    const da2: TransformSpec = { kind: 'da2', k: 16, cropPct: 0.875, maxShift: 1, jitter: 0.2, interpolation: 'bicubic' };
    for (const transform of [test, train, da2]) {
      const original = (s: DataSpec): DataSpec => ({ ...s, cache: { shortSide: 'original', memoryMb: 0, dir } });
      const direct = await collect(spec(transform, 3), 1, 4);
      expect(await collect(original(spec(transform, 3)), 1, 4)).toEqual(direct);
      // A later source (two workers) reads the copies back from disk.
      expect(await collect(original(spec(transform, 3)), 1, 4, 0, false, { workers: 2 })).toEqual(direct);
    }
    expect(readdirSync(join(dir, 'side-original-bilinear'))).toHaveLength(items.length);
    await expect(openBatchSource({ ...spec(test), cache: { shortSide: 12.5 } })).rejects.toThrow(/cache\.shortSide/);
  });

  it('renders every image when its spill folder cannot be written (only the disk copies are lost)', async () => {
    const notAFolder = join(t.dir, 'a-file');
    writeFileSync(notAFolder, 'x');
    const cached: DataSpec = { ...spec(test), cache: { shortSide: 'original', memoryMb: 0, dir: notAFolder } };
    expect(await collect(cached, 0, 4, 0, false, { workers: 1 })).toEqual(await collect(spec(test), 0, 4));
  });

  it('spills decoded copies to disk and reuses them in a later source', async () => {
    const dir = join(t.dir, 'decoded');
    const cached: DataSpec = { ...spec(test), cache: { dir, memoryMb: 0 } };
    const first = await collect(cached, 0, 10);
    const files = readdirSync(join(dir, 'side-18-bilinear'));
    expect(files).toHaveLength(10);
    for (const f of files)
      writeFileSync(join(dir, 'side-18-bilinear', f), readFileSync(join(dir, 'side-18-bilinear', f)).fill(0, 16));
    // The second source reads the (now black) copies from disk instead of decoding the files.
    const second = await collect(cached, 0, 10);
    const { mean, std } = IMAGENET_NORMALIZE;
    const black = [0, 1, 2].map((c) => Math.fround(-mean[c]! / std[c]!));
    expect([...second[0]!.pixels.subarray(0, 3)]).toEqual(black);
    expect(first[0]!.pixels).not.toEqual(second[0]!.pixels);
  });
});
