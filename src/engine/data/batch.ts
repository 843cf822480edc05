/** One batch as the training and evaluation loops consume it. */
export interface Batch {
  /** size × k × k × 3 float32, NHWC, already normalised (mean/std). */
  pixels: Float32Array;
  /** size class indices. */
  labels: Int32Array;
  size: number;
  k: number;
  /** Position of each sample in the source's item list (for per-image analyses). */
  indices: Int32Array;
}

export interface EpochOptions {
  batchSize: number;
  /** Skip this many batches (resuming mid-epoch); the order is the same as without skipping. */
  startBatch?: number;
  /** Keep the final short batch (evaluation) or drop it (training). */
  dropLast?: boolean;
  signal?: AbortSignal;
  /**
   * The epoch the consumer asks for next, with the same batch size (a training loop). Its first
   * batches are prepared while this epoch's last ones are consumed, so a new epoch starts warm.
   */
  nextEpoch?: number;
}

/**
 * Where batches come from. Order and augmentation depend only on (seed, epoch, index), so a
 * resumed run sees exactly the batches an uninterrupted run would have.
 */
export interface BatchSource {
  readonly numItems: number;
  readonly numClasses: number;
  /** Side length of the square images this source produces. */
  readonly k: number;
  batchesPerEpoch(options: Pick<EpochOptions, 'batchSize' | 'dropLast'>): number;
  epoch(epoch: number, options: EpochOptions): AsyncIterable<Batch>;
  close(): Promise<void>;
}
