import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { ComputeDevice } from '../../shared/backends';
import type { OnnxRuntimeProbe } from '../onnx/ort-runtime';

/**
 * What the backend ladder asks of the machine. Injected so the ladder's decisions (CUDA libraries
 * missing, CUDA 12 instead of 11, addon failing) are testable on a machine without a GPU.
 */
export interface SystemProbes {
  platform: NodeJS.Platform;
  /** Whether a package resolves from the engine, without loading it. */
  isInstalled(pkg: string): boolean;
  /** Loads a package, native addon included; throws what the loader threw. */
  load(pkg: string): Promise<unknown>;
  /** `ldconfig -p` output ('' when ldconfig is missing). */
  ldconfig(): string;
  env(name: string): string | undefined;
  /** Entry names of a directory ([] when it does not exist). */
  listDir(dir: string): string[];
  /** GPU names from nvidia-smi; null when nvidia-smi is missing or fails. */
  nvidiaGpus(): string[] | null;
  /** The folder a package is installed in (null when it does not resolve). */
  packageDir(pkg: string): string | null;
  /** The adapter Dawn (npm `webgpu`) offers for compute; null when it finds none. */
  webgpuAdapter(): Promise<ComputeDevice | null>;
  /** ONNX Runtime as the forward choice sees it (probeOnnxRuntime: loads it, never touches tfjs). */
  onnxRuntime(): Promise<OnnxRuntimeProbe>;
  /** Makes tfjs compute on that adapter (registers and switches to 'webgpu'); returns the FixRes kernels registered. */
  startWebgpu(): Promise<string[]>;
}

const require = createRequire(import.meta.url);

function run(command: string, args: string[]): string | null {
  try {
    return execFileSync(command, args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

/** The real machine. */
export const nodeSystemProbes: SystemProbes = {
  platform: process.platform,
  isInstalled(pkg) {
    try {
      require.resolve(pkg);
      return true;
    } catch {
      return false;
    }
  },
  load: (pkg) => import(pkg),
  ldconfig: () => run('ldconfig', ['-p']) ?? run('/sbin/ldconfig', ['-p']) ?? '',
  env: (name) => process.env[name],
  listDir(dir) {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
  packageDir(pkg) {
    try {
      return dirname(require.resolve(`${pkg}/package.json`));
    } catch {
      return null;
    }
  },
  webgpuAdapter: async () => (await import('./webgpu/dawn')).dawnDevice(),
  onnxRuntime: async () => (await import('../onnx/ort-runtime')).probeOnnxRuntime(),
  startWebgpu: async () => (await import('./webgpu/init-webgpu')).startWebgpu(),
  nvidiaGpus() {
    const out = run('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader']);
    return out === null
      ? null
      : out
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
  },
};
