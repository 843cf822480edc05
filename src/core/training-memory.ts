import type { ModelEntry } from '../shared/models/registry';

/** The part of a registry entry that decides how much a training step holds. */
export type ModelGraph = Pick<ModelEntry, 'block' | 'stem' | 'stemChannels' | 'stageChannels' | 'blocks'>;

export interface TrainingShape {
  graph: ModelGraph;
  /** Channel multiplier (channels are max(1, round(c · width)), as the builders do). */
  width: number;
  /** Blocks per stage when the run sets them (resnet-mini). */
  blocks?: readonly number[];
  numClasses: number;
  k: number;
  batch: number;
}

/**
 * Bytes a training step holds per activation value kept for the backward pass, measured on the
 * WebAssembly backend (`npm run bench:train-memory`, docs/BENCHMARKS.md): the float itself and what
 * the backward pass and BatchNorm allocate beside it, per forward output counted by
 * activationsPerPixel. The steps that take 0.7–2 GB of heap imply 14.3 (resnet-mini), 16.0
 * (resnet18) and 16.4 (resnet50); small steps imply less. Rounded up, so the estimate errs high.
 */
export const BYTES_PER_ACTIVATION = 16;
/** Per parameter: weights, gradients and momentum (float32 each), and the update's temporary. */
export const BYTES_PER_PARAMETER = 16;
/** What the engine holds whatever the run: its runtime, the kernels' scratch space. */
export const BASE_BYTES = 64 * 2 ** 20;

/**
 * Values the forward pass of one image keeps per input pixel: every layer output (convolution,
 * BatchNorm, ReLU, residual sum) at its resolution, from the model graph. Stride-2 stages have a
 * quarter of the pixels; the ImageNet stem starts at half the side and max-pools to a quarter.
 */
export function activationsPerPixel(graph: ModelGraph, width: number, blocks: readonly number[] = graph.blocks): number {
  const c = (n: number) => Math.max(1, Math.round(n * width));
  let values = 3; // the input
  let area = 1;
  if (graph.stem === 'cifar') values += 3 * c(graph.stemChannels);
  else {
    area = 1 / 4;
    values += 3 * c(graph.stemChannels) * area;
    area = 1 / 16;
    values += c(graph.stemChannels) * area;
  }
  let channels = c(graph.stemChannels);
  graph.stageChannels.forEach((stageChannels, stage) => {
    const filters = c(stageChannels);
    const out = graph.block === 'bottleneck' ? filters * 4 : filters;
    for (let b = 0; b < (blocks[stage] ?? 0); b++) {
      const strided = stage > 0 && b === 0;
      const before = area;
      if (strided) area /= 4;
      const shortcut = strided || channels !== out ? 2 * out : 0;
      if (graph.block === 'basic') values += (5 * filters + 2 * out + shortcut) * area;
      // v1.5: the first 1×1 runs before the stride, on the block's input resolution.
      else values += 3 * filters * before + (3 * filters + 4 * out + shortcut) * area;
      channels = out;
    }
  });
  return values;
}

/** Parameters of the network (convolutions, BatchNorm scale and shift, the classifier). */
export function parameterCount(
  graph: ModelGraph,
  width: number,
  numClasses: number,
  blocks: readonly number[] = graph.blocks,
): number {
  const c = (n: number) => Math.max(1, Math.round(n * width));
  const conv = (k: number, inC: number, outC: number) => k * k * inC * outC + 2 * outC;
  let channels = c(graph.stemChannels);
  let params = conv(graph.stem === 'cifar' ? 3 : 7, 3, channels);
  graph.stageChannels.forEach((stageChannels, stage) => {
    const filters = c(stageChannels);
    const out = graph.block === 'bottleneck' ? filters * 4 : filters;
    for (let b = 0; b < (blocks[stage] ?? 0); b++) {
      if (graph.block === 'basic') params += conv(3, channels, filters) + conv(3, filters, filters);
      else params += conv(1, channels, filters) + conv(3, filters, filters) + conv(1, filters, out);
      if ((stage > 0 && b === 0) || channels !== out) params += conv(1, channels, out);
      channels = out;
    }
  });
  return params + channels * numClasses + numClasses;
}

