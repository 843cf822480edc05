import { parseSafetensors } from './safetensors';
import { findStateDict, type StateDict } from './state-dict';
import { readTorchCheckpoint } from './torch-checkpoint';

/** The weight file formats FixRes Lab reads. */
export type WeightsFormat = 'safetensors' | 'torch-zip' | 'torch-legacy';

/** A state_dict read from a file, with where it was found. */
export interface ReadWeights {
  format: WeightsFormat;
  weights: StateDict;
  /** The key the weights were under (`model`, `state_dict`, …), "" at the top. */
  where: string;
  /** The prefix removed from every key (`module.`), "" for none. */
  strippedPrefix: string;
  /** safetensors `__metadata__`, else empty. */
  metadata: Record<string, string>;
}

/**
 * Reads the weights of a `.safetensors` or `torch.save` (`.pth`/`.pt`/`.bin`) file from its
 * bytes, telling the format by content, not by name. Nothing in the file is ever executed.
 */
export function readWeights(bytes: Uint8Array, source = 'the file'): ReadWeights {
  if (looksLikeSafetensors(bytes)) {
    const { tensors, metadata } = parseSafetensors(bytes, source);
    const { weights, where, strippedPrefix } = findStateDict(tensors);
    return { format: 'safetensors', weights, where, strippedPrefix, metadata };
  }
  const { format, value } = readTorchCheckpoint(bytes, source);
  const found = findStateDict(value);
  return { format, ...found, metadata: {} };
}

/** safetensors starts with a little-endian header length followed by `{`. */
function looksLikeSafetensors(bytes: Uint8Array): boolean {
  return bytes.length >= 9 && bytes[8] === 0x7b && bytes[0] !== 0x80 && !(bytes[0] === 0x50 && bytes[1] === 0x4b);
}
