import { userError } from '../../shared/errors';
import { writeFileAtomic } from '../checkpoint/atomic-write';
import type { ExportWeightsInput } from '../../shared/jobs/models';
import { ensureBackend } from '../backend/select-backend';
import { loadLatestCheckpoint } from '../checkpoint/checkpoint';
import { torchvisionStateOf } from '../models/torchvision-weights';
import { writeSafetensors } from '../weights/safetensors';

/**
 * The `export-weights` job: a checkpoint's weights as `model.safetensors` with torchvision key
 * names and layouts (OIHW convolutions, [out, in] linear), which PyTorch's
 * load_state_dict(strict=True) accepts for the same architecture.
 */
export async function runExportWeights(input: ExportWeightsInput): Promise<{ bytes: number; tensors: number }> {
  await ensureBackend();
  const checkpoint = await loadLatestCheckpoint(input.checkpointDir);
  if (!checkpoint) throw userError(`No checkpoint in ${input.checkpointDir}`, undefined, 'NotFound');
  for (const t of Object.values(checkpoint.slots)) t.dispose();
  try {
    const state = torchvisionStateOf(checkpoint.model, input.arch);
    const bytes = writeSafetensors(state, { format: 'pt', exported_by: 'FixRes Lab' });
    await writeFileAtomic(input.outFile, bytes);
    return { bytes: bytes.length, tensors: state.size };
  } finally {
    checkpoint.model.dispose();
  }
}