/** The estimated peak memory of a training step, in bytes. */
export function trainingBytes(shape: TrainingShape): number {
  const activations = activationsPerPixel(shape.graph, shape.width, shape.blocks) * shape.k * shape.k * shape.batch;
  return (
    BASE_BYTES +
    BYTES_PER_ACTIVATION * activations +
    BYTES_PER_PARAMETER * parameterCount(shape.graph, shape.width, shape.numClasses, shape.blocks)
  );
}

/** How much memory a compute backend gives a training step, for the message that names it. */
export interface MemoryLimit {
  bytes: number;
  /** "the WebAssembly backend has 4 GB" */
  holder: string;
}

/** WebAssembly's 32-bit address space: tfjs-backend-wasm grows its heap to at most 4 GB (less 64 KB). */
export const WASM_HEAP_BYTES = 4294901760;

/** The limit of a backend: wasm's heap; native and JavaScript CPU backends, the machine's memory; unknown for GPUs. */
export function memoryLimitOf(backend: string, machineBytes: number): MemoryLimit | null {
  if (backend === 'wasm') return { bytes: WASM_HEAP_BYTES, holder: 'the WebAssembly backend has 4 GB' };
  if (backend === 'cpu' || backend === 'tensorflow')
    return { bytes: machineBytes, holder: `this machine has ${gb(machineBytes, 0)} GB of memory` };
  return null;
}

/** The largest batch whose estimate stays within 90 % of `limit` (0 when not even one image fits). */
export function largestBatch(shape: Omit<TrainingShape, 'batch'>, limit: number): number {
  const one = trainingBytes({ ...shape, batch: 1 });
  const perImage = trainingBytes({ ...shape, batch: 2 }) - one;
  return Math.max(0, Math.floor((0.9 * limit - (one - perImage)) / perImage));
}

/**
 * The refusal for a run whose estimate exceeds the backend's limit, or null when it fits:
 * "K 1024 × batch 256 needs ~N GB; the WebAssembly backend has 4 GB: lower the batch to ≤ M".
 */
export function memoryRefusal(shape: TrainingShape, limit: MemoryLimit | null): string | null {
  if (!limit) return null;
  const needed = trainingBytes(shape);
  if (needed <= limit.bytes) return null;
  return `${memoryNeed(shape, needed)}; ${limit.holder}: ${memoryAdvice(shape, limit)}`;
}

/** "K 1024 × batch 256 needs ~N GB" */
export function memoryNeed(shape: TrainingShape, needed = trainingBytes(shape)): string {
  return `K ${shape.k} × batch ${shape.batch} needs ~${gb(needed, 1)} GB`;
}

/** What to change so the run fits: a smaller batch, or (when one image does not fit) a smaller K. */
export function memoryAdvice(shape: TrainingShape, limit: MemoryLimit): string {
  const batch = largestBatch(shape, limit.bytes);
  if (batch >= 1) return `lower the batch to ≤ ${Math.min(batch, Math.max(1, shape.batch - 1))}`;
  let k = shape.k;
  while (k > 8 && trainingBytes({ ...shape, k, batch: 1 }) > 0.9 * limit.bytes) k -= 8;
  return `even one image is too large: lower K to ≤ ${k}`;
}

/** How a backend is named in messages. */
export function backendLabel(backend: string): string {
  const labels: Record<string, string> = {
    wasm: 'the WebAssembly backend',
    cpu: 'the JavaScript CPU backend',
    tensorflow: 'the native CPU backend',
    'tensorflow-gpu': 'the CUDA backend',
    webgpu: 'the WebGPU backend',
  };
  return labels[backend] ?? `the ${backend} backend`;
}

/**
 * What a run that ran out of memory anyway says: its estimated need, that the backend ran out
 * (and how), and a batch that leaves room: at most half the one that failed.
 */
export function outOfMemoryMessage(shape: TrainingShape, backend: string, limit: MemoryLimit | null, cause: string): string {
  const fits = limit ? largestBatch(shape, limit.bytes) : shape.batch;
  const batch = Math.min(fits, Math.floor(shape.batch / 2));
  const advice = batch >= 1 ? `lower the batch to ≤ ${batch}` : limit ? memoryAdvice({ ...shape, batch: 1 }, limit) : 'lower K';
  const context = limit ? `${cause}; ${limit.holder}` : cause;
  return `${memoryNeed(shape)}; ${backendLabel(backend)} ran out of memory (${context}): ${advice}`;
}

function gb(bytes: number, digits: number): string {
  return (bytes / 2 ** 30).toFixed(digits);
}
