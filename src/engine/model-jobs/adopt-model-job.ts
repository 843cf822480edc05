import { userError } from '../../shared/errors';
import type { AdoptModelInput } from '../../shared/jobs/models';
import { ensureBackend } from '../backend/select-backend';
import { loadLatestCheckpoint } from '../checkpoint/checkpoint';
import { changeHead } from '../models/classifier-head';
import { saveModelCheckpoint } from './save-model';

/**
 * The `adopt-model` job: copies an imported model's checkpoint into a run's folder with its
 * classifier kept, reordered to the dataset's classes, or replaced (see HeadChange).
 */
export async function runAdoptModel(input: AdoptModelInput): Promise<{ numClasses: number }> {
  await ensureBackend();
  const checkpoint = await loadLatestCheckpoint(input.fromDir);
  if (!checkpoint) throw userError(`No checkpoint in ${input.fromDir}`, undefined, 'NotFound');
  for (const t of Object.values(checkpoint.slots)) t.dispose();
  let model = checkpoint.model;
  try {
    model = changeHead(model, input.head);
    await saveModelCheckpoint(input.toDir, model, `adopted:${input.fromDir}`);
    return { numClasses: model.outputs[0]!.shape[1] as number };
  } finally {
    model.dispose();
  }
}
