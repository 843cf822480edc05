import { saveCheckpoint } from '../../src/engine/checkpoint/checkpoint';
import { createModel } from '../../src/engine/models/create-model';
import { perturbBatchNorm } from './perturb-bn';

/** The sweep tests' model: resnet-mini, 4 classes, width ¼, with trained-looking BN statistics. */
export const sweepTestModel = () => createModel({ arch: 'resnet-mini', numClasses: 4, width: 0.25, seed: 3 });

/** Saves the sweep tests' model as a checkpoint in `dir` (needs a tfjs backend). */
export async function saveSweepCheckpoint(dir: string): Promise<void> {
  const model = sweepTestModel();
  perturbBatchNorm(model);
  await saveCheckpoint(dir, {
    model,
    slots: {},
    state: { epoch: 1, batch: 0, partial: { lossSum: 0, correct: 0, seen: 0, seconds: 0 } },
    seed: 0,
    configKey: 'x',
  });
  model.dispose();
}
