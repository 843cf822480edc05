import { join } from 'node:path';
import { CUDA_LIBS_ENV } from '../../shared/backends';
import type { SystemProbes } from './system-probes';

/**
 * What tfjs-node-gpu 4.22 needs: libtensorflow 2.9.1 was built for CUDA 11.2 and cuDNN 8.1 and
 * dlopens these at start. If any one is missing it logs "Cannot dlopen some GPU libraries" and
 * computes on the CPU without failing.
 */
export const REQUIRED_CUDA_LIBRARIES = [
  'libcudart.so.11.0',
  'libcublas.so.11',
  'libcublasLt.so.11',
  'libcufft.so.10',
  'libcurand.so.10',
  'libcusolver.so.11',
  'libcusparse.so.11',
  'libcudnn.so.8',
] as const;
export const REQUIRED_CUDART = 'libcudart.so.11.0';
export const REQUIRED_CUDNN = 'libcudnn.so.8';

export interface CudaLibraries {
  /** Each required library the engine's dynamic loader can open, with where it is. */
  loadable: Map<string, string>;
  /** Required libraries that exist only where the loader does not look (folder per library). */
  elsewhere: Map<string, string>;
  /** Other majors of the CUDA runtime and cuDNN seen (e.g. "libcudart.so.12"), which tfjs-node-gpu cannot use. */
  otherMajors: string[];
  /** Where we looked, for the message. */
  searched: string[];
}

/**
 * Looks for the libraries where the loader finds them (the ldconfig cache and the engine's
 * LD_LIBRARY_PATH) and where side-by-side installs put them without telling the loader:
 * FIXRES_CUDA_LIBS, $CONDA_PREFIX/lib and /usr/local/cuda*\/lib64.
 */
export function findCudaLibraries(probes: SystemProbes): CudaLibraries {
  const onPath = new Map<string, string>();
  for (const line of probes.ldconfig().split('\n')) {
    const m = /^\s*(lib\S+)\s+\(.*\)\s+=>\s+(\S+)/.exec(line);
    if (m && !onPath.has(m[1]!)) onPath.set(m[1]!, m[2]!);
  }
  const folders = (name: string) => (probes.env(name) ?? '').split(':').filter(Boolean);
  const ldPath = folders('LD_LIBRARY_PATH');
  addFolders(probes, onPath, ldPath);
  const conda = probes.env('CONDA_PREFIX');
  const cudaDirs = probes
    .listDir('/usr/local')
    .filter((name) => name.startsWith('cuda'))
    .map((name) => join('/usr/local', name, 'lib64'));
  const offPath = new Map<string, string>();
  addFolders(probes, offPath, [...folders(CUDA_LIBS_ENV), ...(conda ? [join(conda, 'lib')] : []), ...cudaDirs]);
  const loadable = new Map<string, string>();
  const elsewhere = new Map<string, string>();
  for (const lib of REQUIRED_CUDA_LIBRARIES) {
    const path = onPath.get(lib);
    if (path) loadable.set(lib, path);
    else if (offPath.has(lib)) elsewhere.set(lib, offPath.get(lib)!.slice(0, -lib.length - 1));
  }
  const names = [...onPath.keys(), ...offPath.keys()];
  return {
    loadable,
    elsewhere,
    otherMajors: [...otherMajors(names, 'libcudart.so', '11'), ...otherMajors(names, 'libcudnn.so', '8')],
    searched: [
      'ldconfig -p',
      ...(ldPath.length ? ['LD_LIBRARY_PATH'] : []),
      ...(folders(CUDA_LIBS_ENV).length ? [CUDA_LIBS_ENV] : []),
      ...(conda ? ['$CONDA_PREFIX/lib'] : []),
      '/usr/local/cuda*/lib64',
    ],
  };
}

function addFolders(probes: SystemProbes, into: Map<string, string>, dirs: string[]): void {
  for (const dir of dirs) for (const name of probes.listDir(dir)) if (!into.has(name)) into.set(name, join(dir, name));
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
 * Why tfjs-node-gpu cannot use the GPU with these libraries, or null when the loader can open every
 * one. A newer CUDA alone is called out: libtensorflow 2.9.1 loads there without error and silently
 * computes on the CPU, so "GPU" would be a false claim.
 */
export function cudaSkipReason(libs: CudaLibraries): string | null {
  const missing = REQUIRED_CUDA_LIBRARIES.filter((lib) => !libs.loadable.has(lib));
  if (!missing.length) return null;
  const hidden = missing.filter((lib) => libs.elsewhere.has(lib));
  const absent = missing.filter((lib) => !libs.elsewhere.has(lib));
  const problems: string[] = [];
  if (absent.length) {
    const what = absent.includes(REQUIRED_CUDART) || absent.includes(REQUIRED_CUDNN) ? ' (CUDA 11.2 runtime and cuDNN 8)' : '';
    problems.push(`${listed(absent)} not found${what}`);
  }
  if (hidden.length) {
    const dirs = [...new Set(hidden.map((lib) => libs.elsewhere.get(lib)!))];
    problems.push(
      `${listed(hidden)} found in ${dirs.join(', ')} but not on the engine's library path (${CUDA_LIBS_ENV} puts it there)`,
    );
  }
  if (libs.otherMajors.length) {
    problems.push(
      `found ${libs.otherMajors.join(', ')}: tfjs-node-gpu 4.22 (libtensorflow 2.9.1) needs CUDA 11.2 and cuDNN 8, and with only a newer CUDA it silently runs on the CPU`,
    );
  }
  return `${problems.join('; ')} (searched ${libs.searched.join(', ')})`;
}

/** What to do about a skip reason from cudaSkipReason. */
export function cudaAction(libs: CudaLibraries): string {
  const hidden = [...new Set(libs.elsewhere.values())];
  if (hidden.length && REQUIRED_CUDA_LIBRARIES.every((lib) => libs.loadable.has(lib) || libs.elsewhere.has(lib))) {
    return `set ${CUDA_LIBS_ENV}=${hidden.join(':')} (the lab adds it to the engine's library path) and restart FixRes Lab`;
  }
  return `install the CUDA 11.2 runtime and cuDNN 8 libraries side by side (README: "CUDA 12 machines") and set ${CUDA_LIBS_ENV} to their folder`;
}

function listed(libs: string[]): string {
  return libs.length > 3 ? `${libs.slice(0, 3).join(', ')} and ${libs.length - 3} more CUDA 11 libraries` : libs.join(', ');
}
