import { streamFor } from '../../src/core/rng';
import type { Batch, BatchSource, EpochOptions } from '../../src/engine/data/batch';

export interface SyntheticOptions {
  numItems: number;
  k: number;
  /** Up to 4: horizontal stripes, vertical stripes, diagonal stripes, a centred blob. */
  numClasses?: number;
  seed?: number;
  /** Standard deviation of the pixel noise. */
  noise?: number;
}

/**
 * An in-memory BatchSource of seeded pattern images (one pattern per class, random phase,
 * frequency, contrast and noise). Item i has label i mod numClasses; each epoch's order is a
 * seeded shuffle, so runs and resumed runs see the same batches.
 */
export function syntheticSource(options: SyntheticOptions): BatchSource & { pixelsOf(i: number): Float32Array } {
  const { numItems, k } = options;
  const numClasses = options.numClasses ?? 4;
  const seed = options.seed ?? 1;
  const items = Array.from({ length: numItems }, (_, i) => drawItem(i % numClasses, k, seed, i, options.noise ?? 0.3));
  const batches = (o: Pick<EpochOptions, 'batchSize' | 'dropLast'>) =>
    o.dropLast ? Math.floor(numItems / o.batchSize) : Math.ceil(numItems / o.batchSize);
  return {
    numItems,
    numClasses,
    k,
    pixelsOf: (i) => items[i]!,
    batchesPerEpoch: batches,
    async *epoch(epoch, o) {
      const order = streamFor(seed, 0x5eed, epoch).shuffle(Array.from({ length: numItems }, (_, i) => i));
      for (let b = o.startBatch ?? 0; b < batches(o); b++) {
        const indices = order.slice(b * o.batchSize, (b + 1) * o.batchSize);
        yield toBatch(indices, items, numClasses, k);
      }
    },
    close: async () => {},
  };
}

function toBatch(indices: number[], items: Float32Array[], numClasses: number, k: number): Batch {
  const pixels = new Float32Array(indices.length * k * k * 3);
  indices.forEach((item, j) => pixels.set(items[item]!, j * k * k * 3));
  return {
    pixels,
    labels: Int32Array.from(indices, (i) => i % numClasses),
    size: indices.length,
    k,
    indices: Int32Array.from(indices),
  };
}

/** The float pixels (k × k × 3, roughly −1.5..1.5) of synthetic item `index` with `label`. */
export function drawItem(label: number, k: number, seed: number, index: number, noise: number): Float32Array {
  const rng = streamFor(seed, index);
  const phase = rng.uniformRange(0, 2 * Math.PI);
  const freq = rng.uniformRange(2, 3.5) / k;
  const contrast = rng.uniformRange(0.6, 1.2);
  const out = new Float32Array(k * k * 3);
  for (let y = 0; y < k; y++) {
    for (let x = 0; x < k; x++) {
      const value = contrast * pattern(label, x, y, k, freq, phase);
      for (let c = 0; c < 3; c++) out[(y * k + x) * 3 + c] = value + noise * rng.normal();
    }
  }
  return out;
}

function pattern(label: number, x: number, y: number, k: number, freq: number, phase: number): number {
  const wave = (t: number) => Math.sin(2 * Math.PI * freq * t + phase);
  if (label === 0) return wave(y);
  if (label === 1) return wave(x);
  if (label === 2) return wave((x + y) / Math.SQRT2);
  const r = Math.hypot(x - (k - 1) / 2, y - (k - 1) / 2) / k;
  return r < 0.25 ? 1 : -0.5;
}
