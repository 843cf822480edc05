import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { SystemProbes } from '../../../src/engine/backend/system-probes';

export interface FakeMachine {
  platform?: NodeJS.Platform;
  installed?: string[];
  /** What loading a package does: throw this message, or register a 'tensorflow' backend (on a GPU or not). */
  addon?: Record<string, { throws: string } | { gpu: boolean }>;
  ldconfig?: string[];
  env?: Record<string, string>;
  dirs?: Record<string, string[]>;
  nvidiaGpus?: string[] | null;
}

/** A machine the ladder can be asked about: fake listings, fake imports (a cpu backend posing as TensorFlow). */
export function fakeProbes(m: FakeMachine): SystemProbes & { loaded: string[] } {
  const loaded: string[] = [];
  return {
    loaded,
    platform: m.platform ?? 'linux',
    isInstalled: (pkg) => (m.installed ?? []).includes(pkg),
    async load(pkg) {
      loaded.push(pkg);
      const addon = m.addon?.[pkg];
      if (!addon) throw new Error(`no fake addon for ${pkg}`);
      if ('throws' in addon) throw new Error(addon.throws);
      tf.registerBackend('tensorflow', () => Object.assign(new MathBackendCPU(), { isUsingGpuDevice: addon.gpu }), 1);
      return {};
    },
    ldconfig: () => (m.ldconfig ?? []).map((lib) => `\t${lib.split('/').pop()} (libc6,x86-64) => ${lib}`).join('\n'),
    env: (name) => m.env?.[name],
    listDir: (dir) => m.dirs?.[dir] ?? [],
    nvidiaGpus: () => (m.nvidiaGpus === undefined ? null : m.nvidiaGpus),
  };
}

/** Undoes a fake TensorFlow backend so the next test starts clean. */
export async function removeFakeTensorflow(): Promise<void> {
  if (tf.findBackend('tensorflow') || tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
  await tf.setBackend('cpu');
}
