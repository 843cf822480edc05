import { join } from 'node:path';
import type { SystemProbes } from './system-probes';

/** What tfjs-node-gpu 4.22 links against: libtensorflow 2.9.1, built for CUDA 11.2 and cuDNN 8.1. */
export const REQUIRED_CUDART = 'libcudart.so.11.0';
export const REQUIRED_CUDNN = 'libcudnn.so.8';

export interface CudaLibraries {
  /** Where libcudart.so.11.0 / libcudnn.so.8 were found, or null. */
  cudart: string | null;
  cudnn: string | null;
  /** Other major versions seen (e.g. "libcudart.so.12"), which tfjs-node-gpu cannot use. */
  otherCudart: string[];
  otherCudnn: string[];
  /** Where we looked, for the message. */
  searched: string[];
}

/**
 * Looks for the CUDA runtime and cuDNN where the dynamic loader would: the ldconfig cache,
 * LD_LIBRARY_PATH and /usr/local/cuda*\/lib64.
 */
export function findCudaLibraries(probes: SystemProbes): CudaLibraries {
  const found = new Map<string, string>();
  for (const line of probes.ldconfig().split('\n')) {
    const m = /^\s*(lib\S+)\s+\(.*\)\s+=>\s+(\S+)/.exec(line);
    if (m && !found.has(m[1]!)) found.set(m[1]!, m[2]!);
  }
  const ldPath = (probes.env('LD_LIBRARY_PATH') ?? '').split(':').filter(Boolean);
  const cudaDirs = probes
    .listDir('/usr/local')
    .filter((name) => name.startsWith('cuda'))
    .map((name) => join('/usr/local', name, 'lib64'));
  for (const dir of [...ldPath, ...cudaDirs]) {
    for (const name of probes.listDir(dir)) if (!found.has(name)) found.set(name, join(dir, name));
  }
  const names = [...found.keys()];
  return {
    cudart: found.get(REQUIRED_CUDART) ?? null,
    cudnn: found.get(REQUIRED_CUDNN) ?? null,
    otherCudart: otherMajors(names, 'libcudart.so', '11'),
    otherCudnn: otherMajors(names, 'libcudnn.so', '8'),
    searched: ['ldconfig -p', ...(ldPath.length ? ['LD_LIBRARY_PATH'] : []), '/usr/local/cuda*/lib64'],
  };
}

/** Major versions of `lib` present other than the required one, e.g. ["libcudart.so.12"]. */
function otherMajors(names: string[], lib: string, requiredMajor: string): string[] {
  const pattern = new RegExp(`^${lib.replaceAll('.', '\\.')}\\.(\\d+)`);
  const majors = new Set<string>();
  for (const name of names) {
    const major = pattern.exec(name)?.[1];
    if (major && major !== requiredMajor) majors.add(`${lib}.${major}`);
  }
  return [...majors].sort();
}

/**
 * Why tfjs-node-gpu cannot use the GPU with these libraries, or null when both are present. A CUDA
 * 12 install is called out: libtensorflow 2.9.1 loads there without error and silently computes on
 * the CPU, so "GPU" would be a false claim.
 */
export function cudaSkipReason(libs: CudaLibraries): string | null {
  const problems: string[] = [];
  if (!libs.cudart) {
    problems.push(
      libs.otherCudart.length
        ? `found ${libs.otherCudart.join(', ')} but not ${REQUIRED_CUDART}: tfjs-node-gpu 4.22 (libtensorflow 2.9.1) needs CUDA 11.2 and with only a newer CUDA it silently runs on the CPU`
        : `${REQUIRED_CUDART} (CUDA 11.2 runtime) not found`,
    );
  }
  if (!libs.cudnn) {
    problems.push(
      libs.otherCudnn.length
        ? `found ${libs.otherCudnn.join(', ')} but not ${REQUIRED_CUDNN} (cuDNN 8.1 is needed)`
        : `${REQUIRED_CUDNN} (cuDNN 8) not found`,
    );
  }
  return problems.length ? `${problems.join('; ')} (searched ${libs.searched.join(', ')})` : null;
}
