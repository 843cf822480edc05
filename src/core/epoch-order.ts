import { streamFor, type Rng } from './rng';

/** Tag that keeps the shuffle stream apart from the per-image streams. */
const ORDER_STREAM = 0x4f524452;

/** The order items are visited in during `epoch`: a seeded permutation, or 0..count-1 when not shuffling. */
export function epochOrder(count: number, seed: number, epoch: number, shuffle: boolean): Int32Array {
  const order = Array.from({ length: count }, (_, i) => i);
  if (shuffle) streamFor(seed, ORDER_STREAM, epoch).shuffle(order);
  return Int32Array.from(order);
}

/** The stream for everything random about item `index` in `epoch` (crop, flip, jitter). */
export function sampleStream(seed: number, epoch: number, index: number): Rng {
  return streamFor(seed, epoch, index);
}

/** Number of batches in an epoch of `count` items. */
export function batchCount(count: number, batchSize: number, dropLast: boolean): number {
  return dropLast ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}
