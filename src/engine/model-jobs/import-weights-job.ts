import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { errorCodeOf, userError } from '../../shared/errors';
import type { ImportWeightsInput, ImportWeightsResult } from '../../shared/jobs/models';
import { ensureBackend } from '../backend/select-backend';
import { describeFsError } from '../data/safe-path';
import { createTorchvisionModel } from '../models/torchvision-weights';
import { readWeights } from '../weights/read-weights';
import { saveModelCheckpoint } from './save-model';

const MAX_WEIGHTS_BYTES = 2 * 2 ** 30;

/**
 * The `import-weights` job: reads a safetensors or torch.save file (parsed, never executed),
 * builds the architecture with exactly its weights and stores it as a lab checkpoint in `outDir`.
 */
export async function runImportWeights(input: ImportWeightsInput): Promise<ImportWeightsResult> {
  await ensureBackend();
  const started = performance.now();
  const unreadable = (err: NodeJS.ErrnoException) =>
    userError(`Cannot read ${input.file}: ${describeFsError(err)}`, 'file', errorCodeOf(err));
  const info = await stat(input.file).catch((err: NodeJS.ErrnoException) => {
    throw unreadable(err);
  });
  if (!info.isFile()) throw userError(`${input.file} is not a file`, 'file');
  // ResNet-152 in float64 is under 0.5 GB; a file this large is not one of the lab's architectures.
  if (info.size > MAX_WEIGHTS_BYTES)
    throw userError(
      `${input.file} is ${(info.size / 2 ** 30).toFixed(1)} GB, more than any model the lab imports (2 GB)`,
      'file',
    );
  const bytes = await readFile(input.file).catch((err: NodeJS.ErrnoException) => {
    throw unreadable(err);
  });
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let read: ReturnType<typeof readWeights>;
  try {
    read = readWeights(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), basename(input.file));
  } catch (err) {
    throw userError((err as Error).message, 'file');
  }
  const built = (() => {
    try {
      return createTorchvisionModel(input.arch, read.weights);
    } catch (err) {
      throw userError((err as Error).message, 'arch');
    }
  })();
  try {
    await saveModelCheckpoint(input.outDir, built.model, `import:${sha256}`);
    return {
      format: read.format,
      sha256,
      bytes: bytes.length,
      numClasses: built.model.outputs[0]!.shape[1] as number,
      width: built.width,
      blocks: built.blocks,
      params: built.model.countParams(),
      weightsAt: read.where,
      strippedPrefix: read.strippedPrefix,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    built.model.dispose();
  }
}
