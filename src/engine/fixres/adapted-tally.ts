import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { adaptFeatures } from '../../core/frechet-adapt';
import type { FrechetModel } from '../../core/frechet';
import { MetricsTally, type ClassificationMetrics } from '../../core/metrics';
import { classifierOf } from '../models/layer-selection';
import { tallyLogits } from '../eval/evaluate';

/** Pooled features of one batch with their labels (rows of `dim` values). */
export interface PooledBatch {
  features: Float32Array;
  dim: number;
  labels: Int32Array;
  /** Position of each row in the evaluated item list. */
  indices: Int32Array;
}

/**
 * Top-1, top-5 and loss of `model`'s classifier applied to pooled features after the Fréchet
 * adaptation x ↦ F_to⁻¹(F_from(x)): the paper's parametric adaptation, inserted between pooling
 * and the classifier. Feed batches with `add`; one tf.tidy per batch, nothing kept.
 */
export class AdaptedTally {
  readonly #classifier: tfl.layers.Layer;
  readonly #tally: MetricsTally;

  constructor(
    model: tfl.LayersModel,
    numClasses: number,
    numItems: number,
    readonly from: FrechetModel,
    readonly to: FrechetModel,
  ) {
    this.#classifier = classifierOf(model);
    this.#tally = new MetricsTally(numClasses, numItems);
  }

  async add(batch: PooledBatch): Promise<void> {
    const rows = batch.labels.length;
    const adapted = adaptFeatures(batch.features, this.from, this.to);
    const logits = tf.tidy(() => this.#classifier.apply(tf.tensor2d(adapted, [rows, batch.dim])) as tf.Tensor2D);
    try {
      await tallyLogits(this.#tally, logits, batch);
    } finally {
      logits.dispose();
    }
  }

  summary(): ClassificationMetrics {
    return this.#tally.summary();
  }
}
