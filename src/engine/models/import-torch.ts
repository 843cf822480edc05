import type * as tfl from '@tensorflow/tfjs-layers';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { readWeights, type ReadWeights } from '../weights/read-weights';
import { createTorchvisionModel } from './torchvision-weights';
import type { ArchName } from '../../shared/models/registry';

/** A PyTorch-trained model brought into the lab, with what the file held. */
export interface TorchImport {
  model: tfl.LayersModel;
  read: Omit<ReadWeights, 'weights'>;
  numClasses: number;
}

/**
 * Reads a `.safetensors` or `torch.save` file (never executing it) and builds the lab's `arch`
 * with exactly its weights; the classifier keeps the file's class count.
 */
export async function importTorchWeights(file: string, arch: ArchName): Promise<TorchImport> {
  const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`Cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  const { weights, ...read } = readWeights(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), basename(file));
  const { model } = createTorchvisionModel(arch, weights);
  return { model, read, numClasses: model.outputs[0]!.shape[1] as number };
}
