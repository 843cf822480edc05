import type { ExportModelInput } from '../../shared/jobs/sweep';
import { ensureBackend } from '../backend/select-backend';
import { loadCheckpointModel } from '../checkpoint/checkpoint-model';
import { fileSystemIO } from '../checkpoint/fs-io-handler';

/**
 * Saves the model of a run's latest checkpoint as a plain tfjs LayersModel (model.json +
 * weights.bin) in `outDir`, loadable by tf.loadLayersModel and by FixRes Lab's importPretrained.
 */
export async function runExportModel(input: ExportModelInput): Promise<{ files: string[] }> {
  await ensureBackend();
  const model = await loadCheckpointModel(input.checkpointDir, input.numClasses);
  try {
    await model.save(fileSystemIO(input.outDir));
    return { files: ['model.json', 'weights.bin'] };
  } finally {
    model.dispose();
  }
}
