import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { deviceLabel, type BackendName, type ComputeDevice } from '../../shared/backends';
import { cudaAction, cudaSkipReason, findCudaLibraries } from './cuda-libraries';
import { firstLine, unavailable } from './rung-error';
import type { SystemProbes } from './system-probes';
import { findVulkanDrivers } from './webgpu/vulkan-drivers';
import { initWasm } from './wasm/init-wasm';

/** What a rung that loaded reports. */
export interface RungResult {
  tfBackend: string;
  device: ComputeDevice | null;
  threads: number;
  simd: boolean | null;
  notes: string[];
  kernels: string[];
}

export interface LadderContext {
  probes: SystemProbes;
  /** Threads to start wasm with. */
  wasmThreads: number;
  /** The rung was asked for by name: a software WebGPU adapter is then acceptable. */
  forced: boolean;
  /** Set when tfjs-node-gpu loaded but found no GPU: the CPU rung then runs on it (a process loads one TensorFlow). */
  gpuPackageOnCpu?: boolean;
}

export type Rung = (ctx: LadderContext) => Promise<RungResult>;

export const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';
export const CPU_PACKAGE = '@tensorflow/tfjs-node';
export const WEBGPU_PACKAGE = 'webgpu';

/** tfjs-node(-gpu) registers the 'tensorflow' backend when loaded. */
async function loadNative(probes: SystemProbes, pkg: string): Promise<void> {
  if (!probes.isInstalled(pkg)) throw unavailable(`${pkg} is not installed`, `npm install ${pkg} (it downloads libtensorflow)`);
  try {
    await probes.load(pkg);
  } catch (err) {
    throw unavailable(
      `${pkg} failed to load: ${firstLine(err)}`,
      `reinstall ${pkg} where its libtensorflow download can succeed`,
    );
  }
}

async function useTensorflow(): Promise<void> {
  if (!(await tf.setBackend('tensorflow'))) throw new Error('tfjs could not initialise the tensorflow backend');
}

/**
 * What tfjs-node-gpu needs before it is worth loading: a CUDA platform, the package, every CUDA 11
 * library on the loader's path and a GPU in nvidia-smi. Throws why not; returns the GPU's name.
 */
export function tensorflowGpuPrerequisites(probes: SystemProbes): string {
  if (probes.platform !== 'linux' && probes.platform !== 'win32') {
    throw unavailable(
      `${GPU_PACKAGE} needs CUDA, which ${probes.platform} does not have`,
      'nothing to install: the webgpu rung computes on this GPU (Metal)',
    );
  }
  const libs = probes.platform === 'linux' ? findCudaLibraries(probes) : null;
  const cudaReason = libs && cudaSkipReason(libs);
  if (!probes.isInstalled(GPU_PACKAGE)) {
    // On a machine with another CUDA, installing the package would not be enough: say so now.
    const alsoCuda = cudaReason && libs.otherMajors.length ? `; also ${cudaReason}` : '';
    throw unavailable(
      `${GPU_PACKAGE} is not installed${alsoCuda}`,
      `npm install ${GPU_PACKAGE} (NVIDIA GPU with CUDA 11.2 and cuDNN 8)`,
    );
  }
  if (cudaReason) throw unavailable(cudaReason, cudaAction(libs));
  const gpus = probes.nvidiaGpus();
  if (gpus && gpus.length === 0) throw unavailable('nvidia-smi lists no GPU', 'check the NVIDIA driver (nvidia-smi)');
  return gpus?.[0] ?? 'CUDA GPU (nvidia-smi not found, name unknown)';
}

