import * as tfl from '@tensorflow/tfjs-layers';
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers';
import { streamFor } from '../../core/rng';

/**
 * Per-layer seeds derived from one model seed, so two same-shaped kernels never start equal and
 * the same seed always builds the same weights.
 */
export class LayerSeeds {
  #seed: number;
  #next = 0;

  /** `zeros`: initialisers that only allocate, for a model whose weights are loaded right after. */
  constructor(
    seed: number,
    readonly init: 'seeded' | 'zeros' = 'seeded',
  ) {
    this.#seed = seed;
  }

  next(): number {
    return streamFor(this.#seed, this.#next++).nextU32();
  }
}

/** torchvision's ResNet conv init: He (kaiming) normal, fan-out, for a ReLU network. */
export function convInit(seeds: LayerSeeds): Initializer {
  if (seeds.init === 'zeros') return tfl.initializers.zeros();
  return tfl.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'normal', seed: seeds.next() });
}

/** PyTorch nn.Linear's weight init: uniform in ±1/sqrt(fan_in). */
export function denseInit(seeds: LayerSeeds): Initializer {
  if (seeds.init === 'zeros') return tfl.initializers.zeros();
  return tfl.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed: seeds.next() });
}
