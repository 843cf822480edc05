import type * as tfl from '@tensorflow/tfjs-layers';
import { saveCheckpoint } from '../checkpoint/checkpoint';
import { emptyTotals } from '../train/loop-state';

/**
 * Stores a model as a lab checkpoint that no training wrote (an import, an adopted model): epoch
 * 0, no optimiser state. Runs, sweeps and fine-tunes then load it like any checkpoint.
 */
export async function saveModelCheckpoint(dir: string, model: tfl.LayersModel, origin: string): Promise<void> {
  await saveCheckpoint(dir, {
    model,
    slots: {},
    state: { epoch: 0, batch: 0, partial: emptyTotals() },
    seed: 0,
    configKey: origin,
  });
}
