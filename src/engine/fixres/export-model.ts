import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportModelInput } from '../../shared/jobs/sweep';
import { ensureBackend } from '../backend/select-backend';
import { loadCheckpointModel } from '../checkpoint/checkpoint-model';
import { fileSystemIO } from '../checkpoint/fs-io-handler';
import { checkpointOnnx } from '../onnx/onnx-cache';

/**
 * Saves the model of a run's latest checkpoint in `outDir`: as a plain tfjs LayersModel
 * (model.json + weights.bin, loadable by tf.loadLayersModel and FixRes Lab's importPretrained),
 * or as model.onnx (one file for every input size; the checkpoint's cached export when there is one).
 */
export async function runExportModel(input: ExportModelInput): Promise<{ files: string[] }> {
  await ensureBackend();
  const model = await loadCheckpointModel(input.checkpointDir, input.numClasses);
  try {
    if (input.format === 'onnx') {
      const onnx = await checkpointOnnx(input.checkpointDir, model);
      await mkdir(input.outDir, { recursive: true });
      await writeFile(join(input.outDir, 'model.onnx'), typeof onnx === 'string' ? await readFile(onnx) : onnx);
      return { files: ['model.onnx'] };
    }
    await model.save(fileSystemIO(input.outDir));
    return { files: ['model.json', 'weights.bin'] };
  } finally {
    model.dispose();
  }
}
