import { BASE_BYTES, backendLabel, memoryLimitOf, type MemoryLimit } from './training-memory';

/**
 * What a model's inference forward pass holds, per input pixel of one image, measured by running
 * it once at a small K (src/engine/eval/forward-memory.ts): every layer output, and the largest one.
 */
export interface ForwardFootprint {
  /** tfjs keeps every layer output of a pass until it ends (tf.tidy): their sum, in bytes. */
  allOutputsBytesPerPixel: number;
  /** The largest single layer output, in bytes. */
  largestOutputBytesPerPixel: number;
}

/**
 * ONNX Runtime frees each output after its last use, so it holds a few layer outputs at a time plus
 * its convolutions' workspaces: 3.2× (ResNet-50, K 448 × batch 8) to 4.2× (resnet-mini width 2, K 512
 * × batch 8) the largest output, measured as peak RSS growth; rounded up so the estimate errs high.
 */
export const ORT_LARGEST_OUTPUTS = 6;

/** Where a forward pass runs: ONNX Runtime (on the CPU unless `gpu`) or tfjs on `backend`. */
export interface ForwardPlace {
  engine: 'onnxruntime' | 'tfjs';
  /** The tfjs backend of the engine process. */
  backend: string;
  /** ONNX Runtime runs on a GPU provider (its memory is not known here). */
  gpu: boolean;
}

/** The estimated peak memory of one forward pass of `batch` images at K × K, in bytes. */
export function forwardBytes(fp: ForwardFootprint, engine: ForwardPlace['engine'], k: number, batch: number): number {
  const perPixel = engine === 'onnxruntime' ? ORT_LARGEST_OUTPUTS * fp.largestOutputBytesPerPixel : fp.allOutputsBytesPerPixel;
  // The batch's pixels themselves (float32 NHWC) are held beside the activations.
  return BASE_BYTES + (perPixel + 12) * k * k * batch;
}

/** The memory the lab may use on this machine, and where that figure comes from. */
export interface MachineMemory {
  bytes: number;
  /** "this machine's memory" or "FIXRES_MEMORY_GB" */
  source: string;
}

/** The machine's memory, or the lab's share of it when FIXRES_MEMORY_GB (`setting`) says how much. */
export function machineMemory(totalBytes: number, setting: string | undefined): MachineMemory {
  const share = setting?.trim() ? Number(setting) : NaN;
  if (Number.isFinite(share) && share > 0) return { bytes: share * 2 ** 30, source: 'FIXRES_MEMORY_GB' };
  return { bytes: totalBytes, source: "this machine's memory" };
}

/** The memory a forward pass may use: the wasm heap for tfjs on wasm, the machine's memory on a CPU, unknown on a GPU. */
export function forwardLimit(place: ForwardPlace, machine: MachineMemory): MemoryLimit | null {
  const has = (who: string) => ({
    bytes: machine.bytes,
    holder: `${who} has ${Number((machine.bytes / 2 ** 30).toPrecision(2))} GB (${machine.source})`,
  });
  if (place.engine === 'onnxruntime') return place.gpu ? null : has('ONNX Runtime');
  if (place.backend === 'wasm') return memoryLimitOf('wasm', machine.bytes);
  return memoryLimitOf(place.backend, machine.bytes) ? has(`tfjs on ${backendLabel(place.backend).replace(/^the /, '')}`) : null;
}

/**
 * The refusal of a forward pass (a sweep, activation statistics, predictions, a frozen trunk) that
 * would not fit, or null: "K 1024 × batch 64 needs ~N GB; ONNX Runtime has 16 GB (this machine's
 * memory): lower the batch to ≤ M".
 */
export function forwardRefusal(
  fp: ForwardFootprint,
  place: ForwardPlace,
  k: number,
  batch: number,
  machine: MachineMemory,
): string | null {
  const limit = forwardLimit(place, machine);
  if (!limit) return null;
  const needed = forwardBytes(fp, place.engine, k, batch);
  if (needed <= limit.bytes) return null;
  const room = 0.9 * limit.bytes - BASE_BYTES;
  const perImage = forwardBytes(fp, place.engine, k, 1) - BASE_BYTES;
  const fits = Math.floor(room / perImage);
  let advice = `lower the batch to ≤ ${Math.min(fits, batch - 1)}`;
  if (fits < 1) {
    const perPixel = forwardBytes(fp, place.engine, 1, 1) - BASE_BYTES;
    advice = `even one image is too large: lower K to ≤ ${Math.max(8, Math.floor(Math.sqrt(Math.max(0, room) / perPixel) / 8) * 8)}`;
  }
  return `K ${k} × batch ${batch} needs ~${gb(needed, 1)} GB; ${limit.holder}: ${advice}`;
}

function gb(bytes: number, digits: number): string {
  return (bytes / 2 ** 30).toFixed(digits);
}