const tensorflowGpu: Rung = async (ctx) => {
  const { probes } = ctx;
  const name = tensorflowGpuPrerequisites(probes);
  await loadNative(probes, GPU_PACKAGE);
  await useTensorflow();
  if (!(tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice) {
    ctx.gpuPackageOnCpu = true;
    throw unavailable(
      `${GPU_PACKAGE} loaded but TensorFlow found no usable CUDA device (driver?); it runs on the CPU`,
      'check the NVIDIA driver (nvidia-smi) and that it supports CUDA 11.2',
    );
  }
  return {
    tfBackend: 'tensorflow',
    device: { name, software: false },
    threads: os.availableParallelism(),
    simd: null,
    notes: [],
    kernels: [],
  };
};

/**
 * Dawn's adapter, without starting tfjs on it (the doctor asks this of a rung not in use). Linux is
 * asked about Vulkan drivers first: with none, Dawn would only print "Found no drivers!" on stderr.
 */
export async function webgpuAdapter(ctx: Pick<LadderContext, 'probes'>): Promise<ComputeDevice> {
  const { probes } = ctx;
  if (!probes.isInstalled(WEBGPU_PACKAGE))
    throw unavailable(`${WEBGPU_PACKAGE} (Dawn) is not installed`, `npm install ${WEBGPU_PACKAGE}`);
  if (probes.platform === 'linux') {
    const drivers = findVulkanDrivers(probes);
    if (!drivers.manifests.length) {
      throw unavailable(
        `no Vulkan driver found (searched ${drivers.searched.join(', ')})`,
        "install your GPU's Vulkan driver (NVIDIA's driver, or mesa-vulkan-drivers for AMD and Intel)",
      );
    }
  }
  let device: ComputeDevice | null;
  try {
    device = await probes.webgpuAdapter();
  } catch (err) {
    throw unavailable(`Dawn failed: ${firstLine(err)}`, "update your GPU's Vulkan, Metal or D3D12 driver");
  }
  if (!device) throw unavailable('Dawn found no WebGPU adapter', "update your GPU's Vulkan, Metal or D3D12 driver");
  return device;
}

const webgpu: Rung = async (ctx) => {
  const device = await webgpuAdapter(ctx);
  if (device.software && !ctx.forced) {
    throw unavailable(
      `the only adapter is ${deviceLabel(device)}: used only when chosen`,
      'choose webgpu by name (FIXRES_BACKEND=webgpu or the backend picker) to run GPU code on it anyway',
    );
  }
  let kernels: string[];
  try {
    kernels = await ctx.probes.startWebgpu();
  } catch (err) {
    throw unavailable(
      `tfjs-backend-webgpu could not start on ${deviceLabel(device)}: ${firstLine(err)}`,
      "update the GPU's driver; until then the ladder trains on the next rung",
    );
  }
  const notes = device.software ? [`${device.name} emulates a GPU on the CPU: its speed is not a GPU's`] : [];
  return { tfBackend: 'webgpu', device, threads: os.availableParallelism(), simd: null, notes, kernels };
};

const tensorflowCpu: Rung = async (ctx) => {
  const notes: string[] = [];
  if (ctx.gpuPackageOnCpu) notes.push(`running ${GPU_PACKAGE} on the CPU`);
  else await loadNative(ctx.probes, CPU_PACKAGE);
  await useTensorflow();
  return { tfBackend: 'tensorflow', device: null, threads: os.availableParallelism(), simd: null, notes, kernels: [] };
};

const wasm: Rung = async ({ wasmThreads }) => {
  try {
    return { tfBackend: 'wasm', device: null, ...(await initWasm(wasmThreads)) };
  } catch (err) {
    throw unavailable(
      `tfjs-backend-wasm failed to start: ${firstLine(err)}`,
      'reinstall @tensorflow/tfjs-backend-wasm (npm ci); until then the ladder computes on cpu',
    );
  }
};

const cpu: Rung = async () => {
  await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend('cpu'))) throw new Error('tfjs could not initialise the cpu backend');
  return { tfBackend: 'cpu', device: null, threads: 1, simd: null, notes: [], kernels: [] };
};

/** Each rung's loader, keyed by its ladder name. */
export const RUNGS: Record<BackendName, Rung> = {
  'tensorflow-gpu': tensorflowGpu,
  webgpu,
  tensorflow: tensorflowCpu,
  wasm,
  cpu,
};
