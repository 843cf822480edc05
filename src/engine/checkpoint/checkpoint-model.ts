import { userError } from '../../shared/errors';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { HeadChange } from '../../shared/jobs/models';
import { changeHead } from '../models/classifier-head';
import { loadLatestCheckpoint } from './checkpoint';

/** The model of the latest checkpoint in `dir` (optimiser state dropped), checked to predict `numClasses` classes. */
export async function loadCheckpointModel(dir: string, numClasses: number): Promise<tfl.LayersModel> {
  const checkpoint = await loadLatestCheckpoint(dir);
  if (!checkpoint) throw userError(`No checkpoint in ${dir}`, undefined, 'NotFound');
  for (const t of Object.values(checkpoint.slots)) t.dispose();
  const classes = checkpoint.model.outputs[0]!.shape[1];
  if (classes !== numClasses) {
    checkpoint.model.dispose();
    throw new Error(`The checkpoint in ${dir} predicts ${classes} classes but the data has ${numClasses}`);
  }
  return checkpoint.model;
}

/**
 * The model of the latest checkpoint in `dir` with its classifier changed as `head` says (kept,
 * reordered, or new with `numClasses`), checked to predict `numClasses` classes afterwards.
 */
export async function loadCheckpointModelWithHead(dir: string, numClasses: number, head: HeadChange): Promise<tfl.LayersModel> {
  const checkpoint = await loadLatestCheckpoint(dir);
  if (!checkpoint) throw userError(`No checkpoint in ${dir}`, undefined, 'NotFound');
  for (const t of Object.values(checkpoint.slots)) t.dispose();
  let model = checkpoint.model;
  try {
    model = changeHead(model, head);
  } catch (err) {
    model.dispose();
    throw err;
  }
  const classes = model.outputs[0]!.shape[1];
  if (classes !== numClasses) {
    model.dispose();
    throw new Error(`The model in ${dir} predicts ${classes} classes but the data has ${numClasses}`);
  }
  return model;
}
