import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { ComputeDevice } from '../../../src/shared/backends';
import type { SystemProbes } from '../../../src/engine/backend/system-probes';
import { probeOnnxRuntime, type OrtModule } from '../../../src/engine/onnx/ort-runtime';

export interface FakeMachine {
  platform?: NodeJS.Platform;
  installed?: string[];
  /**
   * What loading a package does: throw this message, register a 'tensorflow' backend (on a GPU or
   * not), or return a module (ONNX Runtime).
   */
  addon?: Record<string, { throws: string } | { gpu: boolean } | { module: object }>;
  ldconfig?: string[];
  env?: Record<string, string>;
  dirs?: Record<string, string[]>;
  nvidiaGpus?: string[] | null;
  /** Whether onnxruntime-node's CUDA execution provider library is installed (default not). */
  ortCudaProvider?: boolean;
  /** The adapter Dawn finds (default none). */
  webgpu?: ComputeDevice | null;
}

/**
 * A machine the ladder can be asked about: fake listings, fake imports (a cpu backend posing as
 * TensorFlow or WebGPU). `loaded` records packages loaded, 'dawn' when Dawn was asked for an adapter.
 */
export function fakeProbes(m: FakeMachine): SystemProbes & { loaded: string[] } {
  const loaded: string[] = [];
  const probes: SystemProbes & { loaded: string[] } = {
    loaded,
    platform: m.platform ?? 'linux',
    isInstalled: (pkg) => (m.installed ?? []).includes(pkg),
    async load(pkg) {
      loaded.push(pkg);
      const addon = m.addon?.[pkg];
      if (!addon) throw new Error(`no fake addon for ${pkg}`);
      if ('throws' in addon) throw new Error(addon.throws);
      if ('module' in addon) return addon.module;
      tf.registerBackend('tensorflow', () => Object.assign(new MathBackendCPU(), { isUsingGpuDevice: addon.gpu }), 1);
      return {};
    },
    ldconfig: () => (m.ldconfig ?? []).map((lib) => `\t${lib.split('/').pop()} (libc6,x86-64) => ${lib}`).join('\n'),
    env: (name) => m.env?.[name],
    listDir: (dir) => m.dirs?.[dir] ?? [],
    nvidiaGpus: () => (m.nvidiaGpus === undefined ? null : m.nvidiaGpus),
    packageDir: (pkg) => ((m.installed ?? []).includes(pkg) ? `/node_modules/${pkg}` : null),
    async webgpuAdapter() {
      loaded.push('dawn');
      return m.webgpu ?? null;
    },
    // The real probe, on a fake import: a package not installed fails as Node's loader does.
    onnxRuntime: () =>
      probeOnnxRuntime({
        load: async () => {
          if (!(m.installed ?? []).includes('onnxruntime-node')) {
            throw Object.assign(new Error("Cannot find package 'onnxruntime-node'"), { code: 'ERR_MODULE_NOT_FOUND' });
          }
          return (await probes.load('onnxruntime-node')) as OrtModule;
        },
        cudaProviderInstalled: () => m.ortCudaProvider ?? false,
      }),
    async startWebgpu() {
      loaded.push('webgpu');
      tf.registerBackend('webgpu', () => new MathBackendCPU(), 0);
      if (!(await tf.setBackend('webgpu'))) throw new Error('fake webgpu did not start');
      return ['MaxPoolGrad'];
    },
  };
  return probes;
}

/** Undoes fake TensorFlow and WebGPU backends so the next test starts clean. */
export async function removeFakeBackends(): Promise<void> {
  for (const name of ['tensorflow', 'webgpu']) {
    if (tf.findBackend(name) || tf.findBackendFactory(name)) tf.removeBackend(name);
  }
  await tf.setBackend('cpu');
}
