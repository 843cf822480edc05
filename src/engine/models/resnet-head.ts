import * as tfl from '@tensorflow/tfjs-layers';
import { denseInit, type LayerSeeds } from './layer-init';

type Sym = tfl.SymbolicTensor;

/** Layer names every built model shares: select them by name (see layer-selection.ts). */
export const POOL_LAYER = 'pool';
export const CLASSIFIER_LAYER = 'classifier';

/** The resolution-agnostic input: any height and width, 3 channels. */
export function imageInput(): Sym {
  return tfl.input({ shape: [null, null, 3], name: 'image' });
}

/** Global average pooling (`pool`) and a linear classifier producing logits (`classifier`). */
export function poolAndClassify(x: Sym, numClasses: number, seeds: LayerSeeds): Sym {
  const pooled = tfl.layers.globalAveragePooling2d({ name: POOL_LAYER }).apply(x) as Sym;
  return classifierLayer(numClasses, seeds).apply(pooled) as Sym;
}

/** A fresh linear `classifier` (logits, no softmax), initialised as PyTorch's nn.Linear weight. */
export function classifierLayer(numClasses: number, seeds: LayerSeeds): tfl.layers.Layer {
  return tfl.layers.dense({
    name: CLASSIFIER_LAYER,
    units: numClasses,
    kernelInitializer: denseInit(seeds),
    biasInitializer: 'zeros',
  });
}
