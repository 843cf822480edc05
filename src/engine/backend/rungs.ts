import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../../shared/jobs/doctor';
import { cudaSkipReason, findCudaLibraries } from './cuda-libraries';
import type { SystemProbes } from './system-probes';
import { initWasm } from './wasm/init-wasm';

/** What a rung that loaded reports. */
export interface RungResult {
  tfBackend: string;
  gpu: string | null;
  threads: number;
  simd: boolean | null;
  notes: string[];
  kernels: string[];
}

export interface LadderContext {
  probes: SystemProbes;
  /** Threads to start wasm with. */
  wasmThreads: number;
  /** Set when tfjs-node-gpu loaded but found no GPU: the CPU rung then runs on it (a process loads one TensorFlow). */
  gpuPackageOnCpu?: boolean;
}

export type Rung = (ctx: LadderContext) => Promise<RungResult>;

const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';
const CPU_PACKAGE = '@tensorflow/tfjs-node';

/** tfjs-node(-gpu) registers the 'tensorflow' backend when loaded. */
async function loadNative(probes: SystemProbes, pkg: string): Promise<void> {
  if (!probes.isInstalled(pkg)) throw new Error(`${pkg} is not installed`);
  try {
    await probes.load(pkg);
  } catch (err) {
    throw new Error(`${pkg} failed to load: ${firstLine(err)}`);
  }
}

async function useTensorflow(): Promise<void> {
  if (!(await tf.setBackend('tensorflow'))) throw new Error('tfjs could not initialise the tensorflow backend');
}

const tensorflowGpu: Rung = async (ctx) => {
  const { probes } = ctx;
  if (probes.platform !== 'linux' && probes.platform !== 'win32') {
    throw new Error(`${GPU_PACKAGE} needs CUDA, which ${probes.platform} does not have`);
  }
  if (!probes.isInstalled(GPU_PACKAGE)) throw new Error(`${GPU_PACKAGE} is not installed`);
  if (probes.platform === 'linux') {
    const reason = cudaSkipReason(findCudaLibraries(probes));
    if (reason) throw new Error(reason);
  }
  const gpus = probes.nvidiaGpus();
  if (gpus && gpus.length === 0) throw new Error('nvidia-smi lists no GPU');
  await loadNative(probes, GPU_PACKAGE);
  await useTensorflow();
  if (!(tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice) {
    ctx.gpuPackageOnCpu = true;
    throw new Error(`${GPU_PACKAGE} loaded but TensorFlow found no usable CUDA device (driver?); it runs on the CPU`);
  }
  return {
    tfBackend: 'tensorflow',
    gpu: gpus?.[0] ?? 'CUDA GPU (nvidia-smi not found, name unknown)',
    threads: os.availableParallelism(),
    simd: null,
    notes: [],
    kernels: [],
  };
};

const tensorflowCpu: Rung = async (ctx) => {
  const notes: string[] = [];
  if (ctx.gpuPackageOnCpu) notes.push(`running ${GPU_PACKAGE} on the CPU`);
  else await loadNative(ctx.probes, CPU_PACKAGE);
  await useTensorflow();
  return { tfBackend: 'tensorflow', gpu: null, threads: os.availableParallelism(), simd: null, notes, kernels: [] };
};

const wasm: Rung = async ({ wasmThreads }) => {
  const setup = await initWasm(wasmThreads);
  return { tfBackend: 'wasm', gpu: null, ...setup };
};

const cpu: Rung = async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend('cpu'))) throw new Error('tfjs could not initialise the cpu backend');
  return { tfBackend: 'cpu', gpu: null, threads: 1, simd: null, notes: [], kernels: [] };
};

/** Each rung's loader, keyed by its ladder name. */
export const RUNGS: Record<BackendName, Rung> = { 'tensorflow-gpu': tensorflowGpu, tensorflow: tensorflowCpu, wasm, cpu };

export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
}
